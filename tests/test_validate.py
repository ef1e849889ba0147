"""Tests of edition.validate: tei_all (pruned), the edition's schema, the rules."""

from __future__ import annotations

import copy
import os
import random
from pathlib import Path

import pytest
from lxml import etree

from edition import validate as v
from edition.errors import InputError
from edition.model import TEI_NS, XML_NS
from edition.xmlio import parse, parse_bytes

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
T = f"{{{TEI_NS}}}"
SKIP_FULL = os.environ.get("EDITION_SKIP_FULL_TEI_ALL", "") not in ("", "0")


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path_factory.getbasetemp() / "edition-cache"))


def line_of(path: Path, marker: str) -> int:
    """The line of the first occurrence of ``marker`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(marker) >= 1, marker
    return text[: text.index(marker)].count("\n") + 1


def problems_of(tree: etree._ElementTree, profile: bool = True) -> list[v.Problem]:
    return v.Validator(profile=profile).validate_tree(tree, "mem.xml")


# ----------------------------------------------------------- valid files ---


@pytest.mark.parametrize("name", ["telegram.xml", "chronology.xml"])
def test_edition_files_pass_all_three_checks(name: str) -> None:
    assert v.validate_file(VALID / name) == []


@pytest.mark.parametrize("name", ["foreign-minimal.xml", "foreign-apparatus.xml"])
def test_foreign_tei_is_valid_but_not_in_the_profile(name: str) -> None:
    path = VALID / name
    assert v.validate_file(path, profile=False) == []
    problems = v.validate_file(path)
    assert problems
    assert all(p.message.startswith("edition-schema:") for p in problems)
    assert any("xml:id" in p.message and p.line == line_of(path, "<TEI ") for p in problems)


def test_root_other_than_tei_is_outside_the_profile() -> None:
    tree = parse_bytes(f'<teiCorpus xmlns="{TEI_NS}"/>'.encode())
    problems = v.Validator().schema_problems(tree, "mem.xml")
    assert [p.message for p in problems] == [
        "edition-schema: not in the edition's profile: the root is <teiCorpus>, not TEI"
    ]


# --------------------------------------------------------- invalid files ---

CASES = [
    ("missing-id.xml", "edition-schema:", "<p>On <choice>", "missing required attribute 'xml:id'"),
    ("bad-when.xml", "rule:", 'when="1950-02-30"', "not a real calendar day"),
    ("bad-when.xml", "edition-schema:", 'when="1950-02-30"', "1950-02-30"),
    ("time-without-seconds.xml", "edition-schema:", 'T07:05"', "1950-10-03T07:05"),
    ("time-without-seconds.xml", "rule:", 'T07:05"', "not an ISO 8601 date"),
    ("time-without-seconds.xml", "tei_all:", 'T07:05"', "when"),
    ("dangling-ref.xml", "rule:", 'ref="#zhou"', '@ref="#zhou"'),
    ("redaction-without-note.xml", "rule:", 'masked: <seg type="redaction">', "redaction seg"),
    ("archival-without-delo.xml", "rule:", "papka <idno", 'idno type="delo"'),
    ("not-tei-all.xml", "tei_all:", "<opener>", "opener"),
    ("editorial-without-resp.xml", "rule:", '<corr cert="high">', "has no @resp"),
    ("resp-not-respstmt.xml", "rule:", 'resp="#stalin"', "respStmt"),
    ("id-not-derived.xml", "rule:", "other-text.d1.i2", "not derived from the text id"),
    ("bad-cert.xml", "edition-schema:", 'cert="unknown"', "high"),
]


@pytest.mark.parametrize(("name", "prefix", "marker", "words"), CASES)
def test_broken_file_is_reported_at_its_line(
    name: str, prefix: str, marker: str, words: str
) -> None:
    path = INVALID / name
    problems = v.validate_file(path)
    line = line_of(path, marker)
    hits = [p for p in problems if p.message.startswith(prefix) and p.line == line]
    assert hits, problems
    assert any(words in p.message for p in hits), hits
    assert all(p.path == str(path) and p.severity == "error" for p in problems)
    assert {p.line for p in problems} == {line}, "only the broken element is reported"


def test_profile_rules_are_skipped_for_foreign_files() -> None:
    assert v.validate_file(INVALID / "editorial-without-resp.xml", profile=False) == []
    assert v.validate_file(INVALID / "id-not-derived.xml", profile=False) == []
    assert v.validate_file(INVALID / "dangling-ref.xml", profile=False)


def test_malformed_xml_is_an_input_error_with_its_line() -> None:
    path = INVALID / "malformed.xml"
    with pytest.raises(InputError) as info:
        v.validate_file(path)
    assert info.value.line == line_of(path, "</itme>")


def test_duplicate_id_in_a_file_is_refused_by_the_parser() -> None:
    path = INVALID / "duplicate-id.xml"
    with pytest.raises(InputError) as info:
        v.validate_file(path)
    assert info.value.line == line_of(path, 'xml:id="test-telegram-1950.d1.i1">Second')


# ----------------------------------------------- in-memory broken trees ---


@pytest.fixture
def telegram() -> etree._ElementTree:
    return parse(VALID / "telegram.xml")


def _first(tree: etree._ElementTree, xpath: str) -> etree._Element:
    return tree.xpath(xpath, namespaces={"tei": TEI_NS})[0]


def test_duplicate_id_in_a_built_tree(telegram: etree._ElementTree) -> None:
    item = _first(telegram, "//tei:item[2]")
    item.set(f"{{{XML_NS}}}id", "test-telegram-1950.d1.i1")
    rules = [p for p in problems_of(telegram) if p.message.startswith("rule:")]
    assert [(p.line, "used twice" in p.message) for p in rules] == [(item.sourceline, True)]


def test_every_token_of_a_pointer_must_resolve(telegram: etree._ElementTree) -> None:
    corr = _first(telegram, "//tei:corr")
    corr.set("resp", "#editors #nobody")
    messages = [p.message for p in problems_of(telegram) if p.line == corr.sourceline]
    assert any('@resp="#nobody"' in m for m in messages)
    assert any("respStmt" in m for m in messages)


def test_external_pointers_are_not_checked(telegram: etree._ElementTree) -> None:
    _first(telegram, "//tei:persName[@ref]").set("ref", "https://www.wikidata.org/wiki/Q855")
    assert problems_of(telegram) == []


def test_unknown_element_is_reported_by_tei_all(telegram: etree._ElementTree) -> None:
    salute = _first(telegram, "//tei:salute")
    salute.tag = T + "greeting"
    problems = [p for p in problems_of(telegram) if p.message.startswith("tei_all:")]
    assert problems and {p.line for p in problems} == {salute.sourceline}


def test_redaction_note_after_choice_and_not_elsewhere(telegram: etree._ElementTree) -> None:
    seg = _first(telegram, "//tei:choice/tei:seg[@type='redaction']")
    note = seg.getparent().getnext()
    note.getparent().append(note)  # the note moves to the end of the paragraph
    rules = [p for p in problems_of(telegram) if p.message.startswith("rule:")]
    assert [p.line for p in rules] == [seg.sourceline]


def test_supplied_redacted_must_stand_in_a_choice(telegram: etree._ElementTree) -> None:
    supplied = _first(telegram, "//tei:supplied[@reason='redacted']")
    choice = supplied.getparent()
    choice.addnext(supplied)
    supplied.tail = choice.tail
    messages = [p.message for p in problems_of(telegram, profile=False)]
    assert any("outside a choice" in m for m in messages)


# ------------------------------------------------------------------ dates ---


@pytest.mark.parametrize(
    "value", ["1950", "1950-10", "1950-10-01", "1950-10-09T07:05:00", "1952-02-29", "1950-10-01Z"]
)
def test_real_dates(value: str) -> None:
    assert v.date_error(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "1950-02-30",
        "1951-02-29",
        "1950-13",
        "1950-00-10",
        "1950-10-09T07:05",
        "10/03/50",
        "1950-10-09T24:00:00",
        "7-3-1949",
        "",
    ],
)
def test_impossible_or_malformed_dates(value: str) -> None:
    assert v.date_error(value)


def test_citation_ranges_are_not_dates(telegram: etree._ElementTree) -> None:
    cited = _first(telegram, "//tei:citedRange")
    cited.set("from", "97a")
    assert problems_of(telegram) == []
    date = _first(telegram, "//tei:date[@from]")
    date.set("from", "97a")
    assert any('@from="97a"' in p.message for p in problems_of(telegram))


# ---------------------------------------------------------------- pruning ---


def test_pruned_schema_keeps_only_the_named_elements() -> None:
    names = frozenset(
        T + n
        for n in (
            "TEI",
            "teiHeader",
            "fileDesc",
            "titleStmt",
            "title",
            "publicationStmt",
            "sourceDesc",
            "p",
            "text",
            "body",
        )
    )
    pruned = v.prune_tei_all(v._tei_all_tree(v.TEI_ALL), names).getroot()
    elements = {e.get("name") for e in pruned.iter(f"{v._R}element") if e.get("name")}
    assert {"TEI", "p", "body"} <= elements
    assert not elements & {"lg", "persName", "div", "note"}
    assert not pruned.xpath("//r:notAllowed", namespaces={"r": v.RNG_NS})


def test_pruned_schema_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path))
    names = frozenset(T + n for n in ("TEI", "teiHeader", "p"))
    text = v.pruned_schema_text(names)
    files = list(tmp_path.glob("tei_all-*.rng"))
    assert len(files) == 1 and files[0].read_bytes() == text
    files[0].write_bytes(b"<!-- from the cache -->" + text)
    assert v.pruned_schema_text(names).startswith(b"<!-- from the cache -->")


def test_unwritable_cache_does_not_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("EDITION_CACHE", str(blocker / "cache"))
    assert v.pruned_schema_text(frozenset({T + "TEI"}))


def _mutants(tree: etree._ElementTree, count: int, seed: int) -> list[etree._ElementTree]:
    """Small structural mutations: renamed, removed, duplicated, moved elements."""
    rng = random.Random(seed)
    names = [
        "p",
        "ab",
        "opener",
        "head",
        "note",
        "date",
        "list",
        "item",
        "lg",
        "l",
        "seg",
        "listWit",
        "witness",
        "app",
        "rdg",
        "sp",
        "speaker",
    ]
    out = []
    for _ in range(count):
        mutant = copy.deepcopy(tree)
        elements = [e for e in mutant.iter() if isinstance(e.tag, str)][1:]
        el = rng.choice(elements)
        operation = rng.randrange(3)
        if operation == 0:
            el.tag = T + rng.choice(names)
        elif operation == 1:
            el.addnext(copy.deepcopy(el))
        else:
            el.getparent().remove(el)
        out.append(mutant)
    return out


@pytest.mark.skipif(SKIP_FULL, reason="EDITION_SKIP_FULL_TEI_ALL is set (full tei_all takes ~10 s)")
def test_pruned_and_full_tei_all_agree() -> None:
    full = v.full_relaxng()
    trees = [
        parse(p)
        for p in sorted(VALID.glob("*.xml")) + sorted(INVALID.glob("*.xml"))
        if p.name not in ("malformed.xml", "duplicate-id.xml")
    ]
    trees += _mutants(parse(VALID / "telegram.xml"), 40, seed=1)
    trees += _mutants(parse(VALID / "foreign-apparatus.xml"), 30, seed=2)
    verdicts = [(v.Validator().relaxng_for(t).validate(t), full.validate(t)) for t in trees]
    assert all(pruned == whole for pruned, whole in verdicts), verdicts
    assert {whole for _, whole in verdicts} == {True, False}, "both outcomes are exercised"


def test_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path))
    names = frozenset(T + n for n in ("TEI", "teiHeader", "fileDesc", "div"))
    v.pruned_schema_text(names)
    for cached in tmp_path.glob("tei_all-*.rng"):
        cached.write_bytes(b"<grammar")
    assert isinstance(v.pruned_relaxng(names), etree.RelaxNG)


def test_publication_statement_needs_a_licence(telegram: etree._ElementTree) -> None:
    licence = _first(telegram, "//tei:publicationStmt//tei:licence")
    availability = licence.getparent()
    availability.remove(licence)
    etree.SubElement(availability, T + "p").text = "Ask the publisher."
    problems = problems_of(telegram)
    assert [p.line for p in problems] == [availability.sourceline]
    assert problems[0].message.startswith("edition-schema: <availability>")
    assert "licence" in problems[0].message


# ----------------------------------------------- identifiers and content ---


@pytest.mark.parametrize(
    "value",
    [
        "test-telegram-1950.d1..p1",
        "test-telegram-1950.d1.",
        "test-telegram-1950.d1.p\u00e91",
        "test-telegram-1950",
    ],
)
def test_block_id_must_have_the_text_id_shape(telegram: etree._ElementTree, value: str) -> None:
    para = _first(telegram, "//tei:text//tei:p")
    para.set(f"{{{XML_NS}}}id", value)
    problems = [p for p in problems_of(telegram) if "text-id.step.step" in p.message]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(para.sourceline, "rule")]


def test_text_id_has_no_dot(telegram: etree._ElementTree) -> None:
    root = telegram.getroot()
    root.set(f"{{{XML_NS}}}id", "test.telegram")
    problems = [p for p in problems_of(telegram) if "may only have letters" in p.message]
    assert [p.line for p in problems] == [root.sourceline]


def test_phrase_content_is_checked_against_the_declarations(
    telegram: etree._ElementTree,
) -> None:
    name = _first(telegram, "//tei:text//tei:p//tei:persName")
    name.set("cert", "unknown")  # TEI allows it, the edition does not
    problems = problems_of(telegram)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (name.sourceline, "edition-schema")
    ]
    name.tag = T + "gloss"  # valid TEI, not in the edition's vocabulary
    del name.attrib["ref"], name.attrib["cert"]
    problems = [p for p in problems_of(telegram) if p.message.startswith("edition-schema:")]
    assert [(p.line, p.message) for p in problems] == [
        (name.sourceline, "edition-schema: <gloss> is not an element the edition's schema declares")
    ]


def test_compiled_edition_schema_is_cached_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path))
    compile_or_load = v.edition_schema.__wrapped__
    compile_or_load(v.EDITION_XSD)
    [cached] = tmp_path.glob("edition-xsd-*.pickle")
    loaded = compile_or_load(v.EDITION_XSD)
    samples = [parse(INVALID / n) for n in ("bad-cert.xml", "missing-id.xml", "bad-when.xml")]
    for tree in samples:
        fresh = [(e.reason, e.elem.sourceline) for e in v.edition_schema().iter_errors(tree)]
        assert [(e.reason, e.elem.sourceline) for e in loaded.iter_errors(tree)] == fresh != []
    cached.write_bytes(b"not a pickle")
    assert isinstance(compile_or_load(v.EDITION_XSD), v.xmlschema.XMLSchema11)
    assert cached.read_bytes() != b"not a pickle"

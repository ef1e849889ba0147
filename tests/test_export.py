"""The exchange package (edition.export): CMIF, teiCorpus, CSV/JSON tables,
manifest, the `edition export` command, and the ODD."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.build import run_build
from edition.cli import main
from edition.editorial import Edition
from edition.export import XML_ID, T, authority_uris, load_published, write_exports
from edition.export.cmif import build_cmif, cmif_date, cmif_problems
from edition.export.corpus import CorpusCheck, build_corpus, corpus_shell, member
from edition.export.manifest import MANIFEST_FILE, compare, sha256
from edition.export.odd import EDITION_ODD, odd_summary
from edition.export.tables import COLUMNS, csv_cell, to_csv
from edition.validate import Validator
from edition.xmlio import serialize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NS = {"t": T[1:-1]}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition")
    assert run_build(SEEDS, out, echo=lambda *_: None)
    write_exports(Edition.load(SEEDS), out)
    return out


@pytest.fixture(scope="module")
def published(built):
    return load_published(Edition.load(SEEDS), built)


def texts(built: Path) -> dict[str, etree._ElementTree]:
    trees = {p.stem: etree.parse(str(p)) for p in (built / "tei").glob("*.xml")}
    trees.pop("register")
    return trees


# ---------------------------------------------------------------- CMIF


def test_cmif_is_valid_and_has_every_letter(built):
    cmif = etree.parse(str(built / "exchange" / "cmif.xml"))
    assert cmif_problems(cmif) == []
    expected = sum(len(t.findall(f".//{T}profileDesc/{T}correspDesc"))
                   for t in texts(built).values())
    descs = cmif.findall(f".//{T}profileDesc/{T}correspDesc")
    assert expected > 0 and len(descs) == expected
    bibls = {b.get(XML_ID) for b in cmif.iter(T + "bibl")}
    for desc in descs:
        assert desc.get("source")[1:] in bibls
        text_id, _, div_id = desc.get("ref").rpartition("/")[2].partition("#")
        assert div_id == desc.get("key") and div_id.startswith(text_id)


def test_cmif_refs_are_authority_uris_of_the_register(built, published):
    """A sender/addressee has @ref exactly when the register has an authority id."""
    register = {el.get(XML_ID): el for el in published.register_tree.iter(T + "person")}
    cmif = etree.parse(str(built / "exchange" / "cmif.xml"))
    cmif_descs = {d.get("key"): d for d in cmif.iter(T + "correspDesc")}
    checked = 0
    for tree in texts(built).values():
        for desc in tree.iter(T + "correspDesc"):
            out = cmif_descs[desc.get("ref")[1:]]
            for kind in ("sent", "received"):
                src = desc.findall(f"{T}correspAction[@type='{kind}']/{T}persName[@ref]")
                dst = out.findall(f"{T}correspAction[@type='{kind}']/{T}persName")
                for a, b in zip(src, dst, strict=False):
                    uris = authority_uris(register.get(a.get("ref")[1:]))
                    assert (b.get("ref") in uris) if uris else b.get("ref") is None
                    checked += 1
    assert checked >= 10
    assert all(r.startswith("http") for r in cmif.xpath("//t:persName/@ref", namespaces=NS))


@pytest.mark.parametrize("mutation, message", [
    ("//t:correspAction[@type='received']", "E0002"),
    ("//t:correspAction[@type='sent']", "E0001"),
])
def test_cmif_rules_catch_missing_actions(published, mutation, message):
    tree = build_cmif(published)
    victim = tree.xpath(mutation, namespaces=NS)[0]
    victim.getparent().remove(victim)
    assert any(message in p.message for p in cmif_problems(tree))


def test_cmif_rules_catch_bad_dates_licence_and_sources(published):
    tree = build_cmif(published)
    tree.xpath("//t:correspAction/t:date", namespaces=NS)[0].set("when", "1950-10-01T07:05:00")
    tree.find(f".//{T}licence").set("target", "https://example.org/all-rights-reserved")
    tree.find(f".//{T}profileDesc/{T}correspDesc").set("source", "#nowhere")
    messages = " ".join(p.message for p in cmif_problems(tree))
    assert "is not YYYY" in messages and "licence" in messages and "E0003" in messages


def test_cmif_schema_rejects_what_cmif_forbids(published):
    tree = build_cmif(published)
    tree.find(f".//{T}publicationStmt/{T}idno").set("type", "URI")  # CMIF wants "url"
    assert any("cmif-schema" in p.message for p in cmif_problems(tree))


@pytest.mark.parametrize("value, expected", [
    ("1950-10-09T07:05:00", "1950-10-09"), ("1950-10", "1950-10"), ("1950", "1950"),
    ("", None), (None, None), ("October", None),
])
def test_cmif_dates_are_cut_to_day_precision(value, expected):
    assert cmif_date(value) == expected


# ---------------------------------------------------------------- teiCorpus


def test_corpus_is_valid_tei_all_and_keeps_every_text(built):
    corpus = etree.parse(str(built / "exchange" / "edition-corpus.xml"))
    assert [str(p) for p in Validator(profile=False).validate_tree(corpus, "corpus")] == []
    members = {m.get(XML_ID): m for m in corpus.getroot().findall(f"{T}TEI")}
    originals = texts(built)
    assert set(members) == set(originals)
    for text_id, tree in originals.items():
        assert list(members[text_id].find(f"{T}text").itertext()) == \
            list(tree.getroot().find(f"{T}text").itertext())
    listed = corpus.xpath("/t:teiCorpus/t:teiHeader//t:listBibl/t:bibl/@corresp", namespaces=NS)
    assert sorted(x[1:] for x in listed) == sorted(originals)


def test_corpus_member_renames_header_ids_and_their_pointers():
    tei = etree.fromstring(
        f'<TEI xmlns="{T[1:-1]}" xml:id="t1"><teiHeader><respStmt xml:id="editors"/>'
        '</teiHeader><standOff><listPerson><person xml:id="stalin"/></listPerson></standOff>'
        '<text><body><p xml:id="t1.p1"><note resp="#editors #other">n</note>'
        '<persName ref="#stalin">S</persName></p></body></text></TEI>')
    out = member("t1", tei)
    assert out.find(f".//{T}respStmt").get(XML_ID) == "t1.editors"
    assert out.find(f".//{T}note").get("resp") == "#t1.editors #other"
    assert out.find(f".//{T}p").get(XML_ID) == "t1.p1"
    assert out.find(f"{T}standOff") is None
    assert out.find(f".//{T}persName").get("ref") == "#stalin"


def test_corpus_ids_are_unique_across_members(published):
    ids = [el.get(XML_ID) for el in build_corpus(published).iter() if el.get(XML_ID)]
    assert len(ids) == len(set(ids)) > 1000


def test_streamed_corpus_is_the_document_built_in_memory(built, published):
    """write_corpus writes one member at a time; the result is the whole tree's serialisation."""
    assert (built / "exchange" / "edition-corpus.xml").read_bytes() == \
        serialize(build_corpus(published))


def test_corpus_check_catches_what_spans_members(published):
    text_id, tree = next(published.texts())
    checker = CorpusCheck(corpus_shell(published), "corpus")
    assert checker.problems(member(text_id, tree.getroot())) == []
    again = " ".join(p.message for p in checker.problems(member(text_id, tree.getroot())))
    assert "not listed" in again
    missing = {p.message for p in checker.finish()}
    assert len(missing) == len(published.catalogue.titles) - 1


def test_corpus_check_catches_ids_repeated_across_members(published):
    (first, one), (second, other) = list(published.texts())[:2]
    checker = CorpusCheck(corpus_shell(published), "corpus")
    taken = member(first, one.getroot()).find(f"{T}text//{T}p[@{XML_ID}]").get(XML_ID)
    assert checker.problems(member(first, one.getroot())) == []
    clash = member(second, other.getroot())
    clash.find(f"{T}text//{T}p[@{XML_ID}]").set(XML_ID, taken)
    messages = [p.message for p in checker.problems(clash)]
    assert any("duplicate xml:id" in m and taken in m for m in messages)


def test_corpus_check_validates_each_member_against_tei_all(published):
    text_id, tree = next(published.texts())
    bad = member(text_id, tree.getroot())
    etree.SubElement(bad.find(f"{T}text"), T + "notATeiElement")
    problems = CorpusCheck(corpus_shell(published), "corpus").problems(bad)
    assert any("tei_all" in p.message for p in problems)


def test_a_file_changed_after_the_build_is_checked_again(built, tmp_path):
    """Members the build found valid skip tei_all in the corpus check, but only
    while their bytes are the ones it validated."""
    import hashlib
    import shutil

    from edition.errors import ContentError
    from edition.export import export

    copy = tmp_path / "edition"
    shutil.copytree(built / "tei", copy / "tei")
    target = next(p for p in sorted((copy / "tei").glob("*.xml")) if p.name != "register.xml")
    validated = frozenset(hashlib.sha256(p.read_bytes()).hexdigest()
                          for p in (copy / "tei").glob("*.xml"))
    edition = Edition.load(SEEDS)
    made = export(edition, copy, ("teicorpus",), validated=validated)
    assert made[0].read_bytes() == (built / "exchange" / made[0].name).read_bytes()
    tree = etree.parse(str(target))
    etree.SubElement(tree.getroot().find(f"{T}text"), T + "notATeiElement")
    target.write_bytes(serialize(tree))
    with pytest.raises(ContentError, match="tei_all"):
        export(edition, copy, ("teicorpus",), validated=validated)


# ---------------------------------------------------------------- tables


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("stem, kind", [("persons", "person"), ("places", "place"),
                                        ("organisations", "org")])
def test_entity_tables_cover_the_register(built, published, stem, kind):
    rows = read_csv(built / "exchange" / f"{stem}.csv")
    assert tuple(rows[0]) == COLUMNS[kind]
    ids = [el.get(XML_ID) for el in published.register_tree.iter(T + kind)]
    assert sorted(r["id"] for r in rows) == sorted(ids)
    records = json.loads((built / "exchange" / f"{stem}.json").read_text("utf-8"))["records"]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert all(str(r["occurrences"]) == c["occurrences"]
               for r, c in zip(records, rows, strict=True))


def test_occurrences_count_the_references_in_the_texts(built):
    rows = {r["id"]: r for r in read_csv(built / "exchange" / "persons.csv")}
    counted = sum(len(t.xpath("//t:text//*[@ref='#stalin']", namespaces=NS))
                  for t in texts(built).values())
    assert counted > 10 and int(rows["stalin"]["occurrences"]) == counted
    assert "Filippov" in rows["stalin"]["pseudonyms"].split("|")
    assert rows["stalin"]["authority"] == "http://www.wikidata.org/entity/Q855"


def test_chronology_rows_point_to_real_paragraphs(built):
    rows = read_csv(built / "exchange" / "chronology.csv")
    trees = texts(built)
    assert len(rows) > 100
    keys = [r["when"] or r["from"] for r in rows]
    assert keys == sorted(keys)
    for row in rows[:: max(1, len(rows) // 50)]:
        uri, _, fragment = row["url"].partition("#")
        assert uri.endswith(row["text"]) and fragment == row["paragraph"]
        assert trees[row["text"]].xpath("//*[@xml:id=$i]", i=fragment)


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1+1", "'+1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-x", "'-x"), ("\tx", "'\tx"), ("-33.9", "-33.9"), ("+7", "+7"), ("Kim", "Kim"),
    (None, ""), (["a", "b"], "a|b"), (3, "3"),
])
def test_csv_cells_defuse_formulas(value, cell):
    assert csv_cell(value) == cell


def test_csv_quotes_commas_quotes_and_line_breaks():
    rows = [{"id": "x", "name": 'A, "B"\nC', "variants": ["p|q"]}]
    parsed = list(csv.reader(io.StringIO(to_csv(rows, ("id", "name", "variants"))
                                         .decode("utf-8-sig"), newline="")))
    assert parsed == [["id", "name", "variants"], ["x", 'A, "B"\nC', "p|q"]]


# ---------------------------------------------------------------- manifest


def test_manifest_lists_every_file_with_its_hash(built):
    manifest = json.loads((built / "exchange" / MANIFEST_FILE).read_text("utf-8"))
    paths = [f["path"] for f in manifest["files"]]
    on_disk = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()
                     and not p.relative_to(built).as_posix().startswith(".")
                     and p.name != MANIFEST_FILE)
    assert paths == on_disk and paths == sorted(paths)
    assert {"tei/register.xml", "exchange/cmif.xml", "exchange/persons.csv"} <= set(paths)
    entry = next(f for f in manifest["files"] if f["path"] == "exchange/cmif.xml")
    assert entry["sha256"] == sha256(built / "exchange" / "cmif.xml")
    assert manifest["version"]


def test_manifest_compare_names_changes():
    old = {"files": [{"path": "a", "sha256": "1"}, {"path": "b", "sha256": "2"}]}
    new = {"files": [{"path": "b", "sha256": "3"}, {"path": "c", "sha256": "4"}]}
    assert compare(old, new) == {"added": ["c"], "removed": ["a"], "changed": ["b"]}


# ---------------------------------------------------------------- command


def test_export_command_writes_the_chosen_formats(built, tmp_path):
    result = CliRunner().invoke(main, ["export", "--edition", str(built), "--format", "csv",
                                       "--format", "cmif", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["chronology.csv", "cmif.xml", "organisations.csv", "persons.csv", "places.csv"])


def test_export_command_needs_a_built_edition(tmp_path):
    result = CliRunner().invoke(main, ["export", "--edition", str(tmp_path)])
    assert result.exit_code == 1 and "build the edition first" in result.output


# ---------------------------------------------------------------- ODD


def test_odd_is_valid_tei():
    assert [str(p) for p in Validator(profile=False).validate_file(EDITION_ODD)] == []


def test_odd_closed_lists_cover_every_value_the_edition_uses(built):
    summary = odd_summary()
    assert {"element": "div", "attribute": "type"}.items() <= summary[0].items()
    closed = {(e["element"], e["attribute"]): {v["value"] for v in e["values"]}
              for e in summary if e["closed"]}
    assert ("note", "type") in closed and all(v["gloss"] for e in summary for v in e["values"])
    for tree in texts(built).values():
        for (element, attribute), allowed in closed.items():
            used = set(tree.xpath(f"//t:{element}/@{attribute}", namespaces=NS))
            assert used <= allowed, (element, attribute, used - allowed)


def test_corpus_ids_answer_exactly():
    from edition.export.corpus import CorpusIds

    ids = CorpusIds(["editors", "edition-corpus"])
    ids.add("t1", ["t1", "t1.d1", "t1.d1.p1", "stray"])
    ids.add("t1.x", ["t1.x", "t1.x.p1"])  # a text id that extends another with a dot
    ids.add("t2", ["t2", "t2.p1"])
    for present in ("editors", "t1", "t1.d1.p1", "stray", "t1.x", "t1.x.p1", "t2.p1"):
        assert present in ids, present
    for absent in ("t1.d1.p2", "t1.x.p2", "t2.p2", "t3", "t1.", "", "t", "d1.p1"):
        assert absent not in ids, absent
    ids.add("t2", ["t2.p9"])  # a second member with the same id adds to the first
    assert "t2.p1" in ids and "t2.p9" in ids

"""The edition-wide phase from the texts' digests (edition.digest): the merged
index, markup figures and exchange data are those of the trees; the corpus is
checked member by member, soundly; the shortcuts of the phase (cached
digests, template bytecode, site and exports at once) change no output."""

from __future__ import annotations

import copy
import pickle
import random
import re
from pathlib import Path

import pytest
from lxml import etree

from edition import build
from edition.build import run_build
from edition.digest import digest, gather, tei_digests
from edition.editorial import Edition
from edition.export import XML_ID, T, load_published
from edition.export.corpus import CorpusCheck, corpus_shell, member
from edition.indexes import EditionIndex, sentence_stops, word_before
from edition.model import TEI_NS
from edition.site import Markup, bytecode_cache, environment
from edition.xmlio import parse_bytes, streamed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# ---------------------------------------------------------------- sentences


def test_word_before_is_the_regex_it_replaces() -> None:
    """The backward scan gives what ``(\\w+)\\W*$`` searched from the start gave."""
    old = re.compile(r"(\w+)\W*$")
    rng = random.Random(8)
    alphabet = "ab Z9_ .,!?\u00e9\u0416\u4e2d\u0663-\n\t\u00a0"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        for end in (i for i, c in enumerate(text) if c in ".!?"):
            match = old.search(text, 0, end + 1)
            assert word_before(text, end) == (match.group(1) if match else ""), (text, end)


def test_sentence_stops_skip_initials_and_abbreviations() -> None:
    text = "He left. Gen. Lee came. J. Smith said no! Then? Yes.  Done"
    assert [text[i:i + 4] for i in sentence_stops(text)] == ["Gen.", "J. S", "Then", "Yes.",
                                                           "Done"]


# ---------------------------------------------------------------- merging


def _text(text_id: str, body: str) -> etree._ElementTree:
    return parse_bytes(
        f'<TEI xmlns="{TEI_NS}" xml:id="{text_id}"><teiHeader><fileDesc><titleStmt>'
        f'<title type="main">{text_id}</title></titleStmt></fileDesc></teiHeader>'
        f"<text><body>{body}</body></text></TEI>".encode())


def test_an_entity_has_the_kind_of_its_first_mention_in_the_edition() -> None:
    """An id the register does not know: a place in the first text, so the
    event of the second text counts it among its places, as one index of both
    texts would, although that text alone tags it as a person."""
    first = _text("a", '<p xml:id="a.p1">In <placeName ref="#x">X</placeName>.</p>')
    second = _text("b", '<p xml:id="b.p1">On <date when="1950-01-02">2 Jan</date> '
                        '<persName ref="#x">X</persName> came.</p>')
    alone = EditionIndex.from_tei([("b", second)])
    assert alone.events[0].persons == ["x"] and alone.events[0].places == []
    both = gather(digest(i, t, None) for i, t in (("a", first), ("b", second))).index
    assert both.kinds == {"x": "place"}
    assert both.events[0].persons == [] and both.events[0].places == ["x"]
    assert both == EditionIndex.from_tei([("a", first), ("b", second)])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("digest") / "out"
    assert run_build(SEEDS, out, jobs=1, echo=lambda _: None)
    return out


def test_digests_survive_pickling_and_merge_like_the_trees(built: Path) -> None:
    edition = Edition.load(SEEDS)
    made = list(tei_digests(built / "tei", edition.register))
    again = [pickle.loads(pickle.dumps(d)) for d in made]
    trees = [(d.text_id, etree.parse(str(built / "tei" / f"{d.text_id}.xml"))) for d in made]
    assert gather(again).index == EditionIndex.from_tei(trees, edition.register)
    markup = Markup()
    for _, tree in trees:
        markup.add(tree)
    merged = gather(again).markup
    assert (merged.declarations, merged.elements, merged.interventions) == \
        (markup.declarations, markup.elements, markup.interventions)
    assert list(merged.interventions) == list(markup.interventions)
    assert {k: list(v.items()) for k, v in merged.types.items()} == \
        {k: list(v.items()) for k, v in markup.types.items()}


def test_a_damaged_cached_digest_is_made_again(built: Path, tmp_path: Path) -> None:
    edition = Edition.load(SEEDS)
    made = {d.text_id: d for d in tei_digests(built / "tei", edition.register)}
    victim = sorted(made)[0]
    kept = {victim: tmp_path / "damaged.pickle", "nowhere": tmp_path / "missing.pickle"}
    kept[victim].write_bytes(b"not a pickle")
    again = {d.text_id: d for d in tei_digests(built / "tei", edition.register, kept)}
    assert again == made


def test_the_build_uses_its_cached_digests(built: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The edition-wide phase reads the digests the workers kept (here in two
    processes); its pages and exports are those of the build made without."""
    made: list[str] = []
    real = build._write_parts

    def spy(edition, stage, parts, digests, jobs):
        made.extend(str(p) for p in digests.values() if p.is_file())
        return real(edition, stage, parts, digests, jobs)

    monkeypatch.setattr(build, "_write_parts", spy)
    out = tmp_path / "out"
    assert run_build(SEEDS, out, jobs=2, force=True, echo=lambda _: None)
    assert len(made) == len(list((built / "tei").glob("*.xml"))) - 1  # not the register
    for folder in ("html", "exchange"):
        for path in sorted((built / folder).rglob("*")):
            if path.is_file() and path.name != "MANIFEST.json":
                assert (out / path.relative_to(built)).read_bytes() == path.read_bytes(), path


def test_an_unwritable_cache_costs_nothing_but_time(built: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("EDITION_CACHE", str(blocker / "cache"))
    environment.cache_clear()
    try:
        assert bytecode_cache() is None
        out = tmp_path / "out"
        assert run_build(SEEDS, out, jobs=1, echo=lambda _: None)
        assert (out / "exchange" / "cmif.xml").read_bytes() == \
            (built / "exchange" / "cmif.xml").read_bytes()
    finally:
        environment.cache_clear()


def test_templates_compile_once_into_the_cache(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path))
    environment.cache_clear()
    try:
        environment().get_template("base.html")
        kept = list(tmp_path.glob("jinja2-*/*.cache"))
        assert kept
        environment.cache_clear()
        assert environment().get_template("base.html").render(
            edition=None, current="x.html") is not None
    finally:
        environment.cache_clear()


# ---------------------------------------------------------------- corpus check


@pytest.fixture(scope="module")
def published(built: Path):
    return load_published(Edition.load(SEEDS), built)


def _members(published) -> list[etree._Element]:
    return [member(text_id, tree.getroot()) for text_id, tree in published.texts()]


def test_a_whole_corpus_passes(published) -> None:
    checker = CorpusCheck(corpus_shell(published), "corpus")
    assert [p for m in _members(published) for p in checker.problems(m)] == []
    assert checker.finish() == []


@pytest.mark.parametrize("breakage, message", [
    (lambda m: etree.SubElement(m.find(f"{T}text"), T + "notATeiElement"), "tei_all"),
    (lambda m: m.find(f".//{T}p").set("corresp", "#nowhere"), "points to no @xml:id"),
    (lambda m: m.find(f".//{T}p").set("ana", "#otherText"), "points to no @xml:id"),
    (lambda m: m.find(f".//{T}date").set("when", "1950-02-30"), "calendar"),
    (lambda m: etree.SubElement(m.find(f".//{T}p"), T + "bibl", type="archival"), "fond"),
    (lambda m: m.find(f".//{T}p").set(XML_ID, m.find(f".//{T}div").get(XML_ID)),
     "used twice"),
])
def test_a_broken_later_member_is_caught(published, breakage, message) -> None:
    """Members after the first are checked alone: every kind of fault is still found."""
    members = _members(published)
    checker = CorpusCheck(corpus_shell(published), "corpus")
    assert checker.problems(members[0]) == []
    bad = copy.deepcopy(members[-1])
    breakage(bad)
    assert any(message in p.message for p in checker.problems(bad))


def test_a_member_may_point_into_the_shell(published) -> None:
    members = _members(published)
    checker = CorpusCheck(corpus_shell(published), "corpus")
    checker.problems(members[0])
    entity = next(corpus_shell(published).find(f"{T}standOff").iter(f"{T}person"))
    members[1].find(f".//{T}p").set("corresp", f"#{entity.get(XML_ID)}")
    assert checker.problems(members[1]) == []


def test_a_broken_shell_is_caught_at_the_end(published) -> None:
    shell = corpus_shell(published)
    etree.SubElement(shell.find(f"{T}teiHeader"), T + "notATeiElement")
    checker = CorpusCheck(shell, "corpus")
    assert [p for m in _members(published) for p in checker.problems(m)] == []
    assert any("tei_all" in p.message for p in checker.finish())


def test_a_header_entry_is_checked_with_the_shell(published) -> None:
    shell = corpus_shell(published)
    shell.find(f".//{T}listBibl/{T}bibl").append(etree.Element(T + "notATeiElement"))
    checker = CorpusCheck(shell, "corpus")
    for part in _members(published):
        checker.problems(part)
    assert any("tei_all" in p.message for p in checker.finish())


# ---------------------------------------------------------------- streamed


def test_streamed_writes_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "a" / "f.bin"
    with streamed(target) as out:
        out.write(b"one ")
        out.write(b"two")
    assert target.read_bytes() == b"one two"
    with pytest.raises(RuntimeError), streamed(target) as out:
        out.write(b"partial")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"one two"
    assert [p.name for p in target.parent.iterdir()] == ["f.bin"]

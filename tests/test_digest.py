"""The edition-wide phase from the texts' digests (edition.digest): the merged
index, markup figures and exchange data are those of the trees; the corpus is
checked member by member, soundly; the shortcuts of the phase (cached
digests, template bytecode, site and exports at once) change no output."""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path

import pytest
from lxml import etree

from edition import digest as digest_module
from edition.build import run_build
from edition.digest import Unreadable, digest, encode, gather, is_text, read_section, text_id_of
from edition.editorial import Edition
from edition.export import XML_ID, T, load_published
from edition.export.cmif import letters_of
from edition.export.corpus import CorpusCheck, corpus_shell, member
from edition.indexes import EditionIndex, sentence_stops, word_before
from edition.model import TEI_NS
from edition.site import Markup, bytecode_cache, environment, register_order
from edition.spill import BLOCK, Spill, SpillFolder, Spool
from edition.streams import json_pieces
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


def _gathered(tmp_path: Path, trees: list[tuple[str, etree._ElementTree]],
              register=None, order=None):
    folder = tmp_path / "tei"
    folder.mkdir(exist_ok=True)
    for text_id, tree in trees:
        (folder / f"{text_id}.xml").write_bytes(etree.tostring(tree))
    return gather(folder, register, order=order)


def _same_as_index(gathered, index: EditionIndex) -> None:
    """What the gathered digests hold (and spill) is what the merged index has."""
    assert gathered.texts == index.texts and gathered.documents == index.documents
    assert gathered.kinds == index.kinds
    assert {i: m.count for i, m in gathered.mentioned.items()} == \
        {i: len(o) for i, o in index.entities.items()}
    assert {i: m.texts for i, m in gathered.mentioned.items()} == \
        {i: list(dict.fromkeys(o.text_id for o in occ)) for i, occ in index.entities.items()}
    assert list(gathered.events()) == index.events
    assert list(gathered.passages()) == index.passages
    assert gathered.archival == index.archival
    assert gathered.chronology.count == len(index.events)


def test_an_entity_has_the_kind_of_its_first_mention_in_the_edition(tmp_path: Path) -> None:
    """An id the register does not know: a place in the first text, so the
    event of the second text counts it among its places, as one index of both
    texts would, although that text alone tags it as a person."""
    first = _text("a", '<p xml:id="a.p1">In <placeName ref="#x">X</placeName>.</p>')
    second = _text("b", '<p xml:id="b.p1">On <date when="1950-01-02">2 Jan</date> '
                        '<persName ref="#x">X</persName> came.</p>')
    alone = EditionIndex.from_tei([("b", second)])
    assert alone.events[0].persons == ["x"] and alone.events[0].places == []
    with _gathered(tmp_path, [("a", first), ("b", second)]) as both:
        assert both.kinds == {"x": "place"}
        event = next(both.events())
        assert event.persons == [] and event.places == ["x"]
        _same_as_index(both, EditionIndex.from_tei([("a", first), ("b", second)]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("digest") / "out"
    assert run_build(SEEDS, out, jobs=1, echo=lambda _: None)
    return out


def test_gathered_digests_are_the_merged_index(built: Path) -> None:
    """Also when the spills are sorted in many small runs."""
    edition = Edition.load(SEEDS)
    trees = [(text_id_of(t, p.stem), t) for p in sorted((built / "tei").glob("*.xml"))
             if is_text(t := etree.parse(str(p)))]
    index = EditionIndex.from_tei(trees, edition.register)
    with gather(built / "tei", edition.register) as gathered:
        _same_as_index(gathered, index)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SpillFolder, "spill", lambda self, name, limit=0: Spill(self.path, name, 7))
        with gather(built / "tei", edition.register) as gathered:
            assert len(gathered.event_spill.runs) > 3
            _same_as_index(gathered, index)
            markup = Markup()
            for _, tree in trees:
                markup.add(tree)
            merged = gathered.markup
            assert list(merged.declarations) == list(markup.declarations)
            assert list(merged.elements.items()) == list(markup.elements.items())
            assert list(merged.interventions.items()) == list(markup.interventions.items())
            assert {k: list(v.items()) for k, v in merged.types.items()} == \
                {k: list(v.items()) for k, v in markup.types.items()}


def test_mentions_are_spilled_in_the_register_pages_order(built: Path) -> None:
    edition = Edition.load(SEEDS)
    order = register_order(edition.register)
    with gather(built / "tei", edition.register, order=order) as gathered:
        records = list(gathered.mentions)
    assert records == sorted(records)
    ranks = [r[0] for r in records]
    assert set(ranks) <= set(order.values()) and len(set(ranks)) > 10
    assert len(records) == sum(m.count for i, m in gathered.mentioned.items() if i in order)


def test_a_damaged_cached_digest_is_made_again(built: Path, tmp_path: Path) -> None:
    edition = Edition.load(SEEDS)
    stems = sorted(p.stem for p in (built / "tei").glob("*.xml") if p.stem != "register")
    good = tmp_path / "good.digest"
    tree = etree.parse(str(built / "tei" / f"{stems[1]}.xml"))
    good.write_bytes(encode(digest(stems[1], tree, edition.register)))
    data = encode(digest(stems[0], etree.parse(str(built / "tei" / f"{stems[0]}.xml")),
                         edition.register))
    damaged = [b"not a digest", data[:-1], data[:60] + bytes([data[60] ^ 1]) + data[61:],
               b"EDG1" + data[4:]]
    with gather(built / "tei", edition.register) as fresh:
        expected = (fresh.texts, list(fresh.events()), list(fresh.passages()))
    for bad in damaged:
        kept = tmp_path / "damaged.digest"
        kept.write_bytes(bad)
        with pytest.raises(Unreadable):
            read_section(kept)
        cached = {stems[0]: kept, stems[1]: good, "nowhere": tmp_path / "missing.digest"}
        with gather(built / "tei", edition.register, cached) as again:
            assert (again.texts, list(again.events()), list(again.passages())) == expected
            assert again.files[1] == good and again.files[0] != kept


def test_the_spill_folder_is_removed(built: Path) -> None:
    with gather(built / "tei", None) as gathered:
        folder = gathered.folder.path
        assert any(folder.iterdir())
    assert not folder.exists()


def test_spill_sorts_more_than_it_holds(tmp_path: Path) -> None:
    rng = random.Random(3)
    records = [(rng.randrange(50), n, "x" * rng.randrange(5)) for n in range(2000)]
    spill = Spill(tmp_path, "t", limit=100)
    for record in records:
        spill.add(record)
    assert len(spill.buffer) <= 100 and len(spill.runs) >= 19
    assert list(spill) == sorted(records) == list(spill)


def test_a_spool_gives_back_what_it_was_given_in_order(tmp_path: Path) -> None:
    records = [(n % 7, "x" * (n % 5), [n, None], (b"\0", (1.5,))) for n in range(1000)]
    spool = Spool(tmp_path / "s.spool")
    for record in records:
        spool.add(record)
    assert len(spool.buffer) < BLOCK and spool.count == 1000
    assert list(spool) == records == list(spool)


def test_the_letters_are_spooled_in_the_editions_order(built: Path) -> None:
    """What CMIF needs of each text, each name a letter mentions once; none held."""
    trees = [(text_id_of(t, p.stem), t) for p in sorted((built / "tei").glob("*.xml"))
             if is_text(t := etree.parse(str(p)))]
    expected = [(text_id, found) for text_id, tree in trees
                if (found := letters_of(tree)) is not None]
    assert len(expected) >= 3
    with gather(built / "tei", None) as gathered:
        assert list(gathered.letters()) == expected == list(gathered.letters())
        assert not hasattr(gathered.exchange, "letters")  # none held
    mentions = [m for _, found in expected for _, _, m in found.descs]
    assert all(len(set(m)) == len(m) for m in mentions) and sum(map(len, mentions)) > 20


@pytest.mark.parametrize("options", [
    {"ensure_ascii": False}, {"ensure_ascii": False, "separators": (",", ":")},
    {"ensure_ascii": False, "indent": 1}, {"indent": 2}, {"indent": "\t"}])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_pieces_are_json_dumps(options: dict, count: int) -> None:
    items = [{"a": [f"x\n{n}", None, 1.5], "b": {"c": []}, "d": "é</"} for n in range(count)]
    head = {"title": "t", "columns": ["a", "b"]}
    whole = json.dumps({**head, "records": items}, **options)
    assert "".join(json_pieces({**head, "records": []}, iter(items), **options)) == whole


def test_the_build_uses_its_cached_digests(built: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The edition-wide phase reads the digests the workers kept (here in two
    processes); its pages and exports are those of the build made without."""
    made: list[str] = []
    real = digest_module.gather

    def spy(tei_dir, register, cached=None, order=None):
        made.extend(str(p) for p in (cached or {}).values() if p.is_file())
        return real(tei_dir, register, cached, order)

    monkeypatch.setattr(digest_module, "gather", spy)
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


def test_streamed_below_a_file_is_a_clear_error(tmp_path: Path) -> None:
    from edition.xmlio import WriteError

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(WriteError, match="afile is a file, not a folder"), \
            streamed(blocker / "sub" / "f.bin") as out:
        out.write(b"never")
    assert blocker.read_text() == "x"

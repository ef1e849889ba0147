"""CMIF written piece by piece (edition.export.cmif.write_cmif): the bytes of the
whole document, checked one ``bibl`` and one ``correspDesc`` at a time with the
verdicts of the whole-file check (:func:`cmif_problems`)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from edition.build import run_build
from edition.editorial import Edition
from edition.errors import ContentError
from edition.export import XML_ID, T, load_published
from edition.export import cmif as cmif_module
from edition.export.cmif import (
    CMIF_FILE,
    PROFILE_DESC,
    SOURCE_DESC,
    CmifCheck,
    Letters,
    build_cmif,
    cmif_problems,
    write_cmif,
)
from edition.streams import xml_children, xml_frame
from edition.xmlio import serialize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NS = {"t": T[1:-1]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmif") / "out"
    assert run_build(SEEDS, out, jobs=1, echo=lambda _: None)
    return out


@pytest.fixture()
def published(built: Path):
    pub = load_published(Edition.load(SEEDS), built)
    yield pub
    pub.digests().close()


class _Letters:
    """Digests whose letters are ``letters`` (the rest: those of ``gathered``)."""

    def __init__(self, gathered, letters: list[tuple[str, Letters]]) -> None:
        self.gathered = gathered
        self.found = letters

    def letters(self):
        return iter(self.found)

    def __getattr__(self, name: str):
        return getattr(self.gathered, name)


def _with_letters(pub, letters: list[tuple[str, Letters]]):
    pub.gathered = _Letters(pub.digests(), letters)
    return pub


def _written(pub, folder: Path) -> bytes:
    write_cmif(pub, folder)
    return (folder / CMIF_FILE).read_bytes()


# ---------------------------------------------------------------- the bytes


def test_the_streamed_file_is_the_whole_document(published, tmp_path: Path) -> None:
    data = _written(published, tmp_path)
    assert data == serialize(build_cmif(published))
    assert data.count(b"<correspDesc ") == 17 and data.count(b"<bibl ") == 3
    assert cmif_problems(etree.ElementTree(etree.fromstring(data))) == []


def test_a_larger_edition_streams_the_same_bytes(published, tmp_path: Path) -> None:
    """Many texts (the seeds' letters under 40 ids each), and none at all."""
    letters = list(published.digests().letters())
    many = [(f"{text_id}-{n}", found) for n in range(40) for text_id, found in letters]
    _with_letters(published, many)
    data = _written(published, tmp_path)
    assert data == serialize(build_cmif(published))
    assert data.count(b"<correspDesc ") == 40 * 17 and data.count(b"<bibl ") == 40 * 3
    _with_letters(published, [])
    data = _written(published, tmp_path)
    assert data == serialize(build_cmif(published))
    assert b"<profileDesc/>" in data and data.count(b"<bibl ") == 1
    assert cmif_problems(etree.ElementTree(etree.fromstring(data))) == []


def test_a_frame_and_its_children_are_the_indented_tree() -> None:
    def tree() -> tuple[etree._Element, list[etree._Element]]:
        root = etree.Element(T + "a", nsmap={None: T[1:-1]})
        first, second = etree.SubElement(root, T + "b"), etree.SubElement(root, T + "c")
        etree.SubElement(etree.SubElement(second, T + "d"), T + "e")
        return root, [first, second.find(T + "d")]

    def children(n: int) -> list[etree._Element]:
        out = []
        for i in range(n):
            child = etree.Element(T + "x", n=str(i), nsmap={None: T[1:-1]})
            etree.SubElement(child, T + "y").text = "t"
            out.append(child)
        return out

    whole, slots = tree()
    for slot, n in zip(slots, (3, 1), strict=True):
        slot.extend(children(n))
    etree.indent(whole)
    root, slots = tree()
    parts = xml_frame(root, slots)
    pieces = [b"".join(sep + data for _, sep, data in xml_children(
        children(n), sum(1 for _ in slot.iterancestors()) + 1))
        for slot, n in zip(slots, (3, 1), strict=True)]
    assert parts[0] + pieces[0] + parts[1] + pieces[1] + parts[2] == serialize(whole)


# ---------------------------------------------------------------- the check


def _break_one_desc(monkeypatch: pytest.MonkeyPatch, which: int, breakage) -> None:
    made = cmif_module._corresp
    count = iter(range(10_000))

    def corresp(*args, **kwargs):
        desc = made(*args, **kwargs)
        if next(count) == which:
            breakage(desc)
        return desc

    monkeypatch.setattr(cmif_module, "_corresp", corresp)


@pytest.mark.parametrize("which", [0, 9])
def test_an_invalid_corresp_desc_fails_the_export(published, tmp_path: Path, which: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The first (also in the shell's check) or a later one; the file is left as it was."""
    (tmp_path / CMIF_FILE).write_bytes(b"old")
    _break_one_desc(monkeypatch, which,
                    lambda desc: etree.SubElement(desc, T + "div").set("type", "letter"))
    with pytest.raises(ContentError, match="cmif-schema"):
        write_cmif(published, tmp_path)
    assert (tmp_path / CMIF_FILE).read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [CMIF_FILE]


def test_a_rule_of_one_corresp_desc_fails_the_export(published, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def undated(desc: etree._Element) -> None:
        desc.find(f"{T}correspAction").append(etree.Element(T + "date"))

    _break_one_desc(monkeypatch, 5, undated)
    with pytest.raises(ContentError, match="E0004"):
        write_cmif(published, tmp_path)


def test_two_texts_with_one_address_fail_the_export(published, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule across pieces: their bibls would have one @xml:id (a file lxml
    would refuse to read), which the schema alone lets through."""
    monkeypatch.setattr(type(published), "text_uri", lambda self, text_id: "https://x.org/t")
    with pytest.raises(ContentError, match="duplicate xml:id 'bibl-"):
        write_cmif(published, tmp_path)


def test_e0003_looks_at_every_bibl_written_before() -> None:
    """A correspDesc's @source may name any earlier bibl, and only those."""
    check = CmifCheck(CMIF_FILE)

    def bibl(ident: str) -> etree._Element:
        el = etree.Element(T + "bibl", type="online", nsmap={None: T[1:-1]})
        el.set(XML_ID, ident)
        etree.SubElement(el, T + "title").text = ident
        return el

    def desc(source: str) -> etree._Element:
        el = etree.Element(T + "correspDesc", source=f"#{source}", nsmap={None: T[1:-1]})
        for kind in ("sent", "received"):
            action = etree.SubElement(el, T + "correspAction", type=kind)
            etree.SubElement(action, T + "persName").text = "Unknown"
        return el

    assert check.piece(bibl("one"), 3) == [] and check.piece(bibl("two"), 9) == []
    assert check.piece(desc("one"), 20) == [] and check.piece(desc("two"), 30) == []
    problems = check.piece(desc("three"), 40)
    assert [(p.line, p.message) for p in problems] == [
        (40, "cmif E0003: @source names no sourceDesc/bibl")]
    assert [p.message for p in check.piece(bibl("one"), 50)] == ["cmif: duplicate xml:id 'one'"]


def _in_pieces(tree: etree._ElementTree) -> list:
    """The problems :class:`CmifCheck` finds in a whole document, cut as
    :func:`write_cmif` cuts it."""
    root = copy.deepcopy(tree.getroot())
    check = CmifCheck(CMIF_FILE)
    slots = [(path, list(root.find(path))) for path in (SOURCE_DESC, PROFILE_DESC)]
    for path, pieces in slots:
        for piece in pieces:
            root.find(path).remove(piece)
    problems = check.shell(root, [(path, pieces[0]) for path, pieces in slots if pieces])
    for _, pieces in slots:
        for piece in pieces:
            problems += check.piece(piece, 0)
    return problems


def _rules(problems: list) -> list[str]:
    return sorted(p.message for p in problems if "cmif-schema" not in p.message)


def _schema_says_invalid(problems: list) -> bool:
    """A schema error other than a repeated ``ID`` (which libxml2 reports or not
    as the tree was made, and the rules report in any case)."""
    return any("cmif-schema" in p.message and "attribute id" not in p.message
               for p in problems)


def _set_second_bibl_id(tree: etree._ElementTree) -> None:
    first, second = tree.findall(f".//{T}sourceDesc/{T}bibl")[:2]
    second.set(XML_ID, first.get(XML_ID))


MUTATIONS = {
    "none": lambda tree: None,
    "no receiver": lambda tree: _drop(tree, "//t:correspDesc[3]/t:correspAction[@type='received']"),
    "no sender": lambda tree: _drop(tree, "//t:correspDesc[1]/t:correspAction[@type='sent']"),
    "no agent": lambda tree: _drop(tree, "//t:correspDesc[2]/t:correspAction/t:persName"),
    "a time": lambda tree: tree.xpath("//t:correspAction/t:date", namespaces=NS)[-1].set(
        "when", "1950-10-01T07:05:00"),
    "no source": lambda tree: tree.xpath("//t:correspDesc", namespaces=NS)[-1].set(
        "source", "#nowhere"),
    "an unknown attribute": lambda tree: tree.xpath("//t:correspDesc", namespaces=NS)[4].set(
        "colour", "red"),
    "a bibl with an unknown attribute": lambda tree: tree.xpath(
        "//t:sourceDesc/t:bibl", namespaces=NS)[1].set("colour", "red"),
    "a url called an URI": lambda tree: tree.find(f".//{T}publicationStmt/{T}idno").set(
        "type", "URI"),
    "another licence": lambda tree: tree.find(f".//{T}licence").set(
        "target", "https://example.org/all-rights-reserved"),
    "one bibl id twice": _set_second_bibl_id,
}


def _drop(tree: etree._ElementTree, path: str) -> None:
    for el in tree.xpath(path, namespaces=NS):
        el.getparent().remove(el)


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_check_in_pieces_is_the_whole_files(published, mutation: str) -> None:
    tree = build_cmif(published)
    MUTATIONS[mutation](tree)
    whole, pieces = cmif_problems(tree), _in_pieces(tree)
    assert bool(whole) == bool(pieces) == (mutation != "none")
    assert _schema_says_invalid(whole) == _schema_says_invalid(pieces)
    assert _rules(whole) == _rules(pieces)

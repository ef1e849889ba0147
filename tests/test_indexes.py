"""Tests of edition.indexes: occurrences, documents, chronology, archival units."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.convert import convert_file
from edition.editorial import Edition
from edition.indexes import EditionIndex, natural, sentence_stops
from edition.model import TEI_NS, XML_NS
from edition.register import Register
from edition.xmlio import parse_bytes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"

REGISTER = f"""<TEI xmlns="{TEI_NS}"><standOff>
<listPerson>
  <person xml:id="stalin"><persName type="preferred">Joseph Stalin</persName></person>
  <person xml:id="mao"><persName type="preferred">Mao Zedong</persName></person>
</listPerson>
<listPlace><place xml:id="seoul"><placeName type="preferred">Seoul</placeName></place></listPlace>
<listOrg>
  <org xml:id="aprf"><orgName type="preferred">Archive of the President</orgName></org>
</listOrg>
</standOff></TEI>"""

TEXT = f"""<TEI xmlns="{TEI_NS}" xml:id="t1"><teiHeader><fileDesc>
<titleStmt><title type="main">Test text</title>
  <respStmt><resp>translation</resp><name>A. Translator</name></respStmt></titleStmt>
<editionStmt><edition n="1.2.3">Version 1.2.3</edition></editionStmt>
<publicationStmt><publisher>P</publisher><idno type="URI">https://x.org/t1</idno></publicationStmt>
<sourceDesc><listBibl type="archival">
  <bibl type="archival"><orgName ref="#aprf">APRF</orgName>, fond <idno type="fond">45</idno>,
   opis <idno type="opis">1</idno>, delo <idno type="delo">9</idno></bibl>
  <bibl type="archival"><orgName ref="#aprf">APRF</orgName>, fond <idno type="fond">3</idno>,
   opis <idno type="opis">65</idno>, delo <idno type="delo">827</idno>,
   listy <citedRange unit="list" from="1" to="2">1-2</citedRange></bibl>
</listBibl></sourceDesc></fileDesc>
<profileDesc><correspDesc ref="#t1.d1">
  <correspAction type="sent"><persName ref="#mao">Mao Zedong</persName>
    <date when="1950-10-02"/></correspAction>
  <correspAction type="received"><persName ref="#stalin">Joseph Stalin</persName></correspAction>
</correspDesc></profileDesc></teiHeader>
<text><body>
<div type="paratext" xml:id="t1.d0"><ab xml:id="t1.d0.ab1">Uploaded
  <date when="2011-01-01">2011</date> by <persName ref="#stalin">Stalin</persName></ab></div>
<div type="document" subtype="ciphered-telegram" xml:id="t1.d1">
  <head xml:id="t1.d1.h1">Telegram from <persName ref="#mao">Mao</persName></head>
  <p xml:id="t1.d1.p1">To Comrade I.V. <persName ref="#stalin">Stalin</persName> on
    <date when="1950-10-02">2 October 1950</date> in <placeName ref="#seoul">Seoul</placeName>.
    Later, on <date when="1950-10-01">1 October</date> nothing.<note xml:id="t1.n1">See
    <persName ref="#mao">Mao</persName>.</note></p>
  <p xml:id="t1.d1.p2">[Source: <bibl type="archival"><orgName ref="#aprf">APRF</orgName>, fond
    <idno type="fond">3</idno>, opis <idno type="opis">65</idno>, delo <idno type="delo">827</idno>,
    listy <citedRange unit="list" from="1" to="2">1-2</citedRange></bibl>]</p>
  <floatingText><body><div type="document" xml:id="t1.d1.d1">
    <p xml:id="t1.d1.d1.p1">Quoted, <date when="1950-09">September 1950</date>.</p>
  </div></body></floatingText>
</div>
<div type="chronology" xml:id="t1.d2"><list>
  <item xml:id="t1.d2.i1"><date when="1949">1949</date> Mao meets
    <persName ref="#stalin">Stalin</persName>. Talks in
    <placeName ref="#seoul">Seoul</placeName>.</item>
</list></div>
</body></text></TEI>"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> EditionIndex:
    path = tmp_path_factory.mktemp("register") / "register.xml"
    path.write_text(REGISTER, encoding="utf-8")
    return EditionIndex.from_tei([("t1", parse_bytes(TEXT.encode()))], Register.load(path))


def test_occurrences_point_at_their_passage(small: EditionIndex) -> None:
    stalin = small.entities["stalin"]
    assert [o.element_id for o in stalin] == ["t1.d0.ab1", "t1.d1.p1", "t1.d2.i1"]
    assert [o.doc_id for o in stalin] == [None, "t1.d1", None]
    assert "I.V. Stalin on 2 October 1950" in stalin[1].snippet
    assert stalin[1].href == "t1.html#t1.d1.p1"
    # a name in a note belongs to the note, not to the paragraph around it
    assert [o.element_id for o in small.entities["mao"]] == ["t1.d1.h1", "t1.n1"]
    assert "See Mao" in small.entities["mao"][1].snippet
    assert small.kinds == {"stalin": "person", "mao": "person", "seoul": "place", "aprf": "org"}


def test_documents(small: EditionIndex) -> None:
    outer, inner = small.documents
    assert (outer.div_id, outer.title) == ("t1.d1", "Telegram from Mao")
    assert outer.date_when == "1950-10-02"  # from the correspDesc
    assert (outer.sender, outer.recipient, outer.kind) == ("Mao Zedong", "Joseph Stalin",
                                                          "ciphered telegram")
    assert not outer.floating
    assert inner.floating and inner.date_when == "1950-09" and inner.sender is None
    assert inner.title == "Document"  # no head, no correspondence: its kind


def test_events_sorted_with_context(small: EditionIndex) -> None:
    keys = [e.sort_key for e in small.events]
    assert keys == sorted(keys) == ["1949", "1950-09", "1950-10-01", "1950-10-02"]  # no paratext
    first = small.events[-1]
    # "I.V." does not end the sentence; the next sentence is not part of it
    assert first.context == "To Comrade I.V. Stalin on 2 October 1950 in Seoul."
    assert (first.persons, first.places, first.label) == (["stalin"], ["seoul"], "2 October 1950")
    item = small.events[0]  # a list item is one statement, every sentence of it
    assert item.context.endswith("Talks in Seoul.") and item.places == ["seoul"]
    assert small.events[1].doc_id == "t1.d1.d1"


def test_archival_units(small: EditionIndex) -> None:
    units = small.archival
    assert [(u.fond, u.opis, u.delo, u.folios) for u in units] == [
        ("3", "65", "827", "1-2"), ("45", "1", "9", None)]
    cited, header_only = units
    assert cited.repository == "Archive of the President" and cited.repository_id == "aprf"
    assert [c.element_id for c in cited.citations] == ["t1.d1.p2"]  # not again from the header
    assert cited.citations[0].doc_id == "t1.d1"
    assert [c.element_id for c in header_only.citations] == [None]


def test_text_entry(small: EditionIndex) -> None:
    (text,) = small.texts
    assert (text.title, text.uri, text.version) == ("Test text", "https://x.org/t1", "1.2.3")
    assert ("translation", "A. Translator") in text.responsibilities


def test_passages_are_the_search_units(small: EditionIndex) -> None:
    by_id = {p.element_id: p for p in small.passages}
    para = by_id["t1.d1.p1"]
    assert "See Mao" not in para.text  # the note is a passage of its own
    assert para.entities == ("stalin", "seoul") and para.years == ("1950",)
    assert by_id["t1.n1"].entities == ("mao",)


def test_helpers() -> None:
    assert sorted(["059a", "45", "3", "100"], key=natural) == ["3", "45", "059a", "100"]
    text = "Gen. Peng came. He left! No. 5 was sent. J. Smith wrote."
    assert [text[i:i + 2] for i in sentence_stops(text)] == ["He", "No", "J."]


def test_every_mention_is_indexed_once() -> None:
    def tei(n: int) -> etree._ElementTree:
        paras = "".join(
            f'<p xml:id="x.p{i}">On <date when="1950-01-{i % 28 + 1:02d}">day</date> '
            f'<persName ref="#p{i % 50}">P</persName> met '
            f'<persName ref="#p{i % 7}">Q</persName>. Then more.</p>' for i in range(n))
        return parse_bytes(f'<TEI xmlns="{TEI_NS}"><text><body><div xml:id="x.d">{paras}'
                           f"</div></body></text></TEI>".encode())

    """Every mention is indexed once: the index grows with the corpus, linearly
    (time is measured by the benchmark, not asserted here)."""
    small, large = EditionIndex.from_tei([("x", tei(300))]), EditionIndex.from_tei(
        [("x", tei(2400))])
    count = sum(len(v) for v in small.entities.values())
    assert count == 600
    assert sum(len(v) for v in large.entities.values()) == 8 * count


# ---------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds() -> tuple[list[tuple[str, etree._ElementTree]], EditionIndex]:
    edition = Edition.load(SEEDS)
    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        converted = convert_file(path, edition)
        items.append((converted.doc.meta.id, converted.tree))
    return items, EditionIndex.from_tei(items, edition.register)


def test_seeds_every_document_and_mention(seeds) -> None:
    items, index = seeds
    divs = [d for _, t in items for d in t.xpath("//t:text//t:div[@type='document']",
                                                  namespaces=NS)]
    assert [d.div_id for d in index.documents] == [d.get(XML_ID) for d in divs]
    assert all(d.title for d in index.documents)
    ids = {tid: {e.get(XML_ID) for e in t.iter() if e.get(XML_ID)} for tid, t in items}
    refs = sum(len(n.get("ref").split()) for _, t in items for n in t.xpath(
        "//t:text//*[self::t:persName or self::t:placeName or self::t:geogName "
        "or self::t:orgName][@ref]", namespaces=NS))
    assert sum(map(len, index.entities.values())) == refs
    for occurrences in index.entities.values():
        for occ in occurrences:
            assert occ.element_id in ids[occ.text_id]
            assert occ.doc_id is None or occ.doc_id in ids[occ.text_id]


def test_seeds_chronology_and_archives(seeds) -> None:
    items, index = seeds
    dated = [d for _, t in items for d in t.xpath(
        "//t:text//t:date[@when or @from or @notBefore or @to or @notAfter]"
        "[not(ancestor::t:div[@type='paratext'])]", namespaces=NS)]
    assert len(index.events) == len(dated)
    assert [e.sort_key for e in index.events] == sorted(e.sort_key for e in index.events)
    assert all(e.context and e.label for e in index.events)
    inline = [b for _, t in items for b in t.xpath("//t:text//t:bibl[@type='archival']",
                                                   namespaces=NS)]
    cited = [c for unit in index.archival for c in unit.citations if c.element_id]
    assert len(cited) == len(inline) > 0
    keys = [(natural(u.fond), natural(u.opis), natural(u.delo)) for u in index.archival]
    assert keys == sorted(keys)
    assert all(u.repository and u.fond and u.delo for u in index.archival)

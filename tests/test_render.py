"""Tests of the reading editions (xslt/*.xsl through edition.render)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from edition import render
from edition.errors import EditionError, InputError
from edition.model import TEI_NS
from edition.xmlio import parse, parse_bytes

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample-edition.xml"
FOREIGN = sorted((DATA / "foreign").glob("*.xml"))
NS = {"t": TEI_NS}
URL_ATTRS = ("href", "src", "action", "formaction", "srcset", "poster", "xlink:href")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def norm(text: str) -> str:
    return " ".join(text.split())


def page(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def tei_body(body: str) -> etree._ElementTree:
    """A TEI document whose ``<body>`` holds ``body`` (markup in the TEI namespace)."""
    return parse_bytes(f'<TEI xmlns="{TEI_NS}"><text><body>{body}</body></text></TEI>'.encode())


def text_nodes(tree: etree._ElementTree, skip: str | None = None) -> list[str]:
    """Every non-whitespace text node under <text> (optionally not under `skip`)."""
    root = tree.getroot()
    texts = root.xpath("//*[local-name()='text']")
    nodes = texts[0].xpath(".//text()[normalize-space()]") if texts else []
    if skip:
        nodes = [
            n for n in nodes if not n.getparent().xpath(f"ancestor-or-self::{skip}", namespaces=NS)
        ]
    return [norm(str(n)) for n in nodes]


def browser_scheme(url: str) -> str:
    """The URL as a browser reads its scheme: controls and white space out, lower case."""
    return re.sub(r"[\x00-\x20]", "", url).lower()


def assert_safe(html: str) -> None:
    doc = page(html)
    assert not doc.xpath("//script | //iframe | //object | //embed | //style | //img")
    assert "<script" not in html.lower()
    for el in doc.iter(etree.Element):
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name.lower() != "style", el.tag
            if name in URL_ATTRS:
                assert not browser_scheme(value).startswith(BAD_SCHEMES), value
        classes = el.get("class", "")
        assert re.fullmatch(r"[A-Za-z0-9_\- ]*", classes), classes
        assert re.fullmatch(r"[A-Za-z0-9\-]*", el.get("lang", "")), el.get("lang")


@pytest.fixture(scope="module")
def sample() -> etree._ElementTree:
    return parse(SAMPLE)


@pytest.fixture(scope="module")
def sample_html(sample: etree._ElementTree) -> lxml.html.HtmlElement:
    return page(render.render_html(sample))


@pytest.fixture(scope="module")
def sample_text(sample: etree._ElementTree) -> str:
    return render.render_text(sample)


# ---------------------------------------------------------------- HTML page


def test_page_head(sample: etree._ElementTree) -> None:
    html = render.render_html(sample)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    doc = page(html)
    assert doc.xpath("//head/meta[@charset='utf-8']")
    assert len(doc.xpath("//meta[@http-equiv]")) == 0
    assert doc.findtext(".//title") == "Ciphered telegram from Shtykov to Vyshinsky, 8 October 1950"
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["assets/edition.css"]
    assert doc.xpath("//h1/text()") == [doc.findtext(".//title")]


def test_source_information(sample_html: lxml.html.HtmlElement) -> None:
    rows = {
        norm(dt.text_content()): norm(dt.getnext().text_content())
        for dt in sample_html.xpath("//section[@class='source-info']//dt")
    }
    assert rows["Translation"] == "Alexandre Y. Mansourov"
    assert rows["URL"] == "https://digitalarchive.example.org/document/110020"
    assert rows["Archival source"] == "APRF, fond 45, opis 1, delo 347, listy 41-45"
    assert rows["Licence"] == "CC BY 4.0"
    assert rows["Edition"] == "Version 0.1.0"
    assert rows["Source"].startswith("Stalin's Conversations: Telegrams of October 1950, Wilson")
    assert "2011-11-20" in rows["Source"]
    licence = sample_html.xpath("//a[@rel='license']/@href")
    assert licence == ["https://creativecommons.org/licenses/by/4.0/"]


def test_structure_and_anchors(sample_html: lxml.html.HtmlElement) -> None:
    doc = sample_html
    article = doc.get_element_by_id("sample-1950.d2")
    assert article.tag == "article"
    assert article.find("h2").text_content().startswith("Document 7")
    para = doc.get_element_by_id("sample-1950.d2.p1")
    assert para.tag == "p"
    assert para.xpath("a[@class='para-link']/@href") == ["#sample-1950.d2.p1"]
    assert "type-classification" in doc.get_element_by_id("sample-1950.d2.ab1").get("class")
    quoted = doc.get_element_by_id("sample-1950.d2.ft1")
    assert quoted.tag == "section" and "tei-floatingText" in quoted.get("class")
    assert quoted.xpath(".//h3")  # one level below the document that quotes it
    items = doc.xpath("//ol[contains(@class, 'list-labelled')]/li")
    assert [li.get("value") for li in items] == ["1", "2"]
    assert not doc.xpath("//ol/li/span[@class='item-n']")  # the text carries its number
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_names_dates_archival(sample_html: lxml.html.HtmlElement) -> None:
    doc = sample_html
    kim = doc.xpath("//a[@class='tei-persName person'][. = 'Kim Il Sung']")
    assert kim and kim[0].get("href") == "register.html#kim-il-sung"
    assert doc.xpath("//a[contains(@class, 'place')][@href='register.html#pyongyang']")
    assert doc.xpath("//a[contains(@class, 'org')][@href='register.html#aprf']")
    petrov = doc.xpath("//span[contains(@class, 'uncertain')][. = 'Petrov']")
    assert petrov and petrov[0].get("title")
    times = doc.xpath("//time/@datetime")
    assert "1950-10-08T03:15:00" in times and "1950-10-08" in times
    ranged = doc.xpath("//span[contains(@class, 'date')][. = '1-3 October']")
    assert ranged and "1950-10-01" in ranged[0].get("title")
    archival = doc.xpath("//main//div[@class='tei-body']//cite[contains(@class, 'type-archival')]")
    assert len(archival) == 2
    assert archival[0].xpath(".//span[contains(@class, 'type-fond')]/text()") == ["45"]


def test_redactions(sample_html: lxml.html.HtmlElement) -> None:
    marks = sample_html.xpath("//mark[@class='redaction']")
    assert [m.text_content() for m in marks] == ["***", "**"]
    first, second = marks
    assert first.get("tabindex") == "0"
    assert "Peng Dehuai" in first.get("title") and "medium" in first.get("title")
    tip = sample_html.get_element_by_id(first.get("aria-describedby"))
    assert tip.get("role") == "tooltip" and "Peng Dehuai" in tip.text_content()
    assert "no proposal" in second.get("title").lower()
    notes = sample_html.xpath("//section[contains(@class, 'footnotes')]//li")
    assert "Peng Dehuai (certainty: medium)" in notes[0].text_content()
    assert norm(notes[1].text_content()).startswith("Redaction. Not identified: the context")
    bracket = sample_html.xpath("//span[contains(@class, 'resp-translator')]")
    assert [b.text_content() for b in bracket] == ["[Stalin]"]


def test_footnotes_link_both_ways(sample_html: lxml.html.HtmlElement) -> None:
    refs = sample_html.xpath("//sup[@class='note-ref']/a")
    assert [a.text_content() for a in refs] == ["1", "2", "3"]
    for ref in refs:
        note = sample_html.get_element_by_id(ref.get("href")[1:])
        assert note.tag == "li"
        assert note.xpath("a[@class='note-back']/@href") == ["#" + ref.get("id")]
    # the source's own endnote: anchor and back link
    anchor = sample_html.xpath("//sup[@class='endnote-ref']/a")[0]
    assert anchor.get("href") == "#sample-1950.fn1"
    endnote = sample_html.get_element_by_id("sample-1950.fn1")
    assert endnote.xpath("a[@class='note-back']/@href") == ["#" + anchor.get("id")]


def test_paratext_collapsed(sample_html: lxml.html.HtmlElement) -> None:
    details = sample_html.xpath("//details[contains(@class, 'paratext')]")
    assert len(details) == 2
    assert "Share this page" in details[0].text_content()
    assert details[0].get("open") is None


def test_parameters(sample: etree._ElementTree) -> None:
    html = render.render_html(sample, css="../style/x.css", register="people/index.html")
    doc = page(html)
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../style/x.css"]
    assert doc.xpath("//a[. = 'Kim Il Sung']/@href") == ["people/index.html#kim-il-sung"]
    with pytest.raises(EditionError, match="unknown stylesheet parameter"):
        render.render_html(sample, colour="red")


def test_html_is_deterministic(sample: etree._ElementTree) -> None:
    assert render.render_html(sample) == render.render_html(copy.deepcopy(sample))


# ---------------------------------------------------------------- plain text


def test_text_layout(sample_text: str) -> None:
    lines = sample_text.splitlines()
    assert all(len(line) <= render.WIDTH or " " not in line.strip() for line in lines)
    title = lines.index("Ciphered telegram from Shtykov to Vyshinsky, 8 October 1950")
    assert set(lines[title + 1]) == {"="} and len(lines[title + 1]) == len(lines[title])
    head = lines.index("Document 7: Ciphered telegram, Shtykov to Vyshinsky")
    assert set(lines[head + 1]) == {"-"}
    assert "Translation: Alexandre Y. Mansourov" in lines
    label = lines.index("TEI encoding, identifications, notes: Editors of the Korean War")
    assert lines[label + 1] == "    Documents edition"  # a long label hangs by 4 only
    assert sample_text.endswith("\n") and not sample_text.endswith("\n\n")
    assert "<" not in sample_text


def test_text_redactions_and_notes(sample_text: str) -> None:
    flat = norm(sample_text)
    assert "***[Peng Dehuai?][1]" in flat
    assert "masked: **[2]." in flat
    assert "[1] Redaction: Editors' proposal: Peng Dehuai (certainty: medium). The letter" in flat
    assert "Vyshinksy [Vyshinsky]" in flat
    assert "forty divisions [B: four divisions].[^1]" in flat
    assert "Share this page" not in flat and "All rights reserved" not in flat
    assert "1. To move the troops north of Pyongyang.\n2. To ask" in sample_text


def test_text_certain_proposal_has_no_question_mark(sample: etree._ElementTree) -> None:
    tree = copy.deepcopy(sample)
    supplied = tree.find(".//t:supplied[@reason='redacted']", NS)
    supplied.set("cert", "high")
    assert "***[Peng Dehuai][1]" in norm(render.render_text(tree))


def test_sample_keeps_its_text(sample: etree._ElementTree, sample_text: str) -> None:
    html = norm(page(render.render_html(sample)).text_content())
    flat = norm(sample_text)
    for text in text_nodes(sample):
        assert text in html
    for text in text_nodes(sample, skip="t:*[@type='boilerplate' or @type='paratext']"):
        assert text in flat


def test_wrapping_keeps_long_words() -> None:
    url = "https://example.org/" + "x" * 90
    tei = (
        f'<TEI xmlns="{TEI_NS}"><text><body><p>see {url} and {"word " * 40}</p></body></text></TEI>'
    )
    out = render.render_text(parse_bytes(tei.encode()))
    assert url in out.splitlines()
    assert max(len(line) for line in out.splitlines() if url not in line) <= render.WIDTH


# ---------------------------------------------------------------- foreign files


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.stem)
def test_foreign_text_survives(path: Path) -> None:
    tree = parse(path)
    html = render.render_html(tree)
    text = render.render_text(tree)
    assert_safe(html)
    shown = norm(page(html).body.text_content())
    flat = norm(text)
    missing_html = [t for t in text_nodes(tree) if t not in shown]
    missing_text = [t for t in text_nodes(tree) if t not in flat]
    assert not missing_html, missing_html
    assert not missing_text, missing_text


def test_foreign_corpus_has_enough_samples() -> None:
    assert len(FOREIGN) >= 6


def test_unknown_elements_are_named(tmp_path: Path) -> None:
    html = render.render_file(DATA / "foreign" / "names-dates.xml", "html")
    doc = page(html)
    unknown = doc.xpath("//*[contains(@class, 'tei-unknownElement')]")
    assert unknown and "unknown" in unknown[0].get("class").split()
    assert unknown[0].tag == "div"  # it stands in a division


def test_prefixed_and_p4_files() -> None:
    verse = page(render.render_file(DATA / "foreign" / "verse-prefixed.xml", "html"))
    assert verse.xpath("//div[contains(@class, 'tei-l')]")
    assert verse.findtext(".//title") == "Two Sonnets"
    p4 = page(render.render_file(DATA / "foreign" / "p4-nonamespace.xml", "html"))
    assert p4.findtext(".//title") == "An Old Encoding"
    assert [norm(h.text_content()) for h in p4.xpath("//h2 | //h3")] == [
        "Chapter One",
        "A subsection",
    ]


def test_hostile_links_neutralised() -> None:
    html = render.render_file(DATA / "foreign" / "hostile.xml", "html")
    doc = page(html)
    good = doc.xpath("//a[. = 'a good link']/@href")
    assert good == ['https://example.org/ok?a=1&b="2"']
    for label in ("plain js", "entity js", "colon entity", "data url", "vbscript", "Evil Person"):
        assert doc.xpath(f"//span[. = '{label}']"), label
    assert "&lt;script&gt;alert(7)" in html


def test_apparatus_and_choice_readings() -> None:
    flat = norm(render.render_file(DATA / "foreign" / "apparatus.xml", "txt"))
    assert "alba [B: alta]" in flat
    assert "nihil [B: nichil; C: nil]" in flat
    assert "cantat [C: om.]" in flat
    text = norm(render.render_file(DATA / "foreign" / "transcription.xml", "txt"))
    assert "Dear Bro. [Brother]," in text and "teh [the]" in text
    assert "[deleted: cannot]can" in text and "tolerable[?]" in text


# ---------------------------------------------------------------- hypothesis

_TRICKS = st.sampled_from(["", " ", "\t", "\n", "\r", " \t"])
_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    max_size=40,
).filter(lambda s: all(c in "\t\n\r" or ord(c) >= 0x20 for c in s))


@st.composite
def dangerous_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["javascript", "data", "vbscript"]))
    chars = [c.upper() if draw(st.booleans()) else c for c in scheme]
    at = draw(st.integers(0, len(chars)))
    chars.insert(at, draw(st.sampled_from(["", "\r", "\n"])))
    return draw(_TRICKS) + "".join(chars) + ":" + draw(_XML_TEXT)


def _tei_with(target: str, text: str) -> etree._ElementTree:
    root = etree.Element(f"{{{TEI_NS}}}TEI")
    p = etree.SubElement(
        etree.SubElement(etree.SubElement(root, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body"),
        f"{{{TEI_NS}}}p",
    )
    p.text = text
    for tag, attr in (("ref", "target"), ("persName", "ref"), ("pb", "facs"), ("graphic", "url")):
        el = etree.SubElement(p, f"{{{TEI_NS}}}{tag}", {attr: target, "rend": text[:20]})
        el.text = text if tag in ("ref", "persName") else None
    return root.getroottree()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dangerous_urls(), _XML_TEXT)
def test_no_injection_from_any_url_or_text(url: str, text: str) -> None:
    tree = _tei_with(url, text)
    html = render.render_html(tree)
    assert_safe(html)
    if text.strip():
        assert norm(text) in norm(page(html).body.text_content())


# ---------------------------------------------------------------- errors


def test_errors() -> None:
    with pytest.raises(EditionError, match="unknown output format"):
        render.render_file(SAMPLE, "pdf")
    with pytest.raises(InputError):
        render.render_text(parse_bytes(b"<TEI><text>unclosed</TEI>"))


def test_non_tei_and_empty_documents_render() -> None:
    odd = parse_bytes(b"<foo><bar>loose text</bar></foo>")
    assert "loose text" in render.render_text(odd)
    assert "loose text" in render.render_html(odd)
    empty = parse_bytes(f'<TEI xmlns="{TEI_NS}"/>'.encode())
    assert page(render.render_html(empty)).findtext(".//title") == "Untitled text"
    assert render.render_text(empty).startswith("Untitled text\n=")


def test_stylesheets_are_cached_and_sandboxed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render.stylesheet("html") is render.stylesheet("html")
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret>do not read</secret>")
    (tmp_path / "html.xsl").write_text(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><html><xsl:copy-of select="document(\'{secret.as_uri()}\')"/>'
        "</html></xsl:template></xsl:stylesheet>"
    )
    (tmp_path / "broken.xsl").write_text("<xsl:stylesheet")
    monkeypatch.setattr(render, "XSLT_DIR", tmp_path)
    render.stylesheet.cache_clear()
    try:
        with pytest.raises(EditionError, match="refused"):
            render.render_html(parse(SAMPLE))
        with pytest.raises(EditionError, match="cannot compile"):
            render.stylesheet("broken")
    finally:
        render.stylesheet.cache_clear()


BLOCKS = "self::div or self::p or self::ul or self::ol or self::dl or self::table or " + (
    "self::blockquote or self::section or self::article or self::figure or self::details "
    "or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
)


@pytest.mark.parametrize("path", [SAMPLE, *FOREIGN], ids=lambda p: p.stem)
def test_html_content_model(path: Path) -> None:
    """No block inside p or span, no link inside a link (a browser would
    restructure the page)."""
    result = render._transform("html", parse(path), {}).getroot()
    assert not result.xpath(f"//p//*[{BLOCKS}] | //span//*[{BLOCKS}]")
    assert not result.xpath("//a//a")


# ---------------------------------------------------------------- site parameters


def test_register_page_per_kind(sample: etree._ElementTree) -> None:
    """Each name links to the register page of its entry's kind (by the
    standOff entry), and names outside the standOff by their element."""
    html = render.render_html(sample, persons="persons.html", places="places.html",
                              organisations="organisations.html")
    doc = page(html)
    assert doc.xpath("//a[. = 'Kim Il Sung']/@href") == ["persons.html#kim-il-sung"]
    assert doc.xpath("//a[contains(@class, 'place')]/@href")[0].startswith("places.html#")
    assert doc.xpath("//a[contains(@class, 'org')][@href='organisations.html#aprf']")
    stray = tei_body(
        '<p><placeName ref="#nowhere">X</placeName>'
        '<name ref="#who">Y</name></p>')
    doc = page(render.render_html(stray, places="p.html", register="r.html"))
    assert doc.xpath("//main//p//a/@href") == ["p.html#nowhere", "r.html#who"]


def test_segs_in_an_opener_are_lines_and_in_a_paragraph_phrases() -> None:
    """A telegram's classification and transmission lines (seg in an opener)
    each stand on a line of their own; they ran together (``4412From``)."""
    tree = tei_body(
        '<div><opener>'
        '<seg type="classification">CIPHERED TELEGRAM No. 4412</seg>'
        '<seg type="transmission">From BEIJING</seg></opener>'
        '<p>A <seg type="phrase">phrase</seg> here.</p></div>')
    doc = page(render.render_html(tree))
    segs = doc.xpath("//*[contains(@class, 'tei-seg')]")
    assert [(s.tag, s.text_content()) for s in segs] == [
        ("div", "CIPHERED TELEGRAM No. 4412"), ("div", "From BEIJING"), ("span", "phrase")]
    assert "4412\n\nFrom BEIJING" in render.render_text(tree)  # (as it was)


def test_a_pointer_to_an_id_the_file_lacks_is_no_link() -> None:
    """``<ref target="#x">`` links to the element with that id, or, if the
    file has none (another project's TEI), is no link: it would lead nowhere."""
    tree = tei_body(
        '<p xml:id="here">A <ref target="#here">back</ref>'
        ' and <ref target="#nowhere">away</ref> and <ref target="https://example.org/">out'
        '</ref></p>')
    refs = page(render.render_html(tree)).xpath("//*[contains(@class, 'tei-ref')]")
    assert [(r.tag, r.get("href"), r.text) for r in refs] == [
        ("a", "#here", "back"), ("span", None, "away"), ("a", "https://example.org/", "out")]


def test_render_body_is_a_fragment(sample: etree._ElementTree) -> None:
    body = render.render_body(sample, persons="persons.html")
    fragment = lxml.html.fragment_fromstring(body)
    assert fragment.tag == "div" and fragment.get("class") == "reading"
    assert not re.search(r"<(html|head|body|main)\b", body)
    assert fragment.xpath(".//section[contains(@class, 'footnotes')]")
    assert fragment.xpath(".//a[. = 'Kim Il Sung']/@href") == ["persons.html#kim-il-sung"]
    with pytest.raises(EditionError, match="unknown stylesheet parameter"):
        render.render_body(sample, fragment="no")


def test_note_in_a_name_follows_the_link() -> None:
    """A footnote inside a linked name is not a link inside a link: its
    reference follows the name, numbered in order, and links both ways."""
    tree = tei_body(
        '<p><note xml:id="a">first</note>'
        '<orgName ref="#kpa">People<choice><sic>s</sic><corr>\'s</corr></choice>'
        '<note xml:id="b">second</note> Army</orgName> and <note xml:id="c">third</note>'
        '</p>')
    doc = page(render.render_html(tree))
    assert not doc.xpath("//a//a")
    refs = doc.xpath("//sup[@class='note-ref']/a")
    assert [a.text_content() for a in refs] == ["1", "2", "3"]
    org = doc.xpath("//a[contains(@class, 'org')]")[0]
    assert org.getnext().get("class") == "note-ref"
    assert org.getnext().xpath("a/@href") == ["#b"]
    assert doc.get_element_by_id("b").xpath("a[@class='note-back']/@href") == ["#b-ref"]


def test_redaction_tips_have_unique_ids() -> None:
    tree = tei_body(
        '<p>'
        '<choice><seg type="redaction">***</seg><supplied reason="redacted">A</supplied></choice>'
        '<note>n</note> and <seg type="redaction">**</seg><note>m</note> and '
        '<choice><seg type="redaction">*</seg><supplied reason="redacted">B</supplied></choice>'
        '</p>')
    doc = page(render.render_html(tree))
    tips = doc.xpath("//mark[@class='redaction']/@aria-describedby")
    assert tips == ["redaction-1", "redaction-2", "redaction-3"]
    assert all(doc.get_element_by_id(t) is not None for t in tips)


def test_numbers_given_to_the_stylesheets_are_those_they_would_count() -> None:
    """render.py numbers footnotes and redactions beforehand (counting them in
    the stylesheet costs time that grows with the square of their number); the
    pages are those the stylesheets make on their own, and the numbers are
    taken off the caller's tree again."""
    from edition.convert import convert_file
    from edition.editorial import Edition

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    tree = convert_file(seeds / "000_fa8a0fdc04f2c974.txt", Edition.load(seeds)).tree
    assert len(render.REDACTIONS(tree)) > 10 and len(render.FOOTNOTES(tree)) > 10
    for name in ("html", "txt"):
        numbered = render._transform(name, tree, {})
        alone = render.stylesheet(name)(copy.deepcopy(tree))  # it counts for itself
        assert etree.tostring(numbered) == etree.tostring(alone)
    attrs = {a for _, a in render.NUMBERED}
    assert not [el for el in tree.iter(etree.Element) if attrs & set(el.attrib)]
    assert 'id="redaction-1"' in render.render_html(tree)

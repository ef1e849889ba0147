"""Tests of the website (edition.site): the pages a build writes into out/html."""

from __future__ import annotations

import itertools
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from edition.convert import convert_file
from edition.editorial import Edition
from edition.indexes import EditionIndex
from edition.model import TEI_NS
from edition.render import render_text
from edition.site import NAV, MapPlace, MapView, read_texts, timeline, write_site
from edition.xmlio import serialize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NS = {"t": TEI_NS}
PAGES = ("index.html", "persons.html", "places.html", "organisations.html", "chronology.html",
         "sources.html", "map.html", "search.html", "method.html", "encoding.html")
KIND_PAGE = {"persName": "persons.html", "placeName": "places.html",
             "geogName": "places.html", "orgName": "organisations.html"}


def build_site(out: Path) -> Path:
    """What ``edition build`` writes, without the validation (tested elsewhere):
    the seeds' TEI and plain text, the register, then the site.  Returns out/html."""
    edition = Edition.load(SEEDS)
    for folder in ("tei", "txt"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        converted = convert_file(path, edition)
        text_id = converted.doc.meta.id
        (out / "tei" / f"{text_id}.xml").write_bytes(serialize(converted.tree))
        (out / "txt" / f"{text_id}.txt").write_text(render_text(converted.tree), encoding="utf-8")
    shutil.copyfile(SEEDS / "register.xml", out / "tei" / "register.xml")
    write_site(edition, [], out)
    return out / "html"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    build_site(folder)
    return folder


@pytest.fixture(scope="module")
def pages(out: Path) -> dict[str, lxml.html.HtmlElement]:
    return {p.name: lxml.html.parse(str(p)).getroot() for p in (out / "html").glob("*.html")}


@pytest.fixture(scope="module")
def index(out: Path) -> EditionIndex:
    return EditionIndex.from_tei(read_texts(out / "tei"), Edition.load(SEEDS).register)


def links(page: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    return [(el.tag, el.get(attr)) for attr in ("href", "src")
            for el in page.xpath(f"//*[@{attr}]")]


def test_every_page_is_written(out: Path, pages: dict[str, lxml.html.HtmlElement],
                               index: EditionIndex) -> None:
    texts = [f"{t.text_id}.html" for t in index.texts]
    assert set(pages) == {*PAGES, *texts}
    for text in index.texts:
        assert (out / "html" / "tei" / f"{text.text_id}.xml").is_file()
        assert (out / "html" / "txt" / f"{text.text_id}.txt").is_file()
    assert (out / "html" / "tei" / "register.xml").is_file()


def test_internal_links_resolve(out: Path, pages: dict[str, lxml.html.HtmlElement]) -> None:
    ids = {name: set(page.xpath("//@id")) for name, page in pages.items()}
    broken = []
    for name, page in pages.items():
        for _tag, url in links(page):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            target = out / "html" / unquote(parts.path) if parts.path else out / "html" / name
            anchored = not parts.fragment or target.suffix != ".html" \
                or unquote(parts.fragment) in ids.get(target.name, ())
            if not target.is_file() or not anchored:
                broken.append((name, url))
    assert not broken, broken[:20]


def test_nothing_loaded_from_elsewhere(pages: dict[str, lxml.html.HtmlElement]) -> None:
    for name, page in pages.items():
        for tag, url in links(page):
            if tag in {"script", "img", "link", "iframe", "source", "audio", "video"}:
                assert not urlsplit(url).scheme and not url.startswith("//"), (name, url)
        assert not page.xpath("//@style[contains(., 'url(')]")


def test_pages_are_well_formed_and_accessible(pages: dict[str, lxml.html.HtmlElement]) -> None:
    for name, page in pages.items():
        assert page.get("lang"), name
        assert page.findtext(".//title").strip(), name
        assert len(page.xpath("//main[@id='main']")) == 1, name
        assert page.xpath("//a[@class='skip-link'][@href='#main']"), name
        assert len(page.xpath("//h1")) == 1, name
        nav = page.xpath("//nav[@aria-label='Edition']//a")
        assert [a.get("href") for a in nav][:1] == ["index.html"], name
        current = page.xpath("//nav[@aria-label='Edition']//a[@aria-current='page']/@href")
        assert current == ([name] if name in dict(NAV) else []), name
        ids = page.xpath("//@id")
        assert len(ids) == len(set(ids)), (name, [i for i in ids if ids.count(i) > 1][:5])
        assert not page.xpath("//a//a"), name
        for control in page.xpath("//input[not(@type='hidden')] | //select"):
            labelled = control.get("aria-label") or page.xpath(
                f"//label[@for='{control.get('id')}']")
            assert labelled, (name, control.get("id"))


class TagBalance(HTMLParser):
    """Checks that every element is closed, in order (HTML void elements aside)."""

    VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def test_html_tags_balanced(out: Path) -> None:
    for path in (out / "html").glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>"), path.name
        checker = TagBalance()
        checker.feed(html)
        checker.close()
        assert not checker.errors and not checker.stack, (path.name, checker.errors[:3],
                                                          checker.stack)


def test_names_link_to_their_register_page(out: Path, pages, index: EditionIndex) -> None:
    for text in index.texts:
        tree = etree.parse(str(out / "tei" / f"{text.text_id}.xml"))
        expected = sorted(
            f"{KIND_PAGE[etree.QName(el).localname]}{el.get('ref').split()[0]}"
            for el in tree.xpath("//t:text//*[self::t:persName or self::t:placeName or "
                                 "self::t:geogName or self::t:orgName][@ref]"
                                 "[not(ancestor::*[@ref])]", namespaces=NS))
        page = pages[f"{text.text_id}.html"]
        found = sorted(a.get("href") for a in page.xpath(
            "//div[@class='reading']//div[contains(@class, 'tei-text')]"
            "//a[contains(@class, 'person') or contains(@class, 'place') "
            "or contains(@class, 'org')]"))
        assert found == expected, text.text_id


def test_registers_list_every_occurrence(pages, index: EditionIndex) -> None:
    for name in ("persons.html", "places.html", "organisations.html"):
        page = pages[name]
        for entry in page.xpath("//article[contains(@class, 'entry')]"):
            ident = entry.get("id")
            hrefs = entry.xpath(".//details[contains(@class, 'occurrences')]//ol/li/a/@href")
            assert hrefs == [o.href for o in index.entities.get(ident, [])], ident
            assert entry.xpath("h3/text()")
    places = pages["places.html"]
    assert places.xpath("//dt[.='Coordinates']/following-sibling::dd[1]/a")


def test_home_lists_every_document(pages, index: EditionIndex) -> None:
    rows = pages["index.html"].xpath("//table[contains(@class, 'documents')]/tbody/tr")
    assert len(rows) == len(index.documents)
    dates = [r.xpath("string(td[1]//time/@datetime)") for r in rows]
    dated = [d for d in dates if d]
    assert dated == sorted(dated)
    hrefs = {r.xpath("string(td[2]/a/@href)") for r in rows}
    assert hrefs == {f"{d.text_id}.html#{d.div_id}" for d in index.documents}


def test_chronology_in_date_order(pages, index: EditionIndex) -> None:
    events = pages["chronology.html"].xpath("//li[contains(@class, 'event')]")
    assert len(events) == len(index.events) > 0
    years = [e.xpath("string(ancestor::section[contains(@class, 'year')]/@id)") for e in events]
    assert years == sorted(years)
    assert pages["chronology.html"].xpath("//figure[contains(@class, 'timeline')]//svg//rect")


def test_sources_cite_every_archival_unit(pages, index: EditionIndex) -> None:
    page = pages["sources.html"]
    text = page.text_content()
    for unit in index.archival:
        assert f"delo {unit.delo}" in text and f"fond {unit.fond}" in text
    cited = page.xpath("//ul[contains(@class, 'archive-tree')]//a/@href")
    assert len(cited) == sum(len(u.citations) for u in index.archival)


def test_cite_box(pages, index: EditionIndex) -> None:
    for text in index.texts:
        page = pages[f"{text.text_id}.html"]
        assert page.xpath("//input[@id='cite-url']/@value") == [text.uri]
        data = json.loads(page.xpath("string(//script[@id='cite-data'])"))
        assert [c["key"] for c in data] == ["", *(d.div_id for d in index.documents
                                                 if d.text_id == text.text_id)]
        for cite in data:
            csl = json.loads(cite["csl"])
            assert csl["URL"] == cite["url"] and csl["title"] == cite["title"]
            assert cite["bibtex"].startswith("@misc{") and cite["bibtex"].count("{") == \
                cite["bibtex"].count("}")
            assert cite["key"] == "" or page.get_element_by_id(cite["key"]) is not None


def test_search_index(out: Path, index: EditionIndex, pages) -> None:
    script = (out / "html" / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.EDITION_SEARCH = ").rstrip().rstrip(";"))
    assert data == json.loads((out / "html" / "search-index.json").read_text(encoding="utf-8"))
    assert len(data["passages"]) == len(index.passages)
    for text_id, element_id, _doc, words, names, years in data["passages"][::25]:
        assert pages[f"{text_id}.html"].get_element_by_id(element_id) is not None
        assert words and all(n in data["names"] for n in names)
        assert all(len(y) == 4 and y.isdigit() for y in years)


def test_method_page_from_the_header(out: Path, pages) -> None:
    tree = etree.parse(str(next(p for p in (out / "tei").glob("*.xml")
                                if p.name != "register.xml")))
    first = " ".join(tree.xpath("string(//t:editorialDecl/t:p[1])", namespaces=NS).split())
    assert first in " ".join(pages["method.html"].text_content().split())
    assert pages["method.html"].xpath("//a[@href='encoding.html']")


def test_map_projection() -> None:
    view = MapView("t", "t", 30.0, 40.0, 120.0, 130.0)
    assert view.xy(40.0, 120.0) == (0.0, 0.0)
    assert view.xy(30.0, 130.0) == (view.width, view.height)
    places = [MapPlace("a", "Alpha", 35.0, 125.0, 4), MapPlace("b", "Beta", 10.0, 10.0, 1)]
    drawn = view.draw(places, labels=5)
    assert [p["place"].id for p in drawn.points] == ["a"]  # Beta is outside the box
    assert drawn.points[0]["label"] and drawn.lines


def test_the_maps_draw_land_under_the_places(pages) -> None:
    """Both maps have Natural Earth's land as a path, under the graticule and
    the places; the lead says where the coastlines come from."""
    page = pages["map.html"]
    assert "coastlines: Natural Earth" in page.xpath("string(//p[@class='lead'])")
    for slug in ("focus", "world"):
        svg = page.xpath(f"//figure[@id='{slug}']//*[local-name()='svg']")[0]
        children = [etree.QName(c).localname for c in svg if isinstance(c.tag, str)]
        land = svg.xpath("*[local-name()='path'][@class='land']")
        assert land and land[0].get("d").startswith("M") and land[0].get("d").endswith("Z")
        assert children.index("path") < children.index("line") < children.index("a")



def test_land_crossing_the_antimeridian_draws_no_band() -> None:
    """Chukotka and Fiji cross 180°: their land is drawn at both edges of the
    overview, with no edge running across the map."""
    view = MapView("t", "world", -60, 80, -180, 180, detail="coarse").draw([], 0)
    for ring in view.land.split("Z"):
        xs = [float(p.split(",")[0]) for p in ring.lstrip("M").split("L") if p]
        assert all(abs(a - b) < view.width / 2 for a, b in itertools.pairwise(xs))
    assert "M0," in view.land or "L0," in view.land  # Chukotka, at the west edge


def test_timeline_core_years(index: EditionIndex) -> None:
    chart = timeline(index.events)
    assert chart is not None
    assert chart.first <= "1950" <= chart.last
    counted = sum(b.count for b in chart.bars)
    in_core = sum(1 for e in index.events if chart.first <= e.year <= chart.last
                  and len(e.sort_key) >= 7)
    assert counted == in_core

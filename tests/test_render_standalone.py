"""`edition render --to html` of one TEI file outside a built site: registered
names link to a register where --register / --persons / --places /
--organisations say it is published (never through an unsafe URL), else to
the page's own list of the file's standOff entries."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from edition import render
from edition.cli import main
from edition.model import TEI_NS
from edition.xmlio import parse, serialize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "001_9abe56c8443e77ce.txt"  # the Wilson Center telegram: persons, places, orgs
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: the classes of a name made from the TEI element of each kind
NAME_CLASSES = ("tei-persName", "tei-placeName", "tei-geogName", "tei-orgName")
NAMES = " or ".join(f"contains(concat(' ', @class, ' '), ' {c} ')" for c in NAME_CLASSES)
#: the register page of each kind of standOff entry, and its command-line option
KIND_OPTION = {"person": "--persons", "place": "--places", "org": "--organisations"}


@pytest.fixture(scope="module")
def tei(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seed converted to TEI by `edition convert`."""
    out = tmp_path_factory.mktemp("tei")
    result = CliRunner().invoke(main, ["convert", str(SEED), "--out", str(out),
                                       "--data", str(SEEDS), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return out / f"{SEED.stem}.xml"


def registered(tei: Path) -> list[tuple[str, str]]:
    """(entry id, kind of its standOff entry) of every name in the text that
    points to a register entry, in document order."""
    tree = parse(tei)
    kinds = {el.get(XML_ID): etree.QName(el).localname
             for el in tree.xpath("//t:standOff//*[self::t:person or self::t:place"
                                  " or self::t:org]", namespaces=NS)}
    refs = tree.xpath("//t:text//*[self::t:persName or self::t:placeName or self::t:geogName"
                      " or self::t:orgName]/@ref", namespaces=NS)
    return [(ref[1:], kinds[ref[1:]]) for ref in refs]


def rendered(tei: Path, out: Path, *options: str) -> lxml.html.HtmlElement:
    """The page `edition render --to html` writes for ``tei`` with ``options``."""
    result = CliRunner().invoke(main, ["render", str(tei), "--to", "html", "--out", str(out),
                                       "--jobs", "1", *options])
    assert result.exit_code == 0, result.output
    return lxml.html.parse(str(out / f"{tei.stem}.html")).getroot()


def text_names(page: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The names of the reading text (not of the header's metadata) that
    point somewhere (not class ``unlinked``)."""
    return page.xpath(f"//main//div[@class = 'tei-text']//*[{NAMES}]"
                      "[not(contains(concat(' ', @class, ' '), ' unlinked '))]")


def entities(page: lxml.html.HtmlElement) -> dict[str, str]:
    """The page's own list of register entries: {id: the name it is listed under}."""
    listed = page.xpath("//section[@class = 'entities']//dt")
    return {dt.get("id"): dt.text_content() for dt in listed}


def test_alone_a_page_lists_the_entries_its_names_link_to(tei: Path, tmp_path: Path) -> None:
    """No option: no link to any register page and no dead in-page anchor;
    every registered name links to its entry in the page's list, which holds
    every standOff entry of the file under its preferred name."""
    page = rendered(tei, tmp_path)
    hrefs = page.xpath("//@href")
    assert not [h for h in hrefs if "register" in h or ".html#" in h]
    ids = set(page.xpath("//@id"))
    assert not [h for h in hrefs if h.startswith("#") and h[1:] not in ids]
    names = text_names(page)
    assert len(names) == len(registered(tei)) > 0
    assert [el.get("href") for el in names] == [f"#{i}" for i, _ in registered(tei)]
    tree = parse(tei)
    preferred = {el.getparent().get(XML_ID): el.text for el in tree.xpath(
        "//t:standOff//*[@type = 'preferred'][parent::t:person or parent::t:place"
        " or parent::t:org]", namespaces=NS)}
    assert entities(page) == preferred
    linked = lxml.html.document_fromstring(render.render_html(parse(tei)))  # the API default
    assert [el.get("class") for el in names] == [el.get("class") for el in text_names(linked)]
    assert not entities(linked)


@pytest.mark.parametrize("fragment", ["", "#top", "#"])
def test_register_option_links_names_to_it(tei: Path, tmp_path: Path, fragment: str) -> None:
    """Names link to URL#id (a fragment of the URL given gives way to the id)."""
    url = "https://example.org/register.html"
    page = rendered(tei, tmp_path, "--register", url + fragment)
    names = text_names(page)
    assert [el.tag for el in names] == ["a"] * len(names)
    assert [el.get("href") for el in names] == [f"{url}#{i}" for i, _ in registered(tei)]
    assert not entities(page)  # the register is elsewhere


@pytest.mark.parametrize("register", [None, "https://example.org/all.html"])
def test_pages_per_kind(tei: Path, tmp_path: Path, register: str | None) -> None:
    """--persons, --places, --organisations route each entry to the page of
    its kind; the kinds not given go to --register, or to the page's own list."""
    given = {"person": "people.html", "org": "https://example.org/orgs/"}
    options = [arg for kind, url in given.items() for arg in (KIND_OPTION[kind], url)]
    if register:
        options += ["--register", register]
    page = rendered(tei, tmp_path, *options)
    entries = registered(tei)
    assert {kind for _, kind in entries} == set(KIND_OPTION)
    expected = [f"{given[kind]}#{i}" if kind in given else f"{register}#{i}" if register
                else f"#{i}" for i, kind in entries]
    assert [el.get("href") for el in text_names(page)] == expected
    listed = {i for i, kind in entries if kind not in given and not register}
    assert listed <= set(entities(page))
    assert not {i for i, kind in entries if kind in given or register} & set(entities(page))


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<b>x</b>"])
def test_unsafe_register_url_gives_no_link(tei: Path, tmp_path: Path, url: str) -> None:
    page = rendered(tei, tmp_path, "--register", url, "--places", "places.html")
    assert not [h for h in page.xpath("//@href") if ":" in h and not h.startswith("http")]
    by_kind = {kind: [el for el, (_, k) in zip(text_names(page), registered(tei), strict=True)
                      if k == kind] for kind in KIND_OPTION}
    listed = entities(page)  # an unsafe page counts as none: the page's own list
    assert {el.get("href")[1:] for el in by_kind["person"] + by_kind["org"]} <= set(listed)
    assert {el.get("href").split("#")[0] for el in by_kind["place"]} == {"places.html"}


@pytest.mark.parametrize("options", [(), ("--register", "https://example.org/register.html")])
def test_names_pointing_into_the_text_still_link(tei: Path, tmp_path: Path,
                                                 options: tuple[str, ...]) -> None:
    """A name whose @ref is an element of the same file's text links to it."""
    tree = parse(tei)
    target = tree.xpath("//t:text//t:ab[@xml:id]", namespaces=NS)[-1]
    anchor = target.get(XML_ID)
    first = tree.xpath("//t:text//t:ab[@xml:id]", namespaces=NS)[0]
    name = etree.SubElement(first, f"{{{TEI_NS}}}persName", ref=f"#{anchor}")
    name.text = "the last paragraph"
    inner = tmp_path / "inner.xml"
    inner.write_bytes(serialize(tree))
    page = rendered(inner, tmp_path / "html", *options)
    link = page.xpath("//a[. = 'the last paragraph']")
    assert len(link) == 1 and link[0].get("href") == f"#{anchor}"
    assert page.get_element_by_id(anchor) is not None


def test_the_register_rendered_alone_is_a_page_names_can_link_to(tei: Path,
                                                                  tmp_path: Path) -> None:
    """`edition render register.xml` lists every entry under its id, so pages
    rendered with --register register.html link to entries that exist."""
    register = rendered(SEEDS / "register.xml", tmp_path)
    listed = entities(register)
    assert len(listed) == len(parse(SEEDS / "register.xml").xpath(
        "//t:standOff//*[@xml:id][self::t:person or self::t:place or self::t:org"
        " or self::t:personGrp]", namespaces=NS))
    page = rendered(tei, tmp_path, "--register", "register.html")
    targets = [h.split("#", 1)[1] for h in page.xpath("//@href") if h.startswith("register.html#")]
    assert set(targets) >= {i for i, _ in registered(tei)}  # (and the header's names)
    assert set(targets) <= set(listed)

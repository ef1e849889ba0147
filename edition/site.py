"""The reading edition as a website: every page of ``out/html``.

Two kinds of page, written with the jinja2 templates of ``edition/templates``:

* one page per text (:func:`write_text_page`): its body rendered by the XSLT
  stylesheets, its documents and citations; it depends on that text's TEI
  (and the edition's settings and register) only, so the build's workers
  write it with the tree they already hold;
* the pages of the edition as a whole (:func:`write_edition_pages`): the
  home page, the registers of persons, places and organisations, the
  chronology, the index of archival sources, the map, the search page with
  its index, the editorial method and the encoding.  They are written from
  the :class:`~edition.indexes.EditionIndex`, built by reading the TEI files
  of ``out/tei`` one at a time: memory grows with the largest text and the
  index, not with the number of texts.

The site is self-contained (TEI and plain text are copied into it; no
resource is loaded from elsewhere), so it works from ``file://`` and any
static server.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import groupby, pairwise, tee
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from jinja2.bccache import Bucket
from lxml import etree

from .indexes import (
    XML_ID,
    ArchivalUnit,
    ChronologyEvent,
    DocumentEntry,
    EditionIndex,
    Occurrence,
    Passage,
    T,
    TextEntry,
    TextSummary,
    local,
    plain,
    summarize,
)
from .streams import json_pieces, write_pieces
from .xmlio import parse, parse_bytes, read_xml, streamed

if TYPE_CHECKING:
    from .build import TextResult
    from .digest import Gathered
    from .editorial import Edition
    from .register import Entry
    from .tei.header import EditionInfo

ASSETS = Path(__file__).resolve().parent / "assets"


@dataclass(frozen=True)
class RegisterPage:
    """One register page: the kind of entry it lists and where it lives."""

    kind: str
    file: str
    title: str


REGISTERS = (
    RegisterPage("person", "persons.html", "Persons"),
    RegisterPage("place", "places.html", "Places"),
    RegisterPage("org", "organisations.html", "Organisations"),
)
PAGE_OF_KIND = {r.kind: r.file for r in REGISTERS}
NAV = (
    ("index.html", "Texts"),
    *((r.file, r.title) for r in REGISTERS),
    ("chronology.html", "Chronology"),
    ("sources.html", "Archival sources"),
    ("map.html", "Map"),
    ("search.html", "Search"),
    ("method.html", "Editorial method"),
)
XSLT_PARAMS = {"persons": "persons.html", "places": "places.html",
               "organisations": "organisations.html", "register": "persons.html"}
WIKIDATA = "https://www.wikidata.org/wiki/"


@functools.cache
def readable_when(iso: str) -> str:
    """An ISO value for people: ``1950-10-09T07:05:00`` -> ``1950-10-09 07:05``."""
    day, _, time = iso.partition("T")
    return f"{day} {time[:5]}" if time else day


@functools.cache
def environment() -> Environment:
    """The templates' environment, one per process (compiled templates are kept
    in it, and their bytecode on disk: :func:`bytecode_cache`)."""
    env = Environment(
        loader=PackageLoader("edition", "templates"),
        autoescape=select_autoescape(list(AUTOESCAPE)),
        bytecode_cache=bytecode_cache(),
        **ENV_OPTIONS,
    )
    env.globals["nav"] = NAV
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    env.filters["when"] = readable_when
    return env


AUTOESCAPE = ("html", "xml")  # file extensions of the templates escaped
ENV_OPTIONS = {"trim_blocks": True, "lstrip_blocks": True}


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """jinja2's file cache, but a folder that cannot be written is no error."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """The compiled templates' cache, in the edition's cache folder
    (:func:`edition.cache.cache_dir`), so templates compile once per machine.

    Safely keyed: jinja2 names each entry by the template's name and file and
    recompiles when the entry's checksum of the template's source differs or
    its header (bytecode format, Python version) does not match; the folder's
    name adds what jinja2's key leaves out and the compiled code depends on:
    the jinja2 and Python versions and the environment's options."""
    from .cache import cache_dir

    settings = (jinja2.__version__, sys.version, AUTOESCAPE, sorted(ENV_OPTIONS.items()))
    tag = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    folder = cache_dir() / f"jinja2-{tag}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder))


# ---------------------------------------------------------------- reading the TEI


def iter_texts(tei_dir: Path) -> Iterator[tuple[str, etree._ElementTree]]:
    """Every TEI file of ``tei_dir`` that has a ``<text>`` (not the register),
    as ``(text id, tree)``, ordered by file name, parsed one at a time."""
    for text_id, tree, _ in iter_text_files(tei_dir):
        yield text_id, tree


def iter_text_files(tei_dir: Path) -> Iterator[tuple[str, etree._ElementTree, bytes]]:
    """:func:`iter_texts` with each file's bytes."""
    for path in sorted(tei_dir.glob("*.xml")):
        data = read_xml(path)
        tree = parse_bytes(data, str(path))
        root = tree.getroot()
        if root.find(f"{T}text") is not None:
            yield root.get(XML_ID) or path.stem, tree, data


def read_texts(tei_dir: Path) -> list[tuple[str, etree._ElementTree]]:
    """:func:`iter_texts` as a list (every tree in memory: for small editions and tests)."""
    return list(iter_texts(tei_dir))


# ---------------------------------------------------------------- register entries


@dataclass(frozen=True)
class EntryView:
    """What a register page shows of one entry (its occurrences, by text, may
    be produced as the page is written: ``count`` and ``texts`` say how many)."""

    id: str
    preferred: str
    variants: tuple[str, ...]
    pseudonyms: tuple[str, ...]
    type: str | None
    dates: str | None
    coordinates: tuple[float, float] | None
    notes: tuple[str, ...]
    authorities: tuple[tuple[str, str, str | None], ...]  # (type, value, url)
    occurrences: Iterable[tuple[str, str, Iterable[Occurrence]]]  # (text id, title, occs)
    count: int
    texts: int

    @property
    def initial(self) -> str:
        return initial_of(self.preferred)


def initial_of(name: str) -> str:
    """The letter a register page files a name under (``#`` if none)."""
    first = next((c for c in name if c.isalnum()), "#")
    return first.upper() if first.isalpha() else "#"


def _life_dates(element: etree._Element) -> str | None:
    def year(tag: str) -> str:
        el = element.find(T + tag)
        if el is None:
            return ""
        if el.get("when"):
            return el.get("when", "")
        low, high = el.get("notBefore"), el.get("notAfter")
        return f"{low}/{high}" if low and high else (low or high or plain(el))

    born, died = year("birth"), year("death")
    return f"{born or '?'}–{died or ''}".rstrip("–") if born or died else None


def coordinates(element: etree._Element) -> tuple[float, float] | None:
    """``(latitude, longitude)`` of a register place from its ``geo``."""
    geo = element.find(f".//{T}geo")
    if geo is None or not geo.text:
        return None
    try:
        lat, lon = (float(v) for v in geo.text.replace(",", " ").split()[:2])
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _authorities(element: etree._Element) -> tuple[tuple[str, str, str | None], ...]:
    found = []
    for idno in element.iterchildren(T + "idno"):
        value = (idno.text or "").strip()
        kind = idno.get("type", "")
        url = WIKIDATA + value if kind == "wikidata" else value if value.startswith("http") \
            else None
        found.append((kind, value, url))
    return tuple(found)


def entry_view(entry: Entry, occurrences: Iterable[tuple[str, str, Iterable[Occurrence]]],
               count: int, texts: int) -> EntryView:
    """The view of a register entry, with its ``count`` occurrences in ``texts``
    texts (``(text id, title, occurrences)`` in the edition's order)."""
    element = entry.element
    return EntryView(
        id=entry.id,
        preferred=entry.preferred,
        variants=tuple(f.text for f in entry.forms if f.type == "variant"),
        pseudonyms=tuple(f.text for f in entry.forms if f.type == "pseudonym"),
        type=element.get("type"),
        dates=_life_dates(element),
        coordinates=coordinates(element) if entry.kind == "place" else None,
        notes=tuple(plain(n) for n in element.iterchildren(T + "note")),
        authorities=_authorities(element),
        occurrences=occurrences,
        count=count,
        texts=texts,
    )


def register_pages(register: Iterable[Entry]) -> list[tuple[RegisterPage, list[Entry]]]:
    """Each register page with its entries by name (case folded)."""
    return [(page, sorted((e for e in register if e.kind == page.kind),
                          key=lambda e: e.preferred.casefold())) for page in REGISTERS]


def page_order(entries: list[Entry]) -> list[Entry]:
    """A page's entries (by name) in the order it shows them: grouped by initial
    (a stable sort, as jinja2's ``groupby`` filter did)."""
    return sorted(entries, key=lambda e: initial_of(e.preferred))


def register_order(register: Iterable[Entry]) -> dict[str, int]:
    """The rank of every register entry in the pages' order (the order the
    mentions are sorted in for them: :attr:`edition.digest.Gathered.mentions`)."""
    order: dict[str, int] = {}
    for _, entries in register_pages(register):
        for entry in page_order(entries):
            order.setdefault(entry.id, len(order))
    return order


# ---------------------------------------------------------------- citations


@dataclass(frozen=True)
class Citation:
    """How to cite a text or one of its documents, in three forms."""

    key: str  # "" for the whole text, else the document's id
    title: str
    url: str
    text: str
    bibtex: str
    csl: str


def _bibtex_value(value: str) -> str:
    escaped = value.replace("\\", " ").replace("{", "(").replace("}", ")")
    for char in "&%$#_":
        escaped = escaped.replace(char, "\\" + char)
    return "{" + escaped + "}"


def bibtex(key: str, fields: Sequence[tuple[str, str | None]]) -> str:
    """A BibTeX entry; values in double braces (kept as written), URLs verbatim."""
    body = ",\n".join(f"  {name} = {{{v}}}" if name == "url" else
                      f"  {name} = {{{_bibtex_value(v)}}}" for name, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}"


def _translator(text: TextEntry) -> str | None:
    names = [name for resp, name in text.responsibilities
             if "translat" in resp.casefold() and "not named" not in name.casefold()]
    return "; ".join(names) or None


def _date_parts(iso: str | None) -> dict[str, list[list[int]]] | None:
    parts = [int(p) for p in (iso or "")[:10].split("-") if p.isdigit()]
    return {"date-parts": [parts]} if parts else None


def citation(text: TextEntry, info: EditionInfo, doc: DocumentEntry | None = None,
             archive: ArchivalUnit | None = None) -> Citation:
    """The citation of a text (or of one of its documents, ``doc``)."""
    base = text.uri or f"{info.base_url}{text.text_id}"
    url = f"{base}#{doc.div_id}" if doc else base
    title = doc.title if doc else text.title
    translator = _translator(text)
    version = text.version or info.version
    published = text.published or info.date
    container = f"{text.title}, in {info.title}" if doc else info.title
    plain_text = (f"“{title}”. {container}, edited by {info.editors}"
                  + (f", translated by {translator}" if translator else "")
                  + f". Version {version}, {published}. {url}")
    location = archive and ", ".join(
        f"{abbr} {v}" for abbr, v in (("f.", archive.fond), ("op.", archive.opis),
                                      ("d.", archive.delo), ("papka", archive.papka),
                                      ("ll.", archive.folios)) if v)
    key = (doc.div_id if doc else text.text_id).replace(".", "-")
    csl = {
        "id": key, "type": "document", "title": title, "container-title": container,
        "editor": [{"literal": info.editors}],
        "translator": [{"literal": translator}] if translator else None,
        "publisher": text.publisher or info.publisher, "version": version,
        "issued": _date_parts(published), "original-date": _date_parts(
            doc.date_when if doc else text.date),
        "archive": archive.repository if archive else None, "archive_location": location,
        "URL": url, "license": text.licence or info.licence,
    }
    fields = [("title", title), ("editor", info.editors), ("translator", translator),
              ("howpublished", container), ("edition", f"Version {version}"),
              ("year", published[:4]), ("date", published), ("url", url),
              ("note", f"{archive.repository}, {location}" if archive else None)]
    return Citation(doc.div_id if doc else "", title, url, plain_text, bibtex(key, fields),
                    json.dumps({k: v for k, v in csl.items() if v}, ensure_ascii=False, indent=2))


def citations(text: TextEntry, documents: list[DocumentEntry], info: EditionInfo,
              archives: dict[str, ArchivalUnit]) -> list[Citation]:
    """The citation of the text, then one per document it contains."""
    return [citation(text, info), *(citation(text, info, d, archives.get(d.div_id))
                                    for d in documents)]


# ---------------------------------------------------------------- archival tree


def archival_tree(units: list[ArchivalUnit]) -> dict[tuple[str | None, str], dict]:
    """The units as repository > fond > opis > delo (> papka) > list of units."""
    tree: dict = {}
    for unit in units:
        node = tree.setdefault((unit.repository_id, unit.repository), {})
        for level in (unit.fond, unit.opis, unit.delo):
            node = node.setdefault(level or "–", {})
        node.setdefault("units", []).append(unit)
    return tree


# ---------------------------------------------------------------- chronology


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class Bar:
    """One month of the timeline."""

    month: str  # YYYY-MM
    count: int
    x: float
    height: float


@dataclass
class Timeline:
    """Events per month over the core period of the chronology (an SVG bar chart)."""

    first: str
    last: str
    bars: list[Bar] = field(default_factory=list)
    years: list[tuple[str, float]] = field(default_factory=list)
    width: int = 0
    height: int = 120
    peak: int = 0


@dataclass
class Chronology:
    """What the chronology needs before its events: counts by month and year,
    and the span (first and last sort key) of each (year, month) group."""

    count: int = 0
    months: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    groups: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)

    def add(self, key: tuple) -> None:
        sort_key = key[0]
        self.count += 1
        if len(sort_key) >= 7:
            self.months[sort_key[:7]] = self.months.get(sort_key[:7], 0) + 1
        year = sort_key[:4]
        self.years[year] = self.years.get(year, 0) + 1
        span = self.groups.setdefault(group_of(sort_key), [key, key])
        span[0], span[1] = min(span[0], key), max(span[1], key)

    def contiguous(self) -> bool:
        """True if every (year, month) group is one run of the events in date
        order (always so for ISO dates): the page can then group that order."""
        spans = sorted(self.groups.values())
        return all(a[1] < b[0] for a, b in pairwise(spans))

    def group_rank(self) -> dict[tuple[str, str], int]:
        """The groups in the page's order: years by their first event, the
        months of a year by theirs (as grouping the events in date order,
        each group where its first event is, gives them)."""
        first: dict[str, tuple] = {}
        for (year, _), (start, _) in self.groups.items():
            first[year] = min(first.get(year, start), start)
        ordered = sorted(self.groups, key=lambda g: (first[g[0]], self.groups[g][0]))
        return {g: i for i, g in enumerate(ordered)}


def group_of(sort_key: str) -> tuple[str, str]:
    """(year, month) of the chronology page for an event's sort key."""
    return sort_key[:4], sort_key[5:7] if len(sort_key) >= 7 else ""


def core_years(years: Mapping[str, int], total: int, share: float = 0.02
               ) -> tuple[int, int] | None:
    """The first and last of the years that hold at least ``share`` of the
    ``total`` events (``years``: events per year; references to later literature
    and stray early dates fall outside)."""
    core = [int(y) for y, n in years.items() if y.isdigit() and n >= share * total]
    return (min(core), max(core)) if core else None


def timeline(events: Iterable[ChronologyEvent], bar: int = 6) -> Timeline | None:
    """Events per month over the core years of the chronology."""
    counts = Chronology()
    for n, event in enumerate(events):
        counts.add((event.sort_key, 0, n))
    return chart(counts, bar)


def chart(counts: Chronology, bar: int = 6) -> Timeline | None:
    """:func:`timeline` from the chronology's counts by month and year."""
    months = counts.months
    span = core_years(counts.years, counts.count)
    if not months or span is None:
        return None
    first, last = span
    chart = Timeline(str(first), str(last))
    chart.width = (last - first + 1) * 12 * bar
    chart.peak = max(months.values())
    for i, (year, month) in enumerate((y, m) for y in range(first, last + 1)
                                      for m in range(1, 13)):
        key = f"{year}-{month:02d}"
        if month == 1:
            chart.years.append((str(year), i * bar))
        if months.get(key):
            height = max(2.0, (chart.height - 20) * months[key] / chart.peak)
            chart.bars.append(Bar(key, months[key], i * bar, round(height, 1)))
    return chart


def month_name(month: str) -> str:
    return MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else ""


# ---------------------------------------------------------------- map


@dataclass(frozen=True)
class MapPlace:
    id: str
    name: str
    lat: float
    lon: float
    count: int
    type: str | None = None  # the register's place type: city, country, region...


@dataclass
class MapView:
    """One SVG map: an equirectangular projection of a box of the globe."""

    title: str
    slug: str
    south: float
    north: float
    west: float
    east: float
    width: int = 760
    detail: str = "fine"  # of the coastlines (edition.geo)
    points: list[dict[str, object]] = field(default_factory=list)
    lines: list[dict[str, object]] = field(default_factory=list)
    land: str = ""  # SVG path data of the land in the box

    @property
    def height(self) -> int:
        mid = math.cos(math.radians((self.south + self.north) / 2))
        ratio = (self.north - self.south) / max((self.east - self.west) * mid, 1e-6)
        return max(200, min(900, round(self.width * ratio)))

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.south, self.north, self.west, self.east

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        from .geo import project

        return project(self.box, self.width, self.height, lat, lon)

    def contains(self, place: MapPlace) -> bool:
        return self.south <= place.lat <= self.north and self.west <= place.lon <= self.east

    def draw(self, places: list[MapPlace], labels: int) -> MapView:
        from .geo import map_land

        self.land = map_land(self.box, self.width, self.height, self.detail)
        for lat in _multiples(self.south, self.north, _graticule_step(self.north - self.south)):
            y = self.xy(lat, self.west)[1]
            self.lines.append({"x1": 0, "y1": y, "x2": self.width, "y2": y,
                               "label": f"{abs(lat):g}°{'N' if lat >= 0 else 'S'}"})
        for lon in _multiples(self.west, self.east, _graticule_step(self.east - self.west)):
            x = self.xy(self.south, lon)[0]
            self.lines.append({"x1": x, "y1": 0, "x2": x, "y2": self.height,
                               "label": f"{abs(lon):g}°{'E' if lon >= 0 else 'W'}"})
        shown = sorted((p for p in places if self.contains(p)), key=lambda p: (-p.count, p.name))
        taken: list[tuple[float, float, float, float]] = []
        for place in shown:
            x, y = self.xy(place.lat, place.lon)
            radius = min(round(3 + 2.2 * math.sqrt(place.count), 1), 18) if place.count else 2.5
            label = None
            if place.count and len(taken) < labels:
                label = _free_label(place.name, x, y, radius, taken, self.width)
            self.points.append({"place": place, "x": x, "y": y, "r": radius, "label": label})
        self.points.reverse()  # small circles on top of large ones
        return self


def _free_label(name: str, x: float, y: float, radius: float,
                taken: list[tuple[float, float, float, float]],
                width: int) -> tuple[float, str] | None:
    """``(x, text-anchor)`` of a label beside a circle that overlaps no other label."""
    size = 6.2 * len(name)
    for left, anchor in ((x + radius + 2, "start"), (x - radius - 2 - size, "end")):
        box = (left, y - 7, left + size, y + 5)
        if box[0] < 0 or box[2] > width:
            continue
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in taken):
            taken.append(box)
            return (x + radius + 2 if anchor == "start" else x - radius - 2), anchor
    return None


def _graticule_step(span: float) -> int:
    return next((s for s in (1, 2, 5, 10, 15, 30, 45) if span / s <= 8), 60) if span > 0 else 1


def _multiples(low: float, high: float, step: int) -> list[int]:
    return list(range(math.ceil(low / step) * step, math.floor(high / step) * step + 1, step))


AREAS = frozenset({"country", "region", "continent", "bloc"})


def _focus_box(places: list[MapPlace], share: float = 0.6) -> tuple[float, float, float, float]:
    """South, north, west, east of a box around the weighted median of the
    mentions that holds ``share`` of them (at least 3° either way).  Countries
    and regions do not count: their centroids are not where anything happened."""
    points = [p for p in places if p.type not in AREAS] or places
    weighted = sorted((p for p in points for _ in range(max(p.count, 1))), key=lambda p: p.lat)
    lat = weighted[len(weighted) // 2].lat
    lon = sorted(p.lon for p in weighted)[len(weighted) // 2]
    scale = math.cos(math.radians(lat))
    distances = sorted(max(abs(p.lat - lat), abs(p.lon - lon) * scale) for p in weighted)
    half = max(distances[int(len(distances) * share)] * 1.3, 3.0)
    return (max(lat - half, -85), min(lat + half, 85),
            max(lon - half / scale, -180), min(lon + half / scale, 180))


def maps(places: list[MapPlace]) -> list[MapView]:
    """A map of where most mentions are, and an overview of every place."""
    if not places:
        return []
    south, north, west, east = _focus_box(places)
    return [
        MapView("Where the texts are set", "focus", south, north, west, east).draw(places, 25),
        MapView("Overview: every place with coordinates", "world", -60, 80, -180, 180,
                detail="coarse").draw(places, 8),
    ]


# ---------------------------------------------------------------- search index


def search_head(gathered: Gathered, entries: dict[str, Entry]) -> dict[str, object]:
    """The in-browser search's data but its passages: the texts, documents and
    names (every entity mentioned: its preferred form, kind and variants)."""
    names = {ident: [entries[ident].preferred, kind, list(entries[ident].variants)]
             if ident in entries else [ident, kind, []] for ident, kind in gathered.kinds.items()}
    return {"texts": {t.text_id: t.title for t in gathered.texts},
            "documents": {d.div_id: d.title for d in gathered.documents},
            "names": names, "passages": []}


def search_passages(passages: Iterable[Passage], documents: dict[str, DocumentEntry]
                    ) -> Iterator[list[object]]:
    """The passages as the search wants them: with their names and years (and
    the year of the document they are in)."""
    for passage in passages:
        doc = documents.get(passage.doc_id or "")
        years = set(passage.years)
        if doc and doc.date_when:
            years.add(doc.date_when[:4])
        yield [passage.text_id, passage.element_id, passage.doc_id or "",
               passage.text, list(passage.entities), sorted(years)]


# ---------------------------------------------------------------- markup statistics


@dataclass
class Markup:
    """What the method and encoding pages say of the texts' markup, gathered one
    tree at a time: the editorial declarations, the elements used (with their
    ``@type`` values) and counts of the editorial interventions."""

    declarations: dict[str, None] = field(default_factory=dict)
    elements: Counter[str] = field(default_factory=Counter)
    types: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    interventions: Counter[str] = field(default_factory=Counter)

    def add(self, tree: etree._ElementTree) -> None:
        root = tree.getroot()
        add_declarations(self.declarations, root)
        text = root.find(f"{T}text")
        if text is None:
            return
        for el in text.iter(etree.Element):
            name = local(el)
            self.elements[name] += 1
            if el.get("type"):
                self.types[name][el.get("type")] += 1
        count_interventions(self.interventions, text)

    @classmethod
    def of(cls, tree: etree._ElementTree) -> Markup:
        """The figures of one text (to be merged: :meth:`merge`)."""
        markup = cls()
        markup.add(tree)
        return markup

    def plain(self) -> tuple[list, list, list, list]:
        """The figures as plain lists (for a digest file: :mod:`edition.digest`)."""
        return (list(self.declarations), list(self.elements.items()),
                [(name, list(counts.items())) for name, counts in self.types.items()],
                list(self.interventions.items()))

    @classmethod
    def from_plain(cls, data: tuple[list, list, list, list]) -> Markup:
        """The figures :meth:`plain` gave (counters in the same order)."""
        declarations, elements, types, interventions = data
        return cls(dict.fromkeys(declarations), Counter(dict(elements)),
                   defaultdict(Counter, {name: Counter(dict(c)) for name, c in types}),
                   Counter(dict(interventions)))

    def merge(self, other: Markup) -> None:
        """Add the figures of other texts, as :meth:`add` of their trees would
        (counters keep the order in which their keys first came)."""
        for paragraph in other.declarations:
            self.declarations.setdefault(paragraph, None)
        self.elements.update(other.elements)
        for name, counts in other.types.items():
            self.types[name].update(counts)
        self.interventions.update(other.interventions)

    def observe(self, texts: Iterable[tuple[str, etree._ElementTree]]
                ) -> Iterator[tuple[str, etree._ElementTree]]:
        """The texts as given, each added to these figures as it passes."""
        for text_id, tree in texts:
            self.add(tree)
            yield text_id, tree

    def usage(self) -> list[tuple[str, int, list[str]]]:
        """Each element used: its count and its ``@type`` values with theirs."""
        return [(name, n, [f"{t} ({c})" for t, c in self.types[name].most_common()])
                for name, n in sorted(self.elements.items())]


def add_declarations(seen: dict[str, None], root: etree._Element) -> None:
    """Add the paragraphs of the ``editorialDecl`` of ``root`` not yet ``seen``, in order."""
    for decl in root.iter(T + "editorialDecl"):
        for p in decl.iter(T + "p"):
            seen.setdefault(plain(p), None)
        for part in decl:
            if isinstance(part.tag, str) and local(part) != "p":
                for p in part.iter(T + "p"):
                    seen.setdefault(plain(p), None)


def count_interventions(found: Counter[str], text: etree._Element) -> None:
    """Add to ``found`` how many of each kind of markup a ``<text>`` holds."""
    for el in text.iter(T + "persName", T + "placeName", T + "geogName", T + "orgName"):
        found["names tagged"] += 1
        found["names linked to the register"] += bool(el.get("ref"))
        found["identifications marked uncertain"] += bool(
            el.get("ref") and el.get("cert") in {"low", "medium"})
        found["names not in the register"] += not el.get("ref")
    found["dates normalised"] += sum(1 for d in text.iter(T + "date")
                                     if d.get("when") or d.get("from") or d.get("notBefore"))
    found["redactions"] += sum(1 for s in text.iter(T + "seg") if s.get("type") == "redaction")
    found["redactions identified by the editors"] += sum(
        1 for s in text.iter(T + "supplied") if s.get("reason") == "redacted")
    found["editorial notes"] += sum(1 for n in text.iter(T + "note") if n.get("resp"))


def editorial_declarations(trees: Iterable[etree._ElementTree]) -> list[str]:
    """The paragraphs of the ``editorialDecl`` of the trees, each once, in order."""
    seen: dict[str, None] = {}
    for tree in trees:
        add_declarations(seen, tree.getroot())
    return [p for p in seen if p]


def element_usage(trees: Iterable[etree._ElementTree]) -> list[tuple[str, int, list[str]]]:
    """Each TEI element used in the texts' ``<text>``: count and its ``@type`` values."""
    markup = Markup()
    for tree in trees:
        markup.add(tree)
    return markup.usage()


# ---------------------------------------------------------------- pages


def render_page(info: EditionInfo, html_dir: Path, template: str, filename: str,
                **context: object) -> Path:
    """Render ``template`` into ``html_dir/filename`` (atomically, piece by piece:
    a page may be as large as the edition's index); return its path."""
    target = html_dir / filename
    write_pieces(target, environment().get_template(template).generate(
        edition=info, current=filename, **context))
    return target


def archives_by_document(index: EditionIndex) -> dict[str, ArchivalUnit]:
    """The archival unit each document is cited from (the last in the index's order)."""
    return {c.doc_id: unit for unit in index.archival for c in unit.citations if c.doc_id}


def text_page_files(text_id: str) -> tuple[str, ...]:
    """What :func:`write_text_page` writes, relative to ``out``."""
    return (f"html/{text_id}.html", f"html/tei/{text_id}.xml", f"html/txt/{text_id}.txt")


def write_text_page(edition: Edition, text_id: str, tree: etree._ElementTree,
                    out: Path, summary: TextSummary | None = None) -> list[str]:
    """Write the reading page of one text, ``out/html/<text_id>.html``, from its
    tree (and its index entries, ``summary``, if the caller has them), and put
    its TEI and plain text (``out/tei``, ``out/txt``, written before) beside
    it; return what was written, relative to ``out``."""
    from .render import render_body

    if summary is None:
        summary = summarize(text_id, tree.getroot(), edition.register)
    index = EditionIndex.from_summaries([summary])
    text = index.texts[0]
    cites = citations(text, index.documents, edition.info, archives_by_document(index))
    has_txt = (out / "txt" / f"{text_id}.txt").exists()
    render_page(edition.info, out / "html", "text.html", f"{text_id}.html", text=text,
                documents=index.documents, body=render_body(tree, **XSLT_PARAMS), cites=cites,
                cite_data=[asdict(c) for c in cites], has_txt=has_txt)
    written = [f"html/{text_id}.html"]
    for folder, suffix in (("tei", ".xml"), ("txt", ".txt")):
        rel = f"{folder}/{text_id}{suffix}"
        if (out / rel).is_file():
            _link(out / rel, out / "html" / rel)
            written.append(f"html/{rel}")
    return written


def _link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class Site:
    """The pages of the edition as a whole, from the texts' digests
    (:func:`edition.digest.gather`): given by the build, else made from the
    TEI of ``out/tei`` read one text at a time.  What grows with the texts
    (the registers' mentions, the chronology, the search index) is written
    as it is read from the digests, never held whole."""

    def __init__(self, edition: Edition, out: Path, gathered: Gathered) -> None:
        self.edition = edition
        self.info = edition.info
        self.out = out
        self.html = out / "html"
        self.gathered = gathered
        self.markup = gathered.markup
        self.titles = {t.text_id: t.title for t in gathered.texts}
        self.documents = {d.div_id: d for d in gathered.documents}
        self.entries = {e.id: e for e in edition.register}

    # ------------------------------------------------------------ helpers

    def render(self, template: str, filename: str, **context: object) -> None:
        render_page(self.info, self.html, template, filename, site=self, **context)

    def where(self, occ: Occurrence | ChronologyEvent) -> str:
        """The title of the document (or else of the text) a passage is in."""
        doc = self.documents.get(occ.doc_id or "")
        return doc.title if doc else self.titles.get(occ.text_id, occ.text_id)

    def label(self, ident: str) -> str:
        entry = self.entries.get(ident)
        return entry.preferred if entry else ident

    def entity_href(self, ident: str) -> str | None:
        entry = self.entries.get(ident)
        return f"{PAGE_OF_KIND[entry.kind]}#{ident}" if entry else None

    def sorted_documents(self) -> list[DocumentEntry]:
        return sorted(self.gathered.documents, key=lambda d: (d.date_when or "9999", d.div_id))

    # ------------------------------------------------------------ pages

    def write(self) -> None:
        self.copy_files()
        self.render("index.html", "index.html", texts=self.gathered.texts,
                    documents=self.sorted_documents(), counts=self.counts(),
                    documents_of=Counter(d.text_id for d in self.gathered.documents))
        mentions = Mentioned(self.gathered)
        for page, entries in register_pages(self.edition.register):
            self.write_register(page, entries, mentions)
        self.write_chronology()
        self.render("sources.html", "sources.html", tree=archival_tree(self.gathered.archival),
                    citations=len(self.gathered.archival))
        self.write_map()
        self.write_search()
        self.write_method()

    def copy_files(self) -> None:
        """The assets and the register's TEI, so that the site stands alone."""
        if ASSETS.is_dir():
            shutil.copytree(ASSETS, self.html / "assets", dirs_exist_ok=True)
        register = self.out / "tei" / "register.xml"
        if register.is_file():
            _link(register, self.html / "tei" / "register.xml")

    def write_register(self, page: RegisterPage, entries: list[Entry],
                       mentions: Mentioned) -> None:
        """A register page; each entry's mentions come from the sorted spill
        as the page is written (:class:`Mentioned`)."""
        initials = list(dict.fromkeys(initial_of(e.preferred) for e in entries))
        views = (mentions.view(entry) for entry in page_order(entries))
        self.render("register.html", page.file, page=page, count=len(entries),
                    groups=groupby(views, key=attrgetter("initial")), initials=initials)

    def write_chronology(self) -> None:
        """The chronology: the events in date order, grouped by year and month
        as they are read (re-sorted by group first if a group is not one run
        of that order: see :meth:`edition.digest.Chronology.contiguous`)."""
        counts = self.gathered.chronology
        rank = counts.group_rank()
        records: Iterable[tuple] = self.gathered.event_spill
        if not counts.contiguous():
            resorted = self.gathered.folder.spill("events-by-group", limit=10_000)
            for record in records:
                resorted.add((rank[group_of(record[0])], *record))
            records = (record[1:] for record in resorted)
        events = self.gathered.events(records)
        years = groupby(events, key=lambda e: e.year)
        self.render("chronology.html", "chronology.html", count=counts.count,
                    years=list(dict.fromkeys(year for year, _ in rank)),
                    groups=((year, groupby(group, key=lambda e: group_of(e.sort_key)[1]))
                            for year, group in years),
                    timeline=chart(counts), month_name=month_name)

    def write_map(self) -> None:
        places = []
        mentioned = self.gathered.mentioned
        for entry in self.edition.register:
            where = coordinates(entry.element) if entry.kind == "place" else None
            if where:
                count = mentioned[entry.id].count if entry.id in mentioned else 0
                places.append(MapPlace(entry.id, entry.preferred, *where, count,
                                       entry.element.get("type")))
        self.render("map.html", "map.html", maps=maps(places),
                    places=sorted(places, key=lambda p: (-p.count, p.name)))

    def write_search(self) -> None:
        """``search-index.js`` and ``.json``: the passages read from the digests
        once, each written to both as it comes."""
        head = search_head(self.gathered, self.entries)
        compact = {"ensure_ascii": False, "separators": (",", ":")}
        with contextlib.ExitStack() as stack:  # the two take the items in step (tee)
            script = stack.enter_context(streamed(self.html / "search-index.js"))
            data = stack.enter_context(streamed(self.html / "search-index.json"))
            one, two = tee(search_passages(self.gathered.passages(), self.documents))
            script.write(b"window.EDITION_SEARCH = ")
            for for_script, for_data in zip(json_pieces(head, one, **compact),
                                            json_pieces(head, two, ensure_ascii=False),
                                            strict=True):
                script.write(for_script.encode("utf-8"))
                data.write(for_data.encode("utf-8"))
            script.write(b";\n")
        self.render("search.html", "search.html")

    def write_method(self) -> None:
        register_tree = self.out / "tei" / "register.xml"
        conventions = editorial_declarations([parse(register_tree)]) \
            if register_tree.exists() else []
        declarations = [p for p in self.markup.declarations if p]
        self.render("method.html", "method.html", declarations=declarations,
                    conventions=conventions, stats=self.statistics())
        self.render("encoding.html", "encoding.html", elements=self.markup.usage())

    # ------------------------------------------------------------ figures

    def counts(self) -> dict[str, int]:
        kinds = Counter(self.gathered.kinds.values())
        return {"texts": len(self.gathered.texts), "documents": len(self.gathered.documents),
                "persons": kinds["person"], "places": kinds["place"],
                "organisations": kinds["org"], "events": self.gathered.chronology.count,
                "archival": len(self.gathered.archival)}

    def statistics(self) -> list[tuple[str, int]]:
        """How many of each kind of markup the texts hold (from the TEI)."""
        return list(self.markup.interventions.items())


class Mentioned:
    """The register entries' views, their mentions read from the gathered
    spill (sorted by the entries' rank in the pages, :func:`register_order`,
    then in the edition's order) as the pages are written, entry after entry."""

    def __init__(self, gathered: Gathered) -> None:
        self.gathered = gathered
        self.order = gathered.order or {}
        self.groups = groupby(gathered.mentions, key=itemgetter(0))
        self.waiting: tuple[int, Iterator[tuple]] | None = None

    def view(self, entry: Entry) -> EntryView:
        """The view of the next entry of the pages (in :func:`register_order`);
        its mentions are read when the page shows them, so the views must be
        taken in that order, each shown before the next is taken (taking one
        moves the shared reader past the mentions of those before)."""
        found = self.gathered.mentioned.get(entry.id)
        rank = self.order.get(entry.id, -1)
        while self.waiting is None or self.waiting[0] < rank:
            self.waiting = next(self.groups, (len(self.order), iter(())))
            if self.waiting[0] >= len(self.order):
                break
        records: Iterable[tuple] = ()
        if self.waiting[0] == rank:
            records, self.waiting = self.waiting[1], None
        return entry_view(entry, self._by_text(records), found.count if found else 0,
                          len(found.texts) if found else 0)

    def _by_text(self, records: Iterable[tuple]
                 ) -> Iterator[tuple[str, str, Iterator[Occurrence]]]:
        titles = self.gathered.texts
        for number, group in groupby(records, key=itemgetter(1)):
            text = titles[number]
            yield text.text_id, text.title, (
                Occurrence(text.text_id, element_id, doc_id, snippet)
                for _, _, _, element_id, doc_id, snippet in group)


def write_edition_pages(edition: Edition, out: Path, gathered: Gathered | None = None) -> None:
    """Write the pages of the edition as a whole into ``out/html`` from the
    texts' digests, ``gathered`` (:func:`edition.digest.gather`, with the
    mentions in :func:`register_order`), else from ``out/tei``."""
    from .digest import gather

    if gathered is not None:
        Site(edition, out, gathered).write()
        return
    with gather(out / "tei", edition.register, order=register_order(edition.register)) as made:
        Site(edition, out, made).write()


def write_site(edition: Edition, results: Sequence[TextResult] = (), out: Path = Path("out"),
               ) -> None:
    """Write the whole reading edition into ``out/html`` from ``out/tei`` (and
    ``out/txt``): every text's page, one text at a time, then the edition's
    pages.  ``results`` is not used (kept for the callers of old)."""
    del results
    for text_id, tree in iter_texts(out / "tei"):
        write_text_page(edition, text_id, tree, out)
    write_edition_pages(edition, out)


__all__ = ["Site", "TextEntry", "write_edition_pages", "write_site", "write_text_page"]

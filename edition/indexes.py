"""Indexes of the edition as a whole, built once from its TEI files.

Where every register entity is mentioned, every document with its
correspondence metadata, every dated event, every archival unit cited, and
the searchable passages.  The site (``edition/site.py``) and the exports read
the same :class:`EditionIndex`.

One walk of each ``<text>`` finds the *passages*: the elements with an
``@xml:id`` (paragraphs, list items, headings, notes...).  Every mention, date
and archival reference belongs to its nearest passage; each passage's text is
flattened once, without the text of the passages nested in it, so building
the index is linear in the size of the edition.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lxml import etree

from .model import TEI_NS, XML_NS

if TYPE_CHECKING:
    from .register import Register

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
NAME_KINDS = {"persName": "person", "placeName": "place", "geogName": "place", "orgName": "org"}
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
ARCHIVAL_LEVELS = ("fond", "opis", "delo", "papka")
SNIPPET_RADIUS = 70
CONTEXT_LIMIT = 320
#: words after which a full stop does not end a sentence
_ABBREVIATIONS = """no nos gen lt col maj capt cpt adm mr mrs dr st vol p pp f op d l ll ch cf ca
    vs etc jan feb mar apr jun jul aug sep sept oct nov dec comr tov"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place in a text: its passage (``element_id``), its document, a snippet."""

    text_id: str
    element_id: str | None
    doc_id: str | None
    snippet: str

    @property
    def href(self) -> str:
        """The reading-edition URL of the passage, relative to the site's root."""
        return f"{self.text_id}.html" + (f"#{self.element_id}" if self.element_id else "")


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One ``div type="document"`` (or one quoted in a ``floatingText``)."""

    text_id: str
    div_id: str
    title: str
    date_when: str | None
    sender: str | None
    recipient: str | None
    kind: str
    floating: bool


@dataclass(frozen=True, slots=True)
class ChronologyEvent:
    """A dated statement of a text: the date as written and the words around it."""

    sort_key: str
    when: str | None
    from_: str | None
    to: str | None
    label: str
    context: str
    text_id: str
    element_id: str | None
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    doc_id: str | None = None

    @property
    def year(self) -> str:
        return self.sort_key[:4]


@dataclass(frozen=True, slots=True)
class ArchivalUnit:
    """A unit of an archive down to the folios, with every place that cites it."""

    repository_id: str | None
    repository: str
    fond: str | None
    opis: str | None
    delo: str | None
    papka: str | None
    folios: str | None
    citations: list[Occurrence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage (an element with ``@xml:id``) and what it contains: the unit of search."""

    text_id: str
    element_id: str
    doc_id: str | None
    text: str
    entities: tuple[str, ...]  # register ids, in order of first mention
    years: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextEntry:
    """A text of the edition as its header describes it."""

    text_id: str
    title: str
    date: str | None
    uri: str | None
    version: str | None
    published: str | None
    publisher: str | None
    licence: str | None
    responsibilities: tuple[tuple[str, str], ...]  # (resp, name)
    source_title: str | None
    source_publisher: str | None
    source_url: str | None


# ---------------------------------------------------------------- helpers


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def squash(text: str) -> str:
    return " ".join(text.split())


def plain(el: etree._Element | None) -> str:
    """The text of an element without its notes, white space normalised."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local(child) != "note":
            parts.append(plain(child))
        parts.append(child.tail or "")
    return squash("".join(parts))


def refs(el: etree._Element) -> list[str]:
    """The local ids an element's ``@ref`` points to (``#id`` tokens)."""
    return [t[1:] for t in (el.get("ref") or "").split() if t.startswith("#") and len(t) > 1]


def date_value(el: etree._Element) -> str | None:
    """The ISO start of a date element: ``@when``, ``@from`` or ``@notBefore``."""
    return el.get("when") or el.get("from") or el.get("notBefore") or el.get("to") \
        or el.get("notAfter")


def natural(value: str | None) -> tuple[tuple[int, str], ...]:
    """Sort key that orders ``059a`` after ``45`` and ``100`` after ``99``."""
    if not value:
        return ()
    return tuple((int(p), "") if p.isdigit() else (-1, p.casefold())
                 for p in re.findall(r"\d+|\D+", value))


def cut(text: str, start: int, end: int, radius: int) -> str:
    """``text[start:end]`` with up to ``radius`` characters either side, cut at words."""
    left, right = max(0, start - radius), min(len(text), end + radius)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    snippet = squash(text[left:right])
    return ("… " if left > 0 else "") + snippet + (" …" if right < len(text) else "")


# ---------------------------------------------------------------- passages


@dataclass
class _Unit:
    """A passage being indexed: its element, document, and the elements of interest."""

    element: etree._Element
    doc: etree._Element | None
    paratext: bool
    names: list[etree._Element] = field(default_factory=list)
    dates: list[etree._Element] = field(default_factory=list)
    bibls: list[etree._Element] = field(default_factory=list)
    text: str = ""
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    stops: list[int] = field(default_factory=list)

    def flatten(self) -> None:
        """Its text (nested passages left out) and where each element stands in it."""
        parts: list[str] = []
        position = 0

        def walk(el: etree._Element) -> None:
            nonlocal position
            start = position
            if el.text:
                parts.append(el.text)
                position += len(el.text)
            for child in el:
                if isinstance(child.tag, str):
                    if child.get(XML_ID) is None:
                        walk(child)
                    else:  # a nested passage: a word break, not its words
                        parts.append(" ")
                        position += 1
                if child.tail:
                    parts.append(child.tail)
                    position += len(child.tail)
            self.spans[el] = (start, position)

        walk(self.element)
        self.text = "".join(parts)
        self.stops = sentence_stops(self.text)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The span of the sentence around ``start:end`` (the whole of a list item)."""
        if local(self.element) == "item":
            return 0, len(self.text)
        i = bisect_right(self.stops, start)
        left = self.stops[i - 1] if i else 0
        j = bisect_left(self.stops, end)
        right = self.stops[j] if j < len(self.stops) else len(self.text)
        return left, right


def sentence_stops(text: str) -> list[int]:
    """Offsets where sentences of ``text`` begin (after ``.``, ``!``, ``?``),
    not after initials and common abbreviations."""
    stops = []
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == ".":
            before = word_before(text, match.start())
            if before and (len(before) == 1 or before.casefold() in ABBREVIATIONS):
                continue
        stops.append(match.end())
    return stops


def word_before(text: str, end: int) -> str:
    """The last run of word characters (``\\w``) in ``text[:end]`` ('' if none).

    The same as ``re.search(r"(\\w+)\\W*$", text[:end + 1])`` when ``text[end]``
    is not a word character, without that search's scan from the start of the
    text (quadratic in long passages): ``\\w`` is ``str.isalnum()`` or ``_``."""
    stop = end
    while stop > 0 and not _is_word(text[stop - 1]):
        stop -= 1
    start = stop
    while start > 0 and _is_word(text[start - 1]):
        start -= 1
    return text[start:stop]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _walk(el: etree._Element, unit: _Unit | None, doc: etree._Element | None,
          paratext: bool, units: list[_Unit]) -> None:
    """Assign every element of interest below ``el`` to its nearest passage."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = local(child)
        child_doc = child if name == "div" and child.get("type") == "document" else doc
        child_para = paratext or (name == "div" and child.get("type") == "paratext")
        child_unit = unit
        if child.get(XML_ID) is not None:
            child_unit = _Unit(child, child_doc, child_para)
            units.append(child_unit)
        if child_unit is not None:
            if name in NAME_KINDS and refs(child):
                child_unit.names.append(child)
            elif name == "date" and date_value(child):
                child_unit.dates.append(child)
            elif name == "bibl" and child.get("type") == "archival":
                child_unit.bibls.append(child)
        _walk(child, child_unit, child_doc, child_para, units)


def passages(root: etree._Element) -> list[_Unit]:
    """The passages of a TEI document's ``<text>``, flattened, in document order."""
    units: list[_Unit] = []
    for text in root.iter(T + "text"):
        if text.getparent() is not None and local(text.getparent()) in {"TEI", "group"}:
            _walk(text, None, None, False, units)
    for unit in units:
        unit.flatten()
    return units


# ---------------------------------------------------------------- the index


def _kind_of(el: etree._Element, ident: str, register: Register | None) -> str:
    if register is not None and ident in register:
        return register[ident].kind
    return NAME_KINDS.get(local(el), "name")


def _archival_key(bibl: etree._Element, register: Register | None) -> tuple[str | None, ...]:
    """(repository id, repository name, fond, opis, delo, papka, folios) of a reference;
    the repository is named by its preferred form in the register where it has one."""
    repo = next(iter(bibl.iter(T + "orgName", T + "repository", T + "institution")), None)
    repo_id = refs(repo)[0] if repo is not None and refs(repo) else None
    if repo_id and register is not None and repo_id in register:
        name = register[repo_id].preferred
    else:
        name = plain(repo) if repo is not None else ""
    levels = []
    for level in ARCHIVAL_LEVELS:
        idno = bibl.find(f".//{T}idno[@type='{level}']")
        levels.append(squash(idno.text or "") if idno is not None else None)
    folios = ", ".join(plain(r) for r in bibl.iter(T + "citedRange")) or None
    return (repo_id, name, *levels, folios)


ArchivalKey = tuple[str | None, ...]


@dataclass
class TextSummary:
    """What one text adds to the :class:`EditionIndex`, without its tree.

    Computed once, where the tree is at hand (the build's worker), small and
    picklable, and merged in the edition's order by :meth:`EditionIndex.from_summaries`.
    Everything in it depends on this text and the register only; the one thing
    that depends on the texts before it, the kind of an entity the register does
    not know (that of its first mention in the edition), is settled in the merge:
    ``mentions`` keep the kind of each mention, and each event keeps the names
    of its sentence, which become its persons and places once the kinds are known.
    """

    text: TextEntry
    documents: list[DocumentEntry] = field(default_factory=list)
    mentions: list[tuple[str, str, Occurrence]] = field(default_factory=list)
    events: list[tuple[ChronologyEvent, tuple[str, ...]]] = field(default_factory=list)
    archival: list[tuple[ArchivalKey, Occurrence]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)


def summarize(text_id: str, root: etree._Element, register: Register | None = None
              ) -> TextSummary:
    """The index entries of one text (``root``: its ``TEI`` element)."""
    header = root.find(f"{T}teiHeader")
    summary = TextSummary(text_entry(text_id, header))
    correspondence = _correspondence(header)
    cited: set[ArchivalKey] = set()
    for unit in passages(root):
        _add_passage(summary, text_id, unit, register)
        for bibl in unit.bibls:
            key = _archival_key(bibl, register)
            cited.add(key)
            summary.archival.append((key, _occurrence(text_id, unit, bibl, radius=0)))
        if unit.element.get("type") == "document" and local(unit.element) == "div":
            summary.documents.append(document_entry(text_id, unit.element, correspondence))
    if header is not None:  # units the header names but the text does not cite
        for bibl in header.iter(T + "bibl"):
            key = _archival_key(bibl, register) if bibl.get("type") == "archival" else None
            if key is not None and key not in cited:
                cited.add(key)
                summary.archival.append((key, Occurrence(text_id, None, None, plain(bibl))))
    return summary


def _occurrence(text_id: str, unit: _Unit, el: etree._Element,
                radius: int = SNIPPET_RADIUS) -> Occurrence:
    start, end = unit.spans.get(el, (0, 0))
    snippet = cut(unit.text, start, end, radius) if end > start else plain(el)
    doc_id = unit.doc.get(XML_ID) if unit.doc is not None else None
    return Occurrence(text_id, unit.element.get(XML_ID), doc_id, snippet)


def _add_passage(summary: TextSummary, text_id: str, unit: _Unit,
                 register: Register | None) -> None:
    mentioned: dict[str, None] = {}
    for el in unit.names:
        occurrence = _occurrence(text_id, unit, el)
        for ident in refs(el):
            summary.mentions.append((ident, _kind_of(el, ident, register), occurrence))
            mentioned[ident] = None
    years = {d[:4] for d in map(date_value, unit.dates) if d and d[:4].isdigit()}
    if not unit.paratext:
        summary.events.extend(_events(text_id, unit))
    if squash(unit.text):
        doc_id = unit.doc.get(XML_ID) if unit.doc is not None else None
        summary.passages.append(Passage(text_id, unit.element.get(XML_ID), doc_id,
                                        squash(unit.text), tuple(mentioned),
                                        tuple(sorted(years))))


def _events(text_id: str, unit: _Unit) -> Iterator[tuple[ChronologyEvent, tuple[str, ...]]]:
    """The unit's dated statements, each with the entities named in its sentence."""
    named = sorted(((unit.spans.get(el, (0, 0))[0], el) for el in unit.names),
                   key=lambda pair: pair[0])
    starts = [start for start, _ in named]
    doc_id = unit.doc.get(XML_ID) if unit.doc is not None else None
    for date in unit.dates:
        start, end = unit.spans.get(date, (0, 0))
        left, right = unit.sentence(start, end)
        if right - left > CONTEXT_LIMIT:
            context = cut(unit.text, start, end, CONTEXT_LIMIT // 2)
        else:
            context = squash(unit.text[left:right])
        names = dict.fromkeys(ident for _, el in named[bisect_left(starts, left):
                                                       bisect_left(starts, right)]
                              for ident in refs(el))
        event = ChronologyEvent(
            sort_key=date_value(date) or "", when=date.get("when"),
            from_=date.get("from") or date.get("notBefore"),
            to=date.get("to") or date.get("notAfter"),
            label=plain(date) or date_value(date) or "", context=context, text_id=text_id,
            element_id=unit.element.get(XML_ID), doc_id=doc_id)
        yield event, tuple(names)


@dataclass
class EditionIndex:
    """Everything the edition-wide pages need, merged from the texts' summaries."""

    texts: list[TextEntry] = field(default_factory=list)
    documents: list[DocumentEntry] = field(default_factory=list)
    entities: dict[str, list[Occurrence]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # entity id -> person|place|org
    events: list[ChronologyEvent] = field(default_factory=list)
    archival: list[ArchivalUnit] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @classmethod
    def from_tei(cls, items: Iterable[tuple[str, etree._ElementTree]],
                 register: Register | None = None) -> EditionIndex:
        """Index the texts ``(text_id, tree)`` in the order given."""
        return cls.from_summaries(
            summarize(text_id, tree.getroot() if hasattr(tree, "getroot") else tree, register)
            for text_id, tree in items)

    @classmethod
    def from_summaries(cls, summaries: Iterable[TextSummary]) -> EditionIndex:
        """Merge the texts' summaries in the order given (the edition's order)."""
        merger = IndexMerger()
        for summary in summaries:
            merger.add(summary)
        return merger.finish()

    # ------------------------------------------------------------ queries

    def of_kind(self, kind: str) -> list[str]:
        """Ids of the mentioned entities of one kind (person, place, org)."""
        return [ident for ident, k in self.kinds.items() if k == kind]

    def document(self, div_id: str) -> DocumentEntry | None:
        return next((d for d in self.documents if d.div_id == div_id), None)


class IndexMerger:
    """Builds an :class:`EditionIndex` one :class:`TextSummary` at a time; it
    keeps the entries of the index, never the summaries or trees.

    The result is the one indexing the texts in that order would give: lists
    are extended in order, an entity's kind is that of its first mention (a
    ``setdefault``, never changed later, so the kinds an event's persons and
    places are chosen by at :meth:`finish` are those they had when the event
    was indexed), events are sorted stably by date at the end."""

    def __init__(self) -> None:
        self.index = EditionIndex()
        self.units: dict[ArchivalKey, ArchivalUnit] = {}
        self.pending: list[tuple[ChronologyEvent, tuple[str, ...]]] = []

    def add(self, summary: TextSummary) -> None:
        index = self.index
        index.texts.append(summary.text)
        index.documents.extend(summary.documents)
        for ident, kind, occurrence in summary.mentions:
            index.entities.setdefault(ident, []).append(occurrence)
            index.kinds.setdefault(ident, kind)
        self.pending.extend(summary.events)
        for key, occurrence in summary.archival:
            _archival_unit(self.units, key).citations.append(occurrence)
        index.passages.extend(summary.passages)

    def finish(self) -> EditionIndex:
        index, kinds = self.index, self.index.kinds
        index.events = [
            replace(event, persons=[i for i in names if kinds.get(i) == "person"],
                    places=[i for i in names if kinds.get(i) == "place"]) if names else event
            for event, names in self.pending]
        self.pending = []
        index.events.sort(key=lambda e: e.sort_key)
        index.archival = sorted(self.units.values(), key=_unit_order)
        return index


def _unit_order(unit: ArchivalUnit) -> tuple[object, ...]:
    return (unit.repository.casefold(), natural(unit.fond), natural(unit.opis),
            natural(unit.delo), natural(unit.papka), natural(unit.folios))


def _archival_unit(units: dict[tuple[str | None, ...], ArchivalUnit],
                   key: tuple[str | None, ...]) -> ArchivalUnit:
    if key not in units:
        repo_id, repo, fond, opis, delo, papka, folios = key
        units[key] = ArchivalUnit(repo_id, repo or "", fond, opis, delo, papka, folios)
    return units[key]


# ---------------------------------------------------------------- header data


def _first(el: etree._Element | None, path: str) -> etree._Element | None:
    return el.find(path) if el is not None else None


def text_entry(text_id: str, header: etree._Element | None) -> TextEntry:
    """The bibliographic data of a text from its ``teiHeader``."""
    file_desc = _first(header, f"{T}fileDesc")
    title_stmt = _first(file_desc, f"{T}titleStmt")
    pub = _first(file_desc, f"{T}publicationStmt")
    source = _first(file_desc, f"{T}sourceDesc/{T}bibl")
    titles = title_stmt.findall(f"{T}title") if title_stmt is not None else []
    main = next((t for t in titles if t.get("type") in {"main", None}), None)
    resp = tuple(
        (plain(r.find(f"{T}resp")), plain(r.find(f"{T}name") if r.find(f"{T}name") is not None
                                          else r.find(f"{T}persName")))
        for r in (title_stmt.findall(f"{T}respStmt") if title_stmt is not None else [])
    )
    edition = _first(file_desc, f"{T}editionStmt/{T}edition")
    creation = _first(header, f"{T}profileDesc/{T}creation/{T}date")
    uri = _first(pub, f"{T}idno[@type='URI']")
    licence = _first(pub, f".//{T}licence")
    pub_date = _first(pub, f"{T}date")
    link = _first(source, f".//{T}ref[@target]")
    return TextEntry(
        text_id=text_id,
        title=plain(main) or text_id,
        date=date_value(creation) if creation is not None else None,
        uri=plain(uri) or None,
        version=edition.get("n") if edition is not None else None,
        published=(pub_date.get("when") or plain(pub_date)) if pub_date is not None else None,
        publisher=plain(_first(pub, f"{T}publisher")) or None,
        licence=plain(licence) or None,
        responsibilities=resp,
        source_title=plain(_first(source, f"{T}title")) or None,
        source_publisher=plain(_first(source, f"{T}publisher")) or None,
        source_url=link.get("target") if link is not None else None,
    )


def _correspondence(header: etree._Element | None) -> dict[str, etree._Element]:
    """``correspDesc`` elements by the id of the document they describe."""
    found: dict[str, etree._Element] = {}
    if header is None:
        return found
    for desc in header.iter(T + "correspDesc"):
        for ident in refs(desc):
            found.setdefault(ident, desc)
    return found


def _party(desc: etree._Element | None, action: str) -> str | None:
    if desc is None:
        return None
    el = desc.find(f"{T}correspAction[@type='{action}']")
    if el is None:
        return None
    names = [plain(n) for n in el if local(n) in {"persName", "orgName", "name"}]
    return "; ".join(n for n in names if n) or None


def document_entry(text_id: str, div: etree._Element,
                   correspondence: dict[str, etree._Element]) -> DocumentEntry:
    """A document's title, date and parties from its head and ``correspDesc``."""
    div_id = div.get(XML_ID)
    desc = correspondence.get(div_id)
    sent_date = _first(desc, f"{T}correspAction[@type='sent']/{T}date")
    date = date_value(sent_date) if sent_date is not None else None
    if date is None:
        first = div.find(f".//{T}dateline//{T}date")
        first = first if first is not None else div.find(f".//{T}date")
        date = date_value(first) if first is not None else None
    sender, recipient = _party(desc, "sent"), _party(desc, "received")
    title = plain(div.find(f"{T}head"))
    if not title:
        parties = " to ".join(p for p in (sender, recipient) if p)
        number = f"No. {div.get('n')}" if div.get("n") else ""
        title = " ".join(x for x in (_kind(div).capitalize(), number, parties and f"({parties})")
                         if x)
    floating = any(local(a) == "floatingText" for a in div.iterancestors())
    return DocumentEntry(text_id, div_id, title, date, sender, recipient, _kind(div), floating)


def _kind(div: etree._Element) -> str:
    return (div.get("subtype") or "document").replace("-", " ")

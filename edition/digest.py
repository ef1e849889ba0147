"""Digests of the texts: what the pages and exports of the edition as a whole
need of each text, computed once from its tree.

Like Sphinx's build environment: the build's worker that holds a text's tree
makes its :class:`TextDigest` (its index entries, its markup figures, what
the exchange files need) while it writes the text's page, and keeps it in
the edition's cache folder (:func:`edition.cache.digest_dir`), named by a
hash of everything it depends on: the key of the text's page (the TEI's
bytes, the editorial data, the code) and the text's id; so an unchanged
text's digest serves the next build too, and ``out/`` holds nothing new.
A digest that is missing or unreadable (cache cleared, not writable) is made
again from the TEI file.  Outside a build (``edition export``,
:func:`edition.site.write_edition_pages`) the digests are made from
``out/tei`` itself: a hand-edited TEI file is never described by a stale one.

Bounded memory.  The edition-wide phase never holds the digests together:
:func:`gather` reads them one at a time and keeps only small records of each
text (its entry, documents, the kinds and counts of the entities it names,
its markup figures, what the exchange files need but the letters), while
the parts that grow with the texts go to disk: the mentions of register
entries and the dated events into :class:`~edition.spill.Spill` sorts (in
the order of the register pages and of the chronology), the letters (CMIF)
into a :class:`~edition.spill.Spool` in the edition's order
(:meth:`Gathered.letters`), the passages stay in the digest files and are
read again, in order, for the search index (:meth:`Gathered.passages`).

The file: plain tuples, lists and strings written with :mod:`marshal` (no
class is restored on reading, so loading costs little), in two sections
(everything but the passages; the passages), each with its length and a
BLAKE2 checksum in the header: a damaged or truncated file, or one of
another format, is detected before it is decoded, and made again.  Written
atomically (:func:`edition.xmlio.write_atomic`).  Like the pickled schemas
of :mod:`edition.validate`, the cache is the user's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .cache import used
from .export import ExchangeTexts, TextExchange, text_exchange
from .export.cmif import Letters
from .indexes import (
    XML_ID,
    ArchivalUnit,
    ChronologyEvent,
    DocumentEntry,
    Occurrence,
    Passage,
    T,
    TextEntry,
    TextSummary,
    _archival_unit,
    _unit_order,
    summarize,
)
from .site import Chronology, Markup
from .spill import Spill, SpillFolder, Spool
from .xmlio import parse, write_atomic

if TYPE_CHECKING:
    from .register import Register


@dataclass
class TextDigest:
    """What the edition-wide phase needs of one text (no trees)."""

    text_id: str
    index: TextSummary
    markup: Markup
    exchange: TextExchange


def text_id_of(tree: etree._ElementTree, stem: str) -> str:
    """A text's id as the edition-wide pages know it: its ``@xml:id``, else its file's stem."""
    return tree.getroot().get(XML_ID) or stem


def is_text(tree: etree._ElementTree) -> bool:
    """True if the TEI file is a text (it has a ``<text>``; the register has none)."""
    return tree.getroot().find(f"{T}text") is not None


def digest(text_id: str, tree: etree._ElementTree, register: Register | None) -> TextDigest:
    """The digest of one text (``text_id``: :func:`text_id_of`)."""
    return TextDigest(text_id, summarize(text_id, tree.getroot(), register), Markup.of(tree),
                      text_exchange(text_id, tree))


# ---------------------------------------------------------------- the file


MAGIC = b"EDG2"
HEADER = struct.Struct("<4sQQ16s16s")  # magic, section lengths, section checksums


class Unreadable(Exception):
    """A digest file that is missing, damaged or of another format."""


def _fields(cls: type) -> attrgetter:
    return attrgetter(*cls.__dataclass_fields__)


_TEXT, _DOC = _fields(TextEntry), _fields(DocumentEntry)
_EVENT = attrgetter("sort_key", "when", "from_", "to", "label", "context", "element_id",
                    "doc_id")


def _plain(text: TextDigest) -> tuple[tuple, list]:
    """The digest as plain values: (everything but the passages, the passages)."""
    summary, exchange, letters = text.index, text.exchange, text.exchange.letters
    main = (
        text.text_id, _TEXT(summary.text), [_DOC(d) for d in summary.documents],
        [(ident, kind, o.element_id, o.doc_id, o.snippet) for ident, kind, o in summary.mentions],
        [(*_EVENT(event), names) for event, names in summary.events],
        [(key, o.element_id, o.doc_id, o.snippet) for key, o in summary.archival],
        text.markup.plain(),
        (exchange.uri, exchange.title, exchange.entities,
         None if letters is None else (letters.title, letters.descs)),
    )
    passages = [(p.element_id, p.doc_id, p.text, p.entities, p.years) for p in summary.passages]
    return main, passages


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def encode(text: TextDigest | None) -> bytes:
    """The bytes of a digest file (None: the TEI file is no text)."""
    main, passages = _plain(text) if text is not None else (None, [])
    one, two = marshal.dumps(main), marshal.dumps(passages)
    return HEADER.pack(MAGIC, len(one), len(two), _checksum(one), _checksum(two)) + one + two


def cached_digest(key: str) -> Path:
    """Where the digest of the inputs hashed as ``key`` is kept."""
    from .cache import digest_dir

    return digest_dir() / f"{key}.digest"


def store_digest(path: Path, text: TextDigest | None) -> None:
    """Keep a digest (None: the file is no text); a cache that cannot be written
    costs the edition-wide phase a parse, nothing else."""
    with contextlib.suppress(OSError):
        write_atomic(path, encode(text))


def read_section(path: Path, passages: bool = False) -> object:
    """One section of a digest file; :class:`Unreadable` if it cannot be read.
    Reading the first section checks the whole file (both checksums), so a
    file whose first section was read serves its passages too."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER.size)
            if len(head) != HEADER.size:
                raise Unreadable(path)
            magic, one, two, sum_one, sum_two = HEADER.unpack(head)
            if magic != MAGIC:
                raise Unreadable(path)
            first = b""
            if passages:
                handle.seek(one, 1)
            else:
                first = handle.read(one)
                _check(first, one, sum_one, path)
            second = handle.read(two)
            _check(second, two, sum_two, path)
    except OSError:
        raise Unreadable(path) from None
    try:
        return marshal.loads(second if passages else first)
    except (EOFError, ValueError, TypeError):
        raise Unreadable(path) from None


def _check(data: bytes, size: int, checksum: bytes, path: Path) -> None:
    if len(data) != size or _checksum(data) != checksum:
        raise Unreadable(path)


# ---------------------------------------------------------------- gathering


@dataclass
class Mentions:
    """How often an entity is named, and in which texts (each once, in order)."""

    count: int = 0
    texts: list[str] = field(default_factory=list)


class Gathered:
    """The digests of every text, merged in the edition's order (:func:`gather`).

    Held: the small records of every text (``texts``, ``documents``, ``kinds``,
    ``mentioned``, ``archival``, ``chronology``, ``markup``, ``exchange``
    without the letters); on disk: the mentions of register entries
    (``mentions``, records ``(rank, text, n, element id, document id,
    snippet)`` by the rank the caller gave each entry, then the edition's
    order), the events (:meth:`events`) and the letters (:meth:`letters`).
    Close it (or use it as a context manager) to remove what it spilled."""

    def __init__(self, folder: SpillFolder, order: Mapping[str, int] | None) -> None:
        self.folder = folder
        self.order = order
        self.texts: list[TextEntry] = []
        self.documents: list[DocumentEntry] = []
        self.kinds: dict[str, str] = {}
        self.mentioned: dict[str, Mentions] = {}
        self.units: dict[tuple, ArchivalUnit] = {}
        self.chronology = Chronology()
        self.markup = Markup()
        self.exchange = ExchangeTexts()
        self.files: list[Path] = []
        self.mentions: Spill = folder.spill("mentions")
        self.event_spill: Spill = folder.spill("events", limit=10_000)
        self.letter_spool: Spool = folder.spool("letters")

    def add(self, path: Path, main: tuple) -> None:
        """Merge one text's digest (``main``: its first section)."""
        text_id, entry, documents, mentions, events, archival, markup, exchange = main
        number = len(self.texts)
        self.files.append(path)
        self.texts.append(TextEntry(*entry))
        self.documents.extend(DocumentEntry(*d) for d in documents)
        self._add_mentions(text_id, number, mentions)
        for n, event in enumerate(events):
            key = (event[0], number, n)
            self.chronology.add(key)
            self.event_spill.add((*key, *event[1:]))
        for key, element_id, doc_id, snippet in archival:
            _archival_unit(self.units, key).citations.append(
                Occurrence(text_id, element_id, doc_id, snippet))
        self.markup.merge(Markup.from_plain(markup))
        uri, title, entities, letters = exchange
        self.exchange.add(text_id, TextExchange(uri, title, entities, None))
        if letters is not None:
            self.letter_spool.add((text_id, *letters))

    def _add_mentions(self, text_id: str, number: int, mentions: list[tuple]) -> None:
        order, kinds, mentioned = self.order, self.kinds, self.mentioned
        for n, (ident, kind, element_id, doc_id, snippet) in enumerate(mentions):
            kinds.setdefault(ident, kind)
            found = mentioned.get(ident)
            if found is None:
                found = mentioned[ident] = Mentions()
            found.count += 1
            if not found.texts or found.texts[-1] != text_id:
                found.texts.append(text_id)
            if order is not None and ident in order:
                self.mentions.add((order[ident], number, n, element_id, doc_id, snippet))

    def finish(self) -> Gathered:
        self.archival = sorted(self.units.values(), key=_unit_order)
        self.mentions.close()
        self.event_spill.close()
        self.letter_spool.close()
        return self

    # ------------------------------------------------------------ reading

    def text_id(self, number: int) -> str:
        return self.texts[number].text_id

    def events(self, records: Iterable[tuple] | None = None) -> Iterator[ChronologyEvent]:
        """The events in date order (stable: the edition's order within a date),
        their persons and places chosen by the kinds of the whole edition
        (each entity's kind is that of its first mention, which came no later
        than the event's own text: the merged index's rule)."""
        kinds = self.kinds
        for sort_key, number, _, when, from_, to, label, context, element_id, doc_id, names \
                in (self.event_spill if records is None else records):
            yield ChronologyEvent(
                sort_key, when, from_, to, label, context, self.text_id(number), element_id,
                [i for i in names if kinds.get(i) == "person"],
                [i for i in names if kinds.get(i) == "place"], doc_id)

    def letters(self) -> Iterator[tuple[str, Letters]]:
        """Each text's letters (:class:`~edition.export.cmif.Letters`: the texts
        with a ``correspDesc``), in the edition's order, read from disk."""
        for text_id, title, descs in self.letter_spool:
            yield text_id, Letters(title, descs)

    def passages(self) -> Iterator[Passage]:
        """Every passage, in the edition's order, read again from the digests."""
        for number, path in enumerate(self.files):
            text_id = self.text_id(number)
            for element_id, doc_id, text, entities, years in read_section(path, passages=True):
                yield Passage(text_id, element_id, doc_id, text, entities, years)

    def close(self) -> None:
        self.folder.close()

    def __enter__(self) -> Gathered:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def gather(tei_dir: Path, register: Register | None, cached: Mapping[str, Path] | None = None,
           order: Mapping[str, int] | None = None) -> Gathered:
    """Merge the digest of every text of ``tei_dir`` (by file name; files
    without ``<text>`` left out), one at a time: read from ``cached[stem]``
    where it is kept, else made from the file (into the spill folder, for
    the passages).  ``order``: the rank of each register entry whose
    mentions are wanted (:attr:`Gathered.mentions`)."""
    gathered = Gathered(SpillFolder(), order)
    try:
        for path in sorted(tei_dir.glob("*.xml")):
            kept = cached.get(path.stem) if cached else None
            source, main = _main_section(path, kept, register, gathered.folder.path)
            if main is not None:
                gathered.add(source, main)
        return gathered.finish()
    except BaseException:
        gathered.close()
        raise


def _main_section(tei: Path, kept: Path | None, register: Register | None,
                  folder: Path) -> tuple[Path, tuple | None]:
    """The digest file of a TEI file and its first section: the kept one if it
    can be read, else one made now."""
    if kept is not None:
        with contextlib.suppress(Unreadable):
            main = read_section(kept)
            used(kept)  # kept from pruning (edition.cache)
            return kept, main
    tree = parse(tei)
    made = digest(text_id_of(tree, tei.stem), tree, register) if is_text(tree) else None
    source = folder / f"{tei.stem}.digest"
    write_atomic(source, encode(made))
    return source, read_section(source)


def tei_digests(tei_dir: Path, register: Register | None) -> Iterator[TextDigest]:
    """The digest of every text of ``tei_dir`` made from its tree, in file-name
    order (for tests and small editions: :func:`gather` is what the phase uses)."""
    for path in sorted(tei_dir.glob("*.xml")):
        tree = parse(path)
        if is_text(tree):
            yield digest(text_id_of(tree, path.stem), tree, register)

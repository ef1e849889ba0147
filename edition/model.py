"""The document model every stage shares.

A source text is read into a :class:`SourceDocument`: the text itself (never
changed), its sidecar metadata, and a tree of :class:`Division` and
:class:`Block` objects that cover the text by character offsets.  Enrichers
read the text and return :class:`Span` objects (start, end, TEI element,
attributes); the TEI writer resolves overlaps once and builds the inline
markup in one pass.  Nothing in this module knows about XML.

Offsets are Python string indices into ``SourceDocument.text``; ``end`` is
exclusive, as in slicing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: ``@resp`` pointers to the ``respStmt``s every header declares.
RESP_EDITORS = "#editors"
RESP_TRANSLATOR = "#translator"
RESP_SOURCE_EDITOR = "#source-editor"


Attrs = tuple[tuple[str, str], ...]


def attrs(**values: str | None) -> Attrs:
    """Build an ``Attrs`` tuple from keyword arguments, dropping ``None``.

    ``xml_id`` and ``xml_lang`` become ``xml:id`` and ``xml:lang``.
    """
    out = []
    for key, value in values.items():
        if value is None:
            continue
        if key.startswith("xml_"):
            key = "xml:" + key[4:]
        out.append((key.rstrip("_"), value))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Addition:
    """Content the editors add (never source text): a note, a ``supplied``,
    a ``corr``/``reg``/``expan`` member of a ``choice``.

    ``content`` mixes strings and nested additions, e.g.
    ``Addition("supplied", attrs(reason="redacted"), (Addition("persName",
    attrs(ref="#peng-dehuai"), ("Peng Dehuai",)),))``.
    """

    tag: str
    attrs: Attrs = ()
    content: tuple[str | Addition, ...] = ()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.content)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of source text that becomes one TEI element.

    * ``tag``/``attrs``: the element wrapping the source text (``persName``,
      ``date``, ``bibl``, ``idno``, ``seg`` ...).
    * ``priority``: when two spans cross, the lower priority one is dropped.
      A span that lies wholly inside another nests inside it, if the outer
      span's ``allows`` admits its tag (``None`` admits every tag).
    * ``choice``: an editorial alternative; the writer emits
      ``<choice>{span}{choice}</choice>``.
    * ``note``: an editorial note placed right after the span (after the
      ``choice`` if there is one).
    * ``source``: the enricher that made the span (for reports and tests).
    """

    start: int
    end: int
    tag: str
    attrs: Attrs = ()
    priority: int = 0
    allows: frozenset[str] | None = None
    choice: Addition | None = None
    note: Addition | None = None
    source: str = ""

    def attr(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return default


# Priorities used by the enrichers; higher wins where spans cross.
PRIORITY_APPARATUS = 90  # translators' brackets, sic, notes in the source
PRIORITY_REDACTION = 80
PRIORITY_ARCHIVAL = 70
PRIORITY_DATE = 50
PRIORITY_NAME = 40
PRIORITY_UNKNOWN_NAME = 20


def apparatus_span(start: int, end: int, tag: str, attributes: Attrs,
                   allows: frozenset[str] | None, source: str, **extra: Addition | None) -> Span:
    """A span of the source's own apparatus (brackets, note anchors, ``sic``):
    :data:`PRIORITY_APPARATUS`, nesting only ``allows``; ``extra`` may give
    the ``choice`` and the ``note``."""
    return Span(start, end, tag, attributes, priority=PRIORITY_APPARATUS, allows=allows,
                source=source, **extra)


@dataclass(slots=True)
class Block:
    """A block of source text: one paragraph-level TEI element.

    ``kind`` is the element (``p``, ``head``, ``item``, ``ab``, ``dateline``,
    ``salute``, ``signed``, ``byline``, ``label``); ``type`` goes to ``@type``
    where the element has one (``ab type="boilerplate"``, ``ab type="source"``,
    ``ab type="distribution"`` ...); ``n`` to ``@n`` (numbered points).
    """

    kind: str
    start: int
    end: int
    type: str | None = None
    n: str | None = None


@dataclass(slots=True)
class DocumentMeta:
    """What a division that is an archival document says about itself,
    as read from its heading and header lines (all optional)."""

    title: str | None = None
    doc_type: str | None = None  # telegram, letter, memorandum, minutes ...
    sender: str | None = None  # as written in the source
    recipient: str | None = None
    date_text: str | None = None  # as written
    place_sent: str | None = None
    number: str | None = None  # "Document 7" -> "7"


@dataclass(slots=True)
class Division:
    """A ``div`` (or a ``floatingText`` for a document quoted inside another).

    ``type`` is ``document``, ``paratext``, ``section``, ``entry``,
    ``year`` (chronology), ``notes`` ...; ``floating`` marks a quoted
    document.  ``children`` are blocks and divisions in source order.
    """

    type: str
    children: list[Block | Division] = field(default_factory=list)
    n: str | None = None
    floating: bool = False
    meta: DocumentMeta = field(default_factory=DocumentMeta)

    def blocks(self) -> Iterator[Block]:
        """Every block inside this division, in source order."""
        for child in self.children:
            if isinstance(child, Block):
                yield child
            else:
                yield from child.blocks()

    def divisions(self) -> Iterator[Division]:
        """This division and every division inside it, depth first."""
        yield self
        for child in self.children:
            if isinstance(child, Division):
                yield from child.divisions()

    @property
    def start(self) -> int:
        return min((b.start for b in self.blocks()), default=0)

    @property
    def end(self) -> int:
        return max((b.end for b in self.blocks()), default=0)


@dataclass(slots=True)
class SourceMeta:
    """A text's sidecar metadata (``seeds/<stem>.toml``), all but ``id``
    optional.  ``conventions`` hold per-source reading rules, e.g.
    ``{"slash_dates": "mdy", "dash_dates": "dmy"}``."""

    id: str
    title: str | None = None
    kind: str | None = None  # the profile name, if fixed by the editors
    publisher: str | None = None
    url: str | None = None
    language: str = "en"
    translator: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date of the source's publication
    record_id: str | None = None
    licence: str | None = None
    conventions: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SourceDocument:
    """A source text with its metadata and structure: the reader's output and
    every enricher's input."""

    path: str
    text: str
    meta: SourceMeta
    profile: str
    body: Division
    conventions: Mapping[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def report(self, offset: int, message: str, severity: str = "warning") -> None:
        """Record a problem found at a character offset (shown as file:line)."""
        self.problems.append(Problem(self.path, self.line_of(offset), message, severity))

    def blocks(self) -> Iterator[Block]:
        return self.body.blocks()

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset (for messages)."""
        return self.text.count("\n", 0, offset) + 1


class Enricher(Protocol):
    """Finds spans in a source document.  Must not change the text."""

    name: str

    def __call__(self, doc: SourceDocument) -> Iterable[Span]: ...


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a stage could not do and reports rather than guesses
    (an unreadable date, an impossible archival reference)."""

    path: str
    line: int
    message: str
    severity: str = "warning"  # warning | error

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def endnote_id(text_id: str, n: str) -> str:
    """The ``@xml:id`` of a source's own numbered endnote ``n`` (a block of
    kind ``note``, type ``endnote``); anchors in the text point to it."""
    return f"{text_id}.fn{n}"

"""The text's structure: divisions and blocks become ``div``, ``p``, ``list`` ...

The layout is valid TEI by construction, whatever order the reader found the
blocks in:

* headings after other content start a new ``div type="section"``;
* a leading run of header lines with a dateline, salutation or byline becomes
  the ``opener``, a trailing run with a signature, dateline or salutation the
  ``closer`` (``ab`` lines inside them become ``seg``), but only at the very
  end of a division: TEI allows no ``div`` after a ``closer``;
* datelines, salutations and signatures elsewhere become ``ab`` of that type;
* consecutive items become one ``list``;
* a block run after a nested division is wrapped in its own section, because
  TEI does not let paragraphs follow subdivisions;
* a quoted document becomes ``floatingText/body/div``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model import XML_NS, Block, Division, endnote_id
from ..spans import Node
from .inline import InlineWriter, T

XML_ID = f"{{{XML_NS}}}id"
OPENER_CUES = {"dateline", "salute", "byline"}
CLOSER_CUES = {"signed", "dateline", "salute"}
FRAME_KINDS = {"dateline", "salute", "byline", "signed"}
HEADER_LINES = {"classification", "distribution", "transmission", "reference", "docket", "source"}
ID_LETTER = {
    "p": "p", "ab": "ab", "head": "h", "item": "i", "dateline": "dl", "salute": "sa",
    "signed": "sg", "byline": "by", "label": "lb", "note": "fn",
}


@dataclass
class _Ids:
    """Counts children of one division, to make position-based ids."""

    prefix: str
    counts: dict[str, int] = field(default_factory=dict)

    def next(self, letter: str) -> str:
        self.counts[letter] = self.counts.get(letter, 0) + 1
        return f"{self.prefix}.{letter}{self.counts[letter]}"


def _framing(block: Block) -> bool:
    return block.kind in FRAME_KINDS or (block.kind == "ab" and block.type in HEADER_LINES)


def _run(items: list[Block | Division], cues: set[str]) -> int:
    """Length of the leading run of framing blocks, if it holds one of ``cues``."""
    n = 0
    while n < len(items) and isinstance(items[n], Block) and _framing(items[n]):
        n += 1
    return n if any(b.kind in cues for b in items[:n] if isinstance(b, Block)) else 0


class BodyWriter:
    """Builds ``<body>`` from a division tree and the resolved inline spans."""

    def __init__(self, text_id: str, blocks: list[Block], nodes: dict[int, list[Node]],
                 inline: InlineWriter) -> None:
        self.text_id = text_id
        self.nodes = nodes
        self.index = {id(b): i for i, b in enumerate(blocks)}
        self.inline = inline
        self.documents: list[tuple[str, Division]] = []

    def body(self, root: Division) -> etree._Element:
        body = etree.Element(T + "body")
        self._content(body, root.children, _Ids(self.text_id), document=False)
        if not len(body):
            etree.SubElement(body, T + "p")
        return body

    # -- divisions -------------------------------------------------------

    def _division(self, parent: etree._Element, div: Division, ids: _Ids) -> None:
        ident = ids.next("d")
        if div.floating:
            holder = etree.SubElement(parent, T + "floatingText", type=div.type)
            holder.set(XML_ID, ident + ".q")
            parent_el = etree.SubElement(holder, T + "body")
        else:
            parent_el = parent
        el = etree.SubElement(parent_el, T + "div", type=div.type)
        el.set(XML_ID, ident)
        if div.type == "document":
            self.documents.append((ident, div))
        if div.n:
            el.set("n", div.n)
        if div.meta.doc_type:
            el.set("subtype", _token(div.meta.doc_type))
        self._content(el, div.children, _Ids(ident), document=div.type == "document")
        if not len(el):
            etree.SubElement(el, T + "p")

    def _content(self, el: etree._Element, items: list[Block | Division], ids: _Ids,
                 document: bool) -> None:
        sections = list(_sections(items))
        if len(sections) > 1:
            first, *rest = sections  # sections follow: no closer may end the first
            self._section(el, first, ids, document, closing=False)
            for section in rest:
                ident = ids.next("d")
                sub = etree.SubElement(el, T + "div", type="section")
                sub.set(XML_ID, ident)
                self._section(sub, section, _Ids(ident), document)
        elif sections:
            self._section(el, sections[0], ids, document)

    def _section(self, el: etree._Element, items: list[Block | Division], ids: _Ids,
                 document: bool, closing: bool = True) -> None:
        top = _top_run(items)
        has_cue = any(isinstance(b, Block) and b.kind in OPENER_CUES for b in items[:top])
        if not (document and has_cue):
            top = 0
            while top < len(items) and _is_head(items[top]):
                top += 1
        self._top(el, items[:top], ids)
        items = items[top:]
        tail_len = _run(items[::-1], CLOSER_CUES) if document and closing else 0
        self._middle(el, items[: len(items) - tail_len], ids)
        if tail_len:
            self._frame(el, "closer", items[len(items) - tail_len :], ids)

    def _top(self, el: etree._Element, items: list[Block | Division], ids: _Ids) -> None:
        """Headings, and the framing lines around them grouped as openers."""
        frame: list[Block | Division] = []
        for item in items:
            if _is_head(item):
                if frame:
                    self._frame(el, "opener", frame, ids)
                    frame = []
                self._block(el, item, ids)  # type: ignore[arg-type]
            else:
                frame.append(item)
        if frame:
            self._frame(el, "opener", frame, ids)

    def _middle(self, el: etree._Element, items: list[Block | Division], ids: _Ids) -> None:
        seen_div = False
        pending: list[Block | Division] = []

        def flush() -> None:
            if not pending:
                return
            if seen_div:
                sub = etree.SubElement(el, T + "div", type="section")
                ident = ids.next("d")
                sub.set(XML_ID, ident)
                self._blocks(sub, list(pending), _Ids(ident))
            else:
                self._blocks(el, list(pending), ids)
            pending.clear()

        for item in items:
            if isinstance(item, Division) and not item.floating:
                flush()
                self._division(el, item, ids)
                seen_div = True
            else:
                pending.append(item)
        flush()

    def _blocks(self, el: etree._Element, items: list[Block | Division], ids: _Ids) -> None:
        current_list: etree._Element | None = None
        for i, item in enumerate(items):
            if isinstance(item, Division):
                current_list = None
                self._division(el, item, ids)
                continue
            if item.kind == "item" and item.n and not _in_run(items, i):
                current_list = None
                self._block(el, item, ids, as_kind="p")
                continue
            if item.kind == "item":
                if current_list is None:
                    current_list = etree.SubElement(
                        el, T + "list", type=item.type or ("numbered" if item.n else "simple")
                    )
                self._block(current_list, item, ids)
                continue
            current_list = None
            if item.kind in FRAME_KINDS or item.kind == "head":
                self._block(el, item, ids, as_ab=item.kind)
            else:
                self._block(el, item, ids)

    def _frame(self, el: etree._Element, tag: str, items: list[Block | Division],
               ids: _Ids) -> None:
        frame = etree.SubElement(el, T + tag)
        for item in items:
            assert isinstance(item, Block)
            self._block(frame, item, ids, in_frame=True)

    # -- blocks ----------------------------------------------------------

    def _block(self, parent: etree._Element, block: Block, ids: _Ids, as_ab: str | None = None,
               in_frame: bool = False, as_kind: str | None = None) -> None:
        kind, btype = as_kind or block.kind, block.type
        if as_ab:
            kind, btype = "ab", as_ab
        if in_frame and kind == "ab":
            kind = "seg"
        el = etree.SubElement(parent, T + kind)
        if kind == "note":
            el.set("type", btype or "endnote")
            el.set("place", "end")
            ident = endnote_id(self.text_id, block.n) if block.n else ids.next("fn")
        else:
            if btype and kind in {"ab", "seg", "list", "item", "head", "dateline", "note"}:
                el.set("type", btype)
            ident = ids.next(ID_LETTER.get(kind, kind))
        el.set(XML_ID, ident)
        if block.n:
            el.set("n", block.n)
        self.inline.fill(el, block.start, block.end, self.nodes.get(self.index[id(block)], []))


def _in_run(items: list[Block | Division], i: int) -> bool:
    """True if the numbered item ``items[i]`` has another item right before or after it."""
    neighbours = items[max(i - 1, 0) : i] + items[i + 1 : i + 2]
    return any(isinstance(x, Block) and x.kind == "item" for x in neighbours)


def _is_head(item: Block | Division) -> bool:
    return isinstance(item, Block) and item.kind == "head"


def _top_run(items: list[Block | Division]) -> int:
    """Length of the leading run of headings and framing lines."""
    n = 0
    while n < len(items) and isinstance(items[n], Block) and (
            _is_head(items[n]) or _framing(items[n])):  # type: ignore[arg-type]
        n += 1
    return n


def _sections(items: list[Block | Division]) -> Iterator[list[Block | Division]]:
    """Split at every heading that follows other content."""
    current: list[Block | Division] = []
    for item in items:
        if _is_head(item) and _top_run(current) < len(current):
            yield current
            current = []
        current.append(item)
    if current:
        yield current


def _token(text: str) -> str:
    """``Ciphered Telegram`` -> ``ciphered-telegram`` (a valid @subtype)."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(filter(None, out.split("-"))) or "document"

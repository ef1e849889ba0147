"""Inline markup: a block's text and its resolved spans become mixed content.

One pass over the text: text between spans is appended as ``text``/``tail``,
each span becomes its element (wrapped in ``choice`` with the editorial
alternative if it has one), and an editorial ``note`` follows where asked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from lxml import etree

from ..model import TEI_NS, XML_NS, Addition, Attrs
from ..spans import Node

T = f"{{{TEI_NS}}}"


def set_attrs(el: etree._Element, pairs: Attrs) -> None:
    for key, value in pairs:
        if key.startswith("xml:"):
            key = f"{{{XML_NS}}}{key[4:]}"
        el.set(key, value)


def append_text(parent: etree._Element, text: str) -> None:
    """Append text after the last child of ``parent`` (or as its text)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def build_addition(add: Addition, on_note: Callable[[etree._Element], None]) -> etree._Element:
    """Turn an :class:`Addition` tree into TEI elements."""
    el = etree.Element(T + add.tag)
    set_attrs(el, add.attrs)
    for part in add.content:
        if isinstance(part, str):
            append_text(el, part)
        else:
            el.append(build_addition(part, on_note))
    if add.tag == "note":
        on_note(el)
    return el


class InlineWriter:
    """Writes the inline content of blocks; numbers editorial notes."""

    def __init__(self, text: str, on_note: Callable[[etree._Element], None]) -> None:
        self.text = text
        self.on_note = on_note
        self.refs: set[str] = set()

    def fill(self, el: etree._Element, start: int, end: int, nodes: list[Node]) -> None:
        """Fill ``el``, a new element (no text, no children), with
        ``text[start:end]`` marked up by ``nodes``.

        Each stretch of text goes to ``el.text`` (before the first node) or to
        the tail of the element the node before it became: each is set once,
        so setting is what :func:`append_text` would do.
        """
        text = self.text
        pos = start
        last: etree._Element | None = None
        for node in nodes:
            span = node.span
            if span.start > pos:
                if last is None:
                    el.text = text[pos : span.start]
                else:
                    last.tail = text[pos : span.start]
            last = self._span(el, node)
            pos = span.end
        if end > pos:
            if last is None:
                el.text = text[pos:end]
            else:
                last.tail = text[pos:end]

    def _span(self, parent: etree._Element, node: Node) -> etree._Element:
        """Append the elements of one span to ``parent``; return the last."""
        span = node.span
        attrib, refs = _attributes(span.attrs)
        el = etree.Element(T + span.tag, attrib)
        if refs:
            self.refs.update(refs)
        self.fill(el, span.start, span.end, node.children)
        last = el
        if span.choice is not None:
            last = etree.SubElement(parent, T + "choice")
            last.append(el)
            last.append(build_addition(span.choice, self.on_note))
            self._collect_addition_refs(span.choice)
        else:
            parent.append(el)
        if span.note is not None:
            last = build_addition(span.note, self.on_note)
            parent.append(last)
            self._collect_addition_refs(span.note)
        return last

    def _collect_refs(self, pairs: Attrs) -> None:
        self.refs.update(_attributes(pairs)[1])

    def _collect_addition_refs(self, add: Addition) -> None:
        self._collect_refs(add.attrs)
        for part in add.content:
            if isinstance(part, Addition):
                self._collect_addition_refs(part)


@functools.lru_cache(maxsize=8192)
def _attributes(pairs: Attrs) -> tuple[dict[str, str], tuple[str, ...]]:
    """The attributes of ``pairs`` as lxml takes them (``xml:`` names in
    Clark notation), and the register ids its ``ref`` points to.  Spans
    repeat a few attribute sets (``ref="#kim-il-sung"``, ``cert="low"``):
    each is worked out once."""
    attrib: dict[str, str] = {}
    refs: list[str] = []
    for key, value in pairs:
        if key == "ref":
            refs += [v[1:] for v in value.split() if v.startswith("#")]
        if key.startswith("xml:"):
            key = f"{{{XML_NS}}}{key[4:]}"
        attrib[key] = value
    return attrib, tuple(refs)

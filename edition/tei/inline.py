"""Inline markup: a block's text and its resolved spans become mixed content.

One pass over the text: text between spans is appended as ``text``/``tail``,
each span becomes its element (wrapped in ``choice`` with the editorial
alternative if it has one), and an editorial ``note`` follows where asked.
"""

from __future__ import annotations

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
        """Fill ``el`` with ``text[start:end]`` marked up by ``nodes``."""
        pos = start
        for node in nodes:
            span = node.span
            append_text(el, self.text[pos : span.start])
            self._span(el, node)
            pos = span.end
        append_text(el, self.text[pos:end])

    def _span(self, parent: etree._Element, node: Node) -> None:
        span = node.span
        el = etree.Element(T + span.tag)
        set_attrs(el, span.attrs)
        self._collect_refs(span.attrs)
        self.fill(el, span.start, span.end, node.children)
        if span.choice is not None:
            choice = etree.SubElement(parent, T + "choice")
            choice.append(el)
            choice.append(build_addition(span.choice, self.on_note))
            self._collect_addition_refs(span.choice)
        else:
            parent.append(el)
        if span.note is not None:
            parent.append(build_addition(span.note, self.on_note))
            self._collect_addition_refs(span.note)

    def _collect_refs(self, pairs: Attrs) -> None:
        for key, value in pairs:
            if key == "ref":
                self.refs.update(v[1:] for v in value.split() if v.startswith("#"))

    def _collect_addition_refs(self, add: Addition) -> None:
        self._collect_refs(add.attrs)
        for part in add.content:
            if isinstance(part, Addition):
                self._collect_addition_refs(part)

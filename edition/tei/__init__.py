"""Write TEI: a source document, its spans and the register become one TEI file.

``encode`` is the only entry point; ``body``, ``inline`` and ``header`` each
build one part.  The same input gives the same ids and the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from ..model import TEI_NS, XML_NS, SourceDocument, Span
from ..spans import by_block
from .body import BodyWriter
from .header import HeaderWriter
from .inline import InlineWriter, T

XML_ID = f"{{{XML_NS}}}id"

#: builds the ``standOff`` for a set of register ids
StandOffBuilder = Callable[[Iterable[str]], "etree._Element | None"]


def encode(doc: SourceDocument, spans: Iterable[Span], header: HeaderWriter,
           standoff: StandOffBuilder) -> etree._ElementTree:
    """Build the TEI tree of one source document."""
    blocks = list(doc.blocks())
    notes: list[etree._Element] = []
    inline = InlineWriter(doc.text, notes.append)
    nodes = by_block(blocks, spans)
    writer = BodyWriter(doc.meta.id, blocks, nodes, inline)
    body = writer.body(doc.body)
    for n, note in enumerate(notes, 1):
        note.set(XML_ID, f"{doc.meta.id}.n{n}")
        note.set("n", str(n))

    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, doc.meta.id)
    root.set(f"{{{XML_NS}}}lang", doc.meta.language)
    documents = writer.documents
    archival = body.iterfind(f".//{T}bibl[@type='archival']")
    stamps = {ident: transmission_stamps(el) for ident, el in _document_divs(body)}
    root.append(header.header(doc.meta, documents, archival, stamps))
    _refs_from_header(root, inline.refs)
    so = standoff(sorted(inline.refs))
    if so is not None and len(so):
        etree.indent(so)
        root.append(so)
    text = etree.SubElement(root, T + "text")
    text.append(body)
    _unique_ids(root)
    _break_lines(root)
    return etree.ElementTree(root)


_BLOCK_PARENTS = {T + n for n in ("TEI", "text", "body", "div", "list", "floatingText",
                                   "opener", "closer")}


def _break_lines(root: etree._Element) -> None:
    """A line break after every block-level element (white space between
    blocks only), so that validation messages point at useful lines."""
    root.text = "\n"
    for el in root.iter(*_BLOCK_PARENTS):
        if el.tag != T + "TEI" and len(el) and not (el.text or "").strip():
            el.text = "\n"
        for child in el:
            if not (child.tail or "").strip():
                child.tail = "\n"


_ACTIONS = (
    (re.compile(r"\b(sent|submitted|transmitted|dispatched)\b", re.I), "sent"),
    (re.compile(r"\b(received|arrived)\b", re.I), "received"),
)


def _document_divs(body: etree._Element) -> Iterable[tuple[str, etree._Element]]:
    for el in body.iter(T + "div"):
        if el.get("type") == "document" and el.get(XML_ID):
            yield el.get(XML_ID), el


def transmission_stamps(div: etree._Element) -> dict[str, etree._Element]:
    """The first dated ``sent``/``received`` line of a telegram's own header
    (not of documents quoted inside it): action -> the ``date`` element."""
    found: dict[str, etree._Element] = {}
    for line in div.iter(T + "ab", T + "seg"):
        if line.get("type") != "transmission" or _owner(line) is not div:
            continue
        words = "".join(line.itertext())
        for pattern, action in _ACTIONS:
            date = line.find(f".//{T}date")
            if action not in found and date is not None and pattern.search(words):
                found[action] = date
                break
    return found


def _owner(el: etree._Element) -> etree._Element | None:
    """The nearest enclosing document division."""
    parent = el.getparent()
    while parent is not None and not (parent.tag == T + "div"
                                      and parent.get("type") == "document"):
        parent = parent.getparent()
    return parent


def _refs_from_header(root: etree._Element, refs: set[str]) -> None:
    for el in root.iter():
        ref = el.get("ref")
        if ref and el.tag != T + "correspDesc":
            refs.update(v[1:] for v in ref.split() if v.startswith("#"))


def _unique_ids(root: etree._Element) -> None:
    """Make ids unique by suffixing repeats (-2, -3 ...), in document order."""
    seen: dict[str, int] = {}
    for el in root.xpath("descendant-or-self::*[@xml:id]"):
        ident = el.get(XML_ID)
        if ident in seen:
            seen[ident] += 1
            el.set(XML_ID, f"{ident}-{seen[ident]}")
        else:
            seen[ident] = 1

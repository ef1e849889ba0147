"""Writing large text files piece by piece: pages rendered by jinja2's
``generate``, JSON whose long list is produced one item at a time, XML whose
long lists of elements are serialised one element at a time.  Nothing holds
the whole file; what is written is byte for byte what the whole would have
been (``"".join`` of the pieces)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from lxml import etree

from .xmlio import serialize, streamed

BATCH = 1 << 16  # characters joined before each write
INDENT = b"  "  # what :func:`lxml.etree.indent` indents by, per level


def write_pieces(path: Path, pieces: Iterable[str], prefix: bytes = b"") -> None:
    """Write ``prefix`` and the UTF-8 of the pieces to ``path``, atomically
    (:func:`edition.xmlio.streamed`), holding about :data:`BATCH` characters
    (and one piece) at a time."""
    with streamed(path) as out:
        out.write(prefix)
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= BATCH:
                out.write("".join(batch).encode("utf-8"))
                batch.clear()
                size = 0
        out.write("".join(batch).encode("utf-8"))


def json_pieces(document: dict[str, object], items: Iterable[object],
                **options: object) -> Iterator[str]:
    """``json.dumps(document, **options)`` with ``items`` as the list that is the
    last value of ``document`` (given there as ``[]``), in pieces.

    The same text as the whole: :mod:`json` writes a list as ``[``, its items
    joined by the item separator, ``]``; with ``indent``, each item on a new
    line one level deeper than the list, the ``]`` on a line of its own at
    the list's level; an item's own lines are indented from its level (and
    JSON strings hold no raw line breaks, so every line break is structure)."""
    whole = json.dumps(document, **options)
    indent = options.get("indent")
    if indent is None:
        if not whole.endswith("[]}"):
            raise ValueError("the last value of the document must be an empty list")
        separator = options.get("separators", (", ", ": "))[0]
        yield whole[:-3] + "["
        for n, item in enumerate(items):
            yield (separator if n else "") + json.dumps(item, **options)
        yield "]}"
        return
    step = " " * indent if isinstance(indent, int) else str(indent)
    if not whole.endswith("[]\n}"):
        raise ValueError("the last value of the document must be an empty list")
    separator = options.get("separators", (",", ": "))[0]
    deeper = "\n" + step * 2
    yield whole[:-4] + "["
    empty = True
    for item in items:
        yield ("" if empty else separator) + deeper + json.dumps(item, **options).replace(
            "\n", deeper)
        empty = False
    yield "]\n}" if empty else "\n" + step + "]\n}"


def xml_frame(root: etree._Element, slots: Sequence[etree._Element]) -> list[bytes]:
    """``root`` indented (:func:`lxml.etree.indent`; ``root`` keeps it) and
    serialised (:func:`edition.xmlio.serialize`), cut where the children of
    each of ``slots`` go (childless elements of ``root``, in document order):
    ``len(slots) + 1`` parts.  Each slot's children, as :func:`xml_children`
    gives them, go between two parts: together, the bytes of the whole tree
    indented and serialised.  (While the frame is cut, a comment stands in for
    each slot's children: ``indent`` treats a comment as it treats an element.)"""
    marks = [etree.Comment(f" slot {n} ") for n in range(len(slots))]
    for slot, mark in zip(slots, marks, strict=True):
        slot.append(mark)
    try:
        etree.indent(root)
        rest = serialize(root)
    finally:
        for slot, mark in zip(slots, marks, strict=True):
            slot.remove(mark)
            slot.text = None
    parts = []
    for mark in marks:
        before, found, rest = rest.partition(etree.tostring(mark, with_tail=False))
        if not found:
            raise ValueError("a slot's mark is not in the serialised frame")
        parts.append(before)
    return [*parts, rest]


def xml_children(elements: Iterable[etree._Element], level: int
                 ) -> Iterator[tuple[etree._Element, bytes, bytes]]:
    """Each of ``elements`` (root elements) indented as a child at depth ``level``
    of an indented document, with the white space that goes before it there
    (none before the first: the frame's part ends with it) and its bytes as
    they are there: without the declaration of the default namespace that
    the document's root already makes."""
    separator = b"\n" + INDENT * level
    for n, el in enumerate(elements):
        etree.indent(el, INDENT.decode(), level=level)
        yield el, separator if n else b"", child_bytes(el)


def child_bytes(el: etree._Element) -> bytes:
    """``el`` (a root element) serialised as the child of an element that already
    declares its default namespace: without that declaration."""
    data = etree.tostring(el, encoding="UTF-8")
    default = el.nsmap.get(None)
    start = f"<{etree.QName(el).localname}".encode()
    declaration = f' xmlns="{default}"'.encode()
    if default is not None and data.startswith(start + declaration):
        return start + data[len(start) + len(declaration):]
    return data

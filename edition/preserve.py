"""The proof that nothing of the source is lost (ENCODING.md section 2).

Take the TEI ``<text>``, remove the editors' layer (editorial notes and the
editorial members of every ``choice``), and what is left must be exactly the
source text, modulo white space.  The source's own endnotes (``note`` with
``@type="endnote"`` and no ``@resp``) are source text and stay.
"""

from __future__ import annotations

from lxml import etree

from .model import TEI_NS

_NS = {"t": TEI_NS}
#: what the editors add; removed before the comparison
EDITORIAL_LAYER = (
    ".//t:note[@resp or not(@type='endnote')]"
    " | .//t:choice/t:supplied[@reason='redacted']"
    " | .//t:choice/t:corr | .//t:choice/t:reg | .//t:choice/t:expan"
)


def source_layer(tree: etree._ElementTree | etree._Element) -> str:
    """The text of ``<text>`` without the editors' additions.

    The text of ``<text>`` read in document order, leaving out each element of
    :data:`EDITORIAL_LAYER` with what it holds but keeping its tail, as if it
    were removed: what ``itertext`` gives after removing them from a copy,
    without the copy.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    text_el = root.find(f"{{{TEI_NS}}}text")
    if text_el is None:
        return ""
    editorial = set(text_el.xpath(EDITORIAL_LAYER, namespaces=_NS))
    parts: list[str] = []
    _collect(text_el, editorial, parts)
    return "".join(parts)


def _collect(el: etree._Element, editorial: set[etree._Element], parts: list[str]) -> None:
    """Append the text of ``el`` and its descendants (as ``itertext`` does:
    comments and processing instructions add only their tails)."""
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child not in editorial:
            _collect(child, editorial, parts)
        if child.tail:
            parts.append(child.tail)


def squeeze(text: str) -> str:
    """``text`` without white space (``str.split`` and the ``\\s`` of
    regular expressions agree on what white space is)."""
    return "".join(text.split())


class TextLost(Exception):
    """The TEI does not carry the source text; says where they first differ."""

    def __init__(self, line: int, expected: str, found: str) -> None:
        super().__init__(f"source text not preserved from line {line}: "
                         f"source has {expected!r}, TEI has {found!r}")
        self.line = line


def check(source: str, tree: etree._ElementTree | etree._Element) -> None:
    """Raise :class:`TextLost` unless the TEI's source layer equals ``source``."""
    got = squeeze(source_layer(tree))
    want = squeeze(source)
    if got == want:
        return
    i = next((k for k, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
             min(len(want), len(got)))
    # map the index in the squeezed source back to a line of the source
    seen = 0
    line = 1
    for ch in source:
        if ch == "\n":
            line += 1
        elif not ch.isspace():
            if seen == i:
                break
            seen += 1
    raise TextLost(line, want[i : i + 30], got[i : i + 30])

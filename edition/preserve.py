"""The proof that nothing of the source is lost (ENCODING.md section 2).

Take the TEI ``<text>``, remove the editors' layer (editorial notes and the
editorial members of every ``choice``), and what is left must be exactly the
source text, modulo white space.  The source's own endnotes (``note`` with
``@type="endnote"`` and no ``@resp``) are source text and stay.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .model import TEI_NS

_NS = {"t": TEI_NS}
#: what the editors add; removed before the comparison
EDITORIAL_LAYER = (
    ".//t:note[@resp or not(@type='endnote')]"
    " | .//t:choice/t:supplied[@reason='redacted']"
    " | .//t:choice/t:corr | .//t:choice/t:reg | .//t:choice/t:expan"
)
_SPACE = re.compile(r"\s+")


def source_layer(tree: etree._ElementTree | etree._Element) -> str:
    """The text of ``<text>`` without the editors' additions."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    text_el = root.find(f"{{{TEI_NS}}}text")
    if text_el is None:
        return ""
    text_el = copy.deepcopy(text_el)
    for el in text_el.xpath(EDITORIAL_LAYER, namespaces=_NS):
        parent = el.getparent()
        if parent is not None:
            _remove_keep_tail(el)
    return "".join(text_el.itertext())


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


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

"""Anchors of a source's own numbered endnotes.

The profile encodes each endnote as a block (kind ``note``, type
``endnote``, ``n`` its number).  In the running text the note's number is
glued to the preceding word or punctuation (``imperialists.13 In``,
``airfields.39 During``); such a number becomes ``<ref type="noteAnchor"
target="#…">`` when an endnote with that number exists.  Numbers that are
part of a quantity, a date, a reference (``p.12``) or a model name (``F86``)
are left alone.  The web page's trailing ``Back`` link of each endnote
becomes ``<seg type="backlink">`` so that reading editions can hide it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Attrs, Block, SourceDocument, Span, apparatus_span, attrs, endnote_id

#: A number glued to a letter or a closing mark; the look-behind comes after
#: the first digit (a character set the engine skips to quickly).
_CANDIDATE = re.compile(
    r"(?P<n>[1-9](?<=[^\W\d_][1-9]|[.,;:!?)\]”\"’][1-9])\d{0,2})(?![\w/]|[-–.,:]\d)"
)
_ABBREVIATION_LIST = "p pp no nos nr vol vols art arts ch fig para sec op f d l ll n ed eds"
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_BACKLINK = re.compile(r"(?<!\S)Back\s*$")
_LEAF: frozenset[str] = frozenset()


def is_endnote(block: Block) -> bool:
    return block.kind == "note" and block.type == "endnote" and bool(block.n)


def _plausible_anchor(text: str, start: int) -> bool:
    """Reject numbers glued to a token with digits (``1.X.50``, ``1946.31``),
    to an abbreviation (``p.12``) or to a short capitalised code (``F86``)."""
    token_start = start
    while token_start > 0 and not text[token_start - 1].isspace():
        token_start -= 1
    token = text[token_start:start]
    if any(ch.isdigit() for ch in token) or not any(ch.isalpha() or ch in ')]”"’' for ch in token):
        return False
    word = re.sub(r"^\W+", "", token)
    if token.endswith("."):
        return word[:-1].lower() not in _ABBREVIATIONS
    if token[-1:].isalpha():
        return len(word) >= 4 and any(ch.islower() for ch in word)
    return True


def find_anchor_candidates(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Numbers in ``text[start:end]`` that look like note anchors."""
    for match in _CANDIDATE.finditer(text, start, end):
        if _plausible_anchor(text, match.start()):
            yield match


class FootnoteAnchors:
    """Enricher: ``ref type="noteAnchor"`` for each anchor of an existing
    endnote, ``seg type="backlink"`` for each endnote's ``Back``."""

    name = "footnotes"

    def __call__(self, doc: SourceDocument) -> list[Span]:
        blocks = list(doc.blocks())
        notes = [b for b in blocks if is_endnote(b)]
        if not notes:
            return []
        numbers = {b.n for b in notes}
        spans = [s for b in notes if (s := self._backlink(doc, b)) is not None]
        for block in blocks:
            if not is_endnote(block):
                spans += self._anchors(doc, block, numbers)
        return spans

    def _anchors(self, doc: SourceDocument, block: Block, numbers: set[str | None]) -> list[Span]:
        spans = []
        for match in find_anchor_candidates(doc.text, block.start, block.end):
            n = match.group("n")
            if n not in numbers:
                doc.report(match.start(), f"possible note anchor {n} has no endnote")
                continue
            target = "#" + endnote_id(doc.meta.id, n)
            spans.append(
                self._span(
                    match.start(), match.end(), "ref", attrs(type="noteAnchor", target=target)
                )
            )
        return spans

    def _backlink(self, doc: SourceDocument, block: Block) -> Span | None:
        match = _BACKLINK.search(doc.text, block.start, block.end)
        if match is None:
            return None
        return self._span(match.start(), match.start() + 4, "seg", attrs(type="backlink"))

    def _span(self, start: int, end: int, tag: str, attributes: Attrs) -> Span:
        return apparatus_span(start, end, tag, attributes, _LEAF, self.name)

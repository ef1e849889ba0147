"""A web article: title, byline ("Mondo Military Updated on 2024-02-18",
"By ..."), paragraphs and headed sections, page furniture as paratext."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..model import Block, Division
from .common import (
    HEAD,
    Label,
    Line,
    date_conventions,
    ends_sentence,
    is_boilerplate,
    is_byline,
    make_block,
    prose_blocks,
    split_edges,
    split_lines,
    with_paratext,
)

NAME = "article"



def detect(text: str) -> float:
    """Score a title, a byline near the top and running prose paragraphs."""
    lines = split_lines(text)
    if not lines:
        return 0.0
    score = 0.3 if any(is_byline(line.text) for line in lines[:4]) else 0.0
    paragraphs = sum(1 for line in lines if line.blank_before and len(line.text) >= 100)
    score += 0.3 if paragraphs >= 5 and paragraphs >= len(lines) / 3 else 0.0
    score += 0.1 if not ends_sentence(lines[0].text) and len(lines[0].text) <= 200 else 0.0
    score += 0.1 if any(is_boilerplate(line.text) for line in lines[-3:]) else 0.0
    return min(1.0, score)


def read(text: str) -> tuple[Division, dict[str, str]]:
    lead, middle, trail = split_edges(split_lines(text))
    article = Division("article", _front(middle) + _sections(middle[_front_size(middle):]))
    return Division("body", with_paratext(lead, [article], trail)), date_conventions(text, {})


def _front_size(lines: Sequence[Line]) -> int:
    k = 0
    if k < len(lines) and not ends_sentence(lines[k].text) and len(lines[k].text) <= 200:
        k += 1
    while k < len(lines) and k < 4 and is_byline(lines[k].text):
        k += 1
    return k


def _front(lines: Sequence[Line]) -> list[Block | Division]:
    """The title (a first line without final punctuation) and bylines."""
    size = _front_size(lines)
    return [make_block([line], Label("byline") if is_byline(line.text) and k else HEAD)
            for k, line in enumerate(lines[:size])]


def _sections(lines: Sequence[Line]) -> list[Block | Division]:
    """Paragraphs, cut into sections at headings standing alone."""
    blocks = prose_blocks(lines)
    heads = [k for k, b in enumerate(blocks) if b.kind == "head"]
    if not heads:
        return list(blocks)
    out: list[Block | Division] = list(blocks[: heads[0]])
    bounds = [*heads, len(blocks)]
    out.extend(Division("section", list(blocks[a:b]))
               for a, b in itertools.pairwise(bounds))
    return out

"""A collection of translated archival documents, each under a numbered
heading (``Document 7: Ciphered Telegram, Filippov (Stalin) to ..., 5 July
1950``, CWIHP Bulletin style), framed by the hosting page's boilerplate."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby, pairwise

from ..model import Block, Division
from .common import (
    HEAD,
    Line,
    date_conventions,
    ends_sentence,
    fill_meta,
    is_boilerplate,
    is_source_line,
    make_block,
    paratext,
    parse_heading,
    prose_blocks,
    read_document,
    split_lines,
)

NAME = "collection"

HEADING = re.compile(r"^(?:Document|Doc\.)\s*(?P<n>\d+[A-Za-z]?)\s*[:.]\s+(?P<title>\S.*)$")


def detect(text: str) -> float:
    """Score numbered document headings (and archival source lines)."""
    lines = split_lines(text)
    numbers = {m.group("n") for line in lines if (m := HEADING.match(line.text))}
    sources = sum(1 for line in lines if is_source_line(line.text))
    if len(numbers) < 2:
        return 0.15 * len(numbers)
    return min(1.0, 0.3 * len(numbers) + 0.05 * sources)


def read(text: str) -> tuple[Division, dict[str, str]]:
    lines = split_lines(text)
    heads = [i for i, line in enumerate(lines) if HEADING.match(line.text)]
    titles = [lines[i].text for i in heads]
    # A heading repeated later is the hosting page's running title.
    running = {i for k, i in enumerate(heads) if lines[i].text in titles[k + 1 :]}
    starts = [i for i in heads if i not in running]
    conventions = date_conventions(text, {"slash_dates": "mdy", "dot_dates": "dmy"})
    if not starts:
        return Division("body", [Division("section", list(prose_blocks(lines)))]), conventions
    end = len(lines)
    while end > starts[-1] + 1 and is_boilerplate(lines[end - 1].text):
        end -= 1
    children: list[Block | Division] = _front(lines[: starts[0]], running)
    bounds = [*starts, end]
    children.extend(_document(text, lines[a:b]) for a, b in pairwise(bounds))
    if lines[end:]:
        children.append(paratext(lines[end:]))
    return Division("body", children), conventions


def _front(lines: Sequence[Line], running: set[int]) -> list[Block | Division]:
    """The collection's title (heads), then runs of page furniture (paratext)
    and of introductory prose (a section), in source order."""
    out: list[Block | Division] = []
    k = 0
    while k < len(lines) and not ends_sentence(lines[k].text) and not _furniture(
            lines, k, running):
        out.append(make_block([lines[k]], HEAD))
        k += 1
    rest = list(enumerate(lines))[k:]
    for is_furniture, run in groupby(rest, key=lambda pair: _furniture(lines, pair[0], running)):
        run_lines = [line for _, line in run]
        out.append(paratext(run_lines) if is_furniture else Division(
            "section", list(prose_blocks(run_lines)), n="introduction"))
    return out


def _furniture(lines: Sequence[Line], k: int, running: set[int]) -> bool:
    return k in running or is_boilerplate(lines[k].text)


def _document(text: str, lines: Sequence[Line]) -> Division:
    """One numbered document: its heading and text, meta from the heading."""
    m = HEADING.match(lines[0].text)
    assert m is not None
    meta = parse_heading(m.group("title"))
    meta.number = m.group("n")
    children: list[Block | Division] = [make_block(lines[:1], HEAD)]
    children.extend(read_document(text, lines[1:]))
    fill_meta(meta, text, children)
    return Division("document", children, n=meta.number, meta=meta)

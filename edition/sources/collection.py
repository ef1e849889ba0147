"""A collection of translated archival documents, each under a numbered
heading (``Document 7: Ciphered Telegram, Filippov (Stalin) to ..., 5 July
1950``, CWIHP Bulletin style), framed by the hosting page's boilerplate.

A single translated document (one numbered heading, or a title line over a
telegram's header lines) is read as a collection of one: the same reader,
one ``div type="document"``, its meta from the title and its own lines.
Detection then rests on the document's shape (header lines at the top, a
salute, a signature, a ``[Source: ...]`` line), not on heading counts."""

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
    label_document,
    make_block,
    paratext,
    parse_heading,
    prose_blocks,
    read_document,
    split_edges,
    split_lines,
    with_paratext,
)

NAME = "collection"

HEADING = re.compile(r"^(?:Document|Doc\.)\s*(?P<n>\d+[A-Za-z]?)\s*[:.]\s+(?P<title>\S.*)$")


#: Header-line types that open a translated document (read from its first lines).
_OPENING_TYPES = frozenset({"classification", "distribution", "transmission", "reference",
                            "docket", "letterhead", "participants"})
#: How many lines from the top of a text may still belong to a document's header.
_TOP = 12


def detect(text: str) -> float:
    """Score numbered document headings (and archival source lines); a text
    with at most one heading scores by how much it looks like one translated
    document (header lines at the top, a salute, a signature, a source line)."""
    lines = split_lines(text)
    numbers = {m.group("n") for line in lines if (m := HEADING.match(line.text))}
    sources = sum(1 for line in lines if is_source_line(line.text))
    if len(numbers) < 2:
        return min(0.8, 0.15 * len(numbers) + document_shape(lines))
    return min(1.0, 0.3 * len(numbers) + 0.05 * sources)


def document_shape(lines: Sequence[Line]) -> float:
    """0.1 per kind of evidence that ``lines`` are one archival document:
    each kind of header line among the first lines, an opening salute there,
    a signature after the prose, an archival source line."""
    body = [line for line in lines if not is_boilerplate(line.text)]
    labels = label_document(body, [])
    top = labels[:_TOP]
    kinds = {lab.type for lab in top if lab.type in _OPENING_TYPES}
    kinds |= {"salute" for lab in top if lab.kind == "salute"}
    kinds |= {"signed" for lab in labels if lab.kind == "signed"}
    kinds |= {"source" for line in body if is_source_line(line.text)}
    return 0.1 * len(kinds) if len(kinds) >= 3 else 0.0


def read(text: str) -> tuple[Division, dict[str, str]]:
    lines = split_lines(text)
    heads = [i for i, line in enumerate(lines) if HEADING.match(line.text)]
    titles = [lines[i].text for i in heads]
    # A heading repeated later is the hosting page's running title.
    running = {i for k, i in enumerate(heads) if lines[i].text in titles[k + 1 :]}
    starts = [i for i in heads if i not in running]
    conventions = date_conventions(text, {"slash_dates": "mdy", "dot_dates": "dmy"})
    if not starts:
        return Division("body", _unnumbered(text, lines)), conventions
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


def _unnumbered(text: str, lines: Sequence[Line]) -> list[Block | Division]:
    """A text without numbered headings: one translated document (a
    collection of one, its title the first line) framed by page furniture,
    or plain prose if it does not look like a document."""
    lead, middle, trail = split_edges(lines)
    if not middle or not document_shape(middle):
        return [Division("section", list(prose_blocks(lines)))] if lines else []
    children = read_document(text, middle)
    first = children[0] if children else None
    title = _block(text, first) if isinstance(first, Block) and first.kind == "head" else ""
    meta = parse_heading(title)
    meta.title = title or None
    fill_meta(meta, text, children)
    document = Division("document", children, meta=meta)
    return with_paratext(lead, [document], trail)


def _block(text: str, block: Block) -> str:
    return text[block.start : block.end]


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

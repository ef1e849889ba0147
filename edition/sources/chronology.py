"""A chronology page: an introduction, a timeline of dated entries under year
headings (``7-3-1949 Stalin meets Kim``, wrapped over several lines), prose
sections with document links, citations and name glosses, numbered endnotes
(``34. ... Back``) and lists of dated items."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..model import Block, Division
from ..months import ISO_DATE, MONTH_NAME, NUMERIC_DATE, YEAR_DIGITS
from .common import (
    DATE,
    HEAD,
    Label,
    Line,
    P,
    ab,
    blank_after,
    date_conventions,
    ends_open,
    ends_sentence,
    group,
    is_boilerplate,
    is_bullet,
    is_source_line,
    is_title_like,
    make_block,
    paratext,
    split_edges,
    split_lines,
)

NAME = "chronology"

ENTRY = re.compile(
    rf"^(?:{NUMERIC_DATE}|{ISO_DATE}|{MONTH_NAME}\b|\d{{1,2}}\s+{MONTH_NAME}\b)"
)
YEAR = re.compile(rf"^{YEAR_DIGITS}$")
NOTE = re.compile(r"^(\d{1,3})\.(?!\d)\s*\S")
LINK = re.compile(r"^(?:Document\s*:|(?:See\s+)?\d{1,2}-\d{1,2}-\d{4}\b)")
CITATION = re.compile(
    r"^(?:Cited in |See also |See )?[A-Z][\w'’\-]+(?: [A-Z][\w.'’\-]*){0,4}"
    r"(?: ?&[^()]{0,40})? ?\((?:\d{4}[a-z]?|No date|n\.d\.)\)"
)
GLOSS = re.compile(r"^[A-Z][^()\n]{1,60}\(\d{4}\s*[-–]\s*\d{4}\)")
_YEAR_IN = re.compile(rf"\b({YEAR_DIGITS})\b")


def detect(text: str) -> float:
    """Score a timeline (year headings with entries, or dense dated entries)."""
    lines = split_lines(text)
    entries = sum(1 for line in lines if ENTRY.match(line.text))
    timelines = _timelines(lines)
    if not timelines:
        return min(0.25, 0.03 * entries)
    years = any(YEAR.match(lines[start].text) for start, _ in timelines)
    return min(1.0, 0.5 + 0.25 * years + 0.25 * min(1.0, entries / 10))


def read(text: str) -> tuple[Division, dict[str, str]]:
    lead, lines, trail = split_edges(split_lines(text))
    children: list[Block | Division] = [paratext(lead)] if lead else []
    pos = 0
    for start, end in _timelines(lines):
        head = start - 1 if start > pos and _is_timeline_head(lines[start - 1]) else start
        children.extend(_prose_part(lines[pos:head], intro=not children))
        children.append(_timeline(lines[head:start], lines[start:end]))
        pos = end
    children.extend(_prose_part(lines[pos:], intro=not children))
    children.extend([paratext(trail)] if trail else [])
    return Division("body", children), date_conventions(text, {"dash_dates": "dmy"})


# --------------------------------------------------------------------------- timeline


def _timelines(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Ranges ``[start, end)`` of lines that are year headings and entries."""
    out = []
    i = 0
    while i < len(lines):
        if _timeline_starts(lines, i):
            end = _timeline_end(lines, i)
            out.append((i, end))
            i = end
        else:
            i += 1
    return out


def _timeline_starts(lines: Sequence[Line], i: int) -> bool:
    """A year heading followed by an entry, or three entries close together."""
    if YEAR.match(lines[i].text):
        return i + 1 < len(lines) and bool(ENTRY.match(lines[i + 1].text))
    window = lines[i : i + 6]
    return bool(ENTRY.match(lines[i].text)) and sum(
        1 for line in window if ENTRY.match(line.text)) >= 3


def _timeline_end(lines: Sequence[Line], i: int) -> int:
    """The first line after ``i`` that is neither year, entry nor the
    continuation of an entry (no blank before it, or a lower-case start)."""
    in_entry = False
    for j in range(i, len(lines)):
        line = lines[j]
        if YEAR.match(line.text) or ENTRY.match(line.text):
            in_entry = not YEAR.match(line.text)
        elif not (in_entry and (not line.blank_before or line.text[0].islower())):
            return j
    return len(lines)


def _is_timeline_head(line: Line) -> bool:
    return is_title_like(line.text, max_words=10) and not ENTRY.match(line.text)


def _timeline(head: Sequence[Line], lines: Sequence[Line]) -> Division:
    """Year divisions holding one item per entry (years from the headings,
    else from the entries' own dates)."""
    years: list[Division] = []
    entry: list[Line] = []

    def flush() -> None:
        if entry:
            if not years or (_entry_year(entry[0]) not in (None, years[-1].n)
                             and not _has_heading(years[-1])):
                years.append(Division("year", n=_entry_year(entry[0])))
            years[-1].children.append(make_block(entry, Label("item")))
            entry.clear()

    for line in lines:
        if YEAR.match(line.text):
            flush()
            years.append(Division("year", [make_block([line], HEAD)], n=line.text))
        elif ENTRY.match(line.text):
            flush()
            entry.append(line)
        else:
            entry.append(line)
    flush()
    children: list[Block | Division] = [make_block(head, HEAD)] if head else []
    return Division("chronology", [*children, *years])


def _entry_year(line: Line) -> str | None:
    """The year of an entry's leading date (``7-3-1949``, ``1950-06-25``,
    ``June 25, 1950:``, ``8 January 1952 -``), if it gives one."""
    lead = DATE.match(line.text)
    m = _YEAR_IN.search(lead.group() if lead else line.text[:12])
    return m.group(1) if m else None


def _has_heading(division: Division) -> bool:
    return any(isinstance(c, Block) and c.kind == "head" for c in division.children)


# --------------------------------------------------------------------------- prose


def _prose_part(lines: Sequence[Line], intro: bool) -> list[Division]:
    """Sections cut at headings; the first part of the page is the intro."""
    if not lines:
        return []
    if intro:
        return [Division("intro", _blocks(lines, intro=True))]
    heads = [i for i in range(len(lines)) if _is_section_head(lines, i)]
    bounds = sorted({0, *heads, len(lines)})
    return [_section(lines[a:b]) for a, b in itertools.pairwise(bounds)]


def _is_section_head(lines: Sequence[Line], i: int) -> bool:
    """A short line standing before a blank line, after a blank line or a
    finished sentence, without final punctuation (or ending in "....")."""
    line = lines[i]
    s = line.text
    after_sentence = line.blank_before or ends_sentence(lines[i - 1].text)
    shaped = (s.endswith("...") or not ends_sentence(s)) and len(s.split()) <= 10 and len(s) <= 80
    return (shaped and after_sentence and blank_after(lines, i) and s[0].isupper()
            and _label(s) == P)


def _section(lines: Sequence[Line]) -> Division:
    has_head = _is_section_head(lines, 0) if lines else False
    body = lines[1:] if has_head else lines
    head = [make_block(lines[:1], HEAD)] if has_head else []
    numbered = sum(1 for line in body if NOTE.match(line.text))
    if numbered >= 3 and numbered >= len(body) / 2:
        return Division("notes", [*head, *_notes(body)])
    return Division("section", [*head, *_blocks(body, intro=False)])


def _label(s: str) -> Label:
    """Labels of prose lines: links to documents, citations, glosses of
    names (``Lin Biao (1907-1971) ...``), sources, list items, paragraphs."""
    if is_boilerplate(s):
        return ab("boilerplate")
    if LINK.match(s):
        return ab("link")
    if is_source_line(s):
        return ab("source")
    if CITATION.match(s):
        return ab("citation")
    if GLOSS.match(s):
        return ab("gloss")
    if is_bullet(s):
        return Label("item")
    return P


def _joins(prev: Line, prev_label: Label, line: Line, label: Label, by_blank: bool) -> bool:
    """A prose line broken by the page (a linked name, a gloss) goes on."""
    if line.blank_before or label != P or prev_label != P:
        return False
    short_open = not ends_sentence(prev.text) and len(prev.text) < 40
    return short_open or ends_open(prev.text) or line.text[0].islower()


def _blocks(lines: Sequence[Line], intro: bool) -> list[Block | Division]:
    labels = [_label(line.text) for line in lines]
    if intro:
        labels = [HEAD if lab == P and is_title_like(line.text, max_words=10) else lab
                  for line, lab in zip(lines, labels, strict=True)]
    return list(group(lines, labels, joins=_joins))


def _notes(lines: Sequence[Line]) -> list[Block | Division]:
    """Numbered endnotes; an unnumbered line goes on the note before it."""
    blocks: list[Block | Division] = []
    run: list[Line] = []
    label = P
    for line in lines:
        m = NOTE.match(line.text)
        if run and not m and (label.kind == "note" or not line.blank_before):
            run.append(line)
            continue
        if run:
            blocks.append(make_block(run, label))
        run, label = [line], Label("note", "endnote", m.group(1)) if m else P
    if run:
        blocks.append(make_block(run, label))
    return blocks

"""A blog page of posts that quote archival documents: each post a section
under its title, a quoted telegram or letter (from its salutation on) a
floating document, photo captions and "read more" links marked."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..model import Block, Division
from .common import (
    HEAD,
    Line,
    blank_after,
    date_conventions,
    ends_sentence,
    floating_document,
    is_boilerplate,
    is_byline,
    is_opening_salute,
    is_title_like,
    make_block,
    prose_blocks,
    quoted_ranges,
    signature,
    split_edges,
    split_lines,
    with_paratext,
)

NAME = "blog"

_CUES = (
    # category lines; "Posted on/by <date>" is a byline, which articles have too
    (r"^(?:Tags?|Categor(?:y|ies)|Posted in|Filed under)\b", 0.3),
    (r"\bread more at the link\b|\bworth reading the whole\b|^Hat tip\b|\bh/t\b", 0.2),
    (r"\[[A-Z][\w .&'-]{1,40}\]\s*$", 0.2),  # "... [China File]" source credit
)
_CAPTION_CUE = re.compile(r"^(?:From left to right|Left to right|Pictured|Photo(?:graph)?\b"
                          r"|Image\b|\(?Above\b|\(?Below\b)", re.IGNORECASE)


def _titles(lines: Sequence[Line]) -> list[int]:
    """Post titles: title-like lines standing alone (not bylines, furniture,
    signatures).  Of titles in a row, only the last starts a post; those
    above it are the page's or the site's heading."""
    found = [i for i, line in enumerate(lines)
             if line.blank_before and blank_after(lines, i) and is_title_like(line.text)
             and not is_boilerplate(line.text) and not signature(line.text)
             and not is_byline(line.text)]
    return [i for i in found if i + 1 not in found]


def detect(text: str) -> float:
    """Score tag lines, "read more" links, source credits, several post titles
    and a document quoted after prose."""
    lines = split_lines(text)
    score = sum(w for pat, w in _CUES if re.search(pat, text, re.M | re.I))
    score += 0.3 if len(_titles(lines)) >= 2 else 0.0
    score += 0.3 if _quotes_document(lines) else 0.0
    return min(1.0, score)


def _quotes_document(lines: Sequence[Line]) -> bool:
    """Prose, then a letter or telegram quoted from its salutation on."""
    return any(line.blank_before and is_opening_salute(line.text) and i >= 2
               and any(len(p.text) >= 80 for p in lines[:i])
               for i, line in enumerate(lines))


def read(text: str) -> tuple[Division, dict[str, str]]:
    lead, middle, trail = split_edges(split_lines(text))
    titles = _titles(middle)
    starts = [0, *titles, len(middle)]
    posts = [_post(text, middle[a:b]) for a, b in itertools.pairwise(starts) if a < b]
    heads: list[Block] = []
    if titles and titles[0] > 0 and all(is_title_like(line.text)
                                        for line in middle[: titles[0]]):
        heads = [make_block([line], HEAD) for line in middle[: titles[0]]]
        posts = posts[1:]
    conventions = date_conventions(text, {"slash_dates": "mdy"})
    children: list[Block | Division] = list(with_paratext(lead, posts, trail))
    at = 1 if lead else 0
    children[at:at] = heads
    return Division("body", children), conventions


def _post(text: str, lines: Sequence[Line]) -> Division:
    """One post: prose, then a quoted document from its salutation up to the
    first boilerplate line ("You can read more at the link."), then prose."""
    start = next((i for i, line in enumerate(lines) if is_opening_salute(line.text)), None)
    if start is None:
        return Division("section", _prose(text, lines))
    end = next((j for i, j in quoted_ranges(lines[start:]) if i == 0), None)
    end = start + end if end else next(
        (i for i in range(start, len(lines)) if is_boilerplate(lines[i].text)), len(lines))
    before = _prose(text, lines[:start])
    intro = " ".join(text[b.start : b.end] for b in before if b.kind == "p")
    document = floating_document(text, lines[start:end], intro)
    return Division("section", [*before, document, *_prose(text, lines[end:])])


def _prose(text: str, lines: Sequence[Line]) -> list[Block | Division]:
    blocks = prose_blocks(lines)
    for k, block in enumerate(blocks):
        if block.kind == "p" and _is_caption(text, blocks, k):
            block.kind, block.type = "ab", "caption"
        elif k and blocks[k - 1].kind == "head" and is_byline(text[block.start : block.end]):
            block.kind, block.type = "byline", None
    return list(blocks)


def _is_caption(text: str, blocks: Sequence[Block], k: int) -> bool:
    """A photo caption: a one-sentence paragraph with a caption cue, or a short
    one standing between an introduction ("... below.", "...:") and what it
    introduces."""
    s = text[blocks[k].start : blocks[k].end]
    if "\n" in s or len(s) > 300 or len(re.findall(r"[.!?]\s+[A-Z]", s)) > 0:
        return False
    if _CAPTION_CUE.match(s):
        return True
    if k == 0 or len(s) > 160 or not ends_sentence(s):
        return False
    prev = text[blocks[k - 1].start : blocks[k - 1].end].rstrip()
    return prev.endswith(":") or bool(re.search(r"\b(?:below|above|following)\.$", prev))


"""Resolve the enrichers' spans once, by clear priorities.

Spans from different enrichers may cross or nest.  The rules:

* a span must lie inside one block (the writer builds markup per block);
* spans are taken in order of priority (then length, then position); a span
  is kept if it does not cross a kept span and every nesting it would create
  is admitted by the outer span's ``allows``;
* spans of equal extent nest with the higher priority outside.

The result is, per block, a forest of :class:`Node` objects in text order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Block, Span


@dataclass(slots=True)
class Node:
    span: Span
    children: list[Node] = field(default_factory=list)


def _admits(outer: Span, inner: Span) -> bool:
    return outer.allows is None or inner.tag in outer.allows


def _contains(a: Span, b: Span) -> bool:
    """True if ``a`` encloses ``b`` (equal extents: the higher priority encloses)."""
    if (a.start, a.end) == (b.start, b.end):
        return a.priority >= b.priority
    return a.start <= b.start and b.end <= a.end


def _compatible(new: Span, kept: Span) -> bool:
    if new.end <= kept.start or kept.end <= new.start:
        return True
    if new.start == new.end or kept.start == kept.end:
        return True
    if _contains(kept, new):
        return _admits(kept, new)
    if _contains(new, kept):
        return _admits(new, kept)
    return False  # crossing


def select(spans: Iterable[Span]) -> list[Span]:
    """Keep the spans that can be nested, by priority; return them in text order."""
    ranked = sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start, s.tag))
    kept: list[Span] = []
    for span in ranked:
        if span.end <= span.start:
            continue
        if all(_compatible(span, other) for other in _overlapping(kept, span)):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, -s.end, -s.priority))


def _overlapping(kept: list[Span], span: Span) -> Iterable[Span]:
    return (k for k in kept if k.start < span.end and span.start < k.end)


def forest(spans: list[Span]) -> list[Node]:
    """Nest text-ordered, non-crossing spans into trees."""
    roots: list[Node] = []
    stack: list[Node] = []
    for span in spans:
        node = Node(span)
        while stack and not _contains(stack[-1].span, span):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def by_block(blocks: list[Block], spans: Iterable[Span]) -> dict[int, list[Node]]:
    """Assign spans to the block that contains them (dropping those that cross
    block boundaries), resolve each block's spans, and nest them.

    Returns ``{block index: roots}``.
    """
    starts = [b.start for b in blocks]
    buckets: dict[int, list[Span]] = {}
    for span in spans:
        i = bisect_right(starts, span.start) - 1
        if i < 0:
            continue
        block = blocks[i]
        if block.start <= span.start and span.end <= block.end:
            buckets.setdefault(i, []).append(span)
    return {i: forest(select(group)) for i, group in buckets.items()}

"""Resolve the enrichers' spans once, by clear priorities.

Spans from different enrichers may cross or nest.  The rules:

* a span must lie inside one block (the writer builds markup per block);
* spans are taken in order of priority (then length, then position); a span
  is kept if it does not cross a kept span and every nesting it would create
  is admitted by the outer span's ``allows``;
* spans of equal extent nest with the higher priority outside.

The result is, per block, a forest of :class:`Node` objects in text order.

Cost: the kept spans always form a forest (no two cross), so a new span is
checked against its ancestors (found by descending the forest, bisecting the
sorted children at each level) and the run of siblings it would enclose,
instead of against every kept span: O(n log n) for markup of bounded depth.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

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


@dataclass(slots=True)
class _Kept:
    """A kept span in the forest being built: its children (disjoint, in text
    order, with their starts alongside for bisection) and the tags in its subtree."""

    span: Span
    children: list[_Kept] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)


class _Forest:
    """Kept spans as a forest under a virtual root; :meth:`offer` keeps a span
    if it crosses none and every nesting it makes is admitted."""

    def __init__(self) -> None:
        self.root = _Kept(Span(0, 0, ""))

    def offer(self, span: Span) -> bool:
        parent, ancestors = self._parent_of(span)
        if not all(_admits(a.span, span) for a in ancestors):
            return False
        lo = bisect_left(parent.starts, span.start)
        hi = bisect_left(parent.starts, span.end, lo)
        if lo > 0 and parent.children[lo - 1].span.end > span.start:
            return False  # a sibling starting before the span ends inside it
        inner = parent.children[lo:hi]
        if inner and inner[-1].span.end > span.end:
            return False  # the last enclosed sibling reaches past the span
        if span.allows is not None and any(t not in span.allows for k in inner for t in k.tags):
            return False
        node = _Kept(span, inner, parent.starts[lo:hi], {span.tag})
        for k in inner:
            node.tags |= k.tags
        parent.children[lo:hi] = [node]
        parent.starts[lo:hi] = [span.start]
        for a in ancestors:
            a.tags.add(span.tag)
        return True

    def _parent_of(self, span: Span) -> tuple[_Kept, list[_Kept]]:
        """The deepest kept span enclosing ``span`` (or the root), and the
        chain of kept spans enclosing it."""
        node, chain = self.root, []
        while True:
            i = bisect_right(node.starts, span.start) - 1
            if i < 0 or not _contains(node.children[i].span, span):
                return node, chain
            node = node.children[i]
            chain.append(node)

    def spans(self) -> list[Span]:
        """The kept spans in text order (outer before inner)."""
        out: list[Span] = []
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            out.append(node.span)
            stack.extend(reversed(node.children))
        return out


def select(spans: Iterable[Span]) -> list[Span]:
    """Keep the spans that can be nested, by priority; return them in text order.

    Most blocks' spans neither nest nor cross: then every (non-empty) span is
    kept, as a span that touches no other is, and text order is all there
    is to work out.
    """
    spans = [s for s in spans if s.end > s.start]
    ordered = sorted(spans, key=_start)
    if all(a.end <= b.start for a, b in pairwise(ordered)):
        return ordered
    ranked = sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start, s.tag))
    kept = _Forest()
    for span in ranked:
        kept.offer(span)
    return kept.spans()


def _start(span: Span) -> int:
    return span.start


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

"""Overlap resolution: priorities, nesting, block boundaries."""

from edition.model import Block, Span
from edition.spans import by_block, forest, select


def span(start, end, tag, priority=0, allows=None):
    return Span(start, end, tag, priority=priority, allows=allows)


def test_crossing_spans_keep_the_higher_priority():
    kept = select([span(0, 10, "date", 50), span(5, 15, "persName", 40)])
    assert [s.tag for s in kept] == ["date"]


def test_contained_span_nests_when_allowed():
    outer = span(0, 20, "bibl", 70, allows=frozenset({"idno"}))
    kept = select([outer, span(5, 7, "idno", 70), span(8, 10, "date", 50)])
    assert [s.tag for s in kept] == ["bibl", "idno"]
    roots = forest(kept)
    assert len(roots) == 1 and [c.span.tag for c in roots[0].children] == ["idno"]


def test_outer_lower_priority_span_is_dropped_if_it_does_not_admit_inner():
    kept = select([span(0, 3, "seg", 80, allows=frozenset()), span(0, 10, "persName", 40,
                                                                   allows=frozenset())])
    assert [s.tag for s in kept] == ["seg"]


def test_equal_extent_higher_priority_outside():
    kept = select([span(2, 5, "persName", 40), span(2, 5, "supplied", 90)])
    roots = forest(kept)
    assert roots[0].span.tag == "supplied" and roots[0].children[0].span.tag == "persName"


def test_spans_crossing_block_boundaries_are_dropped():
    blocks = [Block("p", 0, 10), Block("p", 11, 20)]
    nodes = by_block(blocks, [span(8, 13, "persName"), span(12, 14, "date")])
    assert 0 not in nodes
    assert [n.span.tag for n in nodes[1]] == ["date"]


def test_empty_spans_are_ignored():
    assert select([span(3, 3, "date")]) == []

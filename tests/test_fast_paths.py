"""The per-text conversion's fast paths give what the plain algorithms give.

Each fast path (patterns tried only where they can begin, tokens built by
``map``, brackets' depth by one sweep, the source layer read without a copy,
spans that do not nest kept without the forest) is compared with a plain
reference on generated texts that hit the edge cases; a fast path that lost a
case would fail here, not only change an output somewhere.
"""

from __future__ import annotations

import random
import re
from copy import deepcopy

import pytest
from lxml import etree

from edition import preserve
from edition.enrich import dates as D
from edition.enrich.apparatus import find_brackets
from edition.enrich.redactions import _Extents, find_masks
from edition.enrich.scanning import finditer_at
from edition.model import Span
from edition.months import MONTH_NAME, MONTHS, month_number
from edition.register import TOKEN_RE, Token, _merge_spaced_letters, fold, tokenize
from edition.spans import _Forest, select

WORDS = ["in", "IN", "the end of", "END  OF", "mid-", "mid", "c.", "C.", "(", ")", "1950",
         "1949", "20", "2011", "-", "–", " ", "  ", "\n", ",", ".", "/", "5", "12", "31st",
         "May", "MAY", "Sept.", "June", "of", "[7]", "[sic-October]", "[sic]", "to", "and",
         "between", "12:30", "12.30", "3.10", "1.X.50", "7/5/50", "7-3-1949", "a.m.", "on",
         "at", "within", "spring", "year", "x", "’", "١٢", "Kim’s", "Xi'an", "don`t", "café",
         "G R O M Y K O", "a", "b", "_", "‐", "İ", "ﬁ", "straße", "army", "Army"]


def _texts(seed: int, n: int = 3000, words: int = 20) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(WORDS) + rng.choice(["", " ", " ", "\n", "-"])
                    for _ in range(rng.randint(0, words))) for _ in range(n)]


def _found(matches) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


def _date_starts(text: str) -> list[int]:
    return [m.start() for m in D._DATE_AT.finditer(text)]


#: _YEARS as it was written before its prepositions were listed in a table
#: (with "between", added since).
OLD_PREPOSITION = (
    r"(?i:\b(?:in|since|until|till|by|from|between|during|before|after|around|circa|c\.|early|late|"
    r"mid-?|year|(?:end|beginning|middle|spring|summer|autumn|fall|winter)\s+of))"
)
OLD_YEARS = re.compile(
    rf"(?<![\w,./-])(?P<y1>{D._YEAR})\s*[-–—]\s*(?P<y2>{D._YEAR})"
    rf"|{OLD_PREPOSITION}\s+(?P<py>{D._YEAR})(?!\s*[-–—]\s*\d)"
    rf"|(?<=\()(?P<ky>{D._YEAR})(?=\))"
)


@pytest.mark.parametrize("pattern, hint", [
    (D._TEXTUAL, D._MONTH_HINT),
    (D._NUMERIC, D._NUMERIC_HINT),
    (D._TIME_DAY_MONTH, D._TIME_HINT),
])
def test_date_patterns_tried_at_their_starts_find_what_finditer_finds(pattern, hint) -> None:
    for text in _texts(1):
        expected = _found(pattern.finditer(text))
        assert _found(finditer_at(pattern, text, _date_starts(text))) == expected, text
        assert not expected or hint.search(text), text


def test_years_tried_at_years_and_prepositions_find_what_finditer_finds() -> None:
    for text in _texts(2):
        years = [m.start() for m in D._YEAR_AT.finditer(text)]
        found = _found(finditer_at(D._YEARS, text, D._with_prepositions(text, years)))
        assert found == _found(OLD_YEARS.finditer(text)), text


def test_a_missing_start_would_be_noticed() -> None:
    """The comparison above can fail: without the preposition, ``in 1956``
    is found as a bare year (a different match)."""
    text = "in 1956"
    years = [m.start() for m in D._YEAR_AT.finditer(text)]
    assert _found(finditer_at(D._YEARS, text, years)) != _found(D._YEARS.finditer(text))


def test_time_before_a_date_is_found_far_into_a_long_block() -> None:
    text = "x " * 5000 + "at 23:45 p.m. on 07/05/50 and " * 3 + "12:00 19.1.51"
    found = D._scan(text)
    assert [e.point.iso() for e in found] == ["1950-07-05T23:45:00"] * 3 + ["1951-01-19T12:00:00"]


def _reference_tokenize(text: str, start: int = 0, end: int | None = None,
                        keep: frozenset[str] | None = None) -> list[Token]:
    """Tokenisation one match at a time (the former implementation, as an oracle)."""
    end = len(text) if end is None else end
    out: list[Token] = []
    filler = -1
    filler_end = 0
    for m in TOKEN_RE.finditer(text, start, end):
        raw = m.group()
        if raw.isascii() and "'" not in raw:
            if keep is not None and raw[0].islower() and len(raw) > 1 and raw not in keep:
                if filler < 0:
                    filler = m.start()
                filler_end = m.end()
                continue
            if filler >= 0:
                out.append(Token(filler, filler_end, "~", "~"))
                filler = -1
            out.append(Token(m.start(), m.end(), raw, raw.lower()))
            continue
        if filler >= 0:
            out.append(Token(filler, filler_end, "~", "~"))
            filler = -1
        raw = fold(raw)
        possessive = False
        if raw[:1].isalnum():
            possessive = len(raw) > 2 and raw[-2] == "'" and raw[-1] in "sS"
            raw = raw.replace("'", "")
        out.append(Token(m.start(), m.end(), raw, raw.casefold(), possessive))
    if filler >= 0:
        out.append(Token(filler, filler_end, "~", "~"))
    return out


#: Spaced-out letters as the former implementation looked for them.
OLD_SPACED_LETTERS = re.compile(r"(?<!\w)[^\W\d_] [^\W\d_] [^\W\d_](?!\w)")


def test_tokenize_matches_the_reference_with_and_without_keep() -> None:
    keep = frozenset({"army", "the", "of", "and", "in", "a"})
    rng = random.Random(3)
    for text in _texts(3, words=30):
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        for k in (None, keep):
            expected = _reference_tokenize(text, start, end, k)
            if OLD_SPACED_LETTERS.search(text, start, end):
                expected = _merge_spaced_letters(text, expected)
            assert tokenize(text, start, end, k) == expected, (text, start, end)


def test_spaced_letters_are_found_from_their_first_space() -> None:
    assert [t.raw for t in tokenize("Cmrd. G R O M Y K O said")] == ["Cmrd", ".", "GROMYKO",
                                                                     "said"]
    assert [t.raw for t in tokenize("a b c")] == ["abc"]
    assert [t.raw for t in tokenize("xa b c")] == ["xa", "b", "c"]


def test_bracket_depth_by_sweep_equals_counting_enclosing_brackets() -> None:
    rng = random.Random(4)
    for _ in range(3000):
        text = "".join(rng.choice("[]x [[") for _ in range(rng.randint(0, 30)))
        brackets, _ = find_brackets(text)
        for br in brackets:
            around = sum(1 for o in brackets if o.start < br.start and br.end < o.end)
            assert br.depth == around, text


def _reference_source_layer(tree: etree._Element) -> str:
    text_el = deepcopy(tree.find(f"{{{preserve.TEI_NS}}}text"))
    for el in text_el.xpath(preserve.EDITORIAL_LAYER, namespaces=preserve._NS):
        parent, prev, tail = el.getparent(), el.getprevious(), el.tail or ""
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(el)
    return "".join(text_el.itertext())


def test_source_layer_without_a_copy_equals_removing_the_editorial_layer() -> None:
    tei = preserve.TEI_NS
    root = etree.fromstring(
        f'<TEI xmlns="{tei}"><text><body><p>a<note resp="#e">n<note>inner</note></note>b'
        '<choice><sic>c</sic><corr>d</corr></choice>e<!--comment-->f<?pi x?>g'
        '<note type="endnote">kept</note>h<choice><seg>i</seg>'
        '<supplied reason="redacted">j</supplied></choice>k</p></body></text></TEI>')
    assert preserve.source_layer(root) == _reference_source_layer(root) == "abcefgkepthik"


def test_select_without_nesting_keeps_what_the_forest_keeps() -> None:
    rng = random.Random(6)
    for _ in range(3000):
        spans = []
        for _ in range(rng.randint(0, 6)):
            a = rng.randint(0, 30)
            spans.append(Span(a, a + rng.randint(0, 8), rng.choice("ab"),
                              priority=rng.choice([20, 40, 90]),
                              allows=rng.choice([None, frozenset(), frozenset("a")])))
        forest = _Forest()
        for span in sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start,
                                                 s.tag)):
            if span.end > span.start:
                forest.offer(span)
        assert select(spans) == forest.spans(), spans


def test_extents_cover_as_any_extent_would() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        extents = [(a, a + rng.randint(0, 10)) for a in
                   (rng.randint(0, 40) for _ in range(rng.randint(0, 5)))]
        inside = _Extents(extents)
        for _ in range(10):
            s = rng.randint(0, 45)
            e = s + rng.randint(0, 5)
            assert inside.covers(s, e) == any(a <= s and e <= b for a, b in extents)


def test_masks_inside_emphasis_or_separator_lines_are_not_redactions() -> None:
    text = "***\nGen. ** met **bold** and ×× here\n* * *"
    assert [m.mask for m in find_masks(text)] == ["**", "××"]


def test_one_table_of_months() -> None:
    assert MONTH_NAME == ("(?:January|February|March|April|May|June|July|August|September"
                          "|October|November|December)")
    assert [month_number(m) for m in MONTHS] == list(range(1, 13))
    assert month_number("Sept.") == 9 and month_number("OCTOBER") == 10
    assert D.MONTHS is MONTHS


ARCHIVAL_WORDS = ["fond", "Fond", "F.", "f.", "op.", "Opis’", "delo", "d.", "papka", "l.", "ll.",
                  "listy", "No.", "Nos.", "№", "#", "##", "_", "1304/sh", "600382/sh", "P78/118",
                  "5", "45", "059a", "x.", ",", " ", "and", "-", "/", "word", "APRF", "13", "s"]


def test_archival_patterns_tried_at_their_starts_find_what_finditer_finds() -> None:
    from edition.enrich import archives as A

    rng = random.Random(8)
    for _ in range(4000):
        text = "".join(rng.choice(ARCHIVAL_WORDS) + rng.choice(["", " ", ", "])
                       for _ in range(rng.randint(0, 15)))
        for pattern, finder in ((A._UNIT, A._UNIT_AT), (A._DOC_NUMBER, A._DOC_NUMBER_AT)):
            found = finditer_at(pattern, text, A._starts(finder, text))
            assert _found(found) == _found(pattern.finditer(text)), text


def test_note_anchor_pattern_equals_its_look_behind_first_form() -> None:
    from edition.enrich.footnotes import _CANDIDATE

    old = re.compile(r"(?<=[^\W\d_]|[.,;:!?)\]”\"’])(?P<n>[1-9]\d{0,2})(?![\w/]|[-–.,:]\d)")
    rng = random.Random(9)
    for _ in range(4000):
        text = "".join(rng.choice(["word", "p.", "1", "12", "305", "0", ")", "”", "’", " ", "-",
                                   "/", ".", ",", "é", "_", "3.4"]) for _ in range(12))
        start = rng.randint(0, len(text))
        assert _found(_CANDIDATE.finditer(text, start)) == _found(old.finditer(text, start))

"""The plain-text wrapper gives textwrap's lines (break_long_words=False,
break_on_hyphens=False) for single-spaced words."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.render import WIDTH, wrap

#: a word: no character textwrap would split at (its regular expression's
#: ``\s``: every character ``str.isspace`` calls white space, no-break spaces too)
WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: not c.isspace()), min_size=1, max_size=90)


def reference(words: str, lead: str, hang: str, width: int) -> list[str]:
    return textwrap.wrap(words, width=width, initial_indent=lead, subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, max_size=40), st.integers(0, 30), st.integers(0, 30),
       st.sampled_from([WIDTH, 20, 8]))
def test_wrap_matches_textwrap(words: list[str], lead: int, hang: int, width: int) -> None:
    text = " ".join(words)
    assert wrap(text, "*" * lead, " " * hang, width) == reference(text, "*" * lead, " " * hang,
                                                                  width)


def test_long_word_stands_alone_and_lines_fill() -> None:
    text = "a " * 40 + "x" * 100 + " b"
    lines = wrap(text.strip(), "  ", "    ")
    assert lines[0].startswith("  a a") and len(lines[0]) <= WIDTH
    assert "    " + "x" * 100 in lines and lines[-1] == "    b"
    assert wrap("", "> ", "  ") == []


def test_no_break_spaces_hold_words_together() -> None:
    """textwrap breaks at a no-break space; the edition's wrapper does not (and
    keeps the character, which the plain text must not lose)."""
    text = "x" * 66 + " 25\u00a0June 1950"
    assert wrap(text, "", "") == ["x" * 66, "25\u00a0June 1950"]

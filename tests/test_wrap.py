"""The plain-text wrapper gives textwrap's lines (break_long_words=False,
break_on_hyphens=False) for single-spaced words."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.render import WIDTH, wrap

WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=
                                      " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"),
               min_size=1, max_size=90)


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

"""Regular-expression scans that try a pattern only where a match can begin.

Python's regular-expression engine skips quickly through a text only when
a pattern begins with a literal or a plain character set.  The enrichers'
patterns begin with look-behinds and alternations, so ``finditer`` runs the
whole matcher at every position of every block: most of their cost.

:func:`finditer_at` gives exactly what ``pattern.finditer(text)`` gives,
trying the pattern only at the positions ``starts`` names.  It is sound when
``starts`` holds every position where a match of ``pattern`` can begin:
``finditer`` tries positions left to right, takes the first that matches and
goes on after its end; a position where no match can begin adds nothing, and
``pattern.match(text, pos)`` sees the text before ``pos`` (look-behinds,
``\\b``) just as ``finditer`` does.  The callers find their ``starts`` with
patterns that do begin with a character set (a digit, a month's initial).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def finditer_at(pattern: re.Pattern[str], text: str,
                starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that never matches the empty
    string, trying only ``starts`` (ascending; every position where a match
    can begin among them)."""
    resume = 0
    match = pattern.match
    for pos in starts:
        if pos < resume:
            continue
        found = match(text, pos)
        if found is not None:
            yield found
            resume = found.end()


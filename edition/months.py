"""Month names and the date shapes that the readers and the date tagger share.

One table of month names (:data:`MONTHS`, :data:`MONTH_ABBREVIATIONS`) and
the regular-expression pieces built from it, so that the source profiles
(which recognise date lines) and the date tagger (which normalises dates)
cannot drift apart on what a month is.
"""

from __future__ import annotations

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
#: Abbreviations (written with a full stop in the sources) and their months.
MONTH_ABBREVIATIONS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
    "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip

#: A full month name in title case (``(?:January|...|December)``).
MONTH_NAME = "(?:" + "|".join(MONTHS) + ")"
#: A year of the sources' range as four digits (``1000``-``2099``).
YEAR_DIGITS = r"(?:1[0-9]{3}|20[0-9]{2})"
#: A numeric date ``d.m.yy``/``d/m/yyyy``/``d-m-yy`` (any of ``./-``, either order).
NUMERIC_DATE = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
#: An ISO date ``yyyy-mm-dd``.
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation (``Sept.``, ``OCTOBER``), else None."""
    key = word.rstrip(".").strip().title()
    if key in MONTHS:
        return MONTHS.index(key) + 1
    return MONTH_ABBREVIATIONS.get(key)

"""Dates: find every date expression and normalise it to ISO 8601.

:class:`DateTagger` returns ``date`` spans with ``@when`` (a point at the
precision written: ``1950``, ``1950-10``, ``1950-10-01``,
``1950-10-09T07:05:00``) or ``@from``/``@to`` (a range written as one
expression).  :func:`normalise_date` reads a single expression (headings,
``correspDesc``).

Forms read: ``January 27, 1951``, ``27 January 1951``, ``October 1st``,
``Sept. 16``, ``September 1950``; numeric ``27.1.1951``, ``26.1.51``,
``07/05/50``, ``7-3-1949``, ``1.X.50`` (Roman month), ISO ``2011-11-20``;
a time before or after a full date (``12:00 19.1.51``, ``23:45 p.m. on
07/05/50``, ``10/09/50 at 7:05 a.m.``, ``19 hours 35 minutes 27.1.1951``);
ranges and pairs (``November 27 to December 24, 1950``, ``Sept. 16-Oct. 15,
1950``, ``between 8 and 10 June``, ``June-December 1950``, ``1949-1958``);
a year alone where it is used as a date (after a temporal preposition,
``in 1956``; in parentheses, ``(2002)``; a block that is only a year, the
heading of a chronology year); a chronology entry that begins with a month
name inside a ``Division(type="year")``.

Numeric dates follow the source's conventions, ``doc.conventions`` (keys):

* ``slash_dates``: order of ``a/b/c`` -- ``"mdy"`` (default) or ``"dmy"``;
* ``dot_dates``: order of ``a.b.c`` -- ``"dmy"`` (default) or ``"mdy"``;
* ``dash_dates``: order of ``a-b-cccc`` -- ``"dmy"`` (default) or ``"mdy"``
  (a dash date needs a four-digit year; ``yyyy-mm-dd`` is always ISO);
* ``century``: the century of two-digit years, ``"19"`` (default).

A Roman month (``24.III.50``) is always day.month.year.

A day or month without a year takes the year of the nearest preceding dated
expression in the same scope (the innermost ``document`` or ``year``
division, else the body); failing that the chronology year division's
``n``; failing that the date of the enclosing document
(``DocumentMeta.date_text``).  Such dates carry ``evidence="internal"``,
``resp`` (the editors) and ``cert`` (``high`` from a year division or the
document's date, ``medium`` from a preceding expression).  Without any
context the expression is reported and left untagged: the edition never
guesses silently.

A date the source corrects in brackets (``8 [7] October 1950``,
``7 September [sic-October]``) is one span over the whole reading; ``@when``
is the corrected value and an editorial ``note type="correction"`` says what
the source reads.  Impossible dates (31 June, month 13, Roman XIII) are
reported and not encoded.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise

from edition.model import (
    PRIORITY_DATE,
    RESP_EDITORS,
    Addition,
    Block,
    Division,
    SourceDocument,
    Span,
    attrs,
)
from edition.months import MONTH_ABBREVIATIONS, MONTHS, month_number

from .scanning import finditer_at

__all__ = ["MONTHS", "DateTagger", "month_number", "normalise_date"]

_ROMAN = {"I": 1, "V": 5, "X": 10}
_DEFAULTS = {"slash_dates": "mdy", "dot_dates": "dmy", "dash_dates": "dmy", "century": "19"}
_SEPARATOR_KEY = {"/": "slash_dates", ".": "dot_dates", "-": "dash_dates"}
ALLOWED_INSIDE = frozenset({"supplied", "seg", "sic"})

#: Blocks whose dates give no year to the text that follows (captions, page furniture).
_NO_CONTEXT = frozenset({"caption", "boilerplate", "metadata"})


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_FULL_FORMS = [m for name in MONTHS for m in (name, name.upper())]
_ABBR_FORMS = [a + "." for name in MONTH_ABBREVIATIONS for a in (name, name.upper())]
_MONTH_FULL = rf"(?:{_alternatives(_FULL_FORMS)})(?!\w)"
_MONTH = rf"(?:(?:{_alternatives(_FULL_FORMS)})(?!\w)|(?:{_alternatives(_ABBR_FORMS)}))"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\w’']|[,.]\d)"
_NUM2 = r"\d{1,2}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?![\w])"
_CONN = r"(?:-|–|—|(?i:to|till|until|through|and))"
_ORDINAL = re.compile(r"(?:st|nd|rd|th)$")


def _corr(name: str, value: str) -> str:
    """An optional bracket correcting the preceding component: ``[7]``,
    ``[sic-October]``, ``[sic]``."""
    return rf"(?P<{name}>\s*\[(?:sic\b\W{{0,3}}(?:{value})?|{value})\])?"


_TEXTUAL = re.compile(
    rf"""
    (?<![\w.,/])(?P<a_d>{_DAY}){_corr('a_dc', _NUM2)}\s+(?:of\s+)?
        (?P<a_m>{_MONTH}){_corr('a_mc', _MONTH)}
        (?:,?\s+(?P<a_y>{_YEAR}){_corr('a_yc', _YEAR)}|\s*\[(?P<a_ys>{_YEAR})\])?
    |
    (?<!\w)(?P<b_m>{_MONTH}){_corr('b_mc', _MONTH)}\s+(?P<b_d>{_DAY}){_corr('b_dc', _NUM2)}
        (?:[,.]?\s+(?P<b_y>{_YEAR}){_corr('b_yc', _YEAR)}|\s*\[(?P<b_ys>{_YEAR})\])?
    |
    (?<!\w)(?P<c_m>{_MONTH})\s*,?\s+(?P<c_y>{_YEAR})
    """,
    re.VERBOSE,
)
_NUMERIC = re.compile(
    r"(?<![\w./:-])(?P<n1>\d{1,4})(?P<sep>[./-])(?P<n2>\d{1,2}|[IVX]{1,5})(?P=sep)(?P<n3>\d{1,4})"
    r"(?![\w/]|[.-]\d)"
)
_TIME_DAY_MONTH = re.compile(
    r"(?<![\w.:])(?P<h>[01]?\d|2[0-3])[.:](?P<mi>[0-5]\d)\s+(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?![\w.]|\.\d)"
)
#: Words before a year that make it a date (``in 1956``, ``the end of 1950``).
_PREPOSITIONS = ("in", "since", "until", "till", "by", "from", "between", "during", "before",
                 "after",
                 "around", "circa", "c.", "early", "late", "mid-", "mid", "year")
_PERIODS = ("end", "beginning", "middle", "spring", "summer", "autumn", "fall", "winter")
_PREPOSITION = (
    rf"(?i:\b(?:{'|'.join(map(re.escape, _PREPOSITIONS))}"
    rf"|(?:{'|'.join(_PERIODS)})\s+of))"
)
_YEARS = re.compile(
    rf"(?<![\w,./-])(?P<y1>{_YEAR})\s*[-–—]\s*(?P<y2>{_YEAR})"
    rf"|{_PREPOSITION}\s+(?P<py>{_YEAR})(?!\s*[-–—]\s*\d)"
    rf"|(?<=\()(?P<ky>{_YEAR})(?=\))"
)
_ONLY_YEAR = re.compile(rf"\s*(?P<y>{_YEAR})\s*")
_CHRONOLOGY_LINE = re.compile(rf"\s*(?P<m>{_MONTH_FULL})(?:\s+(?P<d>\d{{1,2}})(?=[\s,.:;]|$))?")
_AMPM = r"(?P<ap>[ap]\.\s?m\.|[ap]m\b)"
_TIME_BEFORE = re.compile(
    rf"(?<![\d.:])(?:(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?:\s*{_AMPM})?"
    rf"|(?P<h2>\d{{1,2}})\.(?P<mi2>\d{{2}})\s*(?P<ap2>[ap]\.\s?m\.|[ap]m\b)"
    rf"|(?P<h3>\d{{1,2}})\s+hours?\s+(?P<mi3>\d{{1,2}})\s+minutes?)\s*,?\s*(?:on\s+)?$"
)
_TIME_AFTER = re.compile(rf"\s*,?\s+at\s+(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:\s*{_AMPM})?")
_BEFORE_PARTIAL_DAY = re.compile(rf"(?<![\w.,:/-])(?P<d>{_DAY})\s*(?P<c>{_CONN})\s*$")
_BEFORE_PARTIAL_MONTH = re.compile(rf"(?<!\w)(?P<m>{_MONTH})\s*(?P<c>{_CONN})\s*$")
_AFTER_PARTIAL_DAY = re.compile(
    rf"\s*(?P<c>{_CONN})\s*(?P<d>{_DAY})(?!\s*\[?(?:{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?"
)
_GAP = re.compile(rf"\s*(?P<c>{_CONN})\s*")
#: More days of the month just named, in an enumeration: ``July 23, 26, and 28``
#: (each item ``, 26``; the last ``, and 28`` or `` and 28``, maybe with a year).
_LIST_ITEM = re.compile(rf"\s*,\s*(?P<d>{_DAY})(?!\s*\[?(?:{_MONTH}))(?=\s*,|\s+and\s)")
_LIST_LAST = re.compile(
    rf"\s*,?\s+and\s+(?P<d>{_DAY})(?!\s*\[?(?:{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?"
)
#: The end of a span of years after ``from 1950`` or ``between 1949``.
_AFTER_YEAR = re.compile(rf"\s*(?P<c>{_CONN})\s*(?P<y>{_YEAR})")
_SPAN_START = re.compile(r"(?i:\b(?:from|between))\s+$")
_BETWEEN = re.compile(r"(?i:\bbetween)\s+$")

# Where the patterns above can begin (see :mod:`.scanning`).  Each begins with
# a day, a number, a year or a month's name (or, in _YEARS, a preposition
# before a year), behind a look-behind that admits no word character before
# it; this finder begins with a character set, so the engine skips quickly.
_DATE_AT = re.compile(
    rf"[\dADFJMNOS](?<!\w[\dADFJMNOS])"
    rf"(?:(?<=\d)|(?={'|'.join(sorted({f[1:3] for f in _FULL_FORMS + _ABBR_FORMS}))}))"
)
#: What a block must hold for each pattern to match in it (each begins with a
#: character set): a month's name (_TEXTUAL), two separators between numbers
#: (_NUMERIC), a time before a day and month (_TIME_DAY_MONTH), a year (_YEARS).
_MONTH_HINT = re.compile("|".join(re.escape(f) for f in _FULL_FORMS + _ABBR_FORMS))
_NUMERIC_HINT = re.compile(r"\d[./-](?:\d|[IVX])[^./-]{0,4}[./-]\d")
_TIME_HINT = re.compile(r"\d[.:][0-5]\d\s+\d{1,2}\.\d")
_YEAR_AT = re.compile(_YEAR)
#: In the reversed text, from a year back: ``PREP\s+`` that ends where it begins.
_PREPOSITION_BEFORE = re.compile(
    rf"\s+(?i:{'|'.join(re.escape(w[::-1]) for w in _PREPOSITIONS)}"
    rf"|fo\s+(?:{'|'.join(w[::-1] for w in _PERIODS)}))(?!\w)"
)


@dataclass(frozen=True, slots=True)
class _Point:
    """A calendar point at the precision written (missing parts are None)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
                if self.hour is not None:
                    out += f"T{self.hour:02d}:{self.minute or 0:02d}:00"
        return out

    def key(self) -> tuple[int, int, int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0, self.hour or 0, self.minute or 0)

    def fill(self, other: _Point) -> _Point:
        """Take year (and month, if this has a day but no month) from ``other``."""
        month = self.month if self.month is not None else other.month
        return replace(self, year=self.year if self.year is not None else other.year, month=month)


@dataclass(slots=True)
class _Expr:
    """A date expression found in the text (offsets into the scanned text)."""

    start: int
    end: int
    point: _Point
    to: _Point | None = None
    source: _Point | None = None  # the reading the source corrects
    brackets: tuple[str, ...] = ()
    first: str = "day"  # day | month | number | year: what the text begins with
    explicit_year: bool = True
    context: bool = True  # may give its year to later year-less dates
    inferred: str | None = None  # cert of a year taken from context
    errors: list[str] = field(default_factory=list)

    def points(self) -> Iterator[_Point]:
        yield self.point
        if self.to is not None:
            yield self.to


# ---------------------------------------------------------------- parsing


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    return int(_ORDINAL.sub("", text.strip()))


_ROMAN_UNITS = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")


def _roman(text: str) -> int | None:
    """The value of a strict Roman numeral (I..XXXIX), else None."""
    values = [_ROMAN[c] for c in text]
    total = sum(-v if v < max(values[i + 1 :], default=0) else v for i, v in enumerate(values))
    canonical = "X" * (total // 10) + _ROMAN_UNITS[total % 10]
    return total if canonical == text else None


def _two_digit(year: int, digits: str, conventions: Mapping[str, str]) -> int:
    if len(digits) == 4:
        return year
    return int(conventions.get("century", _DEFAULTS["century"])) * 100 + year


def _numeric(match: re.Match[str], conventions: Mapping[str, str]) -> _Expr | None:
    n1, sep, n2, n3 = match["n1"], match["sep"], match["n2"], match["n3"]
    if len(n1) == 4 and sep == "-" and len(n3) <= 2 and n2.isdigit():
        return _Expr(match.start(), match.end(), _Point(int(n1), int(n2), int(n3)), first="number")
    if len(n1) > 2 or len(n3) not in (2, 4) or (sep == "-" and len(n3) != 4):
        return None
    year = _two_digit(int(n3), n3, conventions)
    errors: list[str] = []
    if not n2.isdigit():
        month = _roman(n2)
        if month is None:
            errors.append(f"{n2!r} is not a Roman numeral")
        return _Expr(match.start(), match.end(), _Point(year, month or 1, int(n1)),
                     first="number", errors=errors)  # fmt: skip
    order = conventions.get(_SEPARATOR_KEY[sep], _DEFAULTS[_SEPARATOR_KEY[sep]])
    day, month = (int(n1), int(n2)) if order == "dmy" else (int(n2), int(n1))
    return _Expr(match.start(), match.end(), _Point(year, month, day), first="number")


def _time_day_month(match: re.Match[str], conventions: Mapping[str, str]) -> _Expr:
    """``12.50 3.10``: a time, then day and month (the dot convention) without year."""
    a, b = int(match["a"]), int(match["b"])
    day, month = (a, b) if conventions.get("dot_dates", "dmy") == "dmy" else (b, a)
    point = _Point(None, month, day, int(match["h"]), int(match["mi"]))
    return _Expr(match.start(), match.end(), point, first="number", explicit_year=False)


def _bracket_value(bracket: str) -> tuple[str, int | None]:
    """``(bracket text, corrected value)``; value None for a bare ``[sic]``."""
    text = bracket.strip()
    inner = re.sub(r"^sic\b\W*", "", text[1:-1]).strip()
    if not inner:
        return text, None
    return text, month_number(inner) or int(inner)


def _textual(match: re.Match[str]) -> _Expr:
    """A date written with a month name; brackets correct their component."""
    form = next(f for f in "abc" if match[f"{f}_m"] is not None)
    groups = {k[2:]: v for k, v in match.groupdict().items() if k.startswith(form + "_")}
    year = groups.get("y") or groups.get("ys")
    source = _Point(_int(year), month_number(groups["m"]), _int(groups.get("d")))
    corrected = source
    brackets = []
    for part, attr in (("dc", "day"), ("mc", "month"), ("yc", "year")):
        if groups.get(part):
            text, value = _bracket_value(groups[part])
            brackets.append(text)
            if value is not None:
                corrected = replace(corrected, **{attr: value})
    return _Expr(
        match.start(), match.end(), corrected,
        source=source if brackets else None, brackets=tuple(brackets),
        first="day" if form == "a" else "month", explicit_year=year is not None,
    )  # fmt: skip


def _years(match: re.Match[str]) -> _Expr:
    if match["y1"]:
        return _Expr(match.start(), match.end(), _Point(int(match["y1"])),
                     to=_Point(int(match["y2"])), first="year", context=False)  # fmt: skip
    if match["py"]:
        return _Expr(match.start("py"), match.end(), _Point(int(match["py"])), first="year")
    return _Expr(match.start(), match.end(), _Point(int(match["ky"])), first="year", context=False)


def _atoms(text: str, conventions: Mapping[str, str]) -> list[_Expr]:
    """Every single date in ``text``, leftmost-longest, not overlapping."""
    starts = [m.start() for m in _DATE_AT.finditer(text)]
    if not starts:
        return []
    found = []
    if _MONTH_HINT.search(text):
        found += [_textual(m) for m in finditer_at(_TEXTUAL, text, starts)]
    if _NUMERIC_HINT.search(text):
        numeric = finditer_at(_NUMERIC, text, starts)
        found += [e for m in numeric if (e := _numeric(m, conventions))]
    if _TIME_HINT.search(text):
        found += [_time_day_month(m, conventions)
                  for m in finditer_at(_TIME_DAY_MONTH, text, starts)]
    if years := [m.start() for m in _YEAR_AT.finditer(text)]:
        found += [_years(m) for m in finditer_at(_YEARS, text, _with_prepositions(text, years))]
    if m := _ONLY_YEAR.fullmatch(text):
        found.append(_Expr(m.start("y"), m.end("y"), _Point(int(m["y"])), first="year"))
    found.sort(key=lambda e: (e.start, -e.end))
    kept: list[_Expr] = []
    for expr in found:
        if not kept or expr.start >= kept[-1].end:
            kept.append(expr)
    return kept


def _with_prepositions(text: str, years: list[int]) -> list[int]:
    """Where a _YEARS match can begin: at a year (``years``, where _YEAR
    matches: these never overlap, so ``finditer`` finds them all) or at the
    preposition that ends right before one (``in 1956``), found backwards in
    the reversed text."""
    reverse, n = text[::-1], len(text)
    match = _PREPOSITION_BEFORE.match
    before = [n - m.end() for q in years if (m := match(reverse, n - q))]
    return sorted({*years, *before}) if before else years


# ---------------------------------------------------------------- time


def _clock(hour: str, minute: str, ampm: str | None) -> tuple[int, int]:
    h, m = int(hour), int(minute)
    marker = (ampm or "").replace(".", "").replace(" ", "").lower()
    if h <= 12 and marker == "pm" and h != 12:
        h += 12
    elif h == 12 and marker == "am":
        h = 0
    return h, m


def _attach_time(expr: _Expr, text: str, back: _Back) -> None:
    """Widen a full date to a time written before or after it."""
    if expr.to is not None or expr.point.day is None:
        return
    time: tuple[int, int] | None = None
    if before := _TIME_BEFORE.search(text, back.start(expr.start, 8), expr.start):
        h, mi, ap = next(
            (before[f"h{s}"], before[f"mi{s}"], before[f"ap{s}"] if s != "3" else None)
            for s in ("", "2", "3") if before[f"h{s}"]
        )  # fmt: skip
        time, expr.start = _clock(h, mi, ap), before.start()
    elif after := _TIME_AFTER.match(text, expr.end):
        time, expr.end = _clock(after["h"], after["mi"], after["ap"]), after.end()
    if time is None:
        return
    if time[0] > 23 or time[1] > 59:
        expr.errors.append(f"no such time {time[0]}:{time[1]:02d}")
    expr.point = replace(expr.point, hour=time[0], minute=time[1])


# ---------------------------------------------------------------- ranges


def _combine(first: _Expr, second: _Expr, connector: str, text: str) -> list[_Expr]:
    """Join two dates linked by ``connector``: a range, or two dates of a pair
    (``8 and 10 June``) that share the later one's month and year."""
    start = first.point.fill(second.point)
    end = second.point.fill(start)
    # a year is only moved where one is known (both may wait for their context)
    if first.point.year is None and start.year is not None and start.key() > end.key():
        start = replace(start, year=start.year - 1)  # December 20 to January 5, 1951
    elif second.point.year is None and end.year is not None and end.key() < start.key():
        end = replace(end, year=end.year + 1)
    explicit = first.explicit_year or second.explicit_year
    is_range = connector.lower() != "and" or _BETWEEN.search(text, 0, first.start) is not None
    if not is_range:
        return [replace(first, point=start, explicit_year=explicit),
                replace(second, point=end, explicit_year=explicit)]  # fmt: skip
    merged = replace(
        first, end=second.end, point=start, to=end, explicit_year=explicit,
        brackets=first.brackets + second.brackets, source=first.source or second.source,
        errors=first.errors + second.errors, context=first.context and second.context,
    )  # fmt: skip
    return [merged]


def _partials(exprs: list[_Expr], text: str, back: _Back) -> list[_Expr]:
    """Add the incomplete first or second member of a range (``16-18 May``,
    ``June-December 1950``, ``October 5-20``)."""
    out: list[_Expr] = []
    for i, expr in enumerate(exprs):
        floor = out[-1].end if out else 0
        before = None
        if expr.first in ("day", "month"):
            partial = _BEFORE_PARTIAL_DAY if expr.first == "day" else _BEFORE_PARTIAL_MONTH
            before = partial.search(text, max(floor, back.start(expr.start, 4)), expr.start)
        if before:
            part = _Point(month=month_number(before["m"])) if "m" in before.re.groupindex else (
                _Point(day=_int(before["d"])))
            out.append(_Expr(before.start(), before.start() + len(before[1]), part,
                             first=expr.first, explicit_year=False))  # fmt: skip
        out.append(expr)
        ceiling = exprs[i + 1].start if i + 1 < len(exprs) else len(text)
        if expr.first == "month" and not expr.explicit_year and expr.point.day is not None:
            after = _AFTER_PARTIAL_DAY.match(text, expr.end, ceiling)
            if after:
                start = after.start("d")
                out.append(_Expr(start, after.end(), _Point(_int(after["y"]), day=_int(after["d"])),
                                 first="day", explicit_year=after["y"] is not None))  # fmt: skip
            else:
                out[-1:] = _enumeration(expr, text, ceiling)
        elif expr.first == "year" and expr.to is None and _SPAN_START.search(
                text, max(0, expr.start - 9), expr.start):
            after = _AFTER_YEAR.match(text, expr.end, ceiling)
            if after:
                out.append(_Expr(after.start("y"), after.end(), _Point(int(after["y"])),
                                 first="year"))
    return out


def _enumeration(expr: _Expr, text: str, ceiling: int) -> list[_Expr]:
    """``expr`` (``July 23``) and the days that follow it in an enumeration
    (``, 26, and 28, 1950``), each a date of the same month; a year at the end
    is every member's.  Only a complete enumeration counts (its last member
    after ``and``) and only rising days (``July 23, 26 divisions`` is no list)."""
    items: list[re.Match[str]] = []
    pos = expr.end
    while item := _LIST_ITEM.match(text, pos, ceiling):
        items.append(item)
        pos = item.end()
    last = _LIST_LAST.match(text, pos, ceiling) if items else None
    if last is None:
        return [expr]
    days = [expr.point.day, *(_int(m["d"]) for m in (*items, last))]
    if any(a is None or b is None or not a < b <= 31 for a, b in pairwise(days)):
        return [expr]
    year = _int(last["y"])
    point = replace(expr.point, year=year) if year else expr.point
    members = [replace(expr, point=point, explicit_year=year is not None)]
    for m in (*items, last):
        end = m.end() if m is last else m.end("d")
        members.append(_Expr(m.start("d"), end, replace(point, day=_int(m["d"])),
                             first="day", explicit_year=year is not None))
    return members


def _ranges(exprs: list[_Expr], text: str) -> list[_Expr]:
    """Join neighbours linked by a connector; a pair's second member may pair again."""
    out: list[_Expr] = []
    pending = exprs[::-1]  # the next one last
    while pending:
        expr = pending.pop()
        nxt = pending[-1] if pending else None
        gap = _GAP.fullmatch(text, expr.end, nxt.start) if nxt else None
        if nxt and gap and expr.to is None and nxt.to is None and _compatible(expr, nxt):
            joined = _combine(expr, nxt, gap["c"], text)
            out.append(joined[0])
            pending[-1:] = joined[:0:-1]
        else:
            out.append(expr)
    return out


def _compatible(first: _Expr, second: _Expr) -> bool:
    """Years join years; a date without a year joins only a later, fuller one."""
    if (first.first == "year") != (second.first == "year"):
        return False
    return first.point.day is None or second.point.day is not None or first.point.month is None


def _scan(text: str, conventions: Mapping[str, str] = {}) -> list[_Expr]:
    """All date expressions in one block of text, years not yet inferred."""
    back = _Back(text)
    exprs = _ranges(_partials(_atoms(text, conventions), text, back), text)
    for expr in exprs:
        _attach_time(expr, text, back)
    return exprs


class _Back:
    """Where a pattern that must end at a position (searched with ``$`` up
    to it) can begin at the earliest: ``chunks`` runs of non-space characters
    back from it.  For a pattern that spans fewer, searching from there finds
    what searching from the start of the text finds, without reading the text
    before it for each date again (which made a block's cost grow with the
    square of its dates)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._reverse: str | None = None

    def start(self, pos: int, chunks: int) -> int:
        if self._reverse is None:
            self._reverse = self.text[::-1]
        n = len(self.text)
        return n - _CHUNKS_BACK[chunks].match(self._reverse, n - pos).end()


#: Up to 4 or 8 runs of non-space characters (in the reversed text).
_CHUNKS_BACK = {n: re.compile(rf"(?:\s*\S+){{0,{n}}}") for n in (4, 8)}


# ---------------------------------------------------------------- checks and output


def _problems(expr: _Expr) -> list[str]:
    problems = list(expr.errors)
    if expr.to is not None and expr.point.key() > expr.to.key():
        problems.append("the range ends before it starts")
    points = list(expr.points())
    if expr.source is not None:
        points.append(expr.source)
    for p in points:
        if p.month is not None and not 1 <= p.month <= 12:
            problems.append(f"there is no month {p.month}")
        elif p.day is not None and p.year is not None and p.month is not None:
            last = calendar.monthrange(p.year, p.month)[1]
            if not 1 <= p.day <= last:
                problems.append(f"{MONTHS[p.month - 1]} {p.year} has no day {p.day}")
    return problems


def _attributes(expr: _Expr) -> dict[str, str]:
    if expr.to is not None:
        return {"from": expr.point.iso(), "to": expr.to.iso()}
    return {"when": expr.point.iso()}


def _written(point: _Point) -> str:
    parts = [str(point.day) if point.day else "", MONTHS[point.month - 1] if point.month else ""]
    parts.append(str(point.year) if point.year else "")
    return " ".join(p for p in parts if p)


def _correction_note(expr: _Expr) -> Addition | None:
    """The editors' note on a date the source corrects in brackets."""
    if expr.source is None:
        return None
    brackets = " ".join(expr.brackets)
    if expr.source == replace(expr.point, hour=None, minute=None):
        text = f"The source marks {_written(expr.source)} with {brackets}; encoded as written."
    else:
        text = (f"The source reads {_written(expr.source)}; the bracket {brackets} corrects it "
                f"to {_written(expr.point)}, the date encoded here.")  # fmt: skip
    return Addition("note", attrs(type="correction", resp=RESP_EDITORS), (text,))


def _span(expr: _Expr, offset: int) -> Span:
    values = _attributes(expr)
    extra = {}
    if expr.inferred:
        extra = {"evidence": "internal", "resp": RESP_EDITORS, "cert": expr.inferred}
    return Span(
        offset + expr.start, offset + expr.end, "date", tuple((values | extra).items()),
        priority=PRIORITY_DATE, allows=ALLOWED_INSIDE, note=_correction_note(expr),
        source="dates",
    )  # fmt: skip


def _apply_year(expr: _Expr, year: int, cert: str) -> None:
    expr.point = expr.point.fill(_Point(year))
    if expr.to is not None:
        expr.to = expr.to.fill(_Point(year))
    if expr.source is not None:
        expr.source = expr.source.fill(_Point(year))
    expr.inferred = cert


def normalise_date(
    text: str, conventions: Mapping[str, str] = {}, context_year: int | None = None
) -> dict[str, str] | None:
    """The TEI dating attributes (``when`` or ``from``/``to``) of the date in
    ``text``; None if it holds no readable date, an impossible one, a
    year-less one without ``context_year``, or several that disagree.

    >>> normalise_date("Sent by wire on 10/09/50 at 7:05 a.m.")
    {'when': '1950-10-09T07:05:00'}
    """
    results = []
    for expr in _scan(text, conventions):
        if expr.point.year is None:
            if context_year is None:
                return None
            _apply_year(expr, context_year, "medium")
        if _problems(expr):
            return None
        results.append(_attributes(expr))
    if not results or any(r != results[0] for r in results):
        return None
    return results[0]


# ---------------------------------------------------------------- the enricher


@dataclass(slots=True)
class _Scope:
    """Where year-less dates of a block look for their year."""

    key: int  # id of the scope division
    year_division: int | None
    document_year: int | None
    in_chronology: bool


def _scopes(division: Division, scope: _Scope, conventions: Mapping[str, str],
            out: dict[int, _Scope]) -> None:  # fmt: skip
    """Map id(block) -> scope, walking the division tree."""
    if division.type == "year" and division.n and division.n.isdigit():
        scope = _Scope(id(division), int(division.n), scope.document_year, True)
    elif division.type == "document" or division.floating:
        own = normalise_date(division.meta.date_text or "", conventions)
        year = int(own["when"][:4]) if own and "when" in own else scope.document_year
        scope = _Scope(id(division), scope.year_division, year, scope.in_chronology)
    for child in division.children:
        if isinstance(child, Block):
            out[id(child)] = scope
        else:
            _scopes(child, scope, conventions, out)


class DateTagger:
    """Enricher: a ``date`` span for every date expression in the blocks."""

    name = "dates"

    def __call__(self, doc: SourceDocument) -> list[Span]:
        conventions = {**_DEFAULTS, **doc.meta.conventions, **doc.conventions}
        scopes: dict[int, _Scope] = {}
        _scopes(doc.body, _Scope(id(doc.body), None, None, False), conventions, scopes)
        last_year: dict[int, int] = {}
        spans: list[Span] = []
        for block in doc.blocks():
            scope = scopes[id(block)]
            text = doc.block_text(block)
            for expr in self._block_dates(text, scope, conventions):
                span = self._resolve(doc, block, text, expr, scope, last_year)
                if span is not None:
                    spans.append(span)
        return spans

    @staticmethod
    def _block_dates(text: str, scope: _Scope, conventions: Mapping[str, str]) -> list[_Expr]:
        exprs = _scan(text, conventions)
        line = _CHRONOLOGY_LINE.match(text) if scope.in_chronology else None
        if line is None or any(e.start < line.end() and e.explicit_year for e in exprs):
            return exprs
        entry = _Expr(line.start("m"), line.end(),
                      _Point(None, month_number(line["m"]), _int(line["d"])),
                      first="month", explicit_year=False)  # fmt: skip
        return [entry, *(e for e in exprs if e.start >= line.end())]

    @staticmethod
    def _resolve(doc: SourceDocument, block: Block, text: str, expr: _Expr, scope: _Scope,
                 last_year: dict[int, int]) -> Span | None:  # fmt: skip
        """Give a year-less date its year from context, check it, make its span.
        An endnote is its own scope: a year from the text it annotates is no evidence."""
        offset = block.start
        key = id(block) if block.type == "endnote" else scope.key
        written = text[expr.start : expr.end]
        if expr.point.year is None:
            year = last_year.get(key)
            cert = "high" if year is not None and year == scope.year_division else "medium"
            if year is None:
                year, cert = scope.year_division or scope.document_year, "high"
            if year is None:
                doc.report(offset + expr.start,
                           f"date {written!r} has no year and no context gives one; not encoded")
                return None
            _apply_year(expr, year, cert)
        if problems := _problems(expr):
            doc.report(offset + expr.start,
                       f"impossible date {written!r}: {'; '.join(problems)}; not encoded")
            return None
        gives_context = block.type not in _NO_CONTEXT and expr.context
        if gives_context and (expr.to is None or expr.to.year == expr.point.year):
            last_year[key] = expr.point.year or 0
        return _span(expr, offset)

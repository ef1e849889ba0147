"""Archival references and document numbers.

:class:`ArchivalTagger` finds references to units of Russian/Soviet-style
archives in any notation -- ``APRF, fond 45, opis 1, delo 331, list 79``,
``APRF, f. 45, op. 1, d. 337, ll. 37-40``, ``Fond 059a, Opis 5a, Delo 3,
Papka 11, Listy 96-97`` -- and returns, for each, a ``bibl type="archival"``
span over the reference (never over the ``[Source: `` and ``]`` around it)
with ``orgName`` (repository), ``idno type="fond|opis|delo|papka"`` (around
the number only) and ``citedRange unit="list"`` inside.

Folios: a range ``97-98`` is one ``citedRange from="97" to="98"``, a single
folio ``79`` has ``from="79" to="79"``; a list ``123, 125`` becomes one
``citedRange`` per member (``from="123" to="123"``, ``from="125"
to="125"``): one ``citedRange`` cannot hold a discontinuous range in
``@from``/``@to``, and ``citedRange`` is repeatable in ``bibl``, so each
member stays machine-readable and valid TEI.

References joined by ``;`` or ``and`` are separate ``bibl``s; a later one
that omits higher units (``…, d. 331, l. 79; d. 334, ll. 97-98``) inherits
them from the one before it.  A reference that lacks fond, opis or delo
(and does not say ``Fond and Opis not given``) is reported with
``doc.report`` and not encoded.

Document numbers (``No. 449``, ``# 600382/sh``, ``#1405/sh``,
``## 1112-1126``, ``# P78/118``, ``_ 373/sh``, a bare ``1304/sh``) become
``idno type="docNumber"`` around the number, not the sign.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from edition.model import PRIORITY_ARCHIVAL, SourceDocument, Span, attrs

from .scanning import finditer_at

__all__ = ["UNITS", "ArchivalRef", "ArchivalTagger", "find_references", "parse_reference"]

#: The archival units, from the highest, with the words that introduce them.
UNITS = {
    "fond": r"fond|f\.",
    "opis": r"opis['’]?|op\.",
    "delo": r"delo|d\.",
    "papka": r"papka|pap\.",
    "list": r"listy|list|ll\.|l\.",
}
REQUIRED = ("fond", "opis", "delo")
BIBL_ALLOWS = frozenset({"orgName", "idno", "citedRange"})
LEAF = frozenset()

_NUMBER = r"\d+[a-zA-Z]?(?![\w])"
_FOLIO = rf"{_NUMBER}(?:\s*[-–]\s*{_NUMBER})?"
_UNIT = re.compile(
    "(?<![\\w.])(?:"
    + "|".join(f"(?P<{unit}>(?i:{words}))" for unit, words in UNITS.items())
    + rf")\s*(?P<value>{_FOLIO}(?:\s*(?:,|and)\s*{_FOLIO}(?![\w]|\s*\.\s*\d))*)"
)
_NOT_GIVEN = re.compile(
    r"(?P<units>(?i:(?:fond|opis|delo|papka)(?:\s*(?:,|and)\s*(?:fond|opis|delo|papka))*))"
    r"\s+(?:are\s+|is\s+)?not\s+given"
)
# A unit word with no number after a unit mention (``fond 45, opis``): a cut-off reference.
_DANGLING = re.compile(r"\s*,\s*(?i:opis['’]?|op\.|delo|d\.|papka)(?!\w|\s*\d)")
_REPOSITORY = re.compile(r"(?<![\w.])(?P<repo>[A-Z][A-Za-z]{0,8}[A-Z])\s*,?\s*$")
_SAME_REF = re.compile(r"\s*,\s*")
_NEXT_REF = re.compile(r"\s*(?:;|,?\s*and)\s*")
_FOLIO_ITEM = re.compile(r"(?P<from>\d+[a-zA-Z]?)(?:\s*[-–]\s*(?P<to>\d+[a-zA-Z]?))?")
_DOC_NUMBER = re.compile(
    r"(?:(?<![\w])(?:No\.|Nos\.|№|##?|_)\s?|(?<![\w/#-])(?=\d+[/-]sh\b))"
    r"(?P<n>[A-Z]?\d+(?:[/-](?:\d+|[A-Za-z]{1,3}\b))*(?:[a-z]{1,3}\b)?)"
)


# Where _UNIT and _DOC_NUMBER can begin (see :mod:`.scanning`): a unit word's
# initial, a number sign or a digit, not glued to a word; these finders begin
# with a character set, which the engine skips to quickly.
_UNIT_AT = re.compile(r"[FODPLfodpl](?<![\w.][FODPLfodpl])")
_DOC_NUMBER_AT = re.compile(r"[N№#_\d](?<!\w[N№#_\d])(?:(?<!\d)|(?=\d*[/-]sh\b))")


def _starts(finder: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in finder.finditer(text)]


@dataclass(frozen=True, slots=True)
class ArchivalRef:
    """One archival unit as cited: repository and unit numbers as written
    (``"059a"`` stays a string), ``folios`` as ``(from, to)`` pairs."""

    repository: str | None = None
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    papka: str | None = None
    folios: tuple[tuple[str, str], ...] = ()
    not_given: frozenset[str] = frozenset()  # units the source says are not given

    @property
    def missing(self) -> tuple[str, ...]:
        """Required units neither given nor declared missing by the source."""
        return tuple(u for u in REQUIRED if getattr(self, u) is None and u not in self.not_given)

    def __str__(self) -> str:
        parts = [self.repository] if self.repository else []
        parts += [f"{u} {getattr(self, u)}" for u in UNITS if u != "list" and getattr(self, u)]
        folios = ", ".join(a if a == b else f"{a}-{b}" for a, b in self.folios)
        if folios:
            parts.append(("list " if self.folios == ((folios, folios),) else "listy ") + folios)
        return ", ".join(parts)


class _Part(NamedTuple):
    """A part of a reference: ``kind`` is ``repository``, a unit, or ``list``."""

    start: int
    end: int
    kind: str
    value: str
    to: str | None = None  # last folio of a folio range


@dataclass(slots=True)
class _Found:
    """A reference located in a text: the parsed reference and the spans of its parts."""

    ref: ArchivalRef
    start: int
    end: int
    parts: list[_Part] = field(default_factory=list)


def _unit_of(match: re.Match[str]) -> str:
    return next(u for u in UNITS if match[u] is not None)


def _runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Consecutive unit mentions separated only by commas, each unit once."""
    run: list[re.Match[str]] = []
    for match in finditer_at(_UNIT, text, _starts(_UNIT_AT, text)):
        same = run and _SAME_REF.fullmatch(text, run[-1].end(), match.start())
        if same and _unit_of(match) not in {_unit_of(m) for m in run}:
            run.append(match)
            continue
        if run:
            yield run
        run = [match]
    if run:
        yield run


def _not_given(text: str, start: int, end: int) -> tuple[frozenset[str], int, int]:
    """Units a ``Fond and Opis not given`` phrase next to the run declares
    missing, and the run's bounds widened over the phrase."""
    phrase = _NOT_GIVEN.search(text, max(0, start - 60), start)
    if phrase is None or not _SAME_REF.fullmatch(text, phrase.end(), start):
        comma = _SAME_REF.match(text, end)
        phrase = _NOT_GIVEN.match(text, comma.end()) if comma else None
    if phrase is None:
        return frozenset(), start, end
    units = frozenset(u.lower() for u in re.findall(r"(?i:fond|opis|delo|papka)", phrase["units"]))
    return units, min(start, phrase.start()), max(end, phrase.end())


def _locate(text: str, run: list[re.Match[str]], previous: _Found | None) -> _Found:
    """Parse one run of unit mentions (with its repository) into a reference."""
    start, end = run[0].start(), run[-1].end()
    parts: list[_Part] = []
    values: dict[str, str | None] = {}
    folios: list[tuple[str, str]] = []
    for match in run:
        unit = _unit_of(match)
        if unit != "list":
            value = match["value"].strip()
            values[unit] = value
            begin = match.start("value")
            parts.append(_Part(begin, begin + len(value), unit, value))
            continue
        for item in _FOLIO_ITEM.finditer(match["value"]):
            first, last = item["from"], item["to"] or item["from"]
            folios.append((first, last))
            offset = match.start("value")
            parts.append(_Part(offset + item.start(), offset + item.end(), "list", first, last))
    not_given, start, end = _not_given(text, start, end)
    repo = _REPOSITORY.search(text, max(0, start - 12), start)
    if repo:
        start = repo.start("repo")
        parts.insert(0, _Part(start, repo.end("repo"), "repository", repo["repo"]))
        values["repository"] = repo["repo"]
    ref = ArchivalRef(folios=tuple(folios), not_given=not_given, **values)
    joined = previous is not None and _NEXT_REF.fullmatch(text, previous.end, start)
    if joined and previous is not None and not repo:
        inherited = {u: getattr(previous.ref, u) for u in ("repository", *REQUIRED, "papka")
                     if getattr(ref, u) is None and u not in not_given}  # fmt: skip
        ref = replace(ref, **_above(ref, inherited))
    return _Found(ref, start, end, parts)


def _above(ref: ArchivalRef, inherited: dict[str, str | None]) -> dict[str, str | None]:
    """Only the units above the highest one the reference gives itself."""
    order = ["repository", "fond", "opis", "papka", "delo"]
    given = [i for i, u in enumerate(order) if getattr(ref, u) is not None]
    top = min(given, default=len(order))
    return {u: v for u, v in inherited.items() if order.index(u) < top}


def find_references(text: str) -> list[_Found]:
    """Every archival reference in ``text`` with its parts' offsets.

    A single unit mention without a repository (``d. 1953``, ``list 5``) is
    not a reference, unless a unit word without a number follows it
    (``fond 45, opis``): that is a cut-off reference, to be reported."""
    found: list[_Found] = []
    for run in _runs(text):
        item = _locate(text, run, found[-1] if found else None)
        cut_off = _DANGLING.match(text, run[-1].end())
        if len(run) > 1 or item.ref.repository is not None or cut_off:
            found.append(item)
    return found


def parse_reference(text: str) -> ArchivalRef | None:
    """The first archival reference in ``text`` (e.g. a ``[Source: …]``
    line), or None.  Check ``ref.missing`` for a malformed one."""
    found = find_references(text)
    return found[0].ref if found else None


def _spans(item: _Found, offset: int, resolve: Callable[[str], str | None] | None) -> list[Span]:
    spans = [Span(offset + item.start, offset + item.end, "bibl", attrs(type="archival"),
                  priority=PRIORITY_ARCHIVAL, allows=BIBL_ALLOWS, source="archives")]  # fmt: skip
    for part in item.parts:
        if part.kind == "repository":
            ref = resolve(part.value) if resolve else None
            tag, values = "orgName", attrs(ref=ref)
        elif part.kind == "list":
            tag, values = "citedRange", attrs(unit="list", from_=part.value, to=part.to)
        else:
            tag, values = "idno", attrs(type=part.kind)
        spans.append(Span(offset + part.start, offset + part.end, tag, values,
                          priority=PRIORITY_ARCHIVAL, allows=LEAF, source="archives"))  # fmt: skip
    return spans


def _doc_numbers(text: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for match in finditer_at(_DOC_NUMBER, text, _starts(_DOC_NUMBER_AT, text)):
        start, end = match.span("n")
        if not any(a <= start < b for a, b in taken):
            yield start, end


class ArchivalTagger:
    """Enricher: ``bibl type="archival"`` for archival references and
    ``idno type="docNumber"`` for document numbers."""

    name = "archives"

    def __init__(self, resolve_repository: Callable[[str], str | None] | None = None) -> None:
        self.resolve_repository = resolve_repository

    def __call__(self, doc: SourceDocument) -> list[Span]:
        spans: list[Span] = []
        for block in doc.blocks():
            text = doc.block_text(block)
            taken = []
            for item in find_references(text):
                if item.ref.missing:
                    doc.report(block.start + item.start,
                               f"archival reference {text[item.start:item.end]!r} lacks "
                               f"{', '.join(item.ref.missing)}; not encoded")  # fmt: skip
                    continue
                taken.append((item.start, item.end))
                spans += _spans(item, block.start, self.resolve_repository)
            spans += [
                Span(block.start + a, block.start + b, "idno", attrs(type="docNumber"),
                     priority=PRIORITY_ARCHIVAL, allows=LEAF, source="archives")
                for a, b in _doc_numbers(text, taken)
            ]  # fmt: skip
        return spans

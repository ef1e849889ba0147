"""Redactions: runs of mask characters that hide a word in the source.

A masking run (``***``, ``**``, also glued to words: ``**After``,
``**telegram***``, ``United **``) becomes ``<seg type="redaction">`` with a
``<note type="redaction">``; where the editors identified the hidden word, a
``<supplied reason="redacted">`` beside it (ENCODING.md §6).

Not redactions: separator lines (``* * * * *``, ``***`` alone on a line),
markdown emphasis (``*word*``, ``**bold**``) and anything that is not a run
of at least two mask characters (so ``#`` numero signs are never touched).

Identifications are editorial data in a TSV file (``seeds/redactions.tsv``),
one line per redaction, keyed by text id and occurrence; each line repeats a
short ``context`` of the source so that a changed text is detected instead of
silently receiving a wrong identification.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from ..errors import InputError
from ..model import (
    PRIORITY_REDACTION,
    RESP_EDITORS,
    Addition,
    SourceDocument,
    Span,
    attrs,
)

#: Characters that mask text when repeated (ASCII and full-width asterisk,
#: the multiplication sign and squares of Chinese censored texts).
MASK_CHARS = "*＊×□■"
#: (one mask character, then more: a pattern that begins with a character set)
_MASK_RUN = re.compile(f"[{re.escape(MASK_CHARS)}][{re.escape(MASK_CHARS)}]+")
_EMPHASIS_RUN = re.compile(r"(?<!\*)(\*{1,2})(?=[^*\s])([^*\n]*?[^*\s])\1(?!\*)")
_RULE_CHARS = re.escape(MASK_CHARS) + "⁂#~=_-"
_SEPARATOR_LINE = re.compile(rf"^[ \t]*[{_RULE_CHARS}][ \t{_RULE_CHARS}]*$")

NOT_IDENTIFIED = "Masked in the source; not identified."
IDENTIFIED = "Masked in the source; identified by the editors."
CERTAINTIES = ("high", "medium", "low")
TSV_FIELDS = ("text_id", "occurrence", "mask", "context", "proposal", "cert", "evidence")
_REGISTER_ID = re.compile(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$")
CONTEXT_WIDTH = 30

EntityLookup = Callable[[str], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class Mask:
    """One masking run found in a text."""

    occurrence: int  # 1-based, in text order
    start: int
    end: int
    mask: str


@dataclass(frozen=True, slots=True)
class Identification:
    """One line of the identifications file."""

    text_id: str
    occurrence: int
    mask: str
    context: str
    proposal: str = ""
    cert: str = ""
    evidence: str = ""
    line: int = 0  # line in the TSV file, for messages


@dataclass(frozen=True, slots=True)
class RedactionInfo:
    """What ``edition redactions FILE`` lists for one redaction."""

    occurrence: int
    offset: int
    line: int
    mask: str
    context: str
    proposal: str | None


# -- finding masks ------------------------------------------------------------


def _separator_spans(text: str) -> list[tuple[int, int]]:
    """Extents of lines that consist of separator characters only."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        if _SEPARATOR_LINE.match(match.group()):
            out.append((match.start(), match.end()))
    return out


def _emphasis_spans(text: str) -> list[tuple[int, int]]:
    """Extents of markdown emphasis ``*x*`` / ``**x y**`` (equal delimiters,
    no space inside them, a word boundary outside them)."""
    out = []
    for match in _EMPHASIS_RUN.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isalnum() or after.isalnum():
            continue
        out.append((match.start(), match.end()))
    return out


def find_masks(text: str) -> list[Mask]:
    """Every masking run in ``text``, numbered in text order."""
    runs = list(_MASK_RUN.finditer(text))
    if not runs:
        return []
    inside = _Extents(_separator_spans(text) + _emphasis_spans(text))
    masks: list[Mask] = []
    for match in runs:
        if inside.covers(match.start(), match.end()):
            continue
        masks.append(Mask(len(masks) + 1, match.start(), match.end(), match.group()))
    return masks


class _Extents:
    """Extents of text; :meth:`covers` asks whether one of them holds a stretch
    (by bisection: the extents beginning at or before it, and the furthest
    end among them)."""

    def __init__(self, extents: list[tuple[int, int]]) -> None:
        ordered = sorted(extents)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end


def context_of(text: str, mask: Mask, width: int = CONTEXT_WIDTH) -> str:
    """A snippet of the mask's line around it, cut at word boundaries, tabs
    turned into spaces (the identifications file is tab-separated)."""
    line_start = text.rfind("\n", 0, mask.start) + 1
    line_end = text.find("\n", mask.end)
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, mask.start - width)
    end = min(line_end, mask.end + width)
    while start > line_start and not text[start - 1].isspace():
        start -= 1
    while end < line_end and not text[end].isspace():
        end += 1
    return text[start:end].replace("\t", " ").strip()


def context_matches(text: str, mask: Mask, context: str) -> bool:
    """True if ``context`` occurs on the mask's line and covers the mask."""
    if not context or mask.mask not in context:
        return False
    line_start = text.rfind("\n", 0, mask.start) + 1
    line_end = text.find("\n", mask.end)
    line = text[line_start : len(text) if line_end < 0 else line_end].replace("\t", " ")
    here = mask.start - line_start
    pos = line.find(context)
    while pos >= 0:
        if pos <= here and here + len(mask.mask) <= pos + len(context):
            return True
        pos = line.find(context, pos + 1)
    return False


# -- the identifications file -------------------------------------------------


class Identifications:
    """The editors' identifications of redactions, by text id and occurrence."""

    def __init__(self, entries: list[Identification] | None = None, path: str = "") -> None:
        self.path = path
        self._by_key: dict[tuple[str, int], Identification] = {}
        for entry in entries or []:
            key = (entry.text_id, entry.occurrence)
            if key in self._by_key:
                raise InputError(
                    path, entry.line, f"duplicate line for {entry.text_id} #{entry.occurrence}"
                )
            self._by_key[key] = entry

    @classmethod
    def load(cls, path: str | Path) -> Identifications:
        """Read a UTF-8 TSV file with a header line (``TSV_FIELDS``); lines
        starting with ``#`` are comments.  Raises :class:`InputError`."""
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), 0, f"cannot read identifications: {exc}") from None
        return cls(list(_parse_tsv(lines, str(path))), str(path))

    def get(self, text_id: str, occurrence: int) -> Identification | None:
        return self._by_key.get((text_id, occurrence))

    def for_text(self, text_id: str) -> list[Identification]:
        return sorted(
            (e for (t, _), e in self._by_key.items() if t == text_id), key=lambda e: e.occurrence
        )

    def __len__(self) -> int:
        return len(self._by_key)


def _parse_tsv(lines: list[str], path: str) -> Iterator[Identification]:
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    numbered = [(n, line) for n, line in numbered if not line.startswith("#")]
    if not numbered:
        return
    header_line, header = numbered[0]
    if tuple(h.strip() for h in header.split("\t")) != TSV_FIELDS:
        raise InputError(path, header_line, "header must be: " + "\t".join(TSV_FIELDS))
    for n, line in numbered[1:]:
        yield _parse_row(line, n, path)


def _parse_row(line: str, n: int, path: str) -> Identification:
    cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
    if len(cells) > len(TSV_FIELDS):
        raise InputError(path, n, f"{len(cells)} fields, expected {len(TSV_FIELDS)}")
    cells = [c.strip() for c in cells] + [""] * (len(TSV_FIELDS) - len(cells))
    row = dict(zip(TSV_FIELDS, cells, strict=True))
    if not row["occurrence"].isdigit() or int(row["occurrence"]) < 1:
        raise InputError(path, n, f"occurrence must be a positive number: {row['occurrence']!r}")
    if not _MASK_RUN.fullmatch(row["mask"]):
        raise InputError(path, n, f"not a mask: {row['mask']!r}")
    if row["proposal"] and row["cert"] not in CERTAINTIES:
        raise InputError(path, n, f"cert must be one of {', '.join(CERTAINTIES)}")
    if row["cert"] and row["cert"] not in CERTAINTIES:
        raise InputError(path, n, f"unknown cert {row['cert']!r}")
    return Identification(
        text_id=row["text_id"],
        occurrence=int(row["occurrence"]),
        mask=row["mask"],
        context=row["context"],
        proposal=row["proposal"],
        cert=row["cert"],
        evidence=row["evidence"],
        line=n,
    )


def skeleton_lines(
    doc: SourceDocument, identifications: Identifications | None = None
) -> list[str]:
    """TSV lines (header first) for every redaction of ``doc``, ready for the
    editors to fill in; lines already in ``identifications`` are kept."""
    rows = ["\t".join(TSV_FIELDS)]
    for mask in find_masks(doc.text):
        known = identifications.get(doc.meta.id, mask.occurrence) if identifications else None
        cells = [doc.meta.id, str(mask.occurrence), mask.mask, context_of(doc.text, mask)]
        if known is not None:
            cells += [known.proposal, known.cert, known.evidence]
        else:
            cells += ["", "", ""]
        rows.append("\t".join(c.replace("\t", " ") for c in cells))
    return rows


def list_redactions(
    doc: SourceDocument, identifications: Identifications | None = None
) -> list[RedactionInfo]:
    """Every redaction of ``doc`` with its position and, if known, the proposal."""
    out = []
    for mask in find_masks(doc.text):
        known = identifications.get(doc.meta.id, mask.occurrence) if identifications else None
        out.append(
            RedactionInfo(
                occurrence=mask.occurrence,
                offset=mask.start,
                line=doc.line_of(mask.start),
                mask=mask.mask,
                context=context_of(doc.text, mask),
                proposal=(known.proposal or None) if known else None,
            )
        )
    return out


# -- the enricher -------------------------------------------------------------


class RedactionTagger:
    """Enricher: one ``seg type="redaction"`` per mask, with note and, where
    identified, a ``supplied`` reading.

    ``entity_lookup`` maps a register id to ``(tag, preferred name)``; a
    proposal it does not know is taken as plain text unless it looks like a
    register id, which is reported.
    """

    name = "redactions"

    def __init__(
        self,
        identifications: Identifications | None = None,
        entity_lookup: EntityLookup | None = None,
    ) -> None:
        self.identifications = identifications or Identifications()
        self.entity_lookup = entity_lookup or (lambda _id: None)

    def __call__(self, doc: SourceDocument) -> list[Span]:
        masks = find_masks(doc.text)
        self._report_orphans(doc, len(masks))
        return [self._span(doc, mask) for mask in masks]

    def _report_orphans(self, doc: SourceDocument, count: int) -> None:
        for entry in self.identifications.for_text(doc.meta.id):
            if entry.occurrence > count:
                doc.report(
                    len(doc.text),
                    f"redaction #{entry.occurrence} of {self.identifications.path or 'the data'}"
                    f" (line {entry.line}) not found: the text has {count} redactions",
                )

    def _span(self, doc: SourceDocument, mask: Mask) -> Span:
        entry = self._checked_entry(doc, mask)
        choice = self._supplied(doc, mask, entry) if entry and entry.proposal else None
        evidence = entry.evidence if entry and entry.evidence else None
        evidence = evidence or (IDENTIFIED if choice else NOT_IDENTIFIED)
        return Span(
            mask.start,
            mask.end,
            "seg",
            attrs(type="redaction"),
            priority=PRIORITY_REDACTION,
            allows=frozenset(),
            choice=choice,
            note=Addition("note", attrs(type="redaction", resp=RESP_EDITORS), (evidence,)),
            source=self.name,
        )

    def _checked_entry(self, doc: SourceDocument, mask: Mask) -> Identification | None:
        entry = self.identifications.get(doc.meta.id, mask.occurrence)
        if entry is None:
            return None
        if entry.mask != mask.mask or not context_matches(doc.text, mask, entry.context):
            doc.report(
                mask.start,
                f"redaction #{mask.occurrence} ({mask.mask!r}) no longer matches its line "
                f"{entry.line} in the identifications ({entry.mask!r}, context "
                f"{entry.context!r}); identification not applied",
            )
            return None
        return entry

    def _supplied(self, doc: SourceDocument, mask: Mask, entry: Identification) -> Addition | None:
        found = self.entity_lookup(entry.proposal)
        if found is not None:
            tag, name = found
            content: str | Addition = Addition(tag, attrs(ref="#" + entry.proposal), (name,))
        elif _REGISTER_ID.match(entry.proposal):
            doc.report(
                mask.start,
                f"redaction #{mask.occurrence}: {entry.proposal!r} is not in the register",
            )
            return None
        else:
            content = entry.proposal
        return Addition(
            "supplied",
            attrs(reason="redacted", resp=RESP_EDITORS, cert=entry.cert),
            (content,),
        )

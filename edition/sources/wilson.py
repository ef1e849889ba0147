"""A Wilson Center Digital Archive document page: date, title, one archival
document, the archive's summary and the "Document Information" fields."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Block, Division
from .common import (
    HEAD,
    SEPARATOR,
    Label,
    Line,
    ab,
    date_conventions,
    ends_sentence,
    fill_meta,
    is_boilerplate,
    is_date_line,
    make_block,
    paratext,
    parse_heading,
    prose_blocks,
    read_document,
    split_lines,
)

NAME = "wilson"

#: Field labels of the page's "Document Information" box.
FIELDS = frozenset(
    label.lower()
    for label in (
        "Source", "Rights", "Original Uploaded Date", "Type", "Language", "Record ID",
        "Original Archive", "Original Language", "Subjects Discussed", "Subjects",
        "Associated People & Organizations", "Associated Places", "Associated Topics",
        "Translated by", "Funded by", "Date", "Citation", "Preferred Citation", "Theme",
        "Document Number", "Keywords", "Related Documents", "Authors", "Author", "Summary",
        "Description", "Collection", "Original Classification",
    )
)
_INFO = re.compile(r"^Document Information$", re.IGNORECASE)
_CUES = (
    (r"^Document Information$", 0.4),
    (r"^Record ID$", 0.2),
    (r"^Original (?:Uploaded Date|Archive|Language)$", 0.2),
    (r"History and Public Policy Program|Wilson Center|Digital Archive", 0.1),
    (r"^Skip to content$", 0.05),
    (r"^Rights$", 0.05),
)
#: Conventions read from the fields: field label -> conventions key.
_FIELD_KEYS = {"record id": "record_id", "original uploaded date": "uploaded_date",
               "type": "source_type", "original language": "original_language"}


def detect(text: str) -> float:
    """Score the page furniture of a Digital Archive record."""
    return min(1.0, sum(w for pat, w in _CUES if re.search(pat, text, re.M | re.I)))


def read(text: str) -> tuple[Division, dict[str, str]]:
    lines = split_lines(text)
    info = next((i for i, line in enumerate(lines) if _INFO.match(line.text)), None)
    if info is None:
        info = next((i for i, line in enumerate(lines) if line.text.lower() in FIELDS
                     and i > 0 and SEPARATOR.match(lines[i - 1].text)), len(lines))
    lead = _lead(lines[:info])
    main = lines[lead:info]
    sep = max((i for i, line in enumerate(main) if SEPARATOR.match(line.text)), default=len(main))
    fields, values = _read_fields(lines[info:])
    document = _document(text, main[:sep])
    if document.meta.doc_type is None and "type" in values:
        document.meta.doc_type = values["type"]
    children = [paratext(lines[:lead])] if lead else []
    children.append(document)
    if main[sep:]:
        children.append(Division("summary", list(prose_blocks(main[sep:]))))
    if fields:
        children.append(Division("paratext", fields, n="document-information"))
    conventions = date_conventions(text, {"slash_dates": "mdy", "dot_dates": "dmy"})
    conventions.update({_FIELD_KEYS[k]: v for k, v in values.items() if k in _FIELD_KEYS})
    return Division("body", [c for c in children if c.children]), conventions


#: How far down the page its record date may stand (after the site's furniture).
_DATE_WITHIN = 4


def _lead(lines: Sequence[Line]) -> int:
    """Lines of page furniture before the record: boilerplate, and anything
    above the record's date line (``Wilson Center Digital Archive``)."""
    lead = 0
    while lead < len(lines) and is_boilerplate(lines[lead].text):
        lead += 1
    dated = next((i for i, line in enumerate(lines[:_DATE_WITHIN]) if is_date_line(line.text)),
                 None)
    return max(lead, dated) if dated is not None else lead


def _document(text: str, lines: Sequence[Line]) -> Division:
    """The archival document: the page's date and title, then its text."""
    children: list[Block | Division] = []
    k = 0
    date_text = None
    if k < len(lines) and is_date_line(lines[k].text):
        children.append(make_block([lines[k]], Label("dateline")))
        date_text = lines[k].text
        k += 1
    title = None
    if k < len(lines) and not ends_sentence(lines[k].text):
        children.append(make_block([lines[k]], HEAD))
        title = lines[k].text
        k += 1
    children.extend(read_document(text, lines[k:]))
    meta = parse_heading(title) if title else parse_heading("")
    meta.title = title
    meta.date_text = date_text or meta.date_text
    fill_meta(meta, text, children)
    return Division("document", children, meta=meta)


def _read_fields(lines: Sequence[Line]) -> tuple[list[Block], dict[str, str]]:
    """Blocks of the field list (label, value) and the first value of each field."""
    blocks: list[Block] = []
    values: dict[str, str] = {}
    field, name = None, None
    for line in lines:
        key = line.text.lower()
        if _INFO.match(line.text):
            label = ab("boilerplate")
        elif key in FIELDS:
            field, name = key, line.text
            label = ab("label", n=name)
        elif field in (None, "rights"):
            label = ab("boilerplate")
        else:
            label = ab("source" if field == "source" else "metadata", n=name)
            values.setdefault(field, line.text)
        blocks.append(make_block([line], label))
    return blocks, values

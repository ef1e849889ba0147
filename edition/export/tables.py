"""The register and the chronology as tables: CSV for spreadsheets, JSON for programs.

``persons``, ``places``, ``organisations``: one row per register entry (also
those no text mentions: ``occurrences`` 0), with the preferred name, the
variants and pseudonyms (joined by ``|`` in CSV, arrays in JSON), the type,
life dates or coordinates, authority URIs and where the entity is mentioned.
``chronology``: one row per dated expression of the texts (page boilerplate
left out) in date order, with its ISO value, the words as written, the
sentence around it and the URL of its paragraph.  Counts and events come
from :class:`edition.indexes.EditionIndex`.

CSV conventions (RFC 4180): UTF-8 *with* a byte-order mark, so that Excel
reads it as UTF-8 (LibreOffice, pandas and R's readr ignore the mark; Python's
``csv`` module needs ``encoding="utf-8-sig"``); CRLF line ends; a header row;
fields quoted where they hold a comma, quote or line break.  A cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a
number is prefixed with an apostrophe, so no spreadsheet runs it as a formula
(OWASP's advice on CSV injection); numbers such as ``-33.9`` stay as they are.
The JSON files hold the raw values (lists as arrays, numbers as numbers) with
the edition's title, version and licence.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from lxml import etree

from ..xmlio import write_atomic
from . import XML_ID, Published, T, authority_uris, entity_names, flat, unique

KINDS = (("person", "persons"), ("place", "places"), ("org", "organisations"))
LIST_SEPARATOR = "|"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

COLUMNS = {
    "person": ("id", "name", "variants", "pseudonyms", "type", "birth", "death",
               "authority", "occurrences", "texts", "note"),
    "place": ("id", "name", "variants", "type", "latitude", "longitude", "authority",
              "occurrences", "texts", "note"),
    "org": ("id", "name", "variants", "type", "authority", "occurrences", "texts", "note"),
    "chronology": ("when", "from", "to", "label", "context", "text", "document",
                   "paragraph", "url", "persons", "places"),
}

Row = dict[str, object]


def _life_date(entity: etree._Element, tag: str) -> str | None:
    el = entity.find(T + tag)
    if el is None:
        return None
    if el.get("when"):
        return el.get("when")
    span = [el.get("notBefore"), el.get("notAfter")]
    return "/".join(v or "" for v in span) if any(span) else flat(el) or None


def _coordinates(entity: etree._Element) -> tuple[float | None, float | None]:
    geo = entity.find(f"{T}location/{T}geo")
    try:
        lat, lon = (float(v) for v in flat(geo).replace(",", " ").split())
    except ValueError:
        return None, None
    return lat, lon


def entity_rows(pub: Published, kind: str) -> list[Row]:
    """One row per register entry of ``kind`` (person, place, org), by id."""
    if pub.register_tree is None:
        return []
    mentions = pub.index.entities
    rows = []
    for entity in pub.register_tree.getroot().iter(T + kind):
        ident = entity.get(XML_ID)
        name, variants, pseudonyms = entity_names(entity)
        occurrences = mentions.get(ident, [])
        row: Row = {"id": ident, "name": name, "variants": variants,
                    "type": entity.get("type"),
                    "authority": authority_uris(entity), "occurrences": len(occurrences),
                    "texts": unique(o.text_id for o in occurrences),
                    "note": flat(entity.find(T + "note")) or None}
        if kind == "person":
            row |= {"pseudonyms": pseudonyms, "birth": _life_date(entity, "birth"),
                    "death": _life_date(entity, "death")}
        elif kind == "place":
            row["latitude"], row["longitude"] = _coordinates(entity)
        rows.append(row)
    return sorted(rows, key=lambda r: str(r["id"]))


def chronology_rows(pub: Published) -> list[Row]:
    """One row per dated expression of the edition's texts, in date order."""
    return [
        {"when": e.when, "from": e.from_, "to": e.to, "label": e.label, "context": e.context,
         "text": e.text_id, "document": e.doc_id, "paragraph": e.element_id,
         "url": pub.passage_uri(e.text_id, e.element_id), "persons": e.persons,
         "places": e.places}
        for e in pub.index.events
    ]


# ---------------------------------------------------------------- formats


def csv_cell(value: object) -> str:
    """A value as a CSV cell: lists joined by ``|``, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows: list[Row], columns: tuple[str, ...]) -> bytes:
    """RFC 4180 CSV, UTF-8 with a byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_json(pub: Published, name: str, rows: list[Row], columns: tuple[str, ...]) -> bytes:
    info = pub.info
    document = {"title": f"{info.title}: {name}", "version": info.version,
                "date": info.date, "licence": info.licence_url,
                "source": pub.url(""), "columns": list(columns),
                "records": [{c: row.get(c) for c in columns} for row in rows]}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def tables(pub: Published) -> dict[str, tuple[list[Row], tuple[str, ...]]]:
    """Every table by file stem: its rows and columns."""
    out = {stem: (entity_rows(pub, kind), COLUMNS[kind]) for kind, stem in KINDS}
    out["chronology"] = (chronology_rows(pub), COLUMNS["chronology"])
    return out


def write_tables(pub: Published, folder: Path, formats: tuple[str, ...] = ("csv", "json")
                 ) -> list[Path]:
    """Write ``<table>.csv`` and/or ``<table>.json`` for every table into ``folder``."""
    written = []
    for stem, (rows, columns) in tables(pub).items():
        for fmt in formats:
            target = folder / f"{stem}.{fmt}"
            data = to_csv(rows, columns) if fmt == "csv" else to_json(pub, stem, rows, columns)
            write_atomic(target, data)
            written.append(target)
    return written

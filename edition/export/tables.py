"""The register and the chronology as tables: CSV for spreadsheets, JSON for programs.

``persons``, ``places``, ``organisations``: one row per register entry (also
those no text mentions: ``occurrences`` 0), with the preferred name, the
variants and pseudonyms (joined by ``|`` in CSV, arrays in JSON), the type,
life dates or coordinates, authority URIs and where the entity is mentioned.
``chronology``: one row per dated expression of the texts (page boilerplate
left out) in date order, with its ISO value, the words as written, the
sentence around it and the URL of its paragraph.  Counts and events come
from the texts' digests (:func:`edition.digest.gather`).

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

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from ..streams import json_pieces, write_pieces
from . import XML_ID, Published, T, authority_uris, entity_names, flat

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
    mentioned = pub.digests().mentioned
    rows = []
    for entity in pub.register_tree.getroot().iter(T + kind):
        ident = entity.get(XML_ID)
        name, variants, pseudonyms = entity_names(entity)
        found = mentioned.get(ident)
        row: Row = {"id": ident, "name": name, "variants": variants,
                    "type": entity.get("type"),
                    "authority": authority_uris(entity),
                    "occurrences": found.count if found else 0,
                    "texts": list(found.texts) if found else [],
                    "note": flat(entity.find(T + "note")) or None}
        if kind == "person":
            row |= {"pseudonyms": pseudonyms, "birth": _life_date(entity, "birth"),
                    "death": _life_date(entity, "death")}
        elif kind == "place":
            row["latitude"], row["longitude"] = _coordinates(entity)
        rows.append(row)
    return sorted(rows, key=lambda r: str(r["id"]))


def chronology_rows(pub: Published) -> Iterator[Row]:
    """One row per dated expression of the edition's texts, in date order (read
    from the gathered digests as they are written: never held whole)."""
    for e in pub.digests().events():
        yield {"when": e.when, "from": e.from_, "to": e.to, "label": e.label,
               "context": e.context, "text": e.text_id, "document": e.doc_id,
               "paragraph": e.element_id, "url": pub.passage_uri(e.text_id, e.element_id),
               "persons": e.persons, "places": e.places}


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


def to_csv(rows: Iterable[Row], columns: tuple[str, ...]) -> bytes:
    """RFC 4180 CSV, UTF-8 with a byte-order mark."""
    return "".join(csv_pieces(rows, columns)).encode("utf-8-sig")


def csv_pieces(rows: Iterable[Row], columns: tuple[str, ...]) -> Iterator[str]:
    """The lines of :func:`to_csv` (without the byte-order mark), one by one."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_json(pub: Published, name: str, rows: Iterable[Row], columns: tuple[str, ...]) -> bytes:
    return "".join(json_table(pub, name, rows, columns)).encode("utf-8")


def json_table(pub: Published, name: str, rows: Iterable[Row], columns: tuple[str, ...]
               ) -> Iterator[str]:
    """The JSON file of a table, in pieces (:func:`edition.streams.json_pieces`)."""
    info = pub.info
    document = {"title": f"{info.title}: {name}", "version": info.version,
                "date": info.date, "licence": info.licence_url,
                "source": pub.url(""), "columns": list(columns), "records": []}
    yield from json_pieces(document, ({c: row.get(c) for c in columns} for row in rows),
                           ensure_ascii=False, indent=1)
    yield "\n"


TABLES = (*((kind, stem) for kind, stem in KINDS), ("chronology", "chronology"))


def table_rows(pub: Published, kind: str) -> Iterable[Row]:
    """The rows of one table (``kind``: a register kind or ``chronology``)."""
    return chronology_rows(pub) if kind == "chronology" else entity_rows(pub, kind)


def tables(pub: Published) -> dict[str, tuple[list[Row], tuple[str, ...]]]:
    """Every table by file stem: its rows and columns (held whole: for tests)."""
    return {stem: (list(table_rows(pub, kind)), COLUMNS[kind]) for kind, stem in TABLES}


def write_tables(pub: Published, folder: Path, formats: tuple[str, ...] = ("csv", "json")
                 ) -> list[Path]:
    """Write ``<table>.csv`` and/or ``<table>.json`` for every table into ``folder``,
    row by row."""
    written = []
    for kind, stem in TABLES:
        for fmt in formats:
            target = folder / f"{stem}.{fmt}"
            rows, columns = table_rows(pub, kind), COLUMNS[kind]
            if fmt == "csv":
                write_pieces(target, csv_pieces(rows, columns), prefix=codecs.BOM_UTF8)
            else:
                write_pieces(target, json_table(pub, stem, rows, columns))
            written.append(target)
    return written

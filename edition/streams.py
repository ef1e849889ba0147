"""Writing large text files piece by piece: pages rendered by jinja2's
``generate``, JSON whose long list is produced one item at a time.  Nothing
holds the whole file; what is written is byte for byte what the whole would
have been (``"".join`` of the pieces)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .xmlio import streamed

BATCH = 1 << 16  # characters joined before each write


def write_pieces(path: Path, pieces: Iterable[str], prefix: bytes = b"") -> None:
    """Write ``prefix`` and the UTF-8 of the pieces to ``path``, atomically
    (:func:`edition.xmlio.streamed`), holding about :data:`BATCH` characters
    (and one piece) at a time."""
    with streamed(path) as out:
        out.write(prefix)
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= BATCH:
                out.write("".join(batch).encode("utf-8"))
                batch.clear()
                size = 0
        out.write("".join(batch).encode("utf-8"))


def json_pieces(document: dict[str, object], items: Iterable[object],
                **options: object) -> Iterator[str]:
    """``json.dumps(document, **options)`` with ``items`` as the list that is the
    last value of ``document`` (given there as ``[]``), in pieces.

    The same text as the whole: :mod:`json` writes a list as ``[``, its items
    joined by the item separator, ``]``; with ``indent``, each item on a new
    line one level deeper than the list, the ``]`` on a line of its own at
    the list's level; an item's own lines are indented from its level (and
    JSON strings hold no raw line breaks, so every line break is structure)."""
    whole = json.dumps(document, **options)
    indent = options.get("indent")
    if indent is None:
        if not whole.endswith("[]}"):
            raise ValueError("the last value of the document must be an empty list")
        separator = options.get("separators", (", ", ": "))[0]
        yield whole[:-3] + "["
        for n, item in enumerate(items):
            yield (separator if n else "") + json.dumps(item, **options)
        yield "]}"
        return
    step = " " * indent if isinstance(indent, int) else str(indent)
    if not whole.endswith("[]\n}"):
        raise ValueError("the last value of the document must be an empty list")
    separator = options.get("separators", (",", ": "))[0]
    deeper = "\n" + step * 2
    yield whole[:-4] + "["
    empty = True
    for item in items:
        yield ("" if empty else separator) + deeper + json.dumps(item, **options).replace(
            "\n", deeper)
        empty = False
    yield "]\n}" if empty else "\n" + step + "]\n}"

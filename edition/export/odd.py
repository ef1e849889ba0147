"""Reading the edition's ODD (``schema/edition.odd``) for people: which modules,
which elements' attributes take which values, and what each value means."""

from __future__ import annotations

import os
from pathlib import Path

from ..validate import SCHEMA_DIR
from ..xmlio import parse
from . import T, flat

EDITION_ODD = SCHEMA_DIR / "edition.odd"


def odd_modules(path: str | os.PathLike[str] = EDITION_ODD) -> list[str]:
    """The TEI modules the customisation selects, in order."""
    return [m.get("key", "") for m in parse(Path(path)).iter(T + "moduleRef")]


def odd_summary(path: str | os.PathLike[str] = EDITION_ODD) -> list[dict[str, object]]:
    """One entry per attribute the ODD constrains, in the ODD's order::

        {"element": "div", "attribute": "type", "closed": False,
         "description": "A division of a text ...",
         "values": [{"value": "document", "gloss": "archival document",
                     "description": "One archival document ..."}, ...]}
    """
    out: list[dict[str, object]] = []
    for spec in parse(Path(path)).iter(T + "elementSpec"):
        for att in spec.iter(T + "attDef"):
            vals = att.find(T + "valList")
            out.append({
                "element": spec.get("ident", ""),
                "attribute": att.get("ident", ""),
                "closed": vals is not None and vals.get("type") == "closed",
                "description": flat(spec.find(T + "desc")),
                "values": [{"value": item.get("ident", ""), "gloss": flat(item.find(T + "gloss")),
                            "description": flat(item.find(T + "desc"))}
                           for item in (vals.iter(T + "valItem") if vals is not None else [])],
            })
    return out

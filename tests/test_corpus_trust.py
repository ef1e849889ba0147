"""The corpus export's trust in members the build validated: the claim about
tei_all its soundness argument rests on (:meth:`CorpusCheck.problems`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent


RNG = "http://relaxng.org/ns/structure/1.0"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"


def _accepts(data: etree._Element) -> Callable[[str], bool]:
    """Whether an attribute of tei_all's datatype ``data`` accepts a value."""
    grammar = etree.Element(f"{{{RNG}}}element", name="x", datatypeLibrary=XSD_TYPES)
    etree.SubElement(grammar, f"{{{RNG}}}attribute", name="a").append(copy.deepcopy(data))
    schema = etree.RelaxNG(grammar)
    return lambda value: schema.validate(etree.fromstring(f'<x a="{value}"/>'))


def test_renaming_ids_keeps_every_tei_all_datatype_valid():
    """The claim :meth:`CorpusCheck.problems` rests on when it trusts a renamed
    member: wherever tei_all accepts a pointer ``#id``, it accepts
    ``#text-id.id``; and no closed value of tei_all begins with ``#``."""
    rng = etree.parse(str(ROOT / "schema" / "tei_all.rng"))
    values = [v.text or "" for v in rng.iter(f"{{{RNG}}}value")]
    assert values and not [v for v in values if v.strip().startswith("#")]
    kinds = {etree.tostring(d, method="c14n"): d for d in rng.iter(f"{{{RNG}}}data")}
    assert len(kinds) > 20
    pointer_types = 0
    for data in kinds.values():
        accepts = _accepts(data)
        for ident in ("a", "n3", "d1.p2", "redaction-1", "x_y"):
            if accepts(f"#{ident}"):
                pointer_types += 1
                assert accepts(f"#wilson-110020.{ident}"), etree.tostring(data)
    assert pointer_types  # anyURI at least takes pointers

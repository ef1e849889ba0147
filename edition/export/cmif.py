"""The edition's letters and telegrams in the Correspondence Metadata Interchange
Format (CMIF), the TEI format correspSearch harvests.

Version followed: CMIF 1.0 (TEI Correspondence SIG 2018: ``doc/documentation-en.md``
and the schema ``schema/cmi-customization.rng``, vendored under ``schema/cmif/``)
with the backwards-compatible CMIF v2 extension of the SIG's v2 proposal:
``correspDesc/note/ref`` with ``@type`` from the CMIF vocabulary
(``cmif:mentionsPerson``, ``cmif:mentionsPlace``, ``cmif:isAvailableAsTEIfile``;
namespace https://lod.academy/cmif/vocab/terms/, still a draft).

Each ``correspDesc`` of a text's ``profileDesc`` becomes one CMIF
``correspDesc``: ``@ref`` the stable URL of the document, ``@key`` its
``@xml:id``, ``@source`` the ``bibl`` (one per text, ``@xml:id`` a UUID derived
from the text's URL) of ``sourceDesc``.  Names take the register's preferred
form; ``@ref`` is an authority URI only where the register has an ``idno``
(persons: GND, VIAF, LC, Wikidata; places: GeoNames, Wikidata), never a
project-internal id.  A sender or addressee the source does not name is
``Unknown``, as CMIF asks.  Dates keep only CMIF's formats (YYYY, YYYY-MM,
YYYY-MM-DD): a time of day is dropped.

:func:`cmif_problems` checks a file against the vendored schema and against
the rules of the SIG's Schematron (``odd/cmif.sch``: E0001-E0004) and of the
documentation that the schema does not express (licence, date formats).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from ..model import Problem
from ..validate import SCHEMA_DIR
from ..xmlio import parse_bytes, serialize, write_atomic
from . import (
    EXCHANGE_DIR,
    XML_ID,
    Published,
    T,
    authority_uris,
    check,
    entity_names,
    flat,
    preferred_uri,
    sub,
)

CMIF_RNG = SCHEMA_DIR / "cmif" / "cmi-customization.rng"
CMIF_FILE = "cmif.xml"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TEXT = "This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0"
UNKNOWN = "Unknown"
PERSON_AUTHORITIES = ("gnd", "viaf", "lc", "lcnaf", "isni", "wikidata")
PLACE_AUTHORITIES = ("geonames", "tgn", "wikidata")
#: CMIF v2 ``ref/@type`` and authority preference for the names a document mentions
MENTIONS = {"persName": ("cmif:mentionsPerson", PERSON_AUTHORITIES),
            "placeName": ("cmif:mentionsPlace", PLACE_AUTHORITIES),
            "geogName": ("cmif:mentionsPlace", PLACE_AUTHORITIES)}
ACTIONS = ("sent", "received")
AGENTS = ("persName", "orgName", "name")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
CMIF_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


# ---------------------------------------------------------------- writing


@dataclass
class Letters:
    """What CMIF needs of one text (picklable; computed with its tree once):
    its title (None if its header has none) and, per ``correspDesc`` of its
    ``profileDesc``, the document's id, the ``correspDesc`` itself (as bytes)
    and the names the document mentions, as ``(element name, @ref token)`` in
    document order."""

    title: str | None
    descs: list[tuple[str | None, bytes, tuple[tuple[str, str], ...]]]


def letters_of(tree: etree._ElementTree) -> Letters | None:
    """The :class:`Letters` of a text, or None if it has no ``correspDesc``."""
    descs = tree.getroot().findall(f"{T}teiHeader/{T}profileDesc/{T}correspDesc")
    if not descs:
        return None
    title = tree.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    found = []
    for desc in descs:
        doc_id = next((t[1:] for t in (desc.get("ref") or "").split() if t.startswith("#")),
                      None)
        found.append((doc_id, etree.tostring(desc, with_tail=False),
                      _mentioned(_element_by_id(tree, doc_id))))
    return Letters(flat(title) if title is not None else None, found)


def _mentioned(div: etree._Element | None) -> tuple[tuple[str, str], ...]:
    if div is None:
        return ()
    return tuple((etree.QName(el).localname, token)
                 for el in div.iter(*(T + tag for tag in MENTIONS))
                 for token in (el.get("ref") or "").split())


def build_cmif(pub: Published) -> etree._ElementTree:
    """The CMIF document of every ``correspDesc`` in the edition's texts, from
    their digests (the document holds only the letters' metadata)."""
    root = etree.Element(T + "TEI", nsmap={None: T[1:-1]})
    header = sub(root, "teiHeader")
    file_desc = _header(pub, header)
    source_desc = sub(file_desc, "sourceDesc")
    profile = sub(header, "profileDesc")
    entities = pub.catalogue.entities
    for text_id, letters in pub.catalogue.letters:
        bibl_id = _bibl(source_desc, pub, text_id, letters.title)
        for doc_id, desc, mentions in letters.descs:
            profile.append(_corresp(pub, text_id, doc_id, parse_bytes(desc).getroot(),
                                    mentions, bibl_id, entities))
    if not len(source_desc):  # an edition without letters: CMIF still wants a bibl
        _bibl(source_desc, pub, None, None)
    sub(sub(sub(root, "text"), "body"), "p")
    etree.indent(root)
    return root.getroottree()


def _header(pub: Published, header: etree._Element) -> etree._Element:
    info = pub.info
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", f"Letters and telegrams of the edition {info.title}")
    editor = sub(title_stmt, "editor", info.editors)
    if pub.contact_email:
        editor.text = f"{info.editors} "
        sub(editor, "email", pub.contact_email)
    pub_stmt = sub(file_desc, "publicationStmt")
    sub(sub(pub_stmt, "publisher"), "ref", info.publisher, target=pub.url(""))
    sub(pub_stmt, "idno", pub.url(f"{EXCHANGE_DIR}/{CMIF_FILE}"), type="url")
    sub(pub_stmt, "date", when=f"{info.date}T00:00:00Z")
    sub(sub(pub_stmt, "availability"), "licence", LICENCE_TEXT, target=CC_BY)
    return file_desc


def bibl_uuid(url: str) -> str:
    """A stable ``@xml:id`` for a publication: ``bibl-`` and a UUID (version 5,
    from its URL), as the SIG's Schematron recommends (W0001); the prefix
    because an XML id cannot begin with a digit."""
    return f"bibl-{uuid.uuid5(uuid.NAMESPACE_URL, url)}"


def _bibl(source_desc: etree._Element, pub: Published, text_id: str | None,
          title: str | None) -> str:
    """A ``bibl type="online"`` for one text of the edition (or the edition), its id."""
    url = pub.text_uri(text_id) if text_id else pub.url("")
    ident = bibl_uuid(url)
    bibl = sub(source_desc, "bibl", type="online")
    bibl.set(XML_ID, ident)
    if title is not None:
        sub(bibl, "title", title)
        sub(bibl, "title", pub.info.title).tail = ", "
    else:
        sub(bibl, "title", pub.info.title).tail = ", "
    sub(bibl, "publisher", pub.info.publisher).tail = f", version {pub.info.version}, "
    sub(bibl, "ref", url, target=url)
    return ident


def _corresp(pub: Published, text_id: str, doc_id: str | None, desc: etree._Element,
             mentions: tuple[tuple[str, str], ...], bibl_id: str,
             entities: dict[str, etree._Element]) -> etree._Element:
    out = etree.Element(T + "correspDesc", {
        k: v for k, v in (("key", doc_id), ("ref", pub.passage_uri(text_id, doc_id)),
                          ("source", f"#{bibl_id}")) if v})
    for kind in ACTIONS:
        action = desc.find(f"{T}correspAction[@type='{kind}']")
        out.append(_action(kind, action, entities))
    note = _mentions(mentions, entities)
    sub(note, "ref", type="cmif:isAvailableAsTEIfile", target=pub.url(f"tei/{text_id}.xml"))
    out.append(note)
    return out


def _element_by_id(tree: etree._ElementTree, ident: str | None) -> etree._Element | None:
    if not ident:
        return None
    return next((el for el in tree.getroot().iter() if el.get(XML_ID) == ident), None)


def _action(kind: str, source: etree._Element | None,
            entities: dict[str, etree._Element]) -> etree._Element:
    """A CMIF ``correspAction``: agents, place, date, in that order."""
    action = etree.Element(T + "correspAction", type=kind)
    children = list(source) if source is not None else []
    for el in children:
        tag = etree.QName(el).localname
        if tag in AGENTS:
            _name(action, tag, el, entities, PERSON_AUTHORITIES)
    if not len(action):
        sub(action, "persName", UNKNOWN)
    for el in children:
        if etree.QName(el).localname == "placeName":
            _name(action, "placeName", el, entities, PLACE_AUTHORITIES)
    for el in children:
        if etree.QName(el).localname == "date":
            _date(action, el)
    return action


def _name(action: etree._Element, tag: str, source: etree._Element,
          entities: dict[str, etree._Element], order: tuple[str, ...]) -> None:
    written = flat(source)
    if not written or written.casefold() == "unknown":
        written = UNKNOWN
    uri = None
    for token in (source.get("ref") or "").split():
        if token.startswith(("http://", "https://")):
            uri = uri or token
        elif token.startswith("#"):
            uri = uri or preferred_uri(authority_uris(entities.get(token[1:])), order)
    sub(action, tag, written, ref=uri)


def cmif_date(value: str | None) -> str | None:
    """``value`` cut to CMIF's precision (YYYY-MM-DD at most), or None."""
    if not value:
        return None
    match = CMIF_DATE.match(value.strip())
    return match.group() if match else None


def _date(action: etree._Element, source: etree._Element) -> None:
    values = {a: cmif_date(source.get(a)) for a in DATE_ATTRS}
    values = {k: v for k, v in values.items() if v}
    if values:
        sub(action, "date", cert=source.get("cert"), **values)


def _mentions(mentions: tuple[tuple[str, str], ...],
              entities: dict[str, etree._Element]) -> etree._Element:
    """A CMIF v2 ``note`` with the persons and places the document mentions
    (those with an authority URI), each once, in order of first mention."""
    note = etree.Element(T + "note")
    seen: set[str] = set()
    for tag, token in mentions:
        ref_type, order = MENTIONS[tag]
        entity = entities.get(token[1:]) if token.startswith("#") else None
        uri = preferred_uri(authority_uris(entity), order)
        if uri and uri not in seen:
            seen.add(uri)
            sub(note, "ref", entity_names(entity)[0], type=ref_type, target=uri)
    return note


def write_cmif(pub: Published, folder: Path) -> list[Path]:
    """Write and check ``folder/cmif.xml``."""
    tree = build_cmif(pub)
    target = folder / CMIF_FILE
    check(cmif_problems(tree, str(target)), target)
    write_atomic(target, serialize(tree))
    return [target]


# ---------------------------------------------------------------- checking


@cache
def cmif_schema() -> etree.RelaxNG:
    """The TEI Correspondence SIG's CMIF RELAX NG schema (vendored)."""
    return etree.RelaxNG(etree.parse(str(CMIF_RNG), etree.XMLParser(no_network=True)))


def cmif_problems(tree: etree._ElementTree, path: str = CMIF_FILE) -> list[Problem]:
    """Every way ``tree`` is not a CMIF file: the schema, then the rules."""
    schema = cmif_schema()
    problems = [] if schema.validate(tree) else [
        Problem(path, e.line, f"cmif-schema: {e.message}", "error") for e in schema.error_log]
    return problems + list(_rule_problems(tree, path))


def _rule_problems(tree: etree._ElementTree, path: str):
    root = tree.getroot()
    ns = {"t": T[1:-1]}
    bibl_ids = set(root.xpath("//t:sourceDesc/t:bibl/@xml:id", namespaces=ns))
    licence = root.find(f".//{T}publicationStmt/{T}availability/{T}licence")
    if licence is None or licence.get("target") != CC_BY:
        yield Problem(path, root.sourceline or 0, f"cmif: the licence must be {CC_BY}", "error")
    for desc in root.iter(T + "correspDesc"):
        line = desc.sourceline or 0
        for kind, code in (("sent", "E0001"), ("received", "E0002")):
            if desc.find(f"{T}correspAction[@type='{kind}']") is None:
                yield Problem(path, line, f'cmif {code}: no correspAction type="{kind}"', "error")
        source = (desc.get("source") or "").lstrip("#")
        if source not in bibl_ids:
            yield Problem(path, line, "cmif E0003: @source names no sourceDesc/bibl", "error")
        for action in desc.iter(T + "correspAction"):
            if not any(action.find(T + tag) is not None for tag in AGENTS):
                yield Problem(path, action.sourceline or 0,
                              "cmif: a correspAction needs a persName or orgName", "error")
    for date in root.xpath("//t:correspAction/t:date", namespaces=ns):
        values = [date.get(a) for a in DATE_ATTRS if date.get(a)]
        if not values:
            yield Problem(path, date.sourceline or 0, "cmif E0004: a date without a date "
                          "attribute", "error")
        for value in values:
            if not CMIF_DATE.fullmatch(value):
                yield Problem(path, date.sourceline or 0,
                              f"cmif: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", "error")

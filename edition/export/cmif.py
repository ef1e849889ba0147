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
documentation that the schema does not express (licence, date formats,
unique ``@xml:id``s).  :func:`write_cmif` writes the file one ``bibl`` and
one ``correspDesc`` at a time, checking each as it goes (:class:`CmifCheck`).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

from lxml import etree

from ..model import Problem
from ..streams import xml_children, xml_frame
from ..validate import SCHEMA_DIR
from ..xmlio import parse_bytes, streamed
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
RNG = "{http://relaxng.org/ns/structure/1.0}"
SOURCE_DESC = f"{T}teiHeader/{T}fileDesc/{T}sourceDesc"
PROFILE_DESC = f"{T}teiHeader/{T}profileDesc"


# ---------------------------------------------------------------- writing


@dataclass
class Letters:
    """What CMIF needs of one text (picklable; computed with its tree once):
    its title (None if its header has none) and, per ``correspDesc`` of its
    ``profileDesc``, the document's id, the ``correspDesc`` itself (as bytes)
    and the names the document mentions, as ``(element name, @ref token)``,
    each once, in order of first mention."""

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
    return tuple(dict.fromkeys((etree.QName(el).localname, token)
                               for el in div.iter(*(T + tag for tag in MENTIONS))
                               for token in (el.get("ref") or "").split()))


def build_cmif(pub: Published) -> etree._ElementTree:
    """The CMIF document of every ``correspDesc`` in the edition's texts, from
    their digests, in memory (for tests and small editions: :func:`write_cmif`
    writes the same bytes piece by piece)."""
    root = _shell(pub)
    root.find(SOURCE_DESC).extend(_bibls(pub))
    root.find(PROFILE_DESC).extend(_descs(pub))
    etree.indent(root)
    return root.getroottree()


def _shell(pub: Published) -> etree._Element:
    """The CMIF document without its ``bibl``s and ``correspDesc``s."""
    root = etree.Element(T + "TEI", nsmap={None: T[1:-1]})
    header = sub(root, "teiHeader")
    sub(_header(pub, header), "sourceDesc")
    sub(header, "profileDesc")
    sub(sub(sub(root, "text"), "body"), "p")
    return root


def _bibls(pub: Published) -> Iterator[etree._Element]:
    """A ``bibl`` per text with letters, in the edition's order; the edition's
    own if there are none (CMIF wants at least one)."""
    none = True
    for text_id, letters in pub.digests().letters():
        none = False
        yield _bibl(pub, text_id, letters.title)
    if none:
        yield _bibl(pub, None, None)


def _descs(pub: Published) -> Iterator[etree._Element]:
    """The CMIF ``correspDesc`` of every letter, in the edition's order."""
    authorities = Authorities(pub.catalogue.entities)
    for text_id, letters in pub.digests().letters():
        bibl_id = bibl_uuid(pub.text_uri(text_id))
        for doc_id, desc, mentions in letters.descs:
            yield _corresp(pub, text_id, doc_id, parse_bytes(desc).getroot(), mentions,
                           bibl_id, authorities)


class Authorities:
    """The entities of the register and the texts (by id) as CMIF names them:
    an entity's authority URI (by an order of authorities) and its preferred
    name, each worked out once per file, not once per mention."""

    def __init__(self, entities: dict[str, etree._Element]) -> None:
        self.entities = entities
        self.uris: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self.names: dict[str, str] = {}

    def uri(self, ident: str, order: tuple[str, ...]) -> str | None:
        """The entity's authority URI first in ``order`` (None: no entity, no URI)."""
        key = (ident, order)
        if key not in self.uris:
            self.uris[key] = preferred_uri(authority_uris(self.entities.get(ident)), order)
        return self.uris[key]

    def name(self, ident: str) -> str:
        """The preferred name of an entity there is."""
        if ident not in self.names:
            self.names[ident] = entity_names(self.entities[ident])[0]
        return self.names[ident]


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


def _bibl(pub: Published, text_id: str | None, title: str | None) -> etree._Element:
    """A ``bibl type="online"`` for one text of the edition (or the edition)."""
    url = pub.text_uri(text_id) if text_id else pub.url("")
    bibl = etree.Element(T + "bibl", type="online", nsmap={None: T[1:-1]})
    bibl.set(XML_ID, bibl_uuid(url))
    if title is not None:
        sub(bibl, "title", title)
        sub(bibl, "title", pub.info.title).tail = ", "
    else:
        sub(bibl, "title", pub.info.title).tail = ", "
    sub(bibl, "publisher", pub.info.publisher).tail = f", version {pub.info.version}, "
    sub(bibl, "ref", url, target=url)
    return bibl


def _corresp(pub: Published, text_id: str, doc_id: str | None, desc: etree._Element,
             mentions: tuple[tuple[str, str], ...], bibl_id: str,
             authorities: Authorities) -> etree._Element:
    out = etree.Element(T + "correspDesc", {
        k: v for k, v in (("key", doc_id), ("ref", pub.passage_uri(text_id, doc_id)),
                          ("source", f"#{bibl_id}")) if v}, nsmap={None: T[1:-1]})
    for kind in ACTIONS:
        action = desc.find(f"{T}correspAction[@type='{kind}']")
        out.append(_action(kind, action, authorities))
    note = _mentions(mentions, authorities)
    sub(note, "ref", type="cmif:isAvailableAsTEIfile", target=pub.url(f"tei/{text_id}.xml"))
    out.append(note)
    return out


def _element_by_id(tree: etree._ElementTree, ident: str | None) -> etree._Element | None:
    if not ident:
        return None
    return next((el for el in tree.getroot().iter() if el.get(XML_ID) == ident), None)


def _action(kind: str, source: etree._Element | None,
            authorities: Authorities) -> etree._Element:
    """A CMIF ``correspAction``: agents, place, date, in that order."""
    action = etree.Element(T + "correspAction", type=kind)
    children = list(source) if source is not None else []
    for el in children:
        tag = etree.QName(el).localname
        if tag in AGENTS:
            _name(action, tag, el, authorities, PERSON_AUTHORITIES)
    if not len(action):
        sub(action, "persName", UNKNOWN)
    for el in children:
        if etree.QName(el).localname == "placeName":
            _name(action, "placeName", el, authorities, PLACE_AUTHORITIES)
    for el in children:
        if etree.QName(el).localname == "date":
            _date(action, el)
    return action


def _name(action: etree._Element, tag: str, source: etree._Element,
          authorities: Authorities, order: tuple[str, ...]) -> None:
    written = flat(source)
    if not written or written.casefold() == "unknown":
        written = UNKNOWN
    uri = None
    for token in (source.get("ref") or "").split():
        if token.startswith(("http://", "https://")):
            uri = uri or token
        elif token.startswith("#"):
            uri = uri or authorities.uri(token[1:], order)
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
              authorities: Authorities) -> etree._Element:
    """A CMIF v2 ``note`` with the persons and places the document mentions
    (those with an authority URI), each once, in order of first mention."""
    note = etree.Element(T + "note")
    seen: set[str] = set()
    for tag, token in mentions:
        ref_type, order = MENTIONS[tag]
        uri = authorities.uri(token[1:], order) if token.startswith("#") else None
        if uri and uri not in seen:
            seen.add(uri)
            sub(note, "ref", authorities.name(token[1:]), type=ref_type, target=uri)
    return note


def write_cmif(pub: Published, folder: Path) -> list[Path]:
    """Write ``folder/cmif.xml`` one ``bibl`` and one ``correspDesc`` at a time,
    each checked as it is written (:class:`CmifCheck`): :class:`ContentError`
    if the file is not valid CMIF (and the file is not replaced)."""
    target = folder / CMIF_FILE
    with streamed(target) as out:
        for data in cmif_pieces(pub, target):
            out.write(data)
    return [target]


def cmif_pieces(pub: Published, target: Path) -> Iterator[bytes]:
    """The bytes of :func:`build_cmif`'s document as :func:`~edition.xmlio.serialize`
    writes it, in pieces, each checked before it is given."""
    checker = CmifCheck(str(target))
    root = _shell(pub)
    slots = []
    for path, pieces in ((SOURCE_DESC, _bibls(pub)), (PROFILE_DESC, _descs(pub))):
        first = next(pieces, None)
        if first is not None:
            slots.append((path, first, chain([first], pieces)))
    check(checker.shell(root, [(path, first) for path, first, _ in slots]), target)
    containers = [root.find(path) for path, _, _ in slots]
    frame = xml_frame(root, containers)
    line = 1
    for part, container, (_, _, pieces) in zip(frame, containers, slots, strict=False):
        yield part
        line += part.count(b"\n")
        level = sum(1 for _ in container.iterancestors()) + 1
        for el, separator, data in xml_children(pieces, level):
            line += separator.count(b"\n")
            check(checker.piece(el, line), target)
            yield separator + data
            line += data.count(b"\n")
    yield frame[-1]


# ---------------------------------------------------------------- checking


@cache
def cmif_schema(start: str = "TEI") -> etree.RelaxNG:
    """The TEI Correspondence SIG's CMIF RELAX NG schema (vendored); with
    ``start`` the define whose element it accepts as a document (its own:
    ``TEI``; :class:`CmifCheck` checks ``bibl`` and ``correspDesc`` alone)."""
    grammar = etree.parse(str(CMIF_RNG), etree.XMLParser(no_network=True))
    if start != "TEI":
        grammar.find(f"{RNG}start//{RNG}ref").set("name", start)
    return etree.RelaxNG(grammar)


def cmif_problems(tree: etree._ElementTree, path: str = CMIF_FILE) -> list[Problem]:
    """Every way ``tree`` is not a CMIF file: the schema, then the rules."""
    root = tree.getroot()
    bibl_ids = set(root.xpath("//t:sourceDesc/t:bibl/@xml:id", namespaces={"t": T[1:-1]}))
    return _schema_problems(tree, path) + list(_rule_problems(root, path, set(), bibl_ids))


class CmifCheck:
    """Checks a CMIF file piece by piece as :func:`cmif_pieces` writes it:
    :meth:`shell` checks the file without its ``bibl``s and ``correspDesc``s
    once, :meth:`piece` each of those alone (all the ``bibl``s first, as in
    the file).  Together they find the file invalid exactly when
    :func:`cmif_problems` does:

    * The schema.  The vendored grammar's ``sourceDesc`` holds ``bibl+`` and
      its ``profileDesc`` ``correspDesc*`` (``model.profileDescPart``), each a
      ``ref`` to one define; a RELAX NG element pattern matches an element by
      its name, attributes and content alone, wherever it stands.  So the file
      is valid if and only if the shell is valid with one ``bibl`` and (if
      there are any) one ``correspDesc``, the first, and every ``bibl`` and
      ``correspDesc`` matches its define alone: checked against the grammar
      with ``start`` pointing to that define (:func:`cmif_schema`).  The
      grammar's only datatype that relates elements is ``@xml:id``'s ``ID``,
      whose uniqueness libxml2 checks or not as the tree was made (not for
      an id the parser or lxml has registered already): the rules below
      check it, across the file, in any case.
    * The rules.  The licence is in the shell.  E0001, E0002, E0004, the
      agents and the date formats look inside one ``correspDesc`` only (the
      grammar allows a ``correspAction`` nowhere else); E0003 looks at one
      ``correspDesc`` and the ids of the ``bibl``s of ``sourceDesc``, which
      are all pieces written, and collected, before the first
      ``correspDesc``.  An ``@xml:id`` must not be one seen before, in the
      shell or an earlier piece.

    What is held grows only with the ids (one per text with letters)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.ids: set[str] = set()
        self.bibl_ids: set[str] = set()

    def shell(self, root: etree._Element,
              firsts: Iterable[tuple[str, etree._Element]]) -> list[Problem]:
        """The problems of ``root``, the file without its pieces: the rules', and
        the schema's of a copy with a copy of the first piece of each slot
        (``(path of the slot from the root, first piece)``; the pieces
        themselves are checked by :meth:`piece`)."""
        problems = list(_rule_problems(root, self.path, self.ids, set()))
        whole = copy.deepcopy(root)
        for path, first in firsts:
            whole.find(path).append(copy.deepcopy(first))
        return _schema_problems(whole, self.path) + problems

    def piece(self, el: etree._Element, line: int) -> list[Problem]:
        """The problems of a ``bibl`` of ``sourceDesc`` or a ``correspDesc``
        (``line``: where it begins in the file).  It is validated as the root
        of a document of its own (libxml2 checks an ``ID`` against those of the
        document the element is in)."""
        kind = etree.QName(el).localname
        alone = el if el.getroottree().getroot() is el else copy.deepcopy(el)
        problems = _schema_problems(alone, self.path, kind, line)
        problems += _id_problems(el, self.ids, self.path, line)
        if kind == "bibl":
            if el.get(XML_ID):
                self.bibl_ids.add(el.get(XML_ID))
        else:
            problems += _desc_problems(el, self.bibl_ids, self.path, line)
        return problems


def _schema_problems(tree: etree._ElementTree | etree._Element, path: str,
                     start: str = "TEI", line: int = 0) -> list[Problem]:
    """The schema's errors (of an element: as the document's root, with
    ``start`` its define)."""
    schema = cmif_schema(start)
    return [] if schema.validate(tree) else [
        Problem(path, e.line or line, f"cmif-schema: {e.message}", "error")
        for e in schema.error_log]


def _rule_problems(root: etree._Element, path: str, ids: set[str],
                   bibl_ids: set[str]) -> Iterator[Problem]:
    """The rules' problems of ``root`` (``ids``: those seen before, and ``root``'s
    are added; ``bibl_ids``: of ``sourceDesc``'s ``bibl``s)."""
    licence = root.find(f".//{T}publicationStmt/{T}availability/{T}licence")
    if licence is None or licence.get("target") != CC_BY:
        yield Problem(path, root.sourceline or 0, f"cmif: the licence must be {CC_BY}", "error")
    yield from _id_problems(root, ids, path, 0)
    for desc in root.iter(T + "correspDesc"):
        yield from _desc_problems(desc, bibl_ids, path, desc.sourceline or 0)


def _id_problems(root: etree._Element, ids: set[str], path: str, line: int
                 ) -> Iterator[Problem]:
    """Each ``@xml:id`` of ``root``'s tree already in ``ids`` (which gains the others)."""
    for el in root.iter(etree.Element):
        ident = el.get(XML_ID)
        if ident in ids:
            yield Problem(path, el.sourceline or line, f"cmif: duplicate xml:id {ident!r}",
                          "error")
        elif ident:
            ids.add(ident)


def _desc_problems(desc: etree._Element, bibl_ids: set[str], path: str, line: int
                   ) -> Iterator[Problem]:
    for kind, code in (("sent", "E0001"), ("received", "E0002")):
        if desc.find(f"{T}correspAction[@type='{kind}']") is None:
            yield Problem(path, line, f'cmif {code}: no correspAction type="{kind}"', "error")
    if (desc.get("source") or "").lstrip("#") not in bibl_ids:
        yield Problem(path, line, "cmif E0003: @source names no sourceDesc/bibl", "error")
    for action in desc.iter(T + "correspAction"):
        if not any(action.find(T + tag) is not None for tag in AGENTS):
            yield Problem(path, action.sourceline or line,
                          "cmif: a correspAction needs a persName or orgName", "error")
        for date in action.iterfind(T + "date"):
            yield from _date_problems(date, path, date.sourceline or line)


def _date_problems(date: etree._Element, path: str, line: int) -> Iterator[Problem]:
    values = [date.get(a) for a in DATE_ATTRS if date.get(a)]
    if not values:
        yield Problem(path, line, "cmif E0004: a date without a date attribute", "error")
    for value in values:
        if not CMIF_DATE.fullmatch(value):
            yield Problem(path, line, f"cmif: date {value!r} is not YYYY, YYYY-MM or "
                          "YYYY-MM-DD", "error")

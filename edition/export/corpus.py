"""The whole edition as one ``teiCorpus`` (``exchange/edition-corpus.xml``).

Why the texts themselves and not XIncludes: corpus tools (TXM, TEI Publisher,
eXist, XSLT pipelines) read one file but rarely resolve XInclude, and an
XInclude corpus is valid against ``tei_all`` only after resolution.  So each
text is copied in as a ``TEI`` member, with three changes that make the
corpus one valid document while the files in ``tei/`` stay self-contained:

* the persons, places and organisations every file repeats in its own
  ``standOff`` are given once, in the corpus's ``standOff`` (the register's
  entries first, then any a file adds), so ``@ref="#id"`` still resolves;
* an ``@xml:id`` of a member that does not already begin with the text id
  (the header's ``editors``, ``translator`` ...) becomes ``<text id>.<id>``,
  and every ``#id`` pointer inside that member follows it;
* the corpus header lists every text (``sourceDesc/listBibl``) with its stable
  URL and its file in ``tei/``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ..validate import Validator
from ..xmlio import serialize, write_atomic
from . import XML_ID, Published, T, check, entities_by_id, flat, sub

CORPUS_FILE = "edition-corpus.xml"
LISTS = (("person", "listPerson"), ("place", "listPlace"), ("org", "listOrg"))
CORPUS_NOTE = (
    "This corpus holds every text of the edition as a TEI member. The persons, places and "
    "organisations each text file lists in its own standOff are given once, in the corpus's "
    "standOff. Identifiers of a member that do not begin with the text's identifier (those "
    "of its header) are prefixed with it and the pointers to them follow. The separate "
    "files in tei/ are otherwise identical and each is self-contained."
)


def build_corpus(pub: Published) -> etree._ElementTree:
    """The ``teiCorpus`` of every text of ``pub``."""
    root = etree.Element(T + "teiCorpus", nsmap={None: T[1:-1]})
    root.set(XML_ID, "edition-corpus")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    root.append(_header(pub))
    root.append(_standoff(pub))
    for text_id, tree in pub.texts:
        root.append(member(text_id, tree.getroot()))
    return root.getroottree()


def _header(pub: Published) -> etree._Element:
    info = pub.info
    header = etree.Element(T + "teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", info.title, type="main")
    sub(title_stmt, "title", "All texts of the edition as one TEI corpus", type="sub")
    resp = sub(title_stmt, "respStmt")
    resp.set(XML_ID, "editors")
    sub(resp, "resp", "TEI encoding, identifications, normalisations and notes")
    sub(resp, "name", info.editors)
    sub(sub(file_desc, "editionStmt"), "edition", f"Version {info.version}", n=info.version)
    pub_stmt = sub(file_desc, "publicationStmt")
    sub(pub_stmt, "publisher", info.publisher)
    sub(pub_stmt, "date", info.date, when=info.date)
    sub(pub_stmt, "idno", pub.url(f"exchange/{CORPUS_FILE}"), type="URI")
    sub(sub(pub_stmt, "availability"), "licence", info.licence, target=info.licence_url)
    list_bibl = sub(sub(file_desc, "sourceDesc"), "listBibl")
    for text_id, tree in pub.texts:
        list_bibl.append(_text_bibl(pub, text_id, tree))
    decl = sub(sub(header, "encodingDesc"), "editorialDecl")
    for paragraph in (*info.editorial_declaration, CORPUS_NOTE):
        sub(decl, "p", paragraph)
    return header


def _text_bibl(pub: Published, text_id: str, tree: etree._ElementTree) -> etree._Element:
    bibl = etree.Element(T + "bibl", corresp=f"#{text_id}")
    title = tree.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    sub(bibl, "title", flat(title) or text_id)
    sub(bibl, "idno", pub.text_uri(text_id), type="URI")
    sub(bibl, "ref", f"tei/{text_id}.xml", target=pub.url(f"tei/{text_id}.xml"))
    return bibl


def _standoff(pub: Published) -> etree._Element:
    """One ``standOff`` with every entity the register or a text lists."""
    standoff = etree.Element(T + "standOff")
    entities = entities_by_id(pub.register_tree, pub.texts)
    for kind, list_tag in LISTS:
        found = [el for el in entities.values() if etree.QName(el).localname == kind]
        if found:
            listing = sub(standoff, list_tag)
            listing.extend(copy.deepcopy(el) for el in found)
    return standoff


def member(text_id: str, root: etree._Element) -> etree._Element:
    """A copy of a text's ``TEI`` element fit to stand beside others in a corpus."""
    out = copy.deepcopy(root)
    for standoff in out.findall(f"{T}standOff"):
        out.remove(standoff)
    renamed: dict[str, str] = {}
    prefix = f"{text_id}."
    for el in out.iter(etree.Element):
        ident = el.get(XML_ID)
        if ident and ident != text_id and not ident.startswith(prefix):
            renamed[ident] = prefix + ident
            el.set(XML_ID, prefix + ident)
    if renamed:
        _repoint(out, renamed)
    return out


def _repoint(root: etree._Element, renamed: dict[str, str]) -> None:
    """Rewrite every ``#id`` token of every attribute that points to a renamed id."""
    for el in root.iter(etree.Element):
        for name, value in el.attrib.items():
            tokens = value.split()
            if not any(t.startswith("#") and t[1:] in renamed for t in tokens):
                continue
            el.set(name, " ".join(
                f"#{renamed[t[1:]]}" if t.startswith("#") and t[1:] in renamed else t
                for t in tokens))


def write_corpus(pub: Published, folder: Path) -> list[Path]:
    """Write and validate (tei_all and the exchange rules) ``folder/edition-corpus.xml``."""
    tree = build_corpus(pub)
    target = folder / CORPUS_FILE
    check(Validator(profile=False).validate_tree(tree, str(target)), target)
    write_atomic(target, serialize(tree))
    return [target]

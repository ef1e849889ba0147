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
import zlib
from collections.abc import Container, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..model import XML_NS, Problem
from ..streams import child_bytes
from ..validate import Validator, attribute_problems, edition_rules, schematron_problems
from ..xmlio import serialize, streamed
from . import XML_ID, Published, T, check, sub

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
    """The ``teiCorpus`` of every text of ``pub`` in memory (for small editions and
    tests: :func:`write_corpus` streams the same document)."""
    root = corpus_shell(pub)
    root.extend(member(text_id, tree.getroot()) for text_id, tree in pub.texts())
    return root.getroottree()


def corpus_shell(pub: Published) -> etree._Element:
    """The ``teiCorpus`` element with its header and ``standOff``, without members."""
    root = etree.Element(T + "teiCorpus", nsmap={None: T[1:-1]})
    root.set(XML_ID, "edition-corpus")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    root.append(_header(pub))
    root.append(_standoff(pub))
    return root


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
    for text_id, title in pub.catalogue.titles.items():
        list_bibl.append(_text_bibl(pub, text_id, title))
    decl = sub(sub(header, "encodingDesc"), "editorialDecl")
    for paragraph in (*info.editorial_declaration, CORPUS_NOTE):
        sub(decl, "p", paragraph)
    return header


def _text_bibl(pub: Published, text_id: str, title: str) -> etree._Element:
    bibl = etree.Element(T + "bibl", corresp=f"#{text_id}")
    sub(bibl, "title", title)
    sub(bibl, "idno", pub.text_uri(text_id), type="URI")
    sub(bibl, "ref", f"tei/{text_id}.xml", target=pub.url(f"tei/{text_id}.xml"))
    return bibl


def _standoff(pub: Published) -> etree._Element:
    """One ``standOff`` with every entity the register or a text lists."""
    standoff = etree.Element(T + "standOff")
    entities = pub.catalogue.entities
    for kind, list_tag in LISTS:
        found = [el for el in entities.values() if etree.QName(el).localname == kind]
        if found:
            listing = sub(standoff, list_tag)
            listing.extend(copy.deepcopy(el) for el in found)
    return standoff


def member(text_id: str, root: etree._Element) -> etree._Element:
    """A copy of a text's ``TEI`` element fit to stand beside others in a corpus:
    without its ``standOff``, and every ``@xml:id`` not yet prefixed with the
    text id (and not the text id) prefixed with it, with the pointers to it."""
    out = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    out.text = root.text
    out.extend(copy.deepcopy(child) for child in root if child.tag != f"{T}standOff")
    renamed: dict[str, str] = {}
    prefix = f"{text_id}."
    for ident in _IDS(out):
        if ident != text_id and not ident.startswith(prefix):
            renamed[ident] = prefix + ident
            ident.getparent().set(XML_ID, prefix + ident)
    if renamed:
        _repoint(out, renamed)
    return out


_IDS = etree.XPath("//@xml:id", namespaces={"xml": XML_NS})
_WITH_HASH = etree.XPath("//@*[contains(., '#')]")  # the attributes that may point


def _repoint(root: etree._Element, renamed: dict[str, str]) -> None:
    """Rewrite every ``#id`` token of every attribute that points to a renamed id."""
    for value in _WITH_HASH(root):
        tokens = value.split()
        if any(t.startswith("#") and t[1:] in renamed for t in tokens):
            value.getparent().set(value.attrname, " ".join(
                f"#{renamed[t[1:]]}" if t.startswith("#") and t[1:] in renamed else t
                for t in tokens))


def write_corpus(pub: Published, folder: Path) -> list[Path]:
    """Write ``folder/edition-corpus.xml`` one member at a time, each validated
    as it is written (:class:`CorpusCheck`); :class:`ContentError` if one is not."""
    target = folder / CORPUS_FILE
    shell = corpus_shell(pub)
    head, tail = _split(serialize(shell))
    checker = CorpusCheck(shell, str(target))
    with streamed(target) as out:
        out.write(head)
        for text_id, tree, validated in pub.checked_texts():
            part = member(text_id, tree.getroot())
            data = child_bytes(part)  # before the check moves it into another tree
            check(checker.problems(part, trusted=validated), target)
            out.write(data)
        check(checker.finish(), target)
        out.write(tail)
    return [target]


def _split(shell: bytes) -> tuple[bytes, bytes]:
    """The serialised shell cut before its end tag: what goes before and after the members."""
    cut = shell.rindex(b"</teiCorpus>")
    return shell[:cut], shell[cut:]


class CorpusCheck:
    """Validates a corpus one member at a time, soundly for the whole, each
    member on its own: the cost grows with the corpus, not with the corpus
    times the size of its header and ``standOff``.

    The checks are those of :class:`Validator` without the edition's profile
    (tei_all, the exchange rules, identifiers, pointers, dates).  Why checking
    each member alone, and the shell once, is the same as checking the whole:

    * tei_all (RELAX NG): an element pattern matches an element by its name,
      attributes and content alone, wherever the element stands.  The content
      of ``teiCorpus`` is ``teiHeader, model.resource*, (TEI | teiCorpus)+``,
      and its ``TEI`` is the very define ``start`` refers to; so the corpus is
      valid if and only if the shell is valid with one member (checked by
      :meth:`finish`, with every header entry of the members written) and each
      member is valid as a document of its own (checked by :meth:`problems`).
      (tei_all's ``xml:id`` datatype is checked as an NCName per element; its
      uniqueness across members is the check below.)
    * the exchange Schematron rules (``archival``, ``redaction``) look only at
      the context element's children, parent and siblings, and their contexts
      (``bibl``, ``seg``, ``supplied``) are never a member's root: a member's
      nodes get the same verdicts alone as in the corpus; dates are checked
      attribute by attribute.
    * identifiers: unique within each member and the shell, and each one not
      seen before in the shell or an earlier member.
    * pointers: a member's ``#id`` must point into the member or the shell
      (not into another member: each text of ``tei/`` is self-contained);
      the shell's own (the header's entries point to their members) are
      checked by :meth:`finish` against every id of the corpus.

    The header's ``listBibl`` keeps only the entries of the members checked,
    each taken when its member comes (a member without an entry is an error),
    and :meth:`finish` reports every entry that had no member.
    """

    def __init__(self, shell: etree._Element, path: str) -> None:
        self.shell = copy.deepcopy(shell)
        self.path = path
        self.validator = Validator(profile=False)
        self.shell_ids = {ident for el in self.shell.iter(etree.Element)
                          if (ident := el.get(XML_ID))}
        self.seen = CorpusIds(self.shell_ids)
        self.list_bibl = self.shell.find(f"{T}teiHeader//{T}listBibl")
        self.entries = {bibl.get("corresp", "").removeprefix("#"): bibl
                        for bibl in self.list_bibl}
        self.list_bibl.clear()
        self.first: etree._Element | None = None

    def problems(self, part: etree._Element, trusted: bool = False) -> list[Problem]:
        """Every problem of the corpus that lies in ``part``, one of its members.

        ``trusted``: ``part`` is :func:`member` of a text file that passed the
        edition's whole validation (tei_all, the edition's schema and every
        rule of the ``edition`` phase, which includes the ``exchange`` phase).
        Its tei_all and exchange-rule verdicts are then known, so those two
        checks are skipped; ids, dates and pointers (which now resolve into the
        corpus's ``standOff``) are still checked.  Why the verdicts are known:

        * dropping the optional ``standOff`` keeps a ``TEI`` valid, and the
          exchange rules' contexts are never the root, nor look at ids;
        * renaming: each renamed ``@xml:id`` becomes ``text-id.id``, an NCName
          like the old one (the text id is one), and its uniqueness is the id
          check that still runs; an attribute token ``#id`` becomes
          ``#text-id.id``.  A ``#`` token is accepted by tei_all only where the
          datatype is ``anyURI``, ``string`` or a ``token`` whose pattern any
          token without spaces matches (no ``value`` of tei_all begins with
          ``#``, and the other patterns and datatypes refuse ``#``), and each of
          those accepts the renamed token too.  ``tests/test_corpus_trust.py``
          checks this claim against every datatype and value of the vendored
          tei_all."""
        ident = part.get(XML_ID, "")
        name = f"{self.path} (member {ident})"
        entry = self.entries.pop(ident, None)
        if entry is None:
            return [Problem(name, 0, "the member is not listed in the header", "error")]
        self.list_bibl.append(entry)
        alone = part if part.getparent() is None else copy.deepcopy(part)
        found = self._document_problems(alone.getroottree(), name, self.shell_ids,
                                        schemas=not trusted)
        ids = [str(i) for i in _IDS(alone)]
        found += [Problem(name, 0, f"duplicate xml:id {i!r}: also in an earlier member "
                          "or the corpus header", "error") for i in ids if i in self.seen]
        self.seen.add(ident, ids)
        if self.first is None:
            self.first = alone
        return found

    def finish(self) -> list[Problem]:
        """The problems of the shell (checked with the first member), and the
        header's entries of texts that had no member."""
        found = [Problem(self.path, 0, f"the header lists {ident!r}, which is no member",
                         "error") for ident in self.entries]
        if self.first is not None:
            self.shell.append(self.first)
            try:
                tree = self.shell.getroottree()
                found += self._document_problems(tree, self.path, self.seen)
            finally:
                self.shell.remove(self.first)
        return found

    def _document_problems(self, tree: etree._ElementTree, name: str,
                           outside: Container[str], schemas: bool = True) -> list[Problem]:
        """tei_all and the exchange rules (unless not ``schemas``), ids and dates
        of ``tree``; its pointers may also point to the ids ``outside`` it."""
        problems: list[Problem] = []
        if schemas:
            problems += self.validator.tei_all_problems(tree, name)
            problems += schematron_problems(tree, name, edition_rules("exchange"))
        problems += attribute_problems(tree, name, outside, "the corpus")
        return problems



class CorpusIds:
    """The ``@xml:id``s of the corpus so far, for exact membership tests in
    little memory (a corpus of thousands of texts has hundreds of thousands).

    A member's ids are all its own id or begin with it and a dot (what
    :func:`member` makes of a text); they are kept as one compressed block
    under the member's id, and an id is looked up only in the blocks of the
    members whose id is the id itself or one of its dot-separated prefixes.
    Ids a member has that are not its own (put there by hand) are kept as
    they are, like the shell's."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.loose: set[str] = set(ids)
        self.blocks: dict[str, bytes] = {}

    def add(self, root: str, ids: Iterable[str]) -> None:
        """Add the ids of the member whose own id is ``root``."""
        own = []
        for ident in ids:
            if _under(ident, root):
                own.append(ident)
            else:
                self.loose.add(ident)
        block = self.blocks.get(root)
        if block is not None:  # a second member with the same id: keep both
            own += _block_ids(block)
        self.blocks[root] = zlib.compress("\n".join(sorted(own)).encode("utf-8"))

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str) or not ident:
            return False
        if ident in self.loose:
            return True
        return any(ident in _block_ids(block) for prefix in _prefixes(ident)
                   if (block := self.blocks.get(prefix)) is not None)


def _under(ident: str, root: str) -> bool:
    return ident == root or ident.startswith(root + ".")


def _prefixes(ident: str) -> Iterator[str]:
    """``a``, ``a.b``, ``a.b.c`` for ``a.b.c``."""
    at = ident.find(".")
    while at != -1:
        yield ident[:at]
        at = ident.find(".", at + 1)
    yield ident


@lru_cache(maxsize=4)
def _block_ids(block: bytes) -> frozenset[str]:
    return frozenset(zlib.decompress(block).decode("utf-8").split("\n"))

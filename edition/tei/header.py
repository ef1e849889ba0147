"""The ``teiHeader``: file description, encoding, profile (with ``correspDesc``
for every letter and telegram) and revision history (ENCODING.md section 7)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from ..model import XML_NS, Division, DocumentMeta, SourceMeta
from .inline import T

LANGUAGES = {"en": "English", "ru": "Russian", "zh": "Chinese", "ko": "Korean"}
CORRESPONDENCE = re.compile(r"telegram|letter|cable|note|message|memorandum", re.I)

#: resolves a name as written to ``(tag, register id, preferred form)``
NameResolver = Callable[[str], "tuple[str, str, str] | None"]
#: normalises a date expression to TEI date attributes
DateNormaliser = Callable[[str], "dict[str, str] | None"]


@dataclass(frozen=True)
class EditionInfo:
    """Edition-wide metadata (``seeds/edition.toml``)."""

    title: str
    editors: str
    publisher: str
    licence: str
    licence_url: str
    base_url: str
    version: str
    editorial_declaration: tuple[str, ...]
    date: str  # the edition's release date, ISO

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], version: str, date: str) -> EditionInfo:
        return cls(
            title=str(data.get("title", "")),
            editors=str(data.get("editors", "")),
            publisher=str(data.get("publisher", "")),
            licence=str(data.get("licence", "")),
            licence_url=str(data.get("licence_url", "")),
            base_url=str(data.get("base_url", "")),
            version=version,
            editorial_declaration=tuple(str(p) for p in data.get("editorial_declaration", [])),
            date=date,
        )


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, T + tag, {k: v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def _set_id(el: etree._Element, ident: str) -> None:
    el.set(f"{{{XML_NS}}}id", ident)


class HeaderWriter:
    """Builds a text's ``teiHeader``."""

    def __init__(self, edition: EditionInfo, names: NameResolver, dates: DateNormaliser) -> None:
        self.edition = edition
        self.names = names
        self.dates = dates

    def header(self, meta: SourceMeta, documents: list[tuple[str, Division]],
               archival: Iterable[etree._Element],
               stamps: Mapping[str, Mapping[str, etree._Element]] | None = None,
               ) -> etree._Element:
        """``stamps``: per document id, the ``date`` elements of its sent and
        received lines (telegram headers), which win over the heading's date."""
        header = etree.Element(T + "teiHeader")
        self._file_desc(header, meta, list(archival))
        self._encoding_desc(header)
        self._profile_desc(header, meta, documents, stamps or {})
        revision = _sub(header, "revisionDesc")
        _sub(revision, "change", "Encoded from the source text by the edition's converters.",
             when=self.edition.date, who="#editors")
        etree.indent(header)  # one element a line, so messages name useful lines
        for ref in header.iterfind(f".//{T}listBibl/{T}bibl"):
            _unindent(ref)  # mixed content: indentation would add spaces to the reference
        return header

    def _file_desc(self, header: etree._Element, meta: SourceMeta,
                   archival: list[etree._Element]) -> None:
        ed = self.edition
        fd = _sub(header, "fileDesc")
        ts = _sub(fd, "titleStmt")
        _sub(ts, "title", meta.title or meta.id, type="main")
        _sub(ts, "title", ed.title, type="sub")
        if meta.author:
            _sub(ts, "author", meta.author)
        resp = _sub(ts, "respStmt")
        _set_id(resp, "editors")
        _sub(resp, "resp", "TEI encoding, identifications, normalisations and notes")
        _sub(resp, "name", ed.editors)
        translator = _sub(ts, "respStmt")
        _set_id(translator, "translator")
        _sub(translator, "resp", "translation of the source (square brackets in the text)")
        _sub(translator, "name", meta.translator or "translator not named in the source")
        source_editor = _sub(ts, "respStmt")
        _set_id(source_editor, "source-editor")
        _sub(source_editor, "resp", "earlier edition or publication of the source")
        _sub(source_editor, "name", meta.publisher or "publisher not named in the source")
        es = _sub(fd, "editionStmt")
        _sub(es, "edition", f"Version {ed.version}", n=ed.version)
        ps = _sub(fd, "publicationStmt")
        _sub(ps, "publisher", ed.publisher)
        _sub(ps, "date", ed.date, when=ed.date)
        _sub(ps, "idno", ed.base_url + meta.id, type="URI")
        avail = _sub(ps, "availability")
        _sub(avail, "licence", ed.licence, target=ed.licence_url)
        sd = _sub(fd, "sourceDesc")
        bibl = _sub(sd, "bibl", type="source")
        if meta.author:
            _sub(bibl, "author", meta.author)
        _sub(bibl, "title", meta.title or meta.id)
        if meta.translator:
            _sub(bibl, "editor", meta.translator, role="translator")
        if meta.publisher:
            _sub(bibl, "publisher", meta.publisher)
        if meta.date:
            _sub(bibl, "date", meta.date, when=meta.date)
        if meta.url:
            _sub(bibl, "ref", meta.url, target=meta.url)
        if meta.record_id:
            _sub(bibl, "idno", meta.record_id, type="recordId")
        if meta.licence:
            _sub(_sub(bibl, "availability"), "p", meta.licence)
        if archival:
            lb = _sub(sd, "listBibl", type="archival")
            for ref in archival:
                lb.append(_clean_copy(ref))

    def _encoding_desc(self, header: etree._Element) -> None:
        decl = _sub(_sub(header, "encodingDesc"), "editorialDecl")
        for para in self.edition.editorial_declaration:
            _sub(decl, "p", para)

    def _profile_desc(self, header: etree._Element, meta: SourceMeta,
                      documents: list[tuple[str, Division]],
                      stamps: Mapping[str, Mapping[str, etree._Element]]) -> None:
        pd = _sub(header, "profileDesc")
        self._creation(pd, [d for _, d in documents if not d.floating])
        lu = _sub(pd, "langUsage")
        _sub(lu, "language", LANGUAGES.get(meta.language, meta.language), ident=meta.language)
        original = meta.conventions.get("original_language")
        if original and original != meta.language:
            _sub(lu, "language", f"{LANGUAGES.get(original, original)} (language of the original)",
                 ident=original)
        for ident, div in documents:
            self._corresp(pd, ident, div.meta, stamps.get(ident, {}))

    def _creation(self, pd: etree._Element, documents: list[Division]) -> None:
        """The date (or span of dates) of the text's own documents, if stated."""
        values = (self.dates(d.meta.date_text) for d in documents if d.meta.date_text)
        whens = sorted(v.get("when") or v.get("from", "") for v in values if v)
        whens = [w for w in whens if w]
        if not whens:
            return
        creation = _sub(pd, "creation")
        if len(set(whens)) == 1:
            _sub(creation, "date", whens[0], when=whens[0])
        else:
            _sub(creation, "date", f"{whens[0]} to {whens[-1]}", notBefore=whens[0],
                 notAfter=whens[-1])

    def _corresp(self, pd: etree._Element, ident: str, meta: DocumentMeta,
                 stamps: Mapping[str, etree._Element]) -> None:
        if not (meta.sender or meta.recipient):
            return
        if meta.doc_type and not CORRESPONDENCE.search(meta.doc_type):
            return
        cd = _sub(pd, "correspDesc", ref="#" + ident)
        sent = _sub(cd, "correspAction", type="sent")
        self._agents(sent, meta.sender)
        if meta.place_sent:
            self._place(sent, meta.place_sent)
        if "sent" in stamps:
            _dated(sent, stamps["sent"])
        elif meta.date_text and (when := self.dates(meta.date_text)):
            _sub(sent, "date", meta.date_text, **when)
        if not len(sent):
            cd.remove(sent)
        via = intermediaries(meta.recipient or "")
        if via:
            self._agents(_sub(cd, "correspAction", type="transmitted"), " and ".join(via))
        if meta.recipient or "received" in stamps:
            received = _sub(cd, "correspAction", type="received")
            self._agents(received, meta.recipient)
            if "received" in stamps:
                _dated(received, stamps["received"])
        if not len(cd):
            pd.remove(cd)

    def _agents(self, action: etree._Element, written: str | None) -> None:
        found: set[str] = set()
        for part in split_agents(written or ""):
            hit = self.names(part)
            if hit and hit[0] in {"persName", "orgName"} and hit[1] not in found:
                _sub(action, hit[0], hit[2], ref="#" + hit[1])
                found.add(hit[1])
        if not found and written:
            _sub(action, "persName", written)

    def _place(self, action: etree._Element, written: str) -> None:
        hit = self.names(written)
        if hit and hit[0] == "placeName":
            _sub(action, "placeName", hit[2], ref="#" + hit[1])
        else:
            _sub(action, "placeName", written)


_AGENT_SPLIT = re.compile(r"\s*(?:[()\[\],;]|\band\b|\bwith\b|\bin\b|\bfrom\b)\s*")
_VIA = re.compile(r"\(?\s*\bvia\b([^)\]]*)\)?", re.I)
_TITLES = re.compile(
    r"^(?:Soviet|Chinese|North Korean|Comrade|Comrades|Cmrds?\.?|Com\.|Ambassador|Premier|"
    r"Chairman|General|Marshal|Minister|to|in|of|the|\s)+", re.I)


def split_agents(written: str) -> list[str]:
    """Candidate names in a sender/recipient phrase, most specific first:
    ``Filippov (Stalin)`` -> ``Stalin``, ``Filippov``.  A ``via ...`` part is
    left out (see :func:`intermediaries`)."""
    written = _VIA.sub(" ", written)
    inner = [i.strip() for i in re.findall(r"[(\[]([^)\]]*)[)\]]", written)]
    parts = [_TITLES.sub("", p).strip() for p in _AGENT_SPLIT.split(written) if p and p.strip()]
    seen: list[str] = []
    for p in inner + parts:
        if p and p not in seen:
            seen.append(p)
    return seen


def intermediaries(written: str) -> list[str]:
    """Names after ``via`` in a recipient phrase: ``Stalin (via Shtykov)``."""
    return [n for m in _VIA.finditer(written) for n in split_agents(m.group(1))]


def _dated(action: etree._Element, date: etree._Element) -> None:
    """Copy a date of the text (its value and wording) into a correspAction."""
    keep = {k: v for k, v in date.attrib.items() if k in {"when", "from", "to", "notBefore",
                                                          "notAfter", "cert"}}
    _sub(action, "date", " ".join("".join(date.itertext()).split()), **keep)


def _unindent(el: etree._Element) -> None:
    """Undo the indentation ``etree.indent`` put around ``el``'s children."""
    if (el.text or "").isspace():
        el.text = None
    for child in el:
        if (child.tail or "").isspace():
            child.tail = None if child is el[-1] else " "


def _clean_copy(el: etree._Element) -> etree._Element:
    out = copy.deepcopy(el)
    out.tail = None
    for node in out.iter():
        node.attrib.pop(f"{{{XML_NS}}}id", None)
    return out

"""Exchange with other projects: the edition's TEI as other tools want it.

:func:`write_exports` reads a built edition's ``out/tei/*.xml`` (never the
seeds: what is exchanged is exactly what is published) and writes
``out/exchange/``:

* ``edition-corpus.xml``: every text in one ``teiCorpus`` (:mod:`.corpus`);
* ``cmif.xml``: the letters and telegrams as CMIF for correspSearch (:mod:`.cmif`);
* ``persons|places|organisations|chronology.csv`` and ``.json`` (:mod:`.tables`);
* ``MANIFEST.json``: every file of ``out/`` with size and SHA-256 (:mod:`.manifest`).

Addresses: a text's stable URL is its header's ``publicationStmt/idno[@type="URI"]``;
a passage's is that URL with ``#`` and the passage's ``@xml:id``.  Files of
``out/`` are addressed as ``base_url`` + their path in ``out/`` (the edition is
published by copying ``out/`` to ``base_url``).
"""

from __future__ import annotations

import copy
import hashlib
import os
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..errors import ContentError, InputError
from ..model import TEI_NS, XML_NS
from ..xmlio import parse, parse_bytes

if TYPE_CHECKING:
    from ..digest import Gathered
    from ..editorial import Edition
    from ..register import Register
    from ..tei.header import EditionInfo
    from .cmif import Letters

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
EXCHANGE_DIR = "exchange"
REGISTER_FILE = "register.xml"

#: URI patterns of the authority files an ``idno/@type`` may name (lower case).
AUTHORITIES = {
    "gnd": "http://d-nb.info/gnd/{}",
    "viaf": "http://viaf.org/viaf/{}",
    "lc": "http://id.loc.gov/authorities/names/{}",
    "lcnaf": "http://id.loc.gov/authorities/names/{}",
    "isni": "https://isni.org/isni/{}",
    "geonames": "http://www.geonames.org/{}",
    "tgn": "http://vocab.getty.edu/page/tgn/{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
}


@dataclass
class Catalogue:
    """What the exports need of every text at once, gathered from the texts'
    digests (:mod:`edition.digest`): each text's URL and title and the entities
    of the register and the texts' ``standOff`` (the rest, the index's counts,
    its events and the letters read from disk, is :attr:`Published.gathered`)."""

    uris: dict[str, str]
    titles: dict[str, str]
    entities: dict[str, etree._Element]


@dataclass
class TextExchange:
    """What the exports need of one text besides its index entries (picklable:
    elements as bytes): its header's URL (:func:`header_uri`), its title, the
    entities of its ``standOff`` (:func:`add_entities`) and its letters (CMIF)."""

    uri: str | None
    title: str
    entities: list[tuple[str, bytes]]
    letters: Letters | None


def text_exchange(text_id: str, tree: etree._ElementTree) -> TextExchange:
    from .cmif import letters_of

    found: dict[str, etree._Element] = {}
    add_entities(found, tree, copy_found=False)
    return TextExchange(header_uri(tree), flat(tree.find(TITLE_PATH)) or text_id,
                        [(i, etree.tostring(el, with_tail=False)) for i, el in found.items()],
                        letters_of(tree))


@dataclass
class ExchangeTexts:
    """The :class:`TextExchange` of every text, merged in the edition's order
    (but the letters: :meth:`edition.digest.Gathered.letters` reads them from disk)."""

    uris: dict[str, str | None] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    entities: dict[str, etree._Element] = field(default_factory=dict)

    def add(self, text_id: str, part: TextExchange) -> None:
        self.uris[text_id] = part.uri
        self.titles[text_id] = part.title
        for ident, data in part.entities:
            if ident not in self.entities:  # parsed only the first time
                self.entities[ident] = parse_bytes(data).getroot()


@dataclass
class Published:
    """A built edition as the exports see it: its metadata, and its TEI files
    read one at a time (:meth:`texts`): no export holds more than one text tree."""

    info: EditionInfo
    out_dir: Path
    register_tree: etree._ElementTree | None
    contact_email: str | None = None
    gathered: Gathered | None = None  # the texts' digests, if the build has them
    # SHA-256 of TEI files found valid (tei_all, the edition's schema and all its
    # rules) by the build that calls the export: their members need fewer checks
    validated: frozenset[str] = frozenset()

    def url(self, relpath: str) -> str:
        """The published address of a file of ``out/`` (``relpath`` from ``out/``)."""
        base = self.info.base_url
        return (base if base.endswith("/") else base + "/") + relpath

    def texts(self) -> Iterator[tuple[str, etree._ElementTree]]:
        """Every text of ``out/tei`` as ``(text id, tree)``, by file name, parsed
        one at a time (:func:`edition.site.iter_texts`)."""
        from ..site import iter_texts

        return iter_texts(self.out_dir / "tei")

    def checked_texts(self) -> Iterator[tuple[str, etree._ElementTree, bool]]:
        """:meth:`texts`, each with whether its file is one of :attr:`validated`."""
        from ..site import iter_text_files

        for text_id, tree, data in iter_text_files(self.out_dir / "tei"):
            yield text_id, tree, hashlib.sha256(data).hexdigest() in self.validated

    @cached_property
    def register(self) -> Register | None:
        from ..register import Register

        if self.register_tree is None:
            return None
        return Register.load(self.out_dir / "tei" / REGISTER_FILE)

    def digests(self) -> Gathered:
        """The texts' digests, gathered: the caller's, else made from ``out/tei``
        now (their spill is removed when collected; :func:`export` closes its own)."""
        from ..digest import gather

        if self.gathered is None:
            self.gathered = gather(self.out_dir / "tei", self.register)
        return self.gathered

    @cached_property
    def catalogue(self) -> Catalogue:
        texts = self.digests().exchange
        entities: dict[str, etree._Element] = {}
        if self.register_tree is not None:
            add_entities(entities, self.register_tree)
        for ident, el in texts.entities.items():  # as if added text by text after these
            entities.setdefault(ident, el)
        uris = {text_id: uri or self.url(text_id) for text_id, uri in texts.uris.items()}
        return Catalogue(uris, texts.titles, entities)

    def text_uri(self, text_id: str) -> str:
        """The stable URL of a text: its header's ``idno[@type="URI"]``."""
        return self.catalogue.uris.get(text_id) or self.url(text_id)

    def passage_uri(self, text_id: str, element_id: str | None) -> str:
        uri = self.text_uri(text_id)
        return f"{uri}#{element_id}" if element_id else uri


TITLE_PATH = f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title"
URI_PATH = f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}idno[@type='URI']"


def header_uri(tree: etree._ElementTree) -> str | None:
    """A text's header's ``publicationStmt/idno[@type="URI"]``, or None."""
    idno = tree.find(URI_PATH)
    return (idno.text or "").strip() or None if idno is not None else None


def load_published(edition: Edition, out_dir: Path, gathered: Gathered | None = None
                   ) -> Published:
    """The edition built in ``out_dir``: its register is read now, its texts when
    an export asks for them (their digests, ``gathered``, if the build has them)."""
    tei_dir = out_dir / "tei"
    if not any(tei_dir.glob("*.xml")):
        raise InputError(str(tei_dir), 0, "no TEI files: build the edition first")
    register_path = tei_dir / REGISTER_FILE
    register = parse(register_path) if register_path.is_file() else None
    return Published(edition.info, out_dir, register, contact_email(edition), gathered)


def contact_email(edition: Edition) -> str | None:
    """The ``contact_email`` of ``edition.toml`` (CMIF wants the file's editor's address)."""
    try:
        settings = tomllib.loads((edition.data_dir / "edition.toml").read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = settings.get("contact_email")
    return str(value) if value else None


def authority_uris(entity: etree._Element | None) -> list[str]:
    """Full URIs of an entity's authority identifiers (``idno`` children), in
    document order; an ``idno`` that is already a URL is kept as it is."""
    if entity is None:
        return []
    uris = []
    for idno in entity.findall(f"{T}idno"):
        value = (idno.text or "").strip()
        kind = (idno.get("type") or "").lower()
        if value.startswith(("http://", "https://")):
            uris.append(value)
        elif value and kind in AUTHORITIES:
            uris.append(AUTHORITIES[kind].format(value))
    return uris


def preferred_uri(uris: list[str], order: tuple[str, ...]) -> str | None:
    """The first of ``uris`` whose authority comes first in ``order`` (keys of
    :data:`AUTHORITIES`), else the first URI."""
    for kind in order:
        stem = AUTHORITIES[kind].split("{}")[0]
        for uri in uris:
            if uri.startswith(stem):
                return uri
    return uris[0] if uris else None


def add_entities(found: dict[str, etree._Element], tree: etree._ElementTree,
                 copy_found: bool = True) -> None:
    """Add to ``found`` (by ``@xml:id``) copies of the ``person``/``place``/``org``
    elements of the ``standOff`` of ``tree`` that it does not hold yet (copies, so
    that ``tree`` can be let go; the elements themselves with ``copy_found=False``)."""
    for standoff in tree.getroot().iter(f"{T}standOff"):
        for el in standoff.iter(f"{T}person", f"{T}place", f"{T}org"):
            ident = el.get(XML_ID)
            if ident and ident not in found:
                found[ident] = copy.deepcopy(el) if copy_found else el


def sub(parent: etree._Element, tag: str, text: str | None = None,
        **attrs: str | None) -> etree._Element:
    """A new TEI child of ``parent``; attributes whose value is empty are left out."""
    el = etree.SubElement(parent, T + tag, {k: v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


NAME_TAGS = frozenset({"persName", "placeName", "geogName", "orgName", "name"})


def flat(el: etree._Element | None) -> str:
    """The text of an element, white space normalised ('' for None)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def entity_names(entity: etree._Element) -> tuple[str, list[str], list[str]]:
    """The preferred name, the other names and the pseudonyms of a register entry
    (names of ``@type="preferred"``, other types, ``@type="pseudonym"``)."""
    names = [n for n in entity if isinstance(n.tag, str) and etree.QName(n).localname in NAME_TAGS]
    preferred = next((n for n in names if n.get("type") == "preferred"), None)
    preferred = preferred if preferred is not None else (names[0] if names else None)
    variants = [flat(n) for n in names if n is not preferred and n.get("type") != "pseudonym"]
    pseudonyms = [flat(n) for n in names if n.get("type") == "pseudonym"]
    return flat(preferred), unique(variants), unique(pseudonyms)


def unique(values: Iterable[str | None]) -> list[str]:
    """The non-empty values, each once, in order."""
    return list(dict.fromkeys(v for v in values if v))


Writer = Callable[[Published, Path], list[Path]]


def _writers() -> dict[str, Writer]:
    from .cmif import write_cmif
    from .corpus import write_corpus
    from .tables import write_tables

    return {
        "teicorpus": write_corpus,
        "cmif": write_cmif,
        "csv": lambda pub, folder: write_tables(pub, folder, ("csv",)),
        "json": lambda pub, folder: write_tables(pub, folder, ("json",)),
    }


FORMATS = ("cmif", "csv", "json", "teicorpus")


def export(edition: Edition, out_dir: Path, formats: tuple[str, ...] = FORMATS,
           target: Path | None = None, gathered: Gathered | None = None,
           validated: frozenset[str] = frozenset()) -> list[Path]:
    """Write the exchange files of ``formats`` for the edition built in ``out_dir``
    into ``target`` (default ``out_dir/exchange``); every XML file is validated
    (:class:`ContentError` if one is not).  ``gathered``: the texts' digests, if
    the caller has them (:mod:`edition.digest`; else made from ``out_dir/tei``);
    ``validated``: SHA-256 of TEI files the caller has just found valid
    (:attr:`Published.validated`)."""
    from ..digest import gather

    published = load_published(edition, Path(out_dir), gathered)
    published.validated = validated
    folder = Path(target) if target is not None else Path(out_dir) / EXCHANGE_DIR
    if gathered is None:
        with gather(Path(out_dir) / "tei", published.register) as made:
            published.gathered = made
            return _write_formats(published, folder, formats)
    return _write_formats(published, folder, formats)


def _write_formats(published: Published, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    writers = _writers()
    written: list[Path] = []
    for fmt in formats:
        written += writers[fmt](published, folder)
    return written


def write_exports(edition: Edition, out_dir: Path) -> list[Path]:
    """Every exchange file of the edition built in ``out_dir``, then the manifest
    of the whole of ``out_dir`` (call it after everything else is written)."""
    from .manifest import write_manifest

    written = export(edition, Path(out_dir))
    written.append(write_manifest(Path(out_dir), edition.info))
    return written


def check(problems: list, path: Path) -> None:
    """Raise :class:`ContentError` naming the first problems of an exported file."""
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        shown = "; ".join(str(p) for p in errors[:5])
        raise ContentError(f"{path}: the exported file is invalid ({len(errors)} problems): "
                           f"{shown}")


def relative(path: Path, out_dir: Path) -> str:
    """``path`` relative to ``out_dir`` with forward slashes."""
    return Path(os.path.relpath(path, out_dir)).as_posix()

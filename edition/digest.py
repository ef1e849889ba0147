"""Digests of the texts: what the pages and exports of the edition as a whole
need of each text, computed once from its tree.

Like Sphinx's build environment: the build's worker that holds a text's tree
makes its :class:`TextDigest` (its index entries, its markup figures, what
the exchange files need) while it writes the text's page, and keeps it in
the edition's cache folder (:func:`edition.validate.cache_dir`), named by a
hash of everything it depends on: the key of the text's page (the TEI's
bytes, the editorial data, the code) and the text's id; so an unchanged
text's digest serves the next build too, and ``out/`` holds nothing new.
The edition-wide phase then merges the digests one at a time
(:func:`gather`) instead of parsing every TEI file again for each of the
site, the index and the exports: memory grows with the index (the mentions,
events and passages), not with the trees.  A digest that is missing or
unreadable (cache cleared, not writable) is made again from the TEI file.

Outside a build (``edition export``, :func:`edition.site.write_edition_pages`)
the digests are made from ``out/tei`` itself (:func:`tei_digests` without
cached digests): a hand-edited TEI file is never described by a stale one.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .export import ExchangeTexts, TextExchange, text_exchange
from .indexes import XML_ID, EditionIndex, IndexMerger, T, TextSummary, summarize
from .site import Markup
from .xmlio import parse, write_atomic

if TYPE_CHECKING:
    from .register import Register

@dataclass
class TextDigest:
    """What the edition-wide phase needs of one text (picklable, no trees)."""

    text_id: str
    index: TextSummary
    markup: Markup
    exchange: TextExchange


@dataclass
class Gathered:
    """The digests of every text, merged in the edition's order."""

    index: EditionIndex
    markup: Markup
    exchange: ExchangeTexts


def text_id_of(tree: etree._ElementTree, stem: str) -> str:
    """A text's id as the edition-wide pages know it: its ``@xml:id``, else its file's stem."""
    return tree.getroot().get(XML_ID) or stem


def is_text(tree: etree._ElementTree) -> bool:
    """True if the TEI file is a text (it has a ``<text>``; the register has none)."""
    return tree.getroot().find(f"{T}text") is not None


def digest(text_id: str, tree: etree._ElementTree, register: Register | None) -> TextDigest:
    """The digest of one text (``text_id``: :func:`text_id_of`)."""
    return TextDigest(text_id, summarize(text_id, tree.getroot(), register), Markup.of(tree),
                      text_exchange(text_id, tree))


def cached_digest(key: str) -> Path:
    """Where the digest of the inputs hashed as ``key`` is kept."""
    from .validate import cache_dir

    return cache_dir() / "digests" / f"{key}.pickle"


def store_digest(path: Path, text: TextDigest | None) -> None:
    """Keep a digest (None: the file is no text); a cache that cannot be written
    costs the edition-wide phase a parse, nothing else."""
    with contextlib.suppress(OSError):
        write_atomic(path, pickle.dumps(text, protocol=pickle.HIGHEST_PROTOCOL))


def _load(path: Path) -> TextDigest | bool | None:
    """The digest kept in ``path``; False if there is none that can be read.
    (The cache is the edition's own, like the pickled schema of edition.validate.)"""
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except Exception:  # missing, damaged or of another version: made again
        return False
    return found if found is None or isinstance(found, TextDigest) else False


def tei_digests(tei_dir: Path, register: Register | None,
                cached: Mapping[str, Path] | None = None) -> Iterator[TextDigest]:
    """The digest of every text of ``tei_dir``, in the order of
    :func:`edition.site.iter_texts` (by file name; files without ``<text>`` left
    out): read from ``cached[stem]`` where it is kept, else made from the file."""
    for path in sorted(tei_dir.glob("*.xml")):
        kept = _load(cached[path.stem]) if cached and path.stem in cached else False
        if kept is False:
            tree = parse(path)
            kept = digest(text_id_of(tree, path.stem), tree, register) if is_text(tree) \
                else None
        if kept is not None:
            yield kept


def gather(digests: Iterable[TextDigest]) -> Gathered:
    """Merge the digests in the order given, holding one at a time."""
    index, markup, exchange = IndexMerger(), Markup(), ExchangeTexts()
    for text in digests:
        index.add(text.index)
        markup.merge(text.markup)
        exchange.add(text.text_id, text.exchange)
    return Gathered(index.finish(), markup, exchange)

"""The edition's register of persons, places and organisations.

The register is one TEI file (``seeds/register.xml``): a ``standOff`` with
``listPerson``, ``listPlace`` and ``listOrg``.  Each entry has an ``@xml:id``,
one name of ``@type="preferred"`` and any number of ``variant`` and
``pseudonym`` names; a variant with ``@subtype="short"`` (``Kim``,
``Politburo``) is the entry's claim to be the default reading of a short form.
Places of ``@type="geog"`` are named (and referred to) with ``geogName``.

:func:`name_key` is the one normalisation used for lookups and by the name
tagger: case, white space, hyphens, apostrophes and diacritics do not count,
and spaced-out letters (``G R O M Y K O``) are read as one word.
"""

from __future__ import annotations

import copy
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import add, is_
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from .errors import InputError
from .model import TEI_NS, XML_NS
from .xmlio import parse

#: The register shipped with the edition.
DEFAULT_REGISTER_PATH = Path(__file__).resolve().parent.parent / "seeds" / "register.xml"

_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_KINDS = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}
_NAME_TAGS = {"persName", "placeName", "geogName", "orgName"}

#: A word (letters and digits, inner apostrophes allowed) or one punctuation
#: character.  Hyphens and white space separate tokens and are not tokens.
TOKEN_RE = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*|[^\w\s\-‐‑]")
#: Three single letters separated by single spaces (``G R O``), found from the
#: space after the first (a literal, which the engine finds quickly); the
#: look-behind checks the first letter and what precedes it.
_SPACED_LETTERS = re.compile(r" [^\W\d_] (?<=(?<!\w)[^\W\d_] [^\W\d_] )[^\W\d_](?!\w)")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})


def fold(text: str) -> str:
    """Strip diacritics and unify apostrophes, keeping case."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def token_key(token: str) -> str:
    """The comparison key of one token: folded, lower case, no apostrophes."""
    return fold(token).replace("'", "").casefold()


class Token(NamedTuple):
    """One token of a text: its offsets, its folded surface and its key."""

    start: int
    end: int
    raw: str  # folded surface, case kept, apostrophes removed
    key: str
    possessive: bool = False  # the word ends in 's / ’s

    @property
    def is_word(self) -> bool:
        return self.raw[:1].isalnum()


def tokenize(
    text: str, start: int = 0, end: int | None = None, keep: frozenset[str] | None = None
) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``.

    Runs of three or more single letters separated by single spaces
    (``S H T Y K O V``) become one token.  With ``keep``, a run of lower-case
    ASCII words not in ``keep`` becomes one filler token (raw ``~``) that no
    name contains: the tagger's fast path through ordinary prose.

    Cost: each token is an offset pair joined to the form of its text
    (:func:`_form`, remembered per text), all by ``map``, with no Python step
    per token; only new token texts and runs of filler words take one.
    """
    end = len(text) if end is None else end
    matches = list(TOKEN_RE.finditer(text, start, end))
    if not matches:
        return []
    raws = list(map(_GROUP, matches))
    cache = _forms(keep)
    forms = list(map(cache.get, raws))
    if None in forms:
        for i in compress(count(), map(is_, forms, repeat(None))):
            form = cache.get(raws[i])
            forms[i] = form if form is not None else cache.setdefault(raws[i], _form(raws[i], keep))
    out = list(map(_new, repeat(Token), map(add, map(_SPAN, matches), forms)))
    if keep is not None:
        out = _merge_fillers(out, forms)
    if not _SPACED_LETTERS.search(text, start, end):
        return out
    return _merge_spaced_letters(text, out)


_GROUP = re.Match.group
_SPAN = re.Match.span
_new = tuple.__new__  # NamedTuple's own __new__ is several times slower
_FILLER = ("~", "~", False)
_FILLER_RUN = re.compile(b"\x01\x01+")
#: The form (raw, key, possessive) of each token text seen, per ``keep`` set.
_FORMS: dict[frozenset[str] | None, dict[str, tuple[str, str, bool]]] = {}
_FORMS_LIMIT = 200_000  # token texts remembered per ``keep`` set


def _forms(keep: frozenset[str] | None) -> dict[str, tuple[str, str, bool]]:
    forms = _FORMS.get(keep)
    if forms is None or len(forms) > _FORMS_LIMIT:
        forms = _FORMS[keep] = {}
    return forms


def _form(raw: str, keep: frozenset[str] | None) -> tuple[str, str, bool]:
    """(raw, key, possessive) of one token text, or :data:`_FILLER`: a plain
    ASCII word keeps its case and is its own key in lower case; any other
    token is folded, loses the apostrophes inside words and notes a ``'s``."""
    if raw.isascii() and "'" not in raw:
        if keep is not None and raw[0].islower() and len(raw) > 1 and raw not in keep:
            return _FILLER
        return raw, raw.lower(), False
    raw = fold(raw)
    possessive = False
    if raw[:1].isalnum():
        possessive = len(raw) > 2 and raw[-2] == "'" and raw[-1] in "sS"
        raw = raw.replace("'", "")
    return raw, raw.casefold(), possessive


def _merge_fillers(tokens: list[Token], forms: list[tuple[str, str, bool]]) -> list[Token]:
    """Each run of two or more filler tokens as one (a lone one is one already)."""
    fillers = bytes(map(is_, forms, repeat(_FILLER)))
    out: list[Token] = []
    done = 0
    for run in _FILLER_RUN.finditer(fillers):
        first, stop = run.span()
        out += tokens[done:first]
        out.append(_new(Token, (tokens[first].start, tokens[stop - 1].end, "~", "~", False)))
        done = stop
    if not done:
        return tokens
    out += tokens[done:]
    return out


def _merge_spaced_letters(text: str, tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j + 1 < len(tokens)
            and _single_letter(tokens[j])
            and _single_letter(tokens[j + 1])
            and text[tokens[j].end : tokens[j + 1].start] == " "
        ):
            j += 1
        if j - i >= 2:
            raw = "".join(t.raw for t in tokens[i : j + 1])
            out.append(Token(tokens[i].start, tokens[j].end, raw, raw.casefold()))
            i = j + 1
        else:
            out.append(tokens[i])
            i += 1
    return out


def _single_letter(token: Token) -> bool:
    return len(token.raw) == 1 and token.raw.isalpha()


def name_key(text: str) -> str:
    """The normalised form of a name used for lookups."""
    return " ".join(t.key for t in tokenize(text))


@dataclass(frozen=True, slots=True)
class NameForm:
    """One name of an entry as written in the register."""

    text: str
    type: str  # preferred | variant | pseudonym
    short: bool = False  # @subtype="short": the entry's claim on a short form


@dataclass(frozen=True, slots=True)
class Entry:
    """One person, place or organisation of the register."""

    id: str
    kind: str  # person | place | org
    tag: str  # persName | placeName | geogName | orgName
    preferred: str
    variants: tuple[str, ...]  # every other name (variants and pseudonyms)
    element: etree._Element
    forms: tuple[NameForm, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.preferred, *self.variants)


class Register:
    """The entries of a register file, in register order."""

    def __init__(self, entries: Iterable[Entry], path: str = "<register>") -> None:
        self.path = path
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise InputError(path, entry.element.sourceline or 0,
                                 f"duplicate register id {entry.id!r}")
            self._entries[entry.id] = entry
        self._by_key: dict[str, list[Entry]] = {}
        for entry in self._entries.values():
            for form in entry.forms:
                bucket = self._by_key.setdefault(name_key(form.text), [])
                if entry not in bucket:
                    bucket.append(entry)

    @classmethod
    def load(cls, path: str | os.PathLike[str] = DEFAULT_REGISTER_PATH) -> Register:
        """Read a register file (safely); raise :class:`InputError` if malformed."""
        tree = parse(path)
        entries = []
        for kind, list_tag in _KINDS.items():
            for lst in tree.iter(_T + list_tag):
                for element in lst.iterchildren(_T + kind):
                    entries.append(_entry(element, kind, str(path)))
        if not entries:
            raise InputError(str(path), 1, "no listPerson/listPlace/listOrg entries found")
        return cls(entries, str(path))

    def __getitem__(self, entry_id: str) -> Entry:
        return self._entries[entry_id.removeprefix("#")]

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and entry_id.removeprefix("#") in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def lookup_all(self, name: str) -> list[Entry]:
        """Every entry that has ``name`` (normalised) among its names."""
        return list(self._by_key.get(name_key(name), ()))

    def lookup(self, name: str) -> Entry | None:
        """The entry a name stands for: the only one that has it, or the one
        that claims it as its short form; ``None`` if unknown or ambiguous."""
        found = self.lookup_all(name)
        if len(found) == 1:
            return found[0]
        key = name_key(name)
        claims = [e for e in found if any(f.short and name_key(f.text) == key for f in e.forms)]
        return claims[0] if len(claims) == 1 else None

    def standoff(self, ids: Iterable[str]) -> etree._Element:
        """A TEI ``<standOff>`` listing deep copies of the entries ``ids``
        (with or without ``#``), in register order, without empty lists.

        Raises ``KeyError`` naming the ids the register does not have.
        """
        wanted = {i.removeprefix("#") for i in ids}
        unknown = sorted(wanted - self._entries.keys())
        if unknown:
            raise KeyError(f"not in the register: {', '.join(unknown)}")
        standoff = etree.Element(_T + "standOff", nsmap={None: TEI_NS})
        for kind, list_tag in _KINDS.items():
            used = [e for e in self._entries.values() if e.kind == kind and e.id in wanted]
            if used:
                lst = etree.SubElement(standoff, _T + list_tag)
                lst.extend(copy.deepcopy(e.element) for e in used)
        return standoff


def _entry(element: etree._Element, kind: str, path: str) -> Entry:
    line = element.sourceline or 0
    entry_id = element.get(_XML_ID)
    if not entry_id:
        raise InputError(path, line, f"<{kind}> without xml:id")
    names = [
        c for c in element if isinstance(c.tag, str) and etree.QName(c).localname in _NAME_TAGS
    ]
    forms = tuple(
        NameForm(" ".join("".join(n.itertext()).split()), n.get("type", "variant"),
                 n.get("subtype") == "short")
        for n in names
    )
    preferred = [f.text for f in forms if f.type == "preferred"]
    if len(preferred) != 1:
        raise InputError(path, line, f"entry {entry_id!r} needs exactly one preferred name")
    if any(not f.text for f in forms):
        raise InputError(path, line, f"entry {entry_id!r} has an empty name")
    first = next(n for n in names if n.get("type") == "preferred")
    tag = etree.QName(first).localname if kind == "place" else _default_tag(kind)
    variants = tuple(f.text for f in forms if f.type != "preferred")
    return Entry(entry_id, kind, tag, preferred[0], variants, element, forms)


def _default_tag(kind: str) -> str:
    return "persName" if kind == "person" else "orgName"

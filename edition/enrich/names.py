"""Tag persons, places and organisations (``persName``/``placeName``/
``geogName``/``orgName``) against the register, and names the register does
not know.

Known names: every register name is tokenised with :func:`edition.register.tokenize`
into a token trie; each block is tokenised once and walked left to right,
taking the longest match (so ``Mao Anying`` beats ``Mao``, ``Korean People's
Army`` beats ``Korea``).  Matching ignores case, white space (line breaks
included), hyphens, apostrophes and diacritics, but a match must start with a
capital or a digit, and a register form written wholly in capitals
(``SU``, ``US``, ``CC``) matches only the same capitals.  A possessive ``'s``
stays outside the element; titles (``Comrade``, ``General``) are not part
of the match unless the register lists them.

Ambiguity: a form that several entries share (``Politburo``, ``CC``), or a
single-word person name that is also the first or last word of another
person's name (``Kim``, ``Mao``, ``Zhou``), is resolved per document.  If an
entry claims the form as its short form (``@subtype="short"``), it gets the
ref, with ``cert="low"`` when a rival (another entry sharing the form, or an
unknown name beginning with the word, ``Kim Chaek``) occurs in the same
document.  Without a claimant, the only candidate the document names
unambiguously gets the ref with ``cert="medium"``; with several, the most
frequent gets ``cert="low"``; with none, there is no ``@ref`` and
``cert="low"``.

Unknown names (no ``@ref``, ``cert="low"``, lower priority) are found from the
way the sources write names: a title followed by capitalised words
(``Comrade RAZUVAEV``, ``Generals Vasil'yev and Postnikov``), capitalised
words in telegrams that write names in capitals, and runs of two or three
capitalised words that are not common words; a following ``River``/``Army``
or a preceding ``in``/``near`` makes them places, rivers or organisations.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from ..model import (
    PRIORITY_NAME,
    PRIORITY_UNKNOWN_NAME,
    Block,
    Division,
    SourceDocument,
    Span,
    attrs,
)
from ..register import TOKEN_RE, Entry, Register, Token, name_key, tokenize

# --------------------------------------------------------------------------- #
# Word lists for unknown-name detection (general English and document words)
# --------------------------------------------------------------------------- #

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words(
    """comrade comrades cde comr com cmrd cmrds general generals gen ambassador premier
    chairman marshal admiral mr mrs ms dr president minister colonel col lieutenant lt
    captain capt major maj commander professor prof secretary"""
)
_FUNCTION = _words(
    """the a an and or but of in on at to for from by with without as is are was were be
    been this that these those it its he she they we you i me him her them us our your
    their his my who whom which what when where why how all any some each every no not nor
    if then so than there here after before during since until upon into onto over under
    between among about above below also only just still even yet one two three four five
    six seven eight nine ten first second third fourth fifth sixth seventh eighth ninth
    tenth last next other another such same many much more most few both either neither do
    does did done have has had will would shall should can could may might must let lets
    re dear"""
)
_DOCUMENT = _words(
    """document documents telegram telegrams cable letter letters memorandum note notes
    source sources page pages vol volume article articles chapter section appendix copy
    copies attachment decision extract minutes protocol distribution received sent typed
    deciphered submitted transmitted translator translation handwritten ciphered coded
    urgent extremely secret top information date dated original uploaded rights type
    language record related share download size main skip content tag hat tip photo caption
    subject file back see cited ibid continue read more link timeline text program common
    draft reply report resolution directive statement speech agreement treaty pact
    conference session meeting meetings campaign campaigns battle war wars offensive
    operation operations movement day week year years revolution plenum congress election
    elections crisis talks truce armistice ceasefire peace thesis bulletin journal review
    quarterly paper papers working studies history times press series edition dialogue
    interview analysis update claims shows intelligence data target"""
)
_COMMON = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday korean koreans chinese soviet soviets american americans russian
    russians japanese indian british french german vietnamese asian european western
    eastern northern southern north south east west central northeast northwest southeast
    southwest communist communists socialist nationalist nationalists imperialist
    imperialists democratic people peoples national international united new old great big
    little high low supreme deputy foreign internal general state states government party
    cold civil world third modern twentieth century crown prince holy red golden black
    white sino anglo english summer autumn winter spring ethnic overseas allied allies free
    fully well chief mutual military political public current early executive technical
    strategic return home border issue frontier goals stage notice affairs policies
    opinions advisers soldiers personnel friendship culture warfare science dragon pows pow
    mig migs"""
)
STOPWORDS = _FUNCTION | _DOCUMENT | _COMMON

ORG_KEYWORDS = _words(
    """army armies party committee commission council ministry university press agency
    bureau department corps division fleet command government office program programme
    archive archives front federation association league union assembly secretariat academy
    institute staff forces force navy embassy group regiment brigade battalion headquarters
    center centre society company bank administration directorate"""
)
GEOG_KEYWORDS = _words(
    "river lake reservoir sea strait bay mountain mountains mount valley peninsula gulf"
)
PLACE_KEYWORDS = _words(
    "island islands palace city province county village harbor harbour port town"
)
_PLACE_CUES = _words("in near at around towards toward")
_TYPE_KEYWORDS = GEOG_KEYWORDS | PLACE_KEYWORDS | ORG_KEYWORDS
#: lower-case words the unknown-name rules read (cues, joiners, keywords)
_CUE_WORDS = _PLACE_CUES | _TYPE_KEYWORDS | _DOCUMENT | _words("and")
_EVENT_WORDS = frozenset(_DOCUMENT) | frozenset(["pact", "campaign", "target"])
#: Endings of English common words, not of the names in these sources.
_WORD_ENDINGS = ("tion", "sion", "ness", "ment", "ity", "ism", "ics", "ive", "ous", "ance",
                 "ence", "ship", "ing", "ies", "ated", "ized", "ised")
_VOWELS = frozenset("aeiouy")


# --------------------------------------------------------------------------- #
# The trie of register names
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class _Form:
    entry: Entry
    raw: tuple[str, ...]  # folded tokens, case kept
    case_sensitive: bool


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    forms: list[_Form] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a matched key sequence can stand for."""

    candidates: tuple[str, ...]  # entry ids, register order
    default: str | None  # the claimant of the short form, if any
    tag: str

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class _Match(NamedTuple):
    """A register form found in a block (a tuple: made for every name)."""

    start: int
    end: int
    keys: tuple[str, ...]
    reading: _Reading
    surface: str
    block: int  # index of the block in document order


@dataclass(frozen=True, slots=True)
class _Mention:
    """A name given in full: a known entity, or (``entity`` None) a name the
    register lacks whose first word is ``word`` (``Kim Chaek``)."""

    start: int
    block: int
    entity: str | None
    word: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name the register does not know, as found in one document."""

    name: str
    tag: str
    count: int
    line: int
    context: str
    suggestion: str | None  # register id of the closest known name
    score: float  # difflib ratio of that suggestion (0 if none)


class NameTagger:
    """The ``names`` enricher: one pass over each block's tokens."""

    name = "names"

    def __init__(self, register: Register) -> None:
        self.register = register
        self._root = _Node()
        self._readings: dict[tuple[str, ...], _Reading] = {}
        self._build()
        #: lower-case words the matcher and the detector look at; others are filler
        self._keep = frozenset(self._lower_keys(self._root)) | _CUE_WORDS

    # -- building -------------------------------------------------------- #

    def _build(self) -> None:
        claims: dict[tuple[str, ...], list[tuple[Entry, bool]]] = {}
        edge_words: dict[str, set[str]] = {}  # first/last word -> person ids
        for entry in self.register:
            for form in entry.forms:
                tokens = tokenize(form.text)
                if not tokens:
                    continue
                keys = tuple(t.key for t in tokens)
                self._insert(keys, _Form(entry, tuple(t.raw for t in tokens),
                                         not any(c.islower() for c in form.text)))
                claims.setdefault(keys, []).append((entry, form.short))
                if entry.kind == "person" and len(keys) > 1 and form.type != "pseudonym":
                    words = [t.key for t in tokens if t.is_word and len(t.key) > 1]
                    for word in {words[0], words[-1]} if words else ():
                        edge_words.setdefault(word, set()).add(entry.id)
        order = {e.id: i for i, e in enumerate(self.register)}
        for keys, owners in claims.items():
            ids = {e.id for e, _ in owners}
            if len(keys) == 1 and owners[0][0].kind == "person":
                ids |= edge_words.get(keys[0], set())
            shorts = {e.id for e, short in owners if short}
            default = next(iter(ids)) if len(ids) == 1 else None
            if default is None:
                claimants = {e.id for e, _ in owners}
                default = next(iter(claimants)) if len(claimants) == 1 else None
                if default is None and len(shorts) == 1:
                    default = next(iter(shorts))
            self._readings[keys] = _Reading(tuple(sorted(ids, key=order.get)), default,
                                            owners[0][0].tag)

    @staticmethod
    def _lower_keys(node: _Node) -> Iterator[str]:
        for key, child in node.children.items():
            yield key
            yield from NameTagger._lower_keys(child)

    def _insert(self, keys: tuple[str, ...], form: _Form) -> None:
        node = self._root
        for key in keys:
            node = node.children.setdefault(key, _Node())
        node.forms.append(form)

    # -- matching -------------------------------------------------------- #

    def __call__(self, doc: SourceDocument) -> Iterable[Span]:
        with _gc_paused():
            return list(self._tag(doc))

    def _tag(self, doc: SourceDocument) -> Iterator[Span]:
        scopes = _block_scopes(doc.body)
        blocks = [tokenize(doc.text, b.start, b.end, self._keep) for b, _ in scopes]
        known = [m for k, toks in enumerate(blocks) for m in self._matches(toks, doc.text, k)]
        caps_names = any(
            self.register[m.reading.candidates[0]].kind == "person"
            and m.surface.isupper() and len(m.surface) > 3
            for m in known
        )
        known = [m for m in known if not self._starts_unknown_name(m, doc.text)]
        covered = _Coverage(known)
        unknown = [
            (k, span)
            for k, toks in enumerate(blocks)
            for span in _unknown_names(doc.text, toks, covered, caps_names)
        ]
        unknown += list(_recurrences(doc.text, blocks, unknown, covered))
        namesakes = [_Mention(s.start, k, None, _first_word_key(doc.text, s))
                     for k, s in unknown if s.tag == "persName"]
        yield from self._resolve(known, namesakes, [scope for _, scope in scopes], doc.text)
        yield from (span for _, span in unknown)

    def _starts_unknown_name(self, m: _Match, text: str) -> bool:
        """A one-word person form followed by another capitalised word
        (``Kim`` in ``Kim Chaek``) is the start of a name the register lacks."""
        if len(m.keys) != 1 or self.register[m.reading.candidates[0]].kind != "person":
            return False
        if text[m.end : m.end + 1] != " ":
            return False
        word = _first_token(text, m.end, min(len(text), m.end + 40))
        if word is None or word.start != m.end + 1:
            return False
        return word.raw.isalpha() and word.raw[0].isupper() and not _is_caps(word) \
            and word.key not in STOPWORDS and word.key not in self._root.children

    def _matches(self, tokens: list[Token], text: str, block: int) -> Iterator[_Match]:
        roots = self._root.children
        # heads: a known first word (or a possessive) beginning with a capital or a digit
        heads = [i for i, (_, _, raw, key, possessive) in enumerate(tokens)
                 if (key in roots or possessive) and (raw[:1].isupper() or raw[:1].isdigit())]
        after = 0  # the first token after the last match
        for i in heads:
            if i < after:
                continue
            found = self._longest(tokens, i)
            if found is None:
                continue
            j, keys, end = found
            yield _Match(tokens[i].start, end, keys, self._readings[keys],
                         text[tokens[i].start : end], block)
            after = j + 1

    def _longest(self, tokens: list[Token], i: int) -> tuple[int, tuple[str, ...], int] | None:
        """The longest register form starting at token ``i``:
        (index of its last token, its keys, end offset)."""
        first = tokens[i]
        if not (first.raw[:1].isupper() or first.raw[:1].isdigit()):
            return None
        best = None
        node = self._root
        keys: list[str] = []
        for j in range(i, len(tokens)):
            token = tokens[j]
            stem = _possessive_stem(token)
            if stem is not None and stem in node.children:
                hit = self._accept(node.children[stem], tokens[i:j], token, stem)
                if hit:
                    best = (j, (*keys, stem), token.end - 2)
            child = node.children.get(token.key)
            if child is None:
                break
            keys.append(token.key)
            node = child
            if node.forms and self._accept(node, tokens[i:j], token, None):
                best = (j, tuple(keys), token.end)
        return best

    @staticmethod
    def _accept(node: _Node, head: list[Token], last: Token, stem: str | None) -> bool:
        """Does any form ending at ``node`` admit these tokens' case?"""
        raws = [t.raw for t in head] + [last.raw[: len(stem)] if stem else last.raw]
        return any(not f.case_sensitive or tuple(raws) == f.raw for f in node.forms)

    # -- ambiguity ------------------------------------------------------- #

    def _resolve(self, matches: list[_Match], namesakes: list[_Mention], scopes: list[int],
                 text: str) -> Iterator[Span]:
        full = [_Mention(m.start, m.block, m.reading.candidates[0], "")
                for m in matches if not m.reading.ambiguous]
        authors = {m.start for m in matches if m.reading.ambiguous and _cited_author(m, text)}
        namesakes = namesakes + [_Mention(m.start, m.block, None, m.keys[0])
                                 for m in matches if m.start in authors]
        context = _Context(full + namesakes, scopes)
        for m in matches:
            if m.start in authors:
                ref, cert = None, "low"
            elif m.reading.ambiguous:
                ref, cert = context.choose(m)
            else:
                ref, cert = m.reading.candidates[0], None
            yield Span(m.start, m.end, m.reading.tag,
                       attrs(ref=f"#{ref}" if ref else None, cert=cert),
                       priority=PRIORITY_NAME, source=self.name)


class _Context:
    """Who a short form (``Kim``, ``Zhou``, ``Politburo``) stands for, from
    the names given in full around it.

    * A form an entry claims as its usual reference (``@subtype="short"``)
      stands for the document's dominant bearer: the claimant, unless another
      bearer is named in full more often (and at least twice) in the document.
    * An unclaimed form stands for the bearer most recently named in full in
      the same block (paragraph, item), else earlier in the same division;
      else for the bearer the document names most often (``cert="medium"`` if
      it is the only one, ``"low"`` if several); with none, no ``@ref``.

    ``cert="low"`` marks a reading when another bearer (a namesake the
    register lacks included, ``Kim Chaek``) was named in full in the same or
    the previous block: there the form stays ambiguous.
    """

    #: Full mentions another bearer needs to displace the claimant.
    DOMINANT = 2

    def __init__(self, mentions: list[_Mention], scopes: list[int]) -> None:
        self._scopes = scopes
        self._pending = sorted(mentions, key=lambda x: x.start)
        self._next = 0
        self._last: dict[str, _Mention] = {}  # bearer -> its latest full mention so far
        self._last_in: dict[tuple[str, int], _Mention] = {}  # (bearer, division) -> latest
        self._counts = Counter(x.entity for x in mentions if x.entity)

    @staticmethod
    def _key(mention: _Mention) -> str:
        return mention.entity or "?" + mention.word

    def _advance(self, offset: int) -> None:
        """Take in the full mentions before ``offset`` (matches come in text order)."""
        pending = self._pending
        while self._next < len(pending) and pending[self._next].start < offset:
            mention = pending[self._next]
            key = self._key(mention)
            self._last[key] = mention
            self._last_in[key, self._scopes[mention.block]] = mention
            self._next += 1

    def choose(self, m: _Match) -> tuple[str | None, str | None]:
        """(register id or None, cert or None) for one ambiguous match."""
        self._advance(m.start)
        keys = [*m.reading.candidates, *(("?" + m.keys[0],) if len(m.keys) == 1 else ())]
        last = [x for k in keys if (x := self._last.get(k)) is not None]
        same = max((x for x in last if x.block == m.block), key=lambda x: x.start, default=None)
        recent = {x.entity for x in last if x.block >= m.block - 1}
        claimant = m.reading.default
        if claimant:
            ref = self._dominant_over(claimant, m.reading.candidates)
        elif same is not None:
            ref = same.entity
        else:
            scope = self._scopes[m.block]
            earlier = [x for k in keys if (x := self._last_in.get((k, scope))) is not None]
            if not earlier:
                return self._dominant(m)
            ref = max(earlier, key=lambda x: x.start).entity
        return ref, "low" if recent - {ref} else None

    def _dominant_over(self, claimant: str, candidates: tuple[str, ...]) -> str:
        best = max(candidates, key=self._counts.__getitem__)
        count = self._counts[best]
        return best if count >= self.DOMINANT and count > self._counts[claimant] else claimant

    def _dominant(self, m: _Match) -> tuple[str | None, str | None]:
        present = [c for c in m.reading.candidates if self._counts[c]]
        if not present:
            return None, "low"
        best = max(present, key=self._counts.__getitem__)
        return best, "medium" if len(present) == 1 else "low"


_AUTHOR_DATE = re.compile(r"\s?\((?:1[89]|20)\d\d[a-z]?\)")


def _cited_author(m: _Match, text: str) -> bool:
    """A one-word short form in an author-date citation (``Kim (2016)``) names
    a scholar, not the statesman the form usually stands for."""
    return len(m.keys) == 1 and bool(_AUTHOR_DATE.match(text, m.end))


def _block_scopes(body: Division) -> list[tuple[Block, int]]:
    """Every block in document order with the number of its innermost division."""
    out: list[tuple[Block, int]] = []
    counter = 0

    def walk(division: Division) -> None:
        nonlocal counter
        mine = counter
        counter += 1
        for child in division.children:
            if isinstance(child, Division):
                walk(child)
            else:
                out.append((child, mine))

    walk(body)
    return out


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: tagging makes hundreds of
    thousands of small tuples and no cycles, and the collector's passes over
    them cost a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _first_token(text: str, start: int, end: int) -> Token | None:
    """The first token of ``text[start:end]`` (tokenising just one word when it can)."""
    m = TOKEN_RE.search(text, start, end)
    if m is None:
        return None
    if len(m.group()) == 1:  # could begin spaced-out letters (``K I M``)
        tokens = tokenize(text, start, end)
        return tokens[0] if tokens else None
    return tokenize(text, m.start(), m.end())[0]


def _possessive_stem(token: Token) -> str | None:
    """The key without a possessive ``'s`` (``Kim's`` -> ``kim``), if any."""
    return token.key[:-1] if token.possessive else None


_KEY = attrgetter("key")


def _first_word_key(text: str, span: Span) -> str:
    words = [t.key for t in tokenize(text, span.start, span.end) if t.is_word]
    return words[0] if words else ""


# --------------------------------------------------------------------------- #
# Unknown names
# --------------------------------------------------------------------------- #


class _Coverage:
    """Which offsets are already inside a known name."""

    def __init__(self, matches: list[_Match]) -> None:
        self._inside: set[int] = set()
        for m in matches:
            self._inside.update(range(m.start, m.end))

    def __contains__(self, offset: int) -> bool:
        return offset in self._inside


#: A name found in a block: its first and last token, its element.
_Found = tuple[int, int, str]
#: A rule tried at one capitalised token: where the next try may begin, and what it found.
_Attempt = Callable[[int], tuple[int, list[_Found]]]


def _unknown_names(
    text: str, tokens: list[Token], covered: _Coverage, caps_names: bool
) -> Iterator[Span]:
    taken: set[int] = set()  # token indices already used
    starts = _capitalised(tokens)
    # Each rule is tried only where it can find something: at a title, or at
    # a capitalised word that may be (part of) a name; elsewhere a try finds
    # nothing and lets the next try begin at the next capitalised token.
    titles = [i for i in starts if tokens[i].key in TITLES]
    named = [i for i in starts
             if tokens[i].key not in _NOT_NAMES and tokens[i].start not in covered]
    rules = [(titles, _after_title), (named, _capitals), (named, _capitalised_run)]
    for tried, rule in rules if caps_names else rules[::2]:
        for first, last, tag in _from_starts(tried, partial(rule, text, tokens, covered)):
            if taken.intersection(range(first, last + 1)):
                continue
            taken.update(range(first, last + 1))
            end = _end_without_possessive(tokens[last])
            if not tokens[last].possessive:
                end = _with_hyphen_tail(text, end)
            yield _unknown_span(tokens[first].start, end, tag)


def _from_starts(starts: list[int], attempt: _Attempt) -> Iterator[_Found]:
    """Try a rule at each of ``starts`` that its previous tries did not take in."""
    resume = 0
    for i in starts:
        if i >= resume:
            resume, found = attempt(i)
            yield from found


def _unknown_span(start: int, end: int, tag: str) -> Span:
    return Span(start, end, tag, attrs(cert="low"), priority=PRIORITY_UNKNOWN_NAME,
                source="names")


_HYPHEN_TAIL = re.compile(r"[-‐‑][a-z]+(?![\w'’])")


def _with_hyphen_tail(text: str, end: int) -> int:
    """Take in a lower-case syllable hyphenated to a name (``Cho Man-sik``)."""
    m = _HYPHEN_TAIL.match(text, end)
    return m.end() if m else end


def _recurrences(text: str, blocks: list[list[Token]], found: list[tuple[int, Span]],
                 covered: _Coverage) -> Iterator[tuple[int, Span]]:
    """Further occurrences of the unknown names found by their context
    (``Kanggye`` after ``in``) elsewhere in the document, same element."""
    forms: dict[tuple[str, ...], str] = {}
    for _, span in found:
        keys = tuple(t.key for t in tokenize(text, span.start, span.end))
        if keys:
            forms.setdefault(keys, span.tag)
    firsts = {keys[0] for keys in forms}
    inside = {offset for _, span in found for offset in range(span.start, span.end)}
    longest = max((len(" ".join(keys)) for keys in forms), default=0) + 8
    for k, tokens in enumerate(blocks):
        for token in compress(tokens, map(firsts.__contains__, map(_KEY, tokens))):
            if not token.raw[:1].isupper() or token.start in covered or token.start in inside:
                continue
            ahead = tokenize(text, token.start, min(len(text), token.start + longest))
            for n in (3, 2, 1):
                keys = tuple(t.key for t in ahead[:n])
                if len(keys) == n and keys in forms:
                    last = ahead[n - 1]
                    span = _unknown_span(token.start, _end_without_possessive(last), forms[keys])
                    inside.update(range(span.start, span.end))
                    yield k, span
                    break


def _end_without_possessive(token: Token) -> int:
    return token.end - 2 if token.possessive else token.end


#: Words that are never (part of) an unknown name.
_NOT_NAMES = STOPWORDS | TITLES | ORG_KEYWORDS | GEOG_KEYWORDS | PLACE_KEYWORDS


def _is_name_word(token: Token, covered: _Coverage) -> bool:
    raw = token.raw
    return (
        len(raw) > 1
        and raw[0].isupper()
        and raw.isalpha()
        and token.start not in covered
        and token.key not in _NOT_NAMES
    )


def _is_caps(token: Token) -> bool:
    return token.raw.isupper() and token.raw.isalpha()


def _after_title(text: str, tokens: list[Token], covered: _Coverage,
                 i: int) -> tuple[int, list[_Found]]:
    """``Comrade X``, ``Cmrds. X, Y and Z``: the names after a title."""
    token = tokens[i]
    if not (token.key in TITLES and token.start not in covered):
        return i, []
    found = []
    j = i + 1
    if j < len(tokens) and tokens[j].raw == ".":
        j += 1
    while j < len(tokens):
        group = _name_group(tokens, j, covered)
        if group:
            found.append((j, group - 1, "persName"))
            j = group
        elif tokens[j].start in covered and tokens[j].is_word:
            j = _skip_covered(tokens, j, covered)
        else:
            break
        if j + 1 < len(tokens) and tokens[j].key in {",", "and"} \
                and "\n" not in text[tokens[j - 1].end : tokens[j + 1].start]:
            j += 1
            continue
        break
    return max(j, i + 1), found


def _capitalised(tokens: list[Token]) -> list[int]:
    """Indices of the tokens that begin with a capital letter."""
    return [i for i, t in enumerate(tokens) if t[2][:1].isupper()]  # t.raw, fast


def _skip_covered(tokens: list[Token], j: int, covered: _Coverage) -> int:
    while j < len(tokens) and tokens[j].start in covered:
        j += 1
    return j


def _name_group(tokens: list[Token], j: int, covered: _Coverage) -> int:
    """End index (exclusive) of 1-3 name words (initials allowed) from ``j``, or 0."""
    k = j
    words = 0
    while k < len(tokens) and words < 3:
        token = tokens[k]
        if len(token.raw) == 1 and token.raw.isupper() and k + 1 < len(tokens) \
                and tokens[k + 1].raw == ".":
            k += 2  # an initial
            continue
        if not _is_name_word(token, covered):
            break
        words += 1
        k += 1
    return k if words else 0


def _capitals(text: str, tokens: list[Token], covered: _Coverage,
              i: int) -> tuple[int, list[_Found]]:
    """Names in capitals in a text that writes names so (telegrams)."""
    k = i
    while k < len(tokens) and k - i < 3 and _is_caps(tokens[k]) \
            and _is_name_word(tokens[k], covered) and _looks_pronounceable(tokens[k].raw):
        k += 1
    if k > i and sum(len(t.raw) for t in tokens[i:k]) >= 4 \
            and not _line_is_capitals(text, tokens[i].start) \
            and not _in_url(text, tokens[i]):
        return k, [(i, k - 1, _cue_tag(tokens, i, k - 1, default="persName"))]
    return i, []


def _capitalised_run(text: str, tokens: list[Token], covered: _Coverage,
                     i: int) -> tuple[int, list[_Found]]:
    """Two or three capitalised, uncommon words: a person; one capitalised
    word after ``in``/``near``/``at``: a place (or a river, a body, by the word
    after it).  Longer capitalised runs are titles, not names."""
    k = i
    while k < len(tokens) and _is_run_word(tokens[k], covered) \
            and _adjacent(text, tokens, i, k):
        k += 1
    found: list[_Found] = []
    keyword = tokens[k] if k < len(tokens) and k > i else None
    if keyword and keyword.key in _TYPE_KEYWORDS and keyword.raw[0].isupper() \
            and k - i <= 3 and _adjacent(text, tokens, i, k) \
            and _is_free_name(text, tokens, i, k + 1):
        found.append((i, k, _cue_tag(tokens, i, k - 1, default="persName")))
        k += 1
    elif 2 <= k - i <= 3 and _is_free_name(text, tokens, i, k):
        found.append((i, k - 1, "persName"))
    elif k - i == 1 and _after_place_cue(text, tokens, i) and _is_free_name(text, tokens, i, k):
        found.append((i, i, _cue_tag(tokens, i, i, default="placeName")))
    return max(k, i + 1), found


def _is_run_word(token: Token, covered: _Coverage) -> bool:
    return _is_name_word(token, covered) and not _is_caps(token) \
        and not (len(token.raw) > 5 and token.key.endswith(_WORD_ENDINGS))


def _is_free_name(text: str, tokens: list[Token], i: int, k: int) -> bool:
    """Not in a heading or a URL, not followed by an event word, not glued to
    more capitalised words (titles of works)."""
    after = tokens[k] if k < len(tokens) else None
    if _quoted(text, tokens[i].start) or _follows_name(text, tokens, i):
        return False
    if after is not None and (after.key in _EVENT_WORDS or (
            after.raw[:1].isupper() and after.is_word and _adjacent(text, tokens, k - 1, k))):
        return False
    return not _line_is_heading(text, tokens[i].start) and not _in_url(text, tokens[i])


def _quoted(text: str, start: int) -> bool:
    """Opens a quotation (``"The Philippine Sea"``): a title or a ship, not a name."""
    before = text[max(0, start - 5) : start].rstrip()
    before = before.removesuffix("The").rstrip()
    return before.endswith(('"', "“", "'", "‘"))


def _follows_name(text: str, tokens: list[Token], i: int) -> bool:
    """Continues a capitalised word just before it (``Wilson Center Digital Archive``)."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    return prev.raw[:1].isupper() and prev.key not in STOPWORDS \
        and text[prev.end : tokens[i].start] == " "


def _after_place_cue(text: str, tokens: list[Token], i: int) -> bool:
    if i == 0:
        return False
    cue = tokens[i - 1]
    gap = text[cue.end : tokens[i].start]
    return cue.key in _PLACE_CUES and cue.raw.islower() and gap.isspace()


def _in_url(text: str, token: Token) -> bool:
    start = max(text.rfind(" ", 0, token.start), text.rfind("\n", 0, token.start)) + 1
    end = min((p for p in (text.find(" ", token.end), text.find("\n", token.end)) if p >= 0),
              default=len(text))
    chunk = text[start:end]
    return "@" in chunk or "://" in chunk or "www." in chunk


def _adjacent(text: str, tokens: list[Token], i: int, k: int) -> bool:
    """Token ``k`` follows ``k-1`` on the same line, separated by spaces only."""
    if k == i:
        return True
    gap = text[tokens[k - 1].end : tokens[k].start]
    return gap.strip() == "" and "\n" not in gap


def _cue_tag(tokens: list[Token], i: int, last: int, default: str) -> str:
    after = tokens[last + 1].key if last + 1 < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else None
    if after in GEOG_KEYWORDS:
        return "geogName"
    if after in ORG_KEYWORDS:
        return "orgName"
    if after in PLACE_KEYWORDS or (before and before.key in _PLACE_CUES
                                   and before.raw.islower()):
        return "placeName"
    return default


def _looks_pronounceable(word: str) -> bool:
    """Not an acronym: enough vowels for its length (``BUGTKHENG`` yes, ``CWIHP`` no)."""
    vowels = sum(c in _VOWELS for c in word.lower())
    return len(word) >= 3 and vowels / len(word) >= (0.2 if len(word) >= 7 else 0.34)


def _line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    """The words around ``text[start:end]`` on its line, at most ``width``
    characters each side, white space collapsed, cuts marked with an ellipsis."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = max(line_start, start - width)
    right = min(line_end, end + width)
    if left > line_start:
        left = text.find(" ", left, start) + 1 or left
    if right < line_end:
        cut = text.rfind(" ", end, right)
        right = cut if cut > 0 else right
    snippet = " ".join(text[left:right].split())
    return ("… " if left > line_start else "") + snippet + (" …" if right < line_end else "")


def _line_is_capitals(text: str, offset: int) -> bool:
    line = _line_of(text, offset)
    return not any(c.islower() for c in line)


def _line_is_heading(text: str, offset: int) -> bool:
    """A line whose longer words are (nearly) all capitalised: a title."""
    return _is_heading(_line_of(text, offset))


@functools.lru_cache(maxsize=4096)
def _is_heading(line: str) -> bool:
    words = [t for t in tokenize(line) if t.is_word and len(t.raw) > 3]
    if len(words) < 2:
        return False
    capitalised = sum(w.raw[0].isupper() for w in words)
    return capitalised / len(words) >= 0.8


# --------------------------------------------------------------------------- #
# Candidates report
# --------------------------------------------------------------------------- #


def find_candidates(doc: SourceDocument, register: Register) -> list[Candidate]:
    """Names the tagger found but the register does not know, most frequent
    first, each with the closest register name (difflib) as a suggestion."""
    tagger = NameTagger(register)
    spans = [s for s in tagger(doc) if s.priority == PRIORITY_UNKNOWN_NAME]
    groups: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        name = " ".join(doc.text[span.start : span.end].split())
        groups.setdefault((name, span.tag), []).append(span)
    known = {name_key(n): e.id for e in register for n in e.names}
    out = []
    for (name, tag), found in groups.items():
        first = min(found, key=lambda s: s.start)
        suggestion, score = _suggest(name, known)
        out.append(Candidate(name, tag, len(found), doc.line_of(first.start),
                             _context(doc.text, first.start, first.end), suggestion, score))
    out.sort(key=lambda c: (-c.count, c.line, c.name))
    return out


def _suggest(name: str, known: dict[str, str]) -> tuple[str | None, float]:
    key = name_key(name)
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    if not close:
        return None, 0.0
    return known[close[0]], round(difflib.SequenceMatcher(None, key, close[0]).ratio(), 3)

"""The apparatus already in the source: square-bracket interpolations by a
translator or an earlier editor, and the artefacts of a machine translation.

Brackets are source text (ENCODING.md §6): they stay as text and are marked
for what they are, the brackets inside the element:

* ``[Stalin]``, ``[his]``, ``M[inistry of]``, ``5.7.50 [5 July 1950]``:
  ``supplied`` with ``@resp`` (the translator, or the source's editor);
* ``[Translator's note: …]``: ``seg type="translatorNote"`` (``editorNote``
  for an editor's note), ``[Handwritten: …]``: ``seg type="handwritten"``,
  ``[sic]``/``[sic-October]``: ``seg type="sic"``, ``8 [7] October``:
  ``seg type="correction"``, ``[signature]``, ``[[one word off the page]]``:
  ``seg type="description"``, ``[…]``, ``[Excerpt]``: ``seg type="omission"``;
* ``[nastuplenie]`` (a transliterated term of the original):
  ``seg type="originalTerm"`` holding ``foreign xml:lang="ru-Latn"``;
* ``[China File]`` closing a quoted passage: ``bibl type="attribution"``;
* ``[Source: APRF, fond …]`` and other archival brackets are left to the
  structure (``ab type="source"``) and the archival enricher.

Unbalanced brackets are reported, not guessed.  Machine-translation
artefacts are found by a small table of patterns (:data:`MT_RULES`) and get
``sic`` with an editorial ``corr`` or note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import (
    RESP_EDITORS,
    RESP_SOURCE_EDITOR,
    RESP_TRANSLATOR,
    Addition,
    Attrs,
    SourceDocument,
    Span,
    apparatus_span,
    attrs,
)

#: What may nest inside a bracket: names, dates, references, other brackets.
INNER_TAGS = frozenset(
    {
        "persName",
        "placeName",
        "geogName",
        "orgName",
        "roleName",
        "date",
        "num",
        "bibl",
        "idno",
        "citedRange",
        "ref",
        "seg",
        "supplied",
        "foreign",
        "sic",
    }
)


@dataclass(frozen=True, slots=True)
class Bracket:
    """A bracketed stretch ``[…]`` (or ``[[…]]``); offsets into the text."""

    start: int  # the first '['
    end: int  # after the last ']'
    depth: int  # 0 for a bracket not inside another
    double: bool = False

    @property
    def inner(self) -> tuple[int, int]:
        width = 2 if self.double else 1
        return self.start + width, self.end - width


_BRACKET = re.compile(r"[\[\]]")


def find_brackets(
    text: str, start: int = 0, end: int | None = None
) -> tuple[list[Bracket], list[tuple[int, str]]]:
    """The brackets of ``text[start:end]`` and the unbalanced ones as
    ``(offset, message)``; ``[[x]]`` counts as one double bracket."""
    end = len(text) if end is None else end
    stack: list[int] = []
    pairs: list[tuple[int, int, int]] = []
    errors: list[tuple[int, str]] = []
    for match in _BRACKET.finditer(text, start, end):
        i = match.start()
        if text[i] == "[":
            stack.append(i)
        elif stack:
            opened = stack.pop()
            pairs.append((opened, i + 1, len(stack)))
        else:
            errors.append((i, "']' without an opening '['"))
    errors += [(i, "'[' is never closed") for i in stack]
    return _merge_doubles(pairs), sorted(errors)


def _merge_doubles(pairs: list[tuple[int, int, int]]) -> list[Bracket]:
    """Brackets from matched pairs, ``[[…]]`` as one; a bracket's depth is
    the number of brackets around it.  The pairs come from a stack, so they
    nest (never cross): the brackets open around one are those still open
    where it begins, and one sweep in text order counts them."""
    extents = {(a, b) for a, b, _ in pairs}
    kept = sorted((a, b) for a, b in extents if (a - 1, b + 1) not in extents)
    out = []
    open_ends: list[int] = []  # ends of the brackets around the current one, innermost last
    for a, b in kept:
        while open_ends and open_ends[-1] <= a:
            open_ends.pop()
        out.append(Bracket(a, b, len(open_ends), (a + 1, b - 1) in extents))
        open_ends.append(b)
    return out


# -- classification -------------------------------------------------------------

_NOTE_LABEL = re.compile(
    r"^(?P<who>translator|translators|trans\.|tr\.|editor|editors|ed\.)(?:['’]s)?\s+note\b",
    re.IGNORECASE,
)
_HANDWRITTEN = re.compile(
    r"^(?:handwritten|handwriting|hand-written|manuscript note|marginal note|in the margin)\b",
    re.IGNORECASE,
)
_SIC = re.compile(r"^sic\b", re.IGNORECASE)
_SOURCE = re.compile(r"^sources?\s*:|\b(?:fond|f\.)\s*\d+\w*\b.*\b(?:opis|op\.)", re.IGNORECASE)
_OMISSION = re.compile(r"^(?:\.{3}|…|excerpts?|omitted|text omitted|omission|abridged)$", re.I)
_DESCRIPTION = re.compile(
    r"^(?:signature|signed|seal|stamp|initials|illegible|unreadable|unclear|blank)$"
    r"|off the page|illegible|crossed out|struck through|torn|words? missing",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\d+$")
_ENDS_WITH_NUMBER = re.compile(r"\d\s*$")
_SIGNED = re.compile(r"\s[-–—]\s*(?P<initials>[A-Z]{2,4})\s*$")
_TITLE_WORDS = re.compile(
    r"^[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|the|and|for|on|in|de|du|la))*$"
)
_SENTENCE_END = re.compile(r"[.!?”\"’)]\s+$")

_ENGLISH_FUNCTION_WORDS = (
    "a an the of and or to in on at by for from with as is was be been are were it its "
    "he she his her him they them their we us our you your i me my this that these those "
    "not no but if then than so"
)
_ENGLISH_WORDS = frozenset(_ENGLISH_FUNCTION_WORDS.split())
# Features of Russian in scholarly (Library of Congress-like) transliteration.
_RU_FEATURES = re.compile(
    r"[a-z]['ʹ][a-z]|kh|zh|shch|ts[aeiouy]|(?:iya|ie|nik|stvo|ogo|ykh|yi|oi|ii|iy|aya|oye|yy"
    r"|sya|ost)\b"
)
_TRANSLIT_DETECTORS = {"ru": _RU_FEATURES}


def looks_transliterated(words: str, language: str) -> bool:
    """True if ``words`` (lower case, 1-4 words) read as a transliterated term
    of ``language`` rather than English."""
    features = _TRANSLIT_DETECTORS.get(language)
    tokens = words.split()
    if features is None or not 1 <= len(tokens) <= 4:
        return False
    if not all(re.fullmatch(r"[a-z]+(?:['ʹ][a-z]+)*", t) for t in tokens):
        return False
    if any(t in _ENGLISH_WORDS for t in tokens if len(t) > 1):
        return False
    long = [t for t in tokens if len(t) >= 3]
    return bool(long) and 2 * sum(bool(features.search(t)) for t in long) >= len(long)


@dataclass(frozen=True, slots=True)
class _Context:
    """What classification needs to know about the document."""

    text: str
    block_end: int
    resp: str
    language: str  # the original's language ("ru"), "" if unknown
    translator_initials: frozenset[str]


def _initials(name: str | None) -> frozenset[str]:
    """``Alexandre Y. Mansourov`` -> {"AYM", "AM"}."""
    parts = [p for p in re.split(r"[\s.]+", name or "") if p[:1].isalpha()]
    if len(parts) < 2:
        return frozenset()
    letters = [p[0].upper() for p in parts]
    return frozenset({"".join(letters), letters[0] + letters[-1]})


def _seg(br: Bracket, kind: str, resp: str | None) -> Span:
    return _span(br.start, br.end, "seg", attrs(type=kind, resp=resp))


def _span(start: int, end: int, tag: str, attributes: Attrs = (), **extra: Any) -> Span:
    return apparatus_span(start, end, tag, attributes, INNER_TAGS, "apparatus", **extra)


def classify(br: Bracket, ctx: _Context) -> list[Span]:
    """The spans for one bracket (none for archival source brackets)."""
    a, b = br.inner
    content = ctx.text[a:b].strip()
    if _SOURCE.search(content):
        return []
    label = _NOTE_LABEL.match(content)
    if label:
        editor = label.group("who").lower().startswith("ed")
        resp = RESP_SOURCE_EDITOR if editor else RESP_TRANSLATOR
        return [_seg(br, "editorNote" if editor else "translatorNote", resp)]
    for pattern, kind in (
        (_HANDWRITTEN, "handwritten"),
        (_SIC, "sic"),
        (_OMISSION, "omission"),
        (_DESCRIPTION, "description"),
    ):
        if pattern.search(content):
            return [_seg(br, kind, ctx.resp)]
    before = ctx.text[max(0, br.start - 12) : br.start]
    if _NUMBER.match(content) and _ENDS_WITH_NUMBER.search(before):
        return [_seg(br, "correction", ctx.resp)]
    if looks_transliterated(content, ctx.language):
        lang = f"{ctx.language}-Latn"
        return [
            _seg(br, "originalTerm", ctx.resp),
            _span(a, b, "foreign", attrs(xml_lang=lang)),
        ]
    if _is_attribution(br, content, ctx):
        return [_span(br.start, br.end, "bibl", attrs(type="attribution"))]
    return [_span(br.start, br.end, "supplied", attrs(resp=_signed_resp(content, ctx)))]


def _is_attribution(br: Bracket, content: str, ctx: _Context) -> bool:
    """A title-cased bracket closing a block after a finished sentence:
    the source of a quoted passage (``… States.  [Free Beacon]``)."""
    if br.depth or ctx.text[br.end : ctx.block_end].strip():
        return False
    before = ctx.text[max(0, br.start - 4) : br.start]
    words = content.split()
    return (
        bool(_SENTENCE_END.search(before))
        and 1 <= len(words) <= 6
        and not any(ch.isdigit() for ch in content)
        and bool(_TITLE_WORDS.match(content))
    )


def _signed_resp(content: str, ctx: _Context) -> str:
    """``[cable to Shtykov - AM]``: signed by the translator's initials or by
    someone else (the source's editor)."""
    signed = _SIGNED.search(content)
    if signed is None:
        return ctx.resp
    return (
        RESP_TRANSLATOR
        if signed.group("initials") in ctx.translator_initials
        else (RESP_SOURCE_EDITOR)
    )


# -- machine-translation artefacts ----------------------------------------------


@dataclass(frozen=True, slots=True)
class MTRule:
    """A recurrent error of machine translation: ``pattern`` (group ``sic``
    if only part of the match is the error), the editors' correction (a
    ``re`` template, or ``None`` for a note only), certainty, the note, and
    the original languages it applies to (``None``: any)."""

    pattern: re.Pattern[str]
    corr: str | None
    cert: str
    note: str
    languages: frozenset[str] | None = None


MT_RULES: tuple[MTRule, ...] = (
    MTRule(
        re.compile(r"\b(?P<sic>(?P<word>[A-Za-z]+) s)\b(?=\s+\w)"),
        r"\g<word>'s",
        "high",
        "The machine translation dropped the apostrophe of the possessive.",
    ),
    MTRule(
        re.compile(r"^(?P<sic>Copywrit(?:er|ing) \d+:)", re.MULTILINE),
        None,
        "high",
        "A drafting label of the Chinese article (文案, 'copy, draft text'), rendered by the "
        "machine translation as if it were a person; not part of the narrative.",
        frozenset({"zh"}),
    ),
    MTRule(
        re.compile(r"\b(?P<sic>clapstick)\s+meeting\b"),
        "decision-making",
        "medium",
        "Literal machine translation of 拍板 ('to clap the boards'), i.e. to take the final "
        "decision.",
        frozenset({"zh"}),
    ),
    MTRule(
        re.compile(r"\b(?P<sic>Siye)\b"),
        "the Fourth Field Army",
        "high",
        "Siye is the pinyin of 四野, the usual short form of 第四野战军, the Fourth Field Army, "
        "to which the 13th Army Group belonged.",
        frozenset({"zh"}),
    ),
)


def is_machine_translation(doc: SourceDocument) -> bool:
    flag = _conventions(doc).get("machine_translation", "").lower()
    return flag in {"yes", "true"} or "machine translation" in (doc.meta.translator or "").lower()


def mt_spans(doc: SourceDocument, rules: Iterable[MTRule] = MT_RULES) -> Iterator[Span]:
    """``sic`` spans (with ``corr`` or note) for the artefacts of ``rules``."""
    language = _conventions(doc).get("original_language", "")
    for rule in rules:
        if rule.languages is not None and language not in rule.languages:
            continue
        for match in rule.pattern.finditer(doc.text):
            yield _mt_span(match, rule)


def _mt_span(match: re.Match[str], rule: MTRule) -> Span:
    start, end = match.span("sic")
    if rule.corr is None:
        note = Addition("note", attrs(type="editorial", resp=RESP_EDITORS), (rule.note,))
        return _span(start, end, "sic", note=note)
    corr = match.expand(rule.corr)
    return _span(
        start,
        end,
        "sic",
        choice=Addition("corr", attrs(resp=RESP_EDITORS, cert=rule.cert), (corr,)),
        note=Addition("note", attrs(type="correction", resp=RESP_EDITORS), (rule.note,)),
    )


# -- the enricher ---------------------------------------------------------------


def _conventions(doc: SourceDocument) -> Mapping[str, str]:
    return {**doc.meta.conventions, **doc.conventions}


def bracket_resp(doc: SourceDocument) -> str:
    """Whose brackets: convention ``bracket_resp`` (``translator`` or
    ``source-editor``); by default the translator of a translated text."""
    conv = _conventions(doc)
    choice = conv.get("bracket_resp")
    if choice:
        return RESP_SOURCE_EDITOR if choice == "source-editor" else RESP_TRANSLATOR
    translated = doc.meta.translator or conv.get("original_language")
    return RESP_TRANSLATOR if translated else RESP_SOURCE_EDITOR


class ApparatusTagger:
    """Enricher: the source's own bracketed apparatus and, in a machine
    translation, its recognisable artefacts."""

    name = "apparatus"

    def __init__(self, mt_rules: Iterable[MTRule] = MT_RULES) -> None:
        self.mt_rules = tuple(mt_rules)

    def __call__(self, doc: SourceDocument) -> list[Span]:
        spans: list[Span] = []
        language = _conventions(doc).get("original_language", "").split("-")[0]
        resp = bracket_resp(doc)
        initials = _initials(doc.meta.translator)
        for start, end in _block_extents(doc):
            brackets, errors = find_brackets(doc.text, start, end)
            for offset, message in errors:
                doc.report(offset, f"unbalanced bracket: {message}")
            ctx = _Context(doc.text, end, resp, language, initials)
            for br in brackets:
                spans += classify(br, ctx)
        if is_machine_translation(doc):
            spans += mt_spans(doc, self.mt_rules)
        return spans


def _block_extents(doc: SourceDocument) -> list[tuple[int, int]]:
    extents = sorted({(b.start, b.end) for b in doc.blocks()})
    return extents or [(0, len(doc.text))]

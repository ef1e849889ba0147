"""Shared segmentation helpers for the source profiles.

A profile cuts its text into :class:`Line` objects (stripped, with offsets),
labels every line by its shape and cue words, and groups labelled lines into
:class:`~edition.model.Block` objects.  A block is always a run of whole
lines, so blocks never cut a word, never overlap and, as every non-blank
line gets a label, together cover every non-whitespace character.

The archival-document reader (:func:`read_document`) is shared by every
profile that meets telegrams, letters and memoranda: header lines, salutes,
datelines, signatures, numbered points, documents quoted inside documents
and attachments after a document's closing lines.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Block, Division, DocumentMeta
from ..months import ISO_DATE, MONTH_NAME, NUMERIC_DATE

# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line: offsets of its stripped text in the source."""

    start: int
    end: int
    text: str
    blank_before: bool  # a blank line or the start of the region precedes it


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The non-blank lines of ``text[start:end]``, stripped, with offsets."""
    end = len(text) if end is None else end
    out: list[Line] = []
    pos, blank = start, True
    for raw in text[start:end].splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            first = pos + len(raw) - len(raw.lstrip())
            out.append(Line(first, first + len(stripped), stripped, blank))
            blank = False
        else:
            blank = True
        pos += len(raw)
    return out


def blank_after(lines: Sequence[Line], i: int) -> bool:
    """True if line ``i`` is the last one or a blank line follows it."""
    return i + 1 >= len(lines) or lines[i + 1].blank_before


@dataclass(frozen=True, slots=True)
class Label:
    """What a line is: the block element, its ``@type`` and ``@n``."""

    kind: str
    type: str | None = None
    n: str | None = None


P = Label("p")
HEAD = Label("head")
QUOTE = Label("quote")  # a line inside a quoted document (not a block kind)


def ab(type_: str, n: str | None = None) -> Label:
    return Label("ab", type_, n)


def make_block(lines: Sequence[Line], label: Label) -> Block:
    """One block spanning ``lines`` (a contiguous run)."""
    return Block(label.kind, lines[0].start, lines[-1].end, label.type, label.n)


# --------------------------------------------------------------------------- dates

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*\[\d{1,2}\])?"
DATE = re.compile(
    rf"\b(?:{_DAY}\s+{MONTH},?\s+\d{{4}}"
    rf"|{MONTH}\s+{_DAY},?\s+\d{{4}}"
    rf"|{MONTH_NAME}\s+\d{{4}}"
    rf"|{ISO_DATE}"
    rf"|{NUMERIC_DATE}"
    r"|\d{1,2}\.[IVX]{1,4}\.\d{2,4})(?![\w/])"
)
_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\b\d+\s+(?:hours?|minutes?)\b", re.IGNORECASE
)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def is_date_line(s: str) -> bool:
    """A short line that is a date, optionally with a place, time or a few words."""
    if len(s) > 60 or not DATE.search(s):
        return False
    rest = _TIME.sub(" ", DATE.sub(" ", _BRACKETED.sub(" ", s)))
    return len(re.findall(r"[A-Za-z]{2,}", rest)) <= 3


def numeric_date_order(text: str, sep: str, default: str) -> str | None:
    """How a source writes numeric dates with separator ``sep`` ("dmy" or "mdy").

    Read from the evidence (a first field above 12 is a day); ``default`` when
    the numbers do not tell; ``None`` if the text has no such dates.
    """
    found = _numeric_dates(sep).findall(text)
    if not found:
        return None
    if any(int(a) > 12 >= int(b) for a, b, _ in found):
        return "dmy"
    if any(int(b) > 12 >= int(a) for a, b, _ in found):
        return "mdy"
    return default


@functools.lru_cache(maxsize=8)
def _numeric_dates(sep: str) -> re.Pattern[str]:
    """``d{sep}m{sep}y`` not glued to other numbers or words.  The look-behind
    comes after the first digit (``\\d(?<![\\w./-]\\d)`` is ``(?<![\\w./-])\\d``),
    so that the pattern begins with a character set the engine skips to quickly."""
    s = re.escape(sep)
    return re.compile(rf"(\d(?<![\w./-]\d)\d?){s}(\d{{1,2}}){s}(\d{{2}}|\d{{4}})(?![\w/-])")


def date_conventions(text: str, defaults: dict[str, str]) -> dict[str, str]:
    """Conventions for the numeric date styles present in ``text``.

    ``defaults`` maps a convention key (``slash_dates``, ``dot_dates``,
    ``dash_dates``) to the order assumed when the numbers do not tell.
    """
    seps = {"slash_dates": "/", "dot_dates": ".", "dash_dates": "-"}
    out = {}
    for key, sep in seps.items():
        order = numeric_date_order(text, sep, defaults.get(key, "dmy"))
        if order:
            out[key] = order
    return out


# --------------------------------------------------------------------------- line shapes

_CLOSERS = "\"”’'»)]"
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "between", "by", "for", "from", "in", "into", "of", "on",
     "or", "the", "to", "with")
)


def ends_sentence(s: str) -> bool:
    """True if ``s`` ends with sentence punctuation (before closing quotes/brackets)."""
    core = s.rstrip(_CLOSERS + " ")
    return bool(core) and core[-1] in ".!?:;…"


def ends_open(s: str) -> bool:
    """True if a line visibly continues on the next one (comma, hyphen, function word)."""
    words = s.split()
    return s[-1] in ",-–—(" or (bool(words) and words[-1].lower() in _FUNCTION_WORDS)


def is_title_like(s: str, max_words: int = 20) -> bool:
    """A heading: short, no final sentence punctuation, mostly capitalised words
    (or a line ending in an ellipsis, the section marker of some pages)."""
    words = s.split()
    if not words or len(words) > max_words or len(s) > 160:
        return False
    if not (s[0].isupper() or s[0].isdigit()):
        return False
    if re.search(r"\w\s*(?:\.{3,}|…)$", s):
        return len(words) <= 12
    if ends_sentence(s) or s.endswith(","):
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    caps = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return bool(content) and caps / len(content) >= 0.6


_BOILERPLATE = [
    r"skip to (?:main )?content",
    r"(?:download|size)\s*[\d.,]+\s*(?:[kmg]b|bytes)\.?",
    r"\d{1,3}(?:\s+\d{1,3}){2,}",  # a row of page-number links
    r"share (?:this|with your friends|on \w+)\b.*",
    r".*\bcopyright\s*©.*|©.*|all rights reserved\.?",
    r"send message|main page|home|menu|search|print|e-?mail|back to top|next|previous"
    r"|log ?in|sign ?in|sign up|subscribe|tweet|share|comments?|reply",
    r"related (?:pages|posts|articles|documents)",
    r"leave a (?:comment|reply)|\d+ comments?",
    r"tag(?:s|ged)?\s*:.*|categor(?:y|ies)\s*:.*|posted in\b.*|filed under\b.*",
    r"continue to\b.{0,60}",
    r"(?:you can )?read more\b.{0,30}|.{0,40}\bread(?:ing)? (?:more|the (?:whole|full|rest of the) "
    r"(?:article|post|story))\b.{0,20}\bat the link\.?",
    r"click here\b.{0,60}|advertisement|cookie\b.{0,80}",
]
_BOILERPLATE_RE = re.compile("^(?:" + "|".join(_BOILERPLATE) + r")\s*$", re.IGNORECASE)


def is_boilerplate(s: str) -> bool:
    """Web-page furniture: navigation, download boxes, share links, copyright lines."""
    s = s.lstrip("•·▪●◦‣∙ ")
    return len(s) <= 100 and bool(_BOILERPLATE_RE.match(s))


BYLINE = re.compile(
    r"^(?:By\s+[A-Z].{0,80}|.{0,60}\b(?:Updated|Published|Posted|Written|Posted by)\b"
    r"(?:\s+(?:on|at|by))?\s+.{0,40})$"
)


def is_byline(s: str) -> bool:
    """An author or date line under a title (``By Jane Roe``, ``Posted on 2022-01-15``)."""
    return len(s) <= 120 and bool(BYLINE.match(s)) and (
        s.startswith("By ") or bool(DATE.search(s)))


SEPARATOR = re.compile(r"^(?:(?:[*•·]\s*){3,}|#{3,}|[-_=~]{3,}|(?:-\s){2,}-)$")
_SOURCE = re.compile(
    r"^\[?\s*sources?\s*:|^\[[^\]]*\b(?:fond|f\.)\s*\d[^\]]*\]$"
    r"|^\[(?:APRF|AVPRF|AVP RF|RGASPI|RGANI|GARF|TsAMO|RGAE|RGVA)\b",
    re.IGNORECASE,
)
_ANNOTATION = re.compile(
    r"^\[(?:handwritten|translator\S{0,3}\s*note|editor\S{0,3}\s*note|note|stamp|illegible"
    r"|resolution|notation)\b",
    re.IGNORECASE,
)
_CLASSIFICATION = re.compile(
    r"^(?:(?:extremely|very|most|strictly)\s+)?(?:urgent|top secret|secret|confidential"
    r"|ciphered|coded|cipher|encoded|priority|immediate|personal|special folder|copy no)\b",
    re.IGNORECASE,
)
_DISTRIBUTION = re.compile(
    r"^(?:copies|copy|distribution(?:\s+list)?|to:|cc:)(?=[\s:-])|^\d+\s+cop(?:y|ies)\b",
    re.IGNORECASE,
)
_TRANSMISSION = re.compile(
    r"^(?:from\s+\S+.*\breceived|received|sent|submitted|transmitted|dispatched|arrived"
    r"|deciphered|dec\[iphered|ciphered by|typed|typ\[ed|printed|handed|delivered|taken down)\b"
    r"|^on\s+.{3,30}\bat\s+\d{1,2}[:.]\d{2}",
    re.IGNORECASE,
)
_PARTICIPANTS = re.compile(r"^(?:present|participants|participating|attended by|in attendance)"
                           r"\s*:", re.IGNORECASE)
_RECORDED_BY = re.compile(r"^(?:recorded|written down|taken down|record made|compiled|noted)"
                          r"(?:\s+and\s+\w+)?\s+by\s+\S", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?:re|ref\.?|reference|in reply to)\s*[:.]?\s+\S", re.IGNORECASE)
_DOCKET = re.compile(r"^(?:No\.|Nr\.|N°|№|#|_)\s*[\w][\w\-/.]*(?:\s+[\d.:]+)*$")
_LETTERHEAD = re.compile(
    r"^(?:ministry|people'?s commissariat|embassy|consulate|headquarters|central committee"
    r"|main administration|general staff|office of|department of|council of)\b",
    re.IGNORECASE,
)
_OPENING_SALUTE = re.compile(
    r"^[\"“]?(?:to\s+)?(?:comrades?|comr\.|cmrds?\.?|com\.|dear|esteemed|respected|mr\.|mrs\.|ms\."
    r"|sir|madam|messrs\.)(?:\s|$)|^[\"“]?To\s+(?:the\s+)?[A-Z][A-Z'\-]{2,}\b",
    re.IGNORECASE,
)
_CLOSING_SALUTE = re.compile(
    r"^(?:with\s+[\w\s]{0,30}greetings|respectfully(?:\s+yours)?|sincerely(?:\s+yours)?"
    r"|yours\s+(?:faithfully|truly|sincerely)|(?:best|kind)\s+regards|regards)[,.!]?$",
    re.IGNORECASE,
)
_SIG_PREFIX = re.compile(
    r"^(?:\[signature\]\s*|(?:respectfully|sincerely|yours(?:\s+\w+)?|with\s+[\w\s]{0,30}"
    r"greetings)[,.!]?\s+)",
    re.IGNORECASE,
)
_SIG_TAIL = re.compile(
    r"(?:\s+(?:\d{1,2}[:.]\d{2}|\d{1,2}\.\d{1,2}(?:\.\d{2,4})?|\d{1,2}\.[IVX]{1,4}\.\d{2,4}))+$"
)
_NAME = re.compile(
    r"(?:[A-Z]\.\s?)*[A-Z][A-Z'\-]+(?:\s+[A-Z][A-Z'\-]+){0,3}(?:\s+[A-Z]\.(?:\s?[A-Z]\.)*)?"
    r"|(?:[A-Z]\.\s?)+[A-Z][a-z][\w'\-]+"
    r"|\((?:[A-Z]\.\s?)+[A-Z][a-z][\w'\-]+\)(?:\s*\((?:[A-Z]\.\s?)+[A-Z][a-z][\w'\-]+\))*"
)
_NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+\S|^\((\d{1,3})\)\s*\S")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")
_ORDINAL = re.compile(r"^(" + "|".join(_ORDINALS) + r")[.:]\s", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪●◦‣∙]\s*\S|^[-–*]\s+\S")
ATTACHMENT = re.compile(r"^\[?(?:attachment|enclosure|appendix|annex)\b", re.IGNORECASE)


def _unquote(s: str) -> str:
    return s.strip().strip("\"“”„'‘’").strip()


def _collapse_spaced(s: str) -> str:
    """``G R O M Y K O`` -> ``GROMYKO`` (letter-spaced signatures)."""
    return re.sub(r"\b([A-Za-z]) (?=[A-Za-z]\b)", r"\1", s)


def signature(s: str) -> tuple[str, str | None] | None:
    """The name (as written) and the trailing date/time of a signature line, or None."""
    core = _SIG_PREFIX.sub("", _unquote(s).rstrip(".,;").strip())
    tail = _SIG_TAIL.search(core)
    name = core[: tail.start()].strip() if tail else core
    if 0 < len(name) <= 50 and _NAME.fullmatch(_collapse_spaced(name)):
        return name, tail.group().strip() if tail else None
    return None


def is_addressee_name(s: str) -> bool:
    """An all-caps addressee line such as ``MATVEYEV [ZAKHAROV] (by telegram)``."""
    core = _BRACKETED.sub(" ", _unquote(s)).strip(" .,:")
    return bool(core) and len(core) <= 50 and bool(_NAME.fullmatch(_collapse_spaced(core)))


def item_number(s: str) -> str | None:
    """The number of a numbered point (``1.``, ``2)``, ``(3)``, ``First.``)."""
    m = _NUMBERED.match(s)
    if m:
        return m.group(1) or m.group(2)
    m = _ORDINAL.match(s)
    return str(_ORDINALS.index(m.group(1).lower()) + 1) if m else None


def is_bullet(s: str) -> bool:
    return bool(_BULLET.match(s)) and not SEPARATOR.match(s)


def is_source_line(s: str) -> bool:
    return len(s) <= 400 and bool(_SOURCE.match(s))


def is_opening_salute(s: str) -> bool:
    """A form of address (``Comrade Stalin!``, ``To Comrade MAO ZEDONG.``,
    ``Dear Sir,``), not a sentence that begins with one (``Comrade Kim Il Sung
    asked me on ...``): short, and a name, not a clause (at most two words in
    lower case: ``to the``, ``of``)."""
    return (len(s) <= 80 and bool(_OPENING_SALUTE.match(s))
            and sum(word[:1].islower() for word in s.split()) <= 2)


def _is_header_shape(s: str) -> bool:
    """Header lines are short, and carry a number or lack a final full stop."""
    return len(s) <= 120 and (bool(re.search(r"\d", s)) or not s.rstrip(_CLOSERS).endswith("."))


def label_document_line(s: str, opener: bool) -> Label:
    """The label of one line of an archival document.

    ``opener`` is true before the document's first paragraph: there an
    all-caps name is the addressee and a line without final punctuation a
    heading; after it a name is a signature.
    """
    checks: list[tuple[bool, Label]] = [
        (bool(SEPARATOR.match(s)), ab("separator")),
        (is_source_line(s), ab("source")),
        (bool(_ANNOTATION.match(s)), ab("annotation")),
        (len(s) <= 60 and bool(_CLASSIFICATION.match(s)) and not s.endswith("."),
         ab("classification")),
        (len(s) <= 160 and bool(_DISTRIBUTION.match(s)), ab("distribution")),
        (_is_header_shape(s) and bool(_TRANSMISSION.match(s)), ab("transmission")),
        (len(s) <= 80 and bool(_REFERENCE.match(s)), ab("reference")),
        (len(s) <= 300 and bool(_PARTICIPANTS.match(s)), ab("participants")),
        (len(s) <= 40 and bool(_DOCKET.match(s)), ab("docket")),
    ]
    for hit, label in checks:
        if hit:
            return label
    if len(s) <= 40 and _CLOSING_SALUTE.match(s):
        return Label("salute")
    if opener and (is_opening_salute(s) or is_addressee_name(s)):
        return Label("salute")
    if not opener and (signature(s) or (len(s) <= 80 and _RECORDED_BY.match(s))):
        return Label("signed")
    if is_date_line(s):
        return Label("dateline")
    if opener and (_LETTERHEAD.match(s) or (s.isupper() and len(s.split()) >= 3)):
        return ab("letterhead")
    n = item_number(s)
    if n:
        return Label("item", n=n)
    if is_bullet(s):
        return Label("item")
    if opener and len(s) <= 120 and not ends_sentence(s) and s.lstrip("[(\"“")[:1].isupper():
        return HEAD
    if len(s.split()) <= 3 and s.endswith(":") and s[0].isupper():
        return HEAD
    return P


# --------------------------------------------------------------------------- grouping


def paragraphs_by_blank(lines: Sequence[Line], labels: Sequence[Label]) -> bool:
    """True if paragraphs are separated by blank lines (so that a run of lines
    without a blank is one wrapped paragraph); false if every line is one."""
    prose = [line for line, lab in zip(lines, labels, strict=True) if lab.kind == "p"][1:]
    return bool(prose) and sum(line.blank_before for line in prose) >= len(prose) / 2


#: Header lines whose list may wrap onto the following lines.
HEADER_TYPES = frozenset({"classification", "distribution", "transmission", "reference",
                          "participants"})


def continues(prev: Line, prev_label: Label, line: Line, label: Label, by_blank: bool) -> bool:
    """True if ``line`` goes on the block of ``prev`` (a wrapped line)."""
    if line.blank_before:
        return False
    if prev_label.kind == "ab" and prev_label.type in HEADER_TYPES:
        return label in (prev_label, P) and (prev.text[-1] in ":," or line.text[0].islower())
    if label.kind != "p" or prev_label.kind not in ("p", "item", "note"):
        return False
    return by_blank or ends_open(prev.text) or line.text[0].islower()


Joiner = Callable[[Line, Label, Line, Label, bool], bool]


def group(lines: Sequence[Line], labels: Sequence[Label], by_blank: bool | None = None,
          joins: Joiner | None = None) -> list[Block]:
    """Blocks of labelled lines, joining wrapped lines to their block
    (by :func:`continues` unless another ``joins`` rule is given)."""
    joins = joins or continues
    if by_blank is None:
        by_blank = paragraphs_by_blank(lines, labels)
    blocks: list[Block] = []
    run: list[Line] = []
    run_label = P
    for line, label in zip(lines, labels, strict=True):
        if run and joins(run[-1], run_label, line, label, by_blank):
            run.append(line)
            continue
        if run:
            blocks.append(make_block(run, run_label))
        run, run_label = [line], label
    if run:
        blocks.append(make_block(run, run_label))
    return blocks


def label_prose(lines: Sequence[Line]) -> list[Label]:
    """Labels for running prose: boilerplate, separators, list items,
    headings standing alone between blank lines, paragraphs."""
    labels = []
    for i, line in enumerate(lines):
        s = line.text
        if is_boilerplate(s):
            labels.append(ab("boilerplate"))
        elif SEPARATOR.match(s):
            labels.append(ab("separator"))
        elif item_number(s) or is_bullet(s):
            labels.append(Label("item", n=item_number(s)))
        elif line.blank_before and blank_after(lines, i) and (is_title_like(s) or _is_subhead(s)):
            labels.append(HEAD)
        else:
            labels.append(P)
    return labels


def _is_subhead(s: str) -> bool:
    """A short sentence-case heading (``The demarcation line``)."""
    return len(s.split()) <= 8 and s[0].isupper() and not ends_sentence(s) and not s.endswith(",")


def prose_blocks(lines: Sequence[Line]) -> list[Block]:
    return group(lines, label_prose(lines))


def split_edges(lines: Sequence[Line], is_edge=is_boilerplate
                ) -> tuple[list[Line], list[Line], list[Line]]:
    """Leading edge lines, the middle, trailing edge lines."""
    lo, hi = 0, len(lines)
    while lo < hi and is_edge(lines[lo].text):
        lo += 1
    while hi > lo and is_edge(lines[hi - 1].text):
        hi -= 1
    return list(lines[:lo]), list(lines[lo:hi]), list(lines[hi:])


def paratext(lines: Sequence[Line]) -> Division:
    return Division("paratext", [make_block([line], ab("boilerplate")) for line in lines])


def with_paratext(lead: Sequence[Line], divisions: Iterable[Division], trail: Sequence[Line]
                  ) -> list[Division]:
    """``divisions`` framed by paratext divisions for leading/trailing boilerplate."""
    out = [paratext(lead)] if lead else []
    out.extend(d for d in divisions if d.children)
    if trail:
        out.append(paratext(trail))
    return out


# --------------------------------------------------------------------------- quoted documents


def _quote_delta(s: str) -> int:
    """Quotes this line opens (positive) or closes (negative)."""
    straight = s.count('"') % 2
    curly = s.count("“") - s.count("”")
    if curly:
        return curly
    if not straight:
        return 0
    return 1 if s.lstrip()[0] == '"' else -1


def quoted_ranges(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Runs of lines ``[i, j)`` that form one quotation spanning several lines:
    the first line opens a quote at its start, the last closes it at its end."""
    out = []
    i = 0
    while i < len(lines):
        s = lines[i].text
        if s[0] in "\"“" and _quote_delta(s) > 0:
            for j in range(i + 1, len(lines)):
                t = lines[j].text
                if _quote_delta(t) < 0 and t.rstrip(".,;)] ")[-1:] in "\"”":
                    out.append((i, j + 1))
                    i = j
                    break
                if _quote_delta(t) > 0 and t[0] in "\"“":
                    break
        i += 1
    return out


# --------------------------------------------------------------------------- documents

_DOC_WORDS = (
    r"(?:telegrams?|cables?|letters?|memorand(?:um|a)|notes?|minutes|reports?|messages?"
    r"|directives?|decisions?|resolutions?|protocols?|records?|instructions?|orders?"
    r"|statements?|speech|conversations?|agreements?|dispatch)"
)
_DOC_WORD = re.compile(rf"\b{_DOC_WORDS}\b", re.IGNORECASE)
_TYPE_ONLY = re.compile(rf"(?:[A-Za-z\-]+\s+){{0,2}}{_DOC_WORDS}", re.IGNORECASE)
_TYPE_LEAD = re.compile(
    rf"^(?P<type>(?:[A-Z][\w\-]*\s+){{0,2}}?{_DOC_WORDS}"
    r"(?:\s+of\s+(?:an?\s+|the\s+)?(?:conversations?|meetings?|talks?))?)\b"
    r"(?:\s+(?:from|of|by)\b)?\s*",
    re.IGNORECASE,
)
_SENDER_TO = re.compile(r"^(?:from\s+)?(?P<s>.+?)\s+to\s+(?P<r>.+)$", re.IGNORECASE)
_RECIPIENT_END = re.compile(
    r"\s+(?:with|conveying|approved|attaching|regarding|concerning|transmitting|re|about"
    r"|in (?:reply|response|answer) to|in connection with|on (?:the|a|an|his|her|their)\b"
    r"|on [A-Z]|on\s+\d)\b.*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(r"^(?P<s>.+?)\s+in\s+(?P<p>[A-Z][\w\-']+)$")
#: ``From BEIJING Received ...``, ``Sent from Pyongyang ...``, ``From: Moscow``
_PLACE_FROM = re.compile(r"^(?:sent\s+)?from\s*:?\s+(?P<p>[A-Z][A-Za-z\-']+)\b", re.IGNORECASE)
#: A dateline that starts with the place: ``Moscow, 7 October 1950``.
_PLACE_DATELINE = re.compile(r"^(?P<p>[A-Z][A-Za-z\-']+(?:[ -][A-Z][A-Za-z\-']+)?),\s+\S")


def split_top_level(s: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside brackets and parentheses."""
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth <= 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def parse_heading(title: str) -> DocumentMeta:
    """What a document heading says: type, sender, recipient, date.

    ``Ciphered Telegram, Filippov (Stalin) to Mao Zedong, 1 October 1950``;
    ``Memorandum Gromyko to Stalin, 30 September 1950``; ``Telegram from Mao
    Zedong to I.V. Stalin, Conveying ...``.  Values are kept as written.
    """
    meta = DocumentMeta(title=title)
    parts = split_top_level(title)
    meta.date_text = next((p for p in parts if is_date_line(p) and len(p.split()) <= 5), None)
    main = next((p for p in parts if re.search(r"\sto\s", p)), parts[0] if parts else "")
    if parts and parts[0] != main and _TYPE_ONLY.fullmatch(parts[0]):
        meta.doc_type = parts[0]
    lead = _TYPE_LEAD.match(main)
    if lead and meta.doc_type is None:
        meta.doc_type = lead.group("type")
        main = main[lead.end():]
    m = _SENDER_TO.match(main)
    if m:
        sender, meta.recipient = m.group("s"), _RECIPIENT_END.sub("", m.group("r")).strip()
        place = _SENT_FROM.match(sender)
        meta.sender, meta.place_sent = (place.group("s"), place.group("p")) if place else (
            sender, None)
    return meta


def _singular(word: str) -> str:
    """``telegrams`` -> ``telegram``, ``memoranda`` -> ``memorandum`` (not ``minutes``)."""
    if word == "memoranda":
        return "memorandum"
    return word[:-1] if word.endswith("s") and word not in ("minutes", "process") else word


def intro_meta(before: str) -> tuple[str | None, str | None]:
    """Document type and date named by the sentences that introduce a quoted
    document (``... the May 30, 1950 Russian cable below.``), latest first."""
    doc_type = date = None
    for sentence in reversed(re.split(r"(?<=[.!?:])\s+", before)):
        word = _DOC_WORD.search(sentence)
        if word:
            doc_type = doc_type or _singular(word.group().lower())
            found = DATE.search(sentence)
            date = found.group() if found else None
            if date:
                break
    return doc_type, date


def fill_meta(meta: DocumentMeta, text: str, children: Sequence[Block | Division]) -> None:
    """Fill what the heading did not say from the document's own lines:
    addressee (first salute), signer and date (last signature/dateline),
    place sent (``From BEIJING Received ...``)."""
    own = [c for c in children if isinstance(c, Block)]
    salutes = [b for b in own if b.kind == "salute" and not _CLOSING_SALUTE.match(_block(text, b))]
    if meta.recipient is None and salutes:
        meta.recipient = re.sub(r"^(?:to\s+)", "", _unquote(_block(text, salutes[0])),
                                flags=re.IGNORECASE).rstrip(".,:!") or None
    for b in reversed(own):
        sig = signature(_block(text, b)) if b.kind == "signed" else None
        if sig:
            meta.sender = meta.sender or re.sub(r"^\[signature\]\s*", "", sig[0])
            meta.date_text = meta.date_text or sig[1]
            break
    dates = [b for b in own if b.kind == "dateline"]
    if meta.date_text is None and dates:
        meta.date_text = _block(text, dates[-1])
    meta.place_sent = meta.place_sent or _place_sent(text, own)


def _place_sent(text: str, blocks: Sequence[Block]) -> str | None:
    """Where a document was sent from: ``From BEIJING`` in a transmission
    line, else the place leading a dateline (``Moscow, 7 October 1950``)."""
    for b in blocks:
        m = _PLACE_FROM.match(_block(text, b)) if b.type == "transmission" else None
        if m:
            return m.group("p")
    for b in blocks:
        m = _PLACE_DATELINE.match(_block(text, b)) if b.kind == "dateline" else None
        if m and not re.fullmatch(rf"{MONTH}|{_WEEKDAY}", m.group("p"), re.IGNORECASE):
            return m.group("p")
    return None


def _block(text: str, block: Block) -> str:
    return text[block.start : block.end]


def _closer_resumes(labels: Sequence[Label]) -> int | None:
    """Index where prose starts again after a document's closing lines
    (signature, date, number): the start of an attached document."""
    prose = closed = False
    for i, lab in enumerate(labels):
        if lab.kind in ("p", "item", "quote") or lab.type == "reference":
            if prose and closed:
                return i
            prose, closed = prose or lab.kind != "ab", False
        elif prose and (lab.kind in ("signed", "dateline") or lab.type == "docket"):
            closed = True
    return None


def _attachment_start(lines: Sequence[Line], labels: Sequence[Label]) -> int | None:
    for i, line in enumerate(lines[1:], 1):
        if ATTACHMENT.match(line.text) and labels[i].kind != "quote":
            return i
    return _closer_resumes(labels)


def label_document(lines: Sequence[Line], quoted: Sequence[tuple[int, int]]) -> list[Label]:
    """Labels of a document's lines; lines of quoted documents get ``QUOTE``."""
    inside = {k for i, j in quoted for k in range(i, j)}
    labels: list[Label] = []
    opener = True
    for k, line in enumerate(lines):
        if k in inside:
            label = QUOTE
        elif k and _wraps_header(lines[k - 1], labels[-1], line):
            label = labels[-1]
        else:
            label = label_document_line(line.text, opener)
        labels.append(label)
        opener = opener and label.kind not in ("p", "item", "quote")
    return labels


def _wraps_header(prev: Line, prev_label: Label, line: Line) -> bool:
    """A header line ending in ``:`` or ``,`` goes on (``Distribution list:``)."""
    return (not line.blank_before and prev_label.type in HEADER_TYPES
            and prev.text[-1] in ":," and not item_number(line.text))


def read_document(text: str, lines: Sequence[Line], intro: str = "") -> list[Block | Division]:
    """Blocks of one archival document, with the documents it quotes or
    carries as attachments as floating ``document`` divisions."""
    if not lines:
        return []
    # A quotation spanning the whole document is the document itself.
    quoted = [r for r in quoted_ranges(lines) if r != (0, len(lines))]
    labels = label_document(lines, quoted)
    cut = _attachment_start(lines, labels)
    if cut is None:
        return _read_own(text, lines, labels, quoted, intro)
    tail = len(lines)
    while tail > cut + 1 and labels[tail - 1].type in ("source", "annotation"):
        tail -= 1
    quoted_before = [(i, j) for i, j in quoted if j <= cut]
    children = _read_own(text, lines[:cut], labels[:cut], quoted_before, intro)
    children.append(floating_document(text, lines[cut:tail], _context(text, children)))
    children.extend(group(lines[tail:], labels[tail:]))
    return children


def _read_own(text: str, lines: Sequence[Line], labels: Sequence[Label],
              quoted: Sequence[tuple[int, int]], intro: str) -> list[Block | Division]:
    by_blank = paragraphs_by_blank(lines, labels)
    children: list[Block | Division] = []
    pos = 0
    for i, j in [*quoted, (len(lines), len(lines))]:
        children.extend(group(lines[pos:i], labels[pos:i], by_blank))
        if i < j:
            children.append(floating_document(text, lines[i:j], _context(text, children, intro)))
        pos = j
    return children


def _context(text: str, children: Sequence[Block | Division], intro: str = "") -> str:
    """Text of the last paragraphs before a quoted document (its introduction)."""
    blocks = [c for c in children if isinstance(c, Block) and c.kind == "p"][-3:]
    return " ".join([intro, *(_block(text, b) for b in blocks)]).strip()


def floating_document(text: str, lines: Sequence[Line], intro: str = "") -> Division:
    """A document quoted inside another, read with the same rules."""
    children = read_document(text, lines)
    doc_type, date = intro_meta(intro)
    meta = DocumentMeta(doc_type=doc_type, date_text=date)
    fill_meta(meta, text, children)
    return Division("document", children, floating=True, meta=meta)


# --------------------------------------------------------------------------- checks


def coverage_errors(text: str, body: Division) -> list[str]:
    """Violations of the reader invariant: blocks in order, not overlapping,
    covering every non-whitespace character, not cutting words."""
    errors = []
    pos = 0
    for block in body.blocks():
        if not 0 <= block.start < block.end <= len(text):
            errors.append(f"bad block offsets {block.start}-{block.end}")
            continue
        if block.start < pos:
            errors.append(f"block at {block.start} overlaps or is out of order")
        gap = text[pos : block.start] if block.start > pos else ""
        if gap.strip():
            errors.append(f"text outside blocks at {pos}: {gap.strip()[:30]!r}")
        for edge in (block.start, block.end):
            if 0 < edge < len(text) and text[edge - 1].isalnum() and text[edge].isalnum():
                errors.append(f"block edge at {edge} cuts a word")
        pos = max(pos, block.end)
    if text[pos:].strip():
        errors.append(f"text outside blocks at {pos}: {text[pos:].strip()[:30]!r}")
    return errors

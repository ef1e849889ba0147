"""Property and fuzz tests: mutated sources through convert, mutated TEI
through validate and render.

Bounded for the ordinary suite (derandomised, ``FUZZ_EXAMPLES`` examples per
property, default 30); a larger exploratory run with fresh random examples:

    FUZZ_EXAMPLES=2000 python -m pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition import preserve
from edition.convert import convert_text
from edition.editorial import Edition
from edition.errors import EditionError, InputError
from edition.read import decode
from edition.render import render_html, render_text
from edition.validate import Validator
from edition.xmlio import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
SEED_TEXTS += [p.read_text(encoding="utf-8") for p in sorted((DATA / "sources").glob("*.txt"))]
TEI_SAMPLES = [p.read_bytes() for p in sorted((DATA / "valid").glob("*.xml"))]
TEI_SAMPLES += [p.read_bytes() for p in sorted((DATA / "foreign").glob("*.xml"))]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = 30.0  # seconds: a single example taking longer counts as a hang

# Pieces that provoke the enrichers and readers: dates, archival units,
# redactions, brackets, note anchors, markup characters, Unicode oddities.
TRICKY = [
    "31 June 1950", "13/45/50", "07/05/50", "7-3-1949", "1.X.50", "32.1.1950", "1950-1953",
    "8 [7] October 1950", "7 September [sic-October]", "0.0.0", "12.12.12.12", "-1-", "1950.",
    "fond 45, opis 1, delo", "f. 45, op. 1, d. 331, ll. 3-", "APRF, fond 45, opis",
    "listy 96-97", "## 1112-1126", "# 1298", "No. 449/sh",
    "***", "**", "* * * * *", "***'s", "[", "]", "[Stalin]", "[sic-", "[Source: ", "[1]", "^2",
    "<", ">", "&", "&amp;", "]]>", "<!--", "\"", "'",
    "\u0301", "\u0336\u0336", "e\u0301\u0302", "\u202e", "\u200f", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\U0001f600", "\U0001f1f0\U0001f1f7",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u00a0", "\u200b", "\ufeff", "\u2028", "\u0085",
    "\t", "\r\n", "\r", "\n\n", "\x0c", "\x1b", "\x7f", "\x00",
    "\uffff", "\U0010ffff", "Kim Il Sung", "Filippov", "Pyongyang", "Comrade SHTYKOV",
]
_ANY_CHAR = st.characters(blacklist_categories=("Cs",))


@st.composite
def mutated_sources(draw: st.DrawFn) -> str:
    """A slice of a seed text, cut, spliced and sprinkled with tricky pieces."""
    text = draw(st.sampled_from(SEED_TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    text = text[start:start + draw(st.integers(1, 2500))]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["cut", "splice", "tricky", "random"]))
        if how == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        elif how == "splice":
            other = draw(st.sampled_from(SEED_TEXTS))
            begin = draw(st.integers(0, len(other) - 1))
            text = text[:at] + other[begin:begin + draw(st.integers(1, 400))] + text[at:]
        elif how == "tricky":
            text = text[:at] + draw(st.sampled_from(TRICKY)) + text[at:]
        else:
            text = text[:at] + draw(st.text(_ANY_CHAR, max_size=12)) + text[at:]
    return text


@pytest.fixture(scope="module")
def edition() -> Edition:
    return Edition.load(ROOT / "seeds")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(profile=True)


def _errors(problems: list) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


@FUZZ
@given(text=mutated_sources(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_mutated_sources_convert_to_valid_tei_or_a_clear_error(
    text: str, encoding: str, edition: Edition, validator: Validator
) -> None:
    """Bytes -> decode -> convert: valid TEI (edition schema, tei_all, rules)
    that keeps every character, or an InputError naming file and line."""
    data = text.encode(encoding, errors="surrogatepass")
    started = time.perf_counter()
    try:
        decoded = decode(data, "fuzz.txt")
        result = convert_text("fuzz.txt", decoded, edition)
    except InputError as exc:
        assert re.fullmatch(r"fuzz\.txt:\d+: \S.*", str(exc)), str(exc)
        return
    assert time.perf_counter() - started < SLOW
    preserve.check(decoded, result.tree)  # raises TextLost if any character is missing
    assert _errors(validator.validate_tree(result.tree, "fuzz.xml")) == []


_TAGS = ["p", "hi", "div", "note", "choice", "sic", "corr", "persName", "date", "bibl", "lb",
         "pb", "ref", "list", "item", "table", "row", "cell", "app", "rdg", "lg", "l", "sp",
         "floatingText", "body", "text", "teiHeader", "head", "seg", "unknownThing"]
_XML_BITS = ["<", ">", "&", "&amp;", "&#0;", "&#x1F600;", "&lt;", "]]>", "<!--", "-->", "<?pi x?>",
             "<![CDATA[", '"', "'", "=", "xml:id=\"x\"", ' rend="a b"', ' target="javascript:x"',
             ' when="1950-02-30"', ' ref="#nowhere"', "\u202e", "\U0001f600", "\x00", "\x0c"]


@st.composite
def mutated_tei(draw: st.DrawFn) -> bytes:
    """A valid or foreign TEI sample with text-level mutations."""
    text = draw(st.sampled_from(TEI_SAMPLES)).decode("utf-8")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["cut", "duplicate", "tag", "bit", "random", "rename"]))
        if how == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 80)):]
        elif how == "duplicate":
            text = text[:at] + text[at:at + draw(st.integers(1, 300))] + text[at:]
        elif how == "tag":
            tag = draw(st.sampled_from(_TAGS))
            form = draw(st.sampled_from(["<{}>", "</{}>", "<{}/>"]))
            text = text[:at] + form.format(tag) + text[at:]
        elif how == "bit":
            text = text[:at] + draw(st.sampled_from(_XML_BITS)) + text[at:]
        elif how == "random":
            text = text[:at] + draw(st.text(_ANY_CHAR, max_size=8)) + text[at:]
        else:
            old, new = draw(st.sampled_from(_TAGS)), draw(st.sampled_from(_TAGS))
            text = text.replace(f"<{old}", f"<{new}").replace(f"</{old}>", f"</{new}>")
    return text.encode("utf-8", errors="surrogatepass")


def _assert_safe(html: str) -> None:
    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//script | //iframe | //object | //embed")
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
            href = re.sub(r"[\t\n\r]", "", el.get("href", "").strip("\x00- ")).lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), href


@FUZZ
@given(data=mutated_tei())
def test_mutated_tei_never_crashes_validate_or_render(data: bytes, validator: Validator) -> None:
    """Parse, validate, render: problems or an EditionError, never anything else."""
    started = time.perf_counter()
    try:
        tree = parse_bytes(data, "fuzz.xml")
    except InputError as exc:
        assert re.fullmatch(r"fuzz\.xml:\d+: \S.*", str(exc)), str(exc)
        return
    for problem in validator.validate_tree(tree, "fuzz.xml"):
        assert str(problem).startswith("fuzz.xml:"), str(problem)
    try:
        _assert_safe(render_html(tree))
        render_text(tree)
    except EditionError as exc:
        assert str(exc).strip(), "an error needs a message"
    assert time.perf_counter() - started < SLOW

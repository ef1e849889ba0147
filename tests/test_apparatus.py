"""The source's own apparatus: brackets, machine-translation artefacts, endnote anchors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from edition.enrich.apparatus import (
    ApparatusTagger,
    bracket_resp,
    find_brackets,
    looks_transliterated,
)
from edition.enrich.footnotes import FootnoteAnchors
from edition.model import (
    PRIORITY_APPARATUS,
    PRIORITY_NAME,
    RESP_EDITORS,
    RESP_SOURCE_EDITOR,
    RESP_TRANSLATOR,
    Block,
    Division,
    SourceDocument,
    SourceMeta,
    Span,
    attrs,
    endnote_id,
)
from edition.read import read_meta, read_text
from edition.spans import select

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "seeds").glob("*.txt"))}


def make_doc(
    text: str,
    *,
    translator: str | None = "A. Translator",
    conventions: dict[str, str] | None = None,
    blocks: list[Block] | None = None,
) -> SourceDocument:
    meta = SourceMeta(id="t", translator=translator, conventions=conventions or {})
    return SourceDocument(
        path="t.txt",
        text=text,
        meta=meta,
        profile="plain",
        body=Division("body", blocks or [Block("p", 0, len(text))]),
    )


def line_blocks(text: str) -> list[Block]:
    """One paragraph per non-empty line (what a plain profile does)."""
    return [Block("p", m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def tagged(text: str, **kwargs) -> list[tuple[str, str, str | None]]:
    """(tag, covered text, @type or @resp) of the apparatus spans."""
    doc = make_doc(text, **kwargs)
    spans = ApparatusTagger()(doc)
    return [(s.tag, text[s.start : s.end], s.attr("type") or s.attr("resp")) for s in spans]


# -- bracket structure ----------------------------------------------------------


def test_find_brackets_nested_and_double() -> None:
    text = "[Handwritten: a [b] c [[one word off the page]]] and [x]"
    brackets, errors = find_brackets(text)
    assert errors == []
    found = [(text[b.start : b.end], b.depth, b.double) for b in brackets]
    assert found == [
        ("[Handwritten: a [b] c [[one word off the page]]]", 0, False),
        ("[b]", 1, False),
        ("[[one word off the page]]", 1, True),
        ("[x]", 0, False),
    ]
    assert text[slice(*brackets[2].inner)] == "one word off the page"


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("an [unclosed note", 3, "never closed"),
        ("a stray] bracket", 7, "without an opening"),
        ("[ok] then ]", 10, "without an opening"),
    ],
)
def test_unbalanced_brackets_are_found(text: str, offset: int, message: str) -> None:
    _, errors = find_brackets(text)
    assert errors == [(offset, errors[0][1])] and message in errors[0][1]


def test_unbalanced_bracket_is_reported_and_the_rest_still_tagged() -> None:
    doc = make_doc("He met [Stalin] and [his friend.")
    spans = ApparatusTagger()(doc)
    assert [doc.text[s.start : s.end] for s in spans] == ["[Stalin]"]
    assert len(doc.problems) == 1 and "never closed" in doc.problems[0].message


def test_a_bracket_across_two_blocks_is_reported() -> None:
    text = "first [paragraph\nsecond] paragraph"
    doc = make_doc(text, blocks=line_blocks(text))
    assert ApparatusTagger()(doc) == []
    assert len(doc.problems) == 2


# -- classification ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bracket", "tag", "kind"),
    [
        ("To Comrade FILIPPOV [Stalin]", "[Stalin]", "supplied", RESP_TRANSLATOR),
        ("puppet [South Korea] troops", "[South Korea]", "supplied", RESP_TRANSLATOR),
        ("during [his] stay", "[his]", "supplied", RESP_TRANSLATOR),
        ("Chemulp'o [Inchon] had", "[Inchon]", "supplied", RESP_TRANSLATOR),
        ("the M[inistry of] F[oreign] A[ffairs]", "[inistry of]", "supplied", RESP_TRANSLATOR),
        ("5.7.50 [5 July 1950]", "[5 July 1950]", "supplied", RESP_TRANSLATOR),
        ("1 [First] Army", "[First]", "supplied", RESP_TRANSLATOR),
        ("[Translator's note: circled]", "[Translator's note: circled]", "seg", "translatorNote"),
        ("[Translator’s note: x]", "[Translator’s note: x]", "seg", "translatorNote"),
        ("[Editor's note: see above]", "[Editor's note: see above]", "seg", "editorNote"),
        ("[Handwritten: delivered]", "[Handwritten: delivered]", "seg", "handwritten"),
        (
            "[Handwritten note in the margin]",
            "[Handwritten note in the margin]",
            "seg",
            "handwritten",
        ),
        ("on 7 September [sic-October], he", "[sic-October]", "seg", "sic"),
        ("their are [sic] two", "[sic]", "seg", "sic"),
        ("8 [7] October 1950", "[7]", "seg", "correction"),
        ("[signature] G O L O V K O", "[signature]", "seg", "description"),
        ("the text [illegible] ends", "[illegible]", "seg", "description"),
        ("as follows [...] and", "[...]", "seg", "omission"),
        ("by Zhou Enlai) [Excerpt]", "[Excerpt]", "seg", "omission"),
    ],
)
def test_bracket_kinds(text: str, bracket: str, tag: str, kind: str) -> None:
    assert (tag, bracket, kind) in tagged(text)


def test_brackets_keep_the_brackets_inside_the_span() -> None:
    doc = make_doc("To FILIPPOV [Stalin].")
    (span,) = ApparatusTagger()(doc)
    assert doc.text[span.start : span.end] == "[Stalin]"
    assert span.priority == PRIORITY_APPARATUS and "persName" in span.allows
    assert span.choice is None and span.note is None


def test_source_and_archival_brackets_are_left_alone() -> None:
    text = "[Source: APRF, fond 45, opis 1, delo 331, list 79]\n[APRF, fond 3, opis 65, delo 827]"
    assert tagged(text, blocks=line_blocks(text)) == []


def test_transliterated_terms_become_foreign() -> None:
    text = "an attack [nastuplenie] and a war [k bol'shoi voine]."
    result = tagged(text, conventions={"original_language": "ru"})
    assert ("seg", "[nastuplenie]", "originalTerm") in result
    doc = make_doc(text, conventions={"original_language": "ru"})
    foreign = [s for s in ApparatusTagger()(doc) if s.tag == "foreign"]
    assert [doc.text[s.start : s.end] for s in foreign] == ["nastuplenie", "k bol'shoi voine"]
    assert all(s.attr("xml:lang") == "ru-Latn" for s in foreign)


def test_without_the_original_language_no_term_is_guessed() -> None:
    assert tagged("an attack [nastuplenie].") == [("supplied", "[nastuplenie]", RESP_TRANSLATOR)]


@pytest.mark.parametrize(
    "words", ["instantsiya", "okhotnik", "nedovol'stvo", "kraine bol'shim", "k bol'shoi voine"]
)
def test_russian_terms_are_recognised(words: str) -> None:
    assert looks_transliterated(words, "ru")


@pytest.mark.parametrize(
    "words",
    [
        "his",
        "the view",
        "be given",
        "rations",
        "domestic",
        "with him",
        "telegram",
        "letter",
        "Stalin",
        "of his house",
        "to have this showdown",
        "a b c d e",
    ],
)
def test_english_words_are_not_taken_for_russian(words: str) -> None:
    assert not looks_transliterated(words, "ru")
    assert not looks_transliterated("nastuplenie", "xx")


def test_source_attribution_closing_a_paragraph() -> None:
    text = "Quoted passage ends here.  [China File]\nIn the middle [Free Beacon] of text."
    result = tagged(text, blocks=line_blocks(text))
    assert ("bibl", "[China File]", "attribution") in result
    assert ("supplied", "[Free Beacon]", RESP_TRANSLATOR) in result


def test_nested_handwritten_note_keeps_inner_description() -> None:
    text = "[Handwritten note in the Technical ?estimate? What else [[one word off the page]]”]"
    result = tagged(text)
    assert result[0] == ("seg", text, "handwritten")
    assert ("seg", "[[one word off the page]]", "description") in result
    doc = make_doc(text)
    assert len(select(ApparatusTagger()(doc))) == 2  # the inner one nests in the outer


def test_signed_bracket_resp_depends_on_the_initials() -> None:
    text = "A draft [cable to Shtykov - AM] and [note - KW]"
    result = tagged(text, translator="Alexandre Y. Mansourov")
    assert ("supplied", "[cable to Shtykov - AM]", RESP_TRANSLATOR) in result
    assert ("supplied", "[note - KW]", RESP_SOURCE_EDITOR) in result


def test_bracket_resp_conventions() -> None:
    assert bracket_resp(make_doc("x")) == RESP_TRANSLATOR
    assert bracket_resp(make_doc("x", translator=None)) == RESP_SOURCE_EDITOR
    assert bracket_resp(make_doc("x", translator=None, conventions={"original_language": "ru"}))
    forced = make_doc("x", conventions={"bracket_resp": "source-editor"})
    assert bracket_resp(forced) == RESP_SOURCE_EDITOR
    assert tagged("[Ho]", translator=None) == [("supplied", "[Ho]", RESP_SOURCE_EDITOR)]


def test_names_nest_inside_brackets() -> None:
    doc = make_doc("FILIPPOV [Stalin] wrote.")
    name = Span(10, 16, "persName", attrs(ref="#stalin"), priority=PRIORITY_NAME)
    kept = select([*ApparatusTagger()(doc), name])
    assert [s.tag for s in kept] == ["supplied", "persName"]


# -- machine translation ------------------------------------------------------------

MT = {
    "translator": "unattributed machine translation from Chinese",
    "conventions": {"original_language": "zh"},
}


def test_lost_possessive_apostrophe_gets_sic_and_corr() -> None:
    doc = make_doc("the command of the People s Army was handed over", **MT)
    (span,) = ApparatusTagger()(doc)
    assert span.tag == "sic" and doc.text[span.start : span.end] == "People s"
    assert span.choice.tag == "corr" and span.choice.content == ("People's",)
    assert dict(span.choice.attrs) == {"resp": RESP_EDITORS, "cert": "high"}
    assert span.note.attrs == attrs(type="correction", resp=RESP_EDITORS)


def test_drafting_labels_get_a_note_without_corr() -> None:
    text = "Copywriter 1: ** and Kim left.\nCopywriting 2: After receiving"
    doc = make_doc(text, blocks=line_blocks(text), **MT)
    spans = ApparatusTagger()(doc)
    assert [doc.text[s.start : s.end] for s in spans] == ["Copywriter 1:", "Copywriting 2:"]
    assert all(s.choice is None and s.note is not None for s in spans)
    assert all(dict(s.note.attrs)["type"] == "editorial" for s in spans)


def test_language_specific_rules_need_that_language() -> None:
    text = "the 13th Corps of Siye as the backbone"
    zh = ApparatusTagger()(make_doc(text, **MT))
    assert [s.choice.content for s in zh] == [("the Fourth Field Army",)]
    ru = make_doc(text, translator="machine translation", conventions={"original_language": "ru"})
    assert ApparatusTagger()(ru) == []


def test_human_translations_get_no_mt_corrections() -> None:
    assert ApparatusTagger()(make_doc("the People s Army")) == []
    forced = make_doc("the People s Army", conventions={"machine_translation": "yes"})
    assert len(ApparatusTagger()(forced)) == 1


# -- the seeds ------------------------------------------------------------------------


def seed_doc(key: str) -> SourceDocument:
    path = SEEDS[key]
    text = read_text(path)
    return SourceDocument(
        path=str(path),
        text=text,
        meta=read_meta(path),
        profile="plain",
        body=Division("body", line_blocks(text)),
    )


EXPECTED_SEEDS = {
    "000": {"supplied": 1, "sic": 6},
    "001": {"supplied": 3},
    "002": {"supplied": 5, "seg": 7, "foreign": 3, "bibl": 2},
    "003": {"supplied": 35, "seg": 8, "foreign": 3},
    "004": {"supplied": 18, "seg": 1},
}


@pytest.mark.parametrize("key", sorted(EXPECTED_SEEDS))
def test_seed_counts(key: str) -> None:
    doc = seed_doc(key)
    spans = ApparatusTagger()(doc)
    assert dict(Counter(s.tag for s in spans)) == EXPECTED_SEEDS[key]
    assert doc.problems == []
    assert all(doc.text[s.start] in "[" for s in spans if s.tag in {"supplied", "bibl"})


def test_seed_003_every_non_source_bracket_is_marked() -> None:
    doc = seed_doc("003")
    spans = ApparatusTagger()(doc)
    marked = {s.start for s in spans if s.tag != "foreign"}
    brackets = [m.start() for m in re.finditer(r"\[(?!Source:|APRF)", doc.text)]
    assert set(brackets) == marked


# -- endnote anchors ------------------------------------------------------------------


def notes_doc(body: str, notes: dict[str, str]) -> SourceDocument:
    text = body + "\n\nNotes\n"
    blocks = line_blocks(body)
    for n, note in notes.items():
        line = f"{n}. {note}"
        blocks.append(Block("note", len(text), len(text) + len(line), type="endnote", n=n))
        text += line + "\n"
    return make_doc(text, blocks=blocks)


def test_anchors_point_to_existing_endnotes() -> None:
    doc = notes_doc(
        "to isolate the US imperialists.13 In the meantime\n"
        "ports, and airfields.39 During the war\n"
        "as Mao wrote”7 and went on\n"
        "a stray number.99 here",
        {"13": "Cited in X. Page 8 Back", "39": "See Y. Back", "7": "Z (1999). Page 2"},
    )
    spans = FootnoteAnchors()(doc)
    refs = [(doc.text[s.start : s.end], s.attr("target")) for s in spans if s.tag == "ref"]
    assert refs == [
        ("13", "#" + endnote_id("t", "13")),
        ("39", "#" + endnote_id("t", "39")),
        ("7", "#" + endnote_id("t", "7")),
    ]
    assert all(s.attr("type") == "noteAnchor" for s in spans if s.tag == "ref")
    assert [p.message for p in doc.problems] == ["possible note anchor 99 has no endnote"]


def test_backlinks_are_marked() -> None:
    doc = notes_doc("text", {"1": "A book. Page 8 Back", "2": "No link here", "3": "Back to X"})
    spans = FootnoteAnchors()(doc)
    backs = [s for s in spans if s.tag == "seg"]
    assert [doc.text[s.start : s.end] for s in backs] == ["Back"]
    assert backs[0].attr("type") == "backlink"
    assert doc.text[backs[0].start - 7 : backs[0].end] == "Page 8 Back"


@pytest.mark.parametrize(
    "body",
    [
        "On 1.X.50 at 3:00",
        "late in the summer of 1946.31 more",
        "see p.12 and No.13 and ll.37-40",
        "an F86 was shot down",
        "the 13th Corps",
        "open for 2,600 pilots",
        "was 75 ,823, consisting",
        "articles 3-5 and 12/13",
        "Journal 38 (4) 6. Page 13",
    ],
)
def test_quantities_dates_and_codes_are_not_anchors(body: str) -> None:
    numbers = {str(n): "A note. Back" for n in range(1, 1000)}
    doc = notes_doc(body, numbers)
    assert [s for s in FootnoteAnchors()(doc) if s.tag == "ref"] == []


def test_documents_without_endnotes_get_nothing() -> None:
    doc = make_doc("the imperialists.13 In the meantime")
    assert FootnoteAnchors()(doc) == []
    assert doc.problems == []


def test_seed_chronology_backlinks() -> None:
    doc = seed_doc("004")
    start = doc.text.index("Literature Notes Documents")
    blocks = [b for b in doc.body.blocks() if b.start < start]
    for block in (b for b in doc.body.blocks() if b.start > start):
        number = re.match(r"(\d+)\.", doc.block_text(block))
        if number:
            blocks.append(Block("note", block.start, block.end, type="endnote", n=number[1]))
        elif blocks[-1].kind == "note":
            blocks[-1].end = block.end
        else:
            blocks.append(block)
    doc.body = Division("body", blocks)
    spans = FootnoteAnchors()(doc)
    counts = Counter(s.tag for s in spans)
    assert counts["seg"] == 58  # of 59 endnotes; one ends without "Back"
    assert counts["ref"] == 0  # anchors 2, 13, 38, 39 have no endnote in this page
    assert sorted(p.message[-20:] for p in doc.problems) == sorted(
        f"anchor {n} has no endnote"[-20:] for n in ("2", "13", "38", "39")
    )

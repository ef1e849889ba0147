"""Source profiles: detection, structure, and the reader invariant (blocks in
order, not overlapping, covering every non-whitespace character)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.errors import InputError
from edition.model import Block, Division, SourceMeta
from edition.sources import PROFILE_NAMES, PROFILES, detect_profile, read_source
from edition.sources.common import (
    coverage_errors,
    is_date_line,
    numeric_date_order,
    parse_heading,
    signature,
    split_lines,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "seeds").glob("*.txt"))}
DATA = ROOT / "tests" / "data" / "sources"
SAMPLES = sorted(DATA.glob("*.txt"))


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read(path: Path, profile: str | None = None):
    return read_source(str(path), text_of(path), SourceMeta(id="t"), profile)


def documents(body: Division) -> list[Division]:
    return [d for d in body.divisions() if d.type == "document"]


def block_text(doc, block: Block) -> str:
    return doc.text[block.start : block.end]


def kinds(body: Division) -> Counter[str]:
    return Counter(f"{b.kind}:{b.type}" if b.type else b.kind for b in body.blocks())


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("seed", "profile"),
    [("000", "article"), ("001", "wilson"), ("002", "blog"), ("003", "collection"),
     ("004", "chronology")],
)
def test_seed_profiles_are_detected(seed, profile):
    assert detect_profile(text_of(SEEDS[seed]))[0] == profile


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_new_documents_are_detected_by_their_shape(path):
    expected = path.stem.split("_")[0]
    name, scores = detect_profile(text_of(path))
    assert name == expected, scores
    assert set(scores) == set(PROFILE_NAMES)


def test_detection_ignores_file_names_and_falls_back_to_plain():
    assert detect_profile("")[0] == "plain"
    assert detect_profile("Just one sentence here.")[0] == "plain"


# --------------------------------------------------------------------------- invariant

ALL_TEXTS = [*SEEDS.values(), *SAMPLES]


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.stem)
def test_every_profile_covers_every_text(path, profile):
    doc = read(path, profile)
    assert coverage_errors(doc.text, doc.body) == []
    assert doc.profile == profile


ODD_TEXTS = [
    "",
    "   \n\n\t  \n",
    "x",
    '"Unclosed quotation that never ends\nand goes on\n',
    "Document 7:\nDocument 7:\n",
    "Document 1: Letter, A to B, 1 May 1950\n",
    "1950\n1951\n",
    "7-3-1949\n8-3-1949\n9-3-1949 x\n\n",
    "* * *\n###\n\n---",
    "Windows\r\nline endings\r\n\r\nsecond paragraph\r\n",
    "To Comrade X\n\n\"Comrade Y,\n\"nested\"\nend\"\n",
    "Attachment\n[Attachment]\nA. G R O M Y K O\n1 October 1950\nmore text\n",
    "1. \n2)\n(3) x\n• \n",
    "Tag: x\nDocument Information\nSource\nRecord ID\n",
    "\u2028odd\u2029separators\x1cand\u0085more\n",
]


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_texts_keep_the_invariant(text, profile):
    body, _ = PROFILES[profile].read(text)
    assert coverage_errors(text, body) == []


_ALPHABET = st.sampled_from(
    [*"abcXYZ019 .,:;!?-*#[]()\"“”'•\n\n\n\t", "Document 3: ", "Comrade ", "1950", "7-3-1949 ",
     "No. 4", "[Source: APRF, fond 1]", "MAO"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(PROFILE_NAMES))
def test_random_texts_keep_the_invariant(text, profile):
    body, _ = PROFILES[profile].read(text)
    assert coverage_errors(text, body) == []


def test_coverage_check_catches_gaps_overlaps_and_cut_words():
    text = "alpha beta gamma"
    good = Division("body", [Block("p", 0, 16)])
    assert coverage_errors(text, good) == []
    assert coverage_errors(text, Division("body", [Block("p", 0, 5)]))
    assert coverage_errors(text, Division("body", [Block("p", 0, 10), Block("p", 6, 16)]))
    assert coverage_errors(text, Division("body", [Block("p", 0, 3), Block("p", 3, 16)]))


# --------------------------------------------------------------------------- seeds


def test_wilson_page_structure():
    doc = read(SEEDS["001"])
    types = [d.type for d in doc.body.children]
    assert types == ["paratext", "document", "summary", "paratext"]
    main = doc.body.children[1]
    assert main.meta.sender == "Mao Zedong" and main.meta.recipient == "I.V. Stalin"
    assert main.meta.date_text == "January 27, 1951" and main.meta.place_sent == "BEIJING"
    quoted = [d for d in main.children if isinstance(d, Division)]
    assert len(quoted) == 1 and quoted[0].floating
    assert quoted[0].meta.sender == "PENG DEHUAI"
    assert quoted[0].meta.recipient == "Comrade MAO ZEDONG"
    assert [b.n for b in quoted[0].blocks() if b.kind == "item"] == ["1", "2", "3", "4"]
    header = {block_text(doc, b): b.type for b in main.children if isinstance(b, Block)}
    assert header["CIPHERED TELEGRAM"] == "classification"
    assert header["Copies: Stalin (2)"] == "distribution"
    assert header["From BEIJING Received 19 hours 35 minutes 27.1.1951"] == "transmission"
    assert header["No. 449"] == "docket"
    assert doc.conventions["record_id"] == "110020"
    assert doc.conventions["dot_dates"] == "dmy"
    fields = doc.body.children[-1]
    source = [b for b in fields.blocks() if b.type == "source"]
    assert [block_text(doc, b) for b in source] == ["APRF, f. 45, op. 1, d. 337, ll. 37-40."]


def test_collection_documents_and_meta():
    doc = read(SEEDS["003"])
    docs = [d for d in doc.body.children if isinstance(d, Division) and d.type == "document"]
    assert [d.n for d in docs] == [str(n) for n in range(7, 18)]
    seven = docs[0].meta
    assert (seven.doc_type, seven.sender, seven.recipient, seven.date_text, seven.number) == (
        "Ciphered Telegram", "Filippov (Stalin)",
        "Soviet Ambassador in Beijing (N.V. Roshchin)", "5 July 1950", "7")
    floating = {d.n: [c.meta.sender for c in d.children
                                    if isinstance(c, Division) and c.floating] for d in docs}
    assert floating["12"] == ["MAO ZEDONG"]
    assert floating["16"] == ["KIM IL SUNG"]
    assert len(floating["8"]) == len(floating["9"]) == len(floating["14"]) == 1
    assert doc.body.children[0].kind == "head"
    assert doc.body.children[1].type == "paratext"  # running title, download box
    assert doc.body.children[-1].type == "paratext"
    assert doc.conventions["slash_dates"] == "mdy"
    counts = kinds(doc.body)
    assert counts["ab:source"] == 11
    assert counts["signed"] >= 6


def test_collection_distribution_list_wraps():
    doc = read(SEEDS["003"])
    fifteen = next(d for d in documents(doc.body) if d.n == "15")
    dist = [b for b in fifteen.children if isinstance(b, Block) and b.type == "distribution"]
    assert len(dist) == 1 and block_text(doc, dist[0]).endswith("Khrushchev - 1.")
    salute = [b for b in fifteen.children if isinstance(b, Block) and b.kind == "salute"]
    assert [block_text(doc, b) for b in salute] == ["Comrade STALIN I.V.:"]


def test_blog_posts_caption_and_quoted_cable():
    doc = read(SEEDS["002"])
    posts = [d for d in doc.body.children if d.type == "section"]
    assert len(posts) == 3
    cable = next(d for d in documents(doc.body))
    assert cable.floating and cable.meta.doc_type == "cable"
    assert cable.meta.date_text == "May 30, 1950"
    assert block_text(doc, next(cable.blocks())).startswith("To VYSHINSKY")
    captions = [block_text(doc, b) for b in doc.body.blocks() if b.type == "caption"]
    assert len(captions) == 2 and captions[1].startswith("From left to right")
    boiler = [block_text(doc, b) for b in doc.body.blocks() if b.type == "boilerplate"]
    assert "You can read more at the link." in boiler and "Tag: Soviet Union" in boiler


def test_article_byline_and_paratext():
    doc = read(SEEDS["000"])
    article = next(d for d in doc.body.children if d.type == "article")
    first = list(article.blocks())[:2]
    assert [b.kind for b in first] == ["head", "byline"]
    assert block_text(doc, first[1]) == "Mondo Military Updated on 2024-02-18"
    assert doc.body.children[-1].type == "paratext"
    assert kinds(doc.body)["p"] > 50


def test_chronology_parts():
    doc = read(SEEDS["004"])
    types = [d.type for d in doc.body.children]
    assert types[:2] == ["intro", "chronology"] and "notes" in types
    years = [d for d in doc.body.divisions() if d.type == "year"]
    assert [d.n for d in years] == ["1949", "1950", "1951", "1952", "1953", "1954"]
    first = [block_text(doc, b) for b in years[0].blocks() if b.kind == "item"]
    assert first[0].startswith("January Li Lisan") and first[0].endswith("on Korean troops")
    assert first[1] == "7-3-1949 Stalin meets Kim"
    assert sum(1 for d in years for b in d.blocks() if b.kind == "item") == 342
    notes = next(d for d in doc.body.children if d.type == "notes")
    ns = [b.n for b in notes.blocks() if b.kind == "note"]
    assert "34" in ns and ns[-1] == "119"
    assert all(b.type == "endnote" for b in notes.blocks() if b.kind == "note")
    note118 = next(b for b in notes.blocks() if b.n == "118")
    assert "only one third" in block_text(doc, note118)  # unnumbered line joined
    assert doc.conventions["dash_dates"] == "dmy"
    assert doc.body.children[-1].type == "paratext"  # "Continue to Article 55"
    meetings = doc.body.children[-2]
    assert sum(1 for b in meetings.blocks() if b.kind == "item") == 9


# --------------------------------------------------------------------------- new documents


def test_other_wilson_page():
    doc = read(DATA / "wilson_shtykov.txt")
    main = documents(doc.body)[0]
    assert main.meta.sender == "Tunkin" and main.meta.place_sent == "PYONGYANG"
    assert doc.conventions["record_id"] == "112130"
    assert any(b.kind == "signed" for b in main.blocks())
    meta = [block_text(doc, b) for b in doc.body.blocks() if b.type == "metadata"]
    assert "Archive of Foreign Policy of the Russian Federation" in meta


def test_other_collection():
    doc = read(DATA / "collection_bulletin.txt")
    docs = [d for d in documents(doc.body) if not d.floating]
    assert [d.n for d in docs] == ["1", "2", "3"]
    assert docs[1].meta.doc_type == "Letter" and docs[1].meta.sender == "Zhou Enlai"
    kim = [d for d in docs[1].children if isinstance(d, Division)]
    assert kim and kim[0].meta.sender == "KIM IL SUNG" and kim[0].meta.doc_type == "message"
    attached = [d for d in docs[2].children if isinstance(d, Division)]
    assert len(attached) == 1  # the draft after the memorandum's signature
    assert doc.conventions["slash_dates"] == "dmy"  # 18/07/52 tells
    wrapped = [block_text(doc, b) for b in docs[0].blocks() if b.n == "2"]
    assert wrapped == ["2. To continue the negotiations in the same spirit,\nwithout hurrying."]


def test_other_chronology():
    doc = read(DATA / "chronology_sixties.txt")
    years = [d for d in doc.body.divisions() if d.type == "year"]
    assert [(d.n, sum(1 for b in d.blocks() if b.kind == "item")) for d in years] == [
        ("1960", 2), ("1961", 3)]
    notes = next(d for d in doc.body.children if d.type == "notes")
    assert [b.n for b in notes.blocks() if b.kind == "note"] == ["1", "2", "3"]
    types = Counter(b.type for b in doc.body.blocks())
    assert types["link"] == 1 and types["citation"] == 1


def test_chronology_without_year_headings_groups_by_entry_year():
    text = "".join(f"{d}-5-{y} event {d}\n" for y in (1960, 1961) for d in (1, 2, 3))
    body, conv = PROFILES["chronology"].read(text)
    assert [d.n for d in body.divisions() if d.type == "year"] == ["1960", "1961"]
    assert conv == {"dash_dates": "dmy"}


def test_other_blog_and_article():
    blog = read(DATA / "blog_letters.txt")
    letter = documents(blog.body)[0]
    assert letter.floating and letter.meta.sender == "KIM IL SUNG"
    assert letter.meta.doc_type == "letter" and letter.meta.date_text == "March 1950"
    article = read(DATA / "article_feature.txt")
    sections = [d for d in article.body.divisions() if d.type == "section"]
    assert len(sections) == 2
    assert Counter(b.kind for b in article.body.blocks())["byline"] == 2


# --------------------------------------------------------------------------- API


def test_read_source_profile_choice_and_errors(tmp_path):
    text = text_of(SEEDS["001"])
    assert read_source("a.txt", text, SourceMeta(id="a")).profile == "wilson"
    assert read_source("a.txt", text, SourceMeta(id="a", kind="plain")).profile == "plain"
    assert read_source("a.txt", text, SourceMeta(id="a", kind="plain"), "blog").profile == "blog"
    with pytest.raises(InputError) as info:
        read_source("a.txt", text, SourceMeta(id="a"), "poem")
    assert "unknown profile 'poem'" in str(info.value) and "wilson" in str(info.value)
    with pytest.raises(InputError):
        read_source("a.txt", text, SourceMeta(id="a", kind="nonsense"))


def test_sidecar_conventions_override_the_profile():
    meta = SourceMeta(id="a", conventions={"dot_dates": "mdy", "extra": "1"})
    doc = read_source("a.txt", text_of(SEEDS["001"]), meta)
    assert doc.conventions["dot_dates"] == "mdy" and doc.conventions["extra"] == "1"
    assert doc.conventions["record_id"] == "110020"


def test_empty_text_has_no_blocks():
    for name in PROFILE_NAMES:
        body, _ = PROFILES[name].read("")
        assert list(body.blocks()) == []


# --------------------------------------------------------------------------- helpers


def test_split_lines_offsets():
    text = "  a b \n\n\tc\r\nd"
    lines = split_lines(text)
    assert [(text[x.start : x.end], x.blank_before) for x in lines] == [
        ("a b", True), ("c", True), ("d", False)]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Memorandum Gromyko to Stalin, 30 September 1950, with draft cable",
         ("Memorandum", "Gromyko", "Stalin", "30 September 1950")),
        ("Ciphered telegram from Roshchin in Beijing to Filippov [Stalin], 3 October 1950",
         ("Ciphered telegram", "Roshchin", "Filippov [Stalin]", "3 October 1950")),
        ("Letter, Fyn Si [Stalin] to Kim Il Sung (via Shtykov), 8 [7] October 1950",
         ("Letter", "Fyn Si [Stalin]", "Kim Il Sung (via Shtykov)", "8 [7] October 1950")),
        ("Gromyko and Vasilevsky to Stalin, 6 October 1950",
         (None, "Gromyko and Vasilevsky", "Stalin", "6 October 1950")),
        ("Minutes of a meeting", ("Minutes", None, None, None)),
    ],
)
def test_parse_heading(heading, expected):
    meta = parse_heading(heading)
    assert (meta.doc_type, meta.sender, meta.recipient, meta.date_text) == expected


def test_signatures_and_datelines():
    assert signature("A. G R O M Y K O") == ("A. G R O M Y K O", None)
    assert signature('PENG DEHUAI 12:00 19.1.51."') == ("PENG DEHUAI", "12:00 19.1.51")
    assert signature("(A. Vasilevsky) (A. Gromyko)")
    assert signature("Respectfully, KIM IL SUNG\"")[0] == "KIM IL SUNG"
    assert signature("The enemy has advanced.") is None
    assert is_date_line("5.7.50 [5 July 1950]") and is_date_line("Moscow, 1 October 1950")
    assert not is_date_line("On 1 October we met the ambassador and discussed the war at length")


def test_numeric_date_order_reads_the_evidence():
    assert numeric_date_order("on 27.1.1951", ".", "mdy") == "dmy"
    assert numeric_date_order("on 10/29/50", "/", "dmy") == "mdy"
    assert numeric_date_order("on 07/05/50", "/", "mdy") == "mdy"
    assert numeric_date_order("no dates", "/", "mdy") is None

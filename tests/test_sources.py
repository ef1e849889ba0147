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
        ("Minutes of a meeting", ("Minutes of a meeting", None, None, None)),
        ("Record of a Conversation between Stalin and Kim Il Sung, 5 March 1949",
         ("Record of a Conversation", None, None, "5 March 1949")),
        ("Cable from Shtykov to Zakharov on the First Day of the Offensive",
         ("Cable", "Shtykov", "Zakharov", None)),
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


# --------------------------------------------------------------------------- unseen documents


def own_blocks(doc, division: Division) -> dict[str, Block]:
    """The division's own blocks by text (not those of quoted documents)."""
    return {block_text(doc, b): b for b in division.children if isinstance(b, Block)}


def meta_of(division: Division) -> tuple:
    m = division.meta
    return (m.doc_type, m.sender, m.recipient, m.date_text, m.place_sent)


def test_single_translated_document_is_a_collection_of_one():
    doc = read(DATA / "collection_single_telegram.txt")
    assert doc.profile == "collection"
    [main] = documents(doc.body)
    assert main.n == "3" and meta_of(main) == (
        "Ciphered Telegram", "Shtykov", "Vyshinsky", "12 June 1950", "PYONGYANG")
    blocks = own_blocks(doc, main)
    assert blocks["SHTYKOV"].kind == "signed"  # not a heading, as the plain profile had it
    assert blocks["CIPHERED TELEGRAM"].type == "classification"
    assert blocks["From PYONGYANG Received 12 June 1950 at 14:20"].type == "transmission"
    assert blocks["To Comrade VYSHINSKY."].kind == "salute"
    assert blocks["No. 408"].type == "docket" and blocks["12.6.50"].kind == "dateline"
    assert [b.n for b in main.blocks() if b.kind == "item"] == ["1", "2", "3"]
    assert list(blocks.values())[-1].type == "source"


def test_untitled_single_telegram_takes_its_meta_from_the_title_line():
    doc = read(DATA / "collection_untitled_telegram.txt")
    [main] = documents(doc.body)
    assert main.n is None and main.meta.title.startswith("Ciphered Telegram from Roshchin")
    assert meta_of(main) == ("Ciphered Telegram", "Roshchin", "Filippov [Stalin]",
                             "3 October 1950", "Beijing")
    assert Counter(b.kind for b in main.blocks())["signed"] == 1
    assert kinds(doc.body)["ab:classification"] == 1  # STRICTLY SECRET


def test_prose_with_one_document_heading_is_not_a_document():
    text = "Document 1: Why we study the war\n\nA short essay without any telegram in it.\n"
    assert detect_profile(text)[0] != "collection"
    body, _ = PROFILES["collection"].read("An essay.\n\nNothing else here.\n")
    assert [d.type for d in body.children] == ["section"]


def test_collection_of_letters_with_place_datelines():
    doc = read(DATA / "collection_letters.txt")
    docs = documents(doc.body)
    assert [meta_of(d) for d in docs] == [
        ("Letter", "Kim Il Sung", "Stalin", "14 September 1949", "Pyongyang"),
        ("Telegram", "Vyshinsky", "Shtykov", "30 January 1950", "Moscow")]
    closing = [block_text(doc, b) for b in docs[0].blocks() if b.kind == "salute"]
    assert closing == ["Dear Comrade Stalin!", "Respectfully,"]
    assert [d.type for d in doc.body.children if isinstance(d, Division)] == [
        "section", "document", "document", "paratext"]


def test_wilson_letter_page():
    doc = read(DATA / "wilson_letter.txt")
    main = documents(doc.body)[0]
    assert meta_of(main) == ("Letter", "Fyn Si [Stalin]", "Kim Il Sung (via Shtykov)",
                             "October 8, 1950", "Moscow")
    blocks = own_blocks(doc, main)
    assert blocks["FYN SI"].kind == "signed" and blocks["With greetings,"].kind == "salute"
    assert blocks["Moscow, 7 October 1950"].kind == "dateline"
    assert doc.conventions["record_id"] == "117313"
    fields = doc.body.children[-1]
    assert fields.n == "document-information"
    values = {b.n: block_text(doc, b) for b in fields.blocks() if b.type == "metadata"}
    assert values["Type"] == "Letter" and values["Original Uploaded Date"] == "2011-11-20"


def test_wilson_record_of_conversation():
    doc = read(DATA / "wilson_conversation.txt")
    assert [d.type for d in doc.body.children] == [
        "paratext", "document", "summary", "paratext"]  # site name above the date
    main = documents(doc.body)[0]
    assert main.meta.doc_type == "Record of a Conversation"
    assert main.meta.date_text == "March 5, 1949"
    blocks = own_blocks(doc, main)
    assert blocks["Present: Molotov, Vyshinsky, Shtykov, Pak Hon-yong"].type == "participants"
    assert blocks["Recorded by Shtykov"].kind == "signed"


def test_wilson_cable_heading_recipient_stops_at_the_topic():
    doc = read(DATA / "wilson_cable_noinfo_first.txt")
    main = documents(doc.body)[0]
    assert meta_of(main) == ("Cable", "Shtykov", "Zakharov", "June 26, 1950", "PYONGYANG")
    blocks = own_blocks(doc, main)
    assert blocks["SHTYKOV"].kind == "signed" and blocks["26.6.50"].kind == "dateline"
    assert [b.type for b in doc.body.children[-1].blocks()].count("source") == 1


def test_blog_post_quoting_a_letter():
    doc = read(DATA / "blog_quoted_letter.txt")
    assert doc.body.children[0].kind == "head"  # the site's name over the post title
    [post] = [d for d in doc.body.children if isinstance(d, Division) and d.type == "section"]
    assert Counter(b.kind for b in post.blocks())["byline"] == 1
    [letter] = documents(doc.body)
    assert letter.floating and letter.meta.doc_type == "letter"
    assert letter.meta.sender == "FILIPPOV" and letter.meta.recipient == "Comrade Mao Zedong"
    # the paragraph after the closing quotation belongs to the post, not the letter
    after = [block_text(doc, b) for b in post.children if isinstance(b, Block)][-1]
    assert after.startswith("Mao replied")


def test_blog_telegram_and_captions():
    doc = read(DATA / "blog_telegram_post.txt")
    [cable] = documents(doc.body)
    assert (cable.meta.doc_type, cable.meta.sender, cable.meta.date_text) == (
        "telegram", "SHTYKOV", "June 26, 1950")
    two = read(DATA / "blog_two_posts.txt")
    assert [block_text(two, b) for b in two.body.blocks() if b.type == "caption"] == [
        "Negotiators at Panmunjom, 1953."]
    assert len([d for d in two.body.children if d.type == "section"]) == 2


@pytest.mark.parametrize(
    ("name", "bylines", "sections"),
    [("article_masks", ["Military Review Updated on 2023-05-04"], 1),
     ("article_byline_sections", ["By Alan Smith", "Published on March 3, 2019"], 2),
     ("article_plain_web", ["Posted on 2022-01-15"], 0)],
)
def test_new_articles(name, bylines, sections):
    doc = read(DATA / f"{name}.txt")
    assert [block_text(doc, b) for b in doc.body.blocks() if b.kind == "byline"] == bylines
    assert len([d for d in doc.body.divisions() if d.type == "section"]) == sections
    masks = read(DATA / "article_masks.txt")
    assert masks.body.children[-1].type == "paratext"


@pytest.mark.parametrize(
    ("name", "years"),
    [("chronology_iso", [("1950", 4), ("1951", 2)]),
     ("chronology_month_first", [("1950", 4), ("1951", 1), ("1953", 1)]),
     ("chronology_day_month", [("1952", 3), ("1953", 3)])],
)
def test_new_chronologies_group_entries_by_year(name, years):
    doc = read(DATA / f"{name}.txt")
    found = [(d.n, sum(1 for b in d.blocks() if b.kind == "item"))
             for d in doc.body.divisions() if d.type == "year"]
    assert found == years
    items = [block_text(doc, b) for b in doc.body.blocks() if b.kind == "item"]
    assert all(b[:1].isdigit() or b.split()[0] in {"June", "September", "October", "April",
                                                    "July"} for b in items)


@pytest.mark.parametrize(("line", "salute"), [
    ("Comrade Stalin!", True),
    ('"To Comrade MAO ZEDONG.', True),
    ("Comrade STALIN I.V.", True),
    ("Dear Comrade Kim Il Sung,", True),
    ("Comrade Kim Il Sung asked me on October 9, 11, and 12, 1950 about Pyongyang.", False),
    ("Comrade Shtykov has reported that the factories are ruined.", False),
])
def test_a_salute_is_a_form_of_address_not_a_sentence(line: str, salute: bool) -> None:
    from edition.sources.common import is_opening_salute

    assert is_opening_salute(line) is salute

"""Tests of the date enricher (edition.enrich.dates)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.enrich.dates import DateTagger, normalise_date
from edition.model import (
    PRIORITY_DATE,
    RESP_EDITORS,
    Block,
    Division,
    DocumentMeta,
    SourceDocument,
    SourceMeta,
    Span,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def make_doc(text: str, body: Division | None = None, **conventions: str) -> SourceDocument:
    body = body or Division("body", [Block("p", 0, len(text))])
    return SourceDocument(path="t.txt", text=text, meta=SourceMeta(id="t"), profile="plain",
                          body=body, conventions=conventions)  # fmt: skip


def tag(text: str, body: Division | None = None, **conventions: str):
    doc = make_doc(text, body, **conventions)
    spans = DateTagger()(doc)
    return doc, [(text[s.start : s.end], dict(s.attrs)) for s in spans], spans


def dates(text: str, **conventions: str) -> list[tuple[str, str]]:
    """(text, when-or-from/to) for every date found."""
    _, found, _ = tag(text, **conventions)
    return [(t, a.get("when") or f"{a['from']}/{a['to']}") for t, a in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow, January 27, 1951.", ("January 27, 1951", "1951-01-27")),
        ("dated 27 January 1951 here", ("27 January 1951", "1951-01-27")),
        ("the 3rd of May 1952", ("3rd of May 1952", "1952-05-03")),
        ("Received 27.1.1951", ("27.1.1951", "1951-01-27")),
        ("MAO 26.1.51", ("26.1.51", "1951-01-26")),
        ("typed 5.7.50", ("5.7.50", "1950-07-05")),
        ("On 1.X.50 at", ("1.X.50", "1950-10-01")),
        ("dated 24.III.50", ("24.III.50", "1950-03-24")),
        ("seen 9.IV.1953", ("9.IV.1953", "1953-04-09")),
        ("7-3-1949 Stalin meets Kim", ("7-3-1949", "1949-03-07")),
        ("Updated on 2024-02-18", ("2024-02-18", "2024-02-18")),
        ("in September 1950 the", ("September 1950", "1950-09")),
        ("In December 1996, a delegation", ("December 1996", "1996-12")),
        ("OCTOBER 3, 1950", ("OCTOBER 3, 1950", "1950-10-03")),
        ("on Sept. 16, 1950", ("Sept. 16, 1950", "1950-09-16")),
        ("it was in 1956 that", ("1956", "1956")),
        ("Yan Xue-tong (2002). Analysis", ("2002", "2002")),
        ("Deng Hua (1910-1980) as a", ("1910-1980", "1910/1980")),
        ("relations 1949–1976.", ("1949–1976", "1949/1976")),
    ],
)
def test_single_forms(text: str, expected: tuple[str, str]) -> None:
    assert dates(text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["1,000 men", "11,731 soldiers", "NSC-68 was", "Page 1950 of", "200-300 pilots",
     "No. 2270 3.10", "version 1.2.3", "the October Revolution", "1930s", "Kim's 1956-era"],
)  # fmt: skip
def test_not_dates(text: str) -> None:
    doc, found, _ = tag(text)
    assert found == []
    assert doc.problems == []


def test_slash_dates_follow_the_convention() -> None:
    assert dates("on 07/05/50") == [("07/05/50", "1950-07-05")]
    assert dates("on 07/05/50", slash_dates="dmy") == [("07/05/50", "1950-05-07")]


def test_dot_and_dash_conventions() -> None:
    assert dates("14-06-1950") == [("14-06-1950", "1950-06-14")]
    assert dates("06-14-1950", dash_dates="mdy") == [("06-14-1950", "1950-06-14")]
    assert dates("3.10.1950", dot_dates="mdy") == [("3.10.1950", "1950-03-10")]
    assert dates("5.7.50", century="18") == [("5.7.50", "1850-07-05")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PENG DEHUAI 12:00 19.1.51.", ("12:00 19.1.51", "1951-01-19T12:00:00")),
        ("Submitted at 23:45 p.m. on 07/05/50",
         ("23:45 p.m. on 07/05/50", "1950-07-05T23:45:00")),
        ("Typed at 0:55 a.m. on 07/06/50", ("0:55 a.m. on 07/06/50", "1950-07-06T00:55:00")),
        ("Sent by wire on 10/09/50 at 7:05 a.m.",
         ("10/09/50 at 7:05 a.m.", "1950-10-09T07:05:00")),
        ("Received 19 hours 35 minutes 27.1.1951",
         ("19 hours 35 minutes 27.1.1951", "1951-01-27T19:35:00")),
        ("on October 7, 1950 at 10:15 pm.", ("October 7, 1950 at 10:15 pm", "1950-10-07T22:15:00")),
        ("at 12:30 a.m., 2 May 1951", ("12:30 a.m., 2 May 1951", "1951-05-02T00:30:00")),
    ],
)  # fmt: skip
def test_times(text: str, expected: tuple[str, str]) -> None:
    assert dates(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from November 27 to December 24, 1950, the",
         [("November 27 to December 24, 1950", "1950-11-27/1950-12-24")]),
        ("Between October 2 till 12 October 1952, 37",
         [("October 2 till 12 October 1952", "1952-10-02/1952-10-12")]),
        ("14-06-1950 – 23-06-1950", [("14-06-1950 – 23-06-1950", "1950-06-14/1950-06-23")]),
        ("Sept. 16-Oct. 15, 1950: New", [("Sept. 16-Oct. 15, 1950", "1950-09-16/1950-10-15")]),
        ("between 8 and 10 June 1950", [("8 and 10 June 1950", "1950-06-08/1950-06-10")]),
        ("on 16-18 May 1951", [("16-18 May 1951", "1951-05-16/1951-05-18")]),
        ("June-December 1950", [("June-December 1950", "1950-06/1950-12")]),
        ("from April 8 till 25 1950", [("April 8 till 25 1950", "1950-04-08/1950-04-25")]),
        ("December 20 to January 5, 1951",
         [("December 20 to January 5, 1951", "1950-12-20/1951-01-05")]),
        ("on 8 and 10 June 1950", [("8", "1950-06-08"), ("10 June 1950", "1950-06-10")]),
        ("In April and May 1950", [("April", "1950-04"), ("May 1950", "1950-05")]),
        ("October 6 and 10, 1950", [("October 6", "1950-10-06"), ("10, 1950", "1950-10-10")]),
    ],
)  # fmt: skip
def test_ranges_and_pairs(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("met on July 23, 26, and 28, 1950 in",
         [("July 23", "1950-07-23"), ("26", "1950-07-26"), ("28, 1950", "1950-07-28")]),
        ("on 3 May 1950. Then August 3, 5 and 9, 1951 too",
         [("3 May 1950", "1950-05-03"), ("August 3", "1951-08-03"), ("5", "1951-08-05"),
          ("9, 1951", "1951-08-09")]),
        # not enumerations of days: falling days, numbers of things, no closing "and"
        ("on July 23, 1950, 26 and 28 divisions", [("July 23, 1950", "1950-07-23")]),
        ("July 23, 1950: 28, 26 and 4 men", [("July 23, 1950", "1950-07-23")]),
        ("July 4, 1950, 26, 27 units", [("July 4, 1950", "1950-07-04")]),
        ("the war lasted from 1950 to 1953, and", [("1950 to 1953", "1950/1953")]),
        ("Between 1949 and 1954 the alliance", [("1949 and 1954", "1949/1954")]),
        ("from 1950 until 1953", [("1950 until 1953", "1950/1953")]),
        ("in 1950 and 1953 both", [("1950", "1950")]),
    ],
)  # fmt: skip
def test_enumerations_and_spans_of_years(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected


def test_ordinal_and_context_year() -> None:
    _, found, spans = tag("On 5 May 1950 they met. On October 1st they left; by 3 November too.")
    assert [f[0] for f in found] == ["5 May 1950", "October 1st", "3 November"]
    assert found[1][1] == {"when": "1950-10-01", "evidence": "internal", "resp": RESP_EDITORS,
                           "cert": "medium"}  # fmt: skip
    assert "evidence" not in found[0][1]
    assert all(s.priority == PRIORITY_DATE and s.tag == "date" for s in spans)


def test_year_less_date_without_context_is_reported_not_guessed() -> None:
    doc, found, _ = tag("On 1 October they met.")
    assert found == []
    assert len(doc.problems) == 1 and "'1 October'" in doc.problems[0].message


def test_context_stays_inside_its_document() -> None:
    text = "Letter of 4 May 1951.\nOn 1 October they met."
    first, second = Block("p", 0, 21), Block("p", 22, len(text))
    body = Division("body", [Division("document", [first]), Division("document", [second])])
    doc, found, _ = tag(text, body)
    assert [f[0] for f in found] == ["4 May 1951"]
    assert doc.problems


def test_document_date_gives_the_year() -> None:
    text = "I met him on 29 May."
    document = Division("document", [Block("p", 0, len(text))],
                        meta=DocumentMeta(date_text="30 May 1950"))  # fmt: skip
    _, found, _ = tag(text, Division("body", [document]))
    assert found == [("29 May", {"when": "1950-05-29", "evidence": "internal",
                                 "resp": RESP_EDITORS, "cert": "high"})]  # fmt: skip


def test_chronology_year_division() -> None:
    lines = ["1949", "January Li Lisan meets advisors", "August 4th Army's divisions",
             "7-3-1949 Stalin meets Kim", "October 7 PLA moves"]  # fmt: skip
    text = "\n".join(lines)
    blocks, pos = [], 0
    for i, line in enumerate(lines):
        blocks.append(Block("head" if i == 0 else "item", pos, pos + len(line)))
        pos += len(line) + 1
    body = Division("body", [Division("year", blocks, n="1949")])
    doc, found, _ = tag(text, body)
    assert [(t, a["when"]) for t, a in found] == [
        ("1949", "1949"), ("January", "1949-01"), ("August", "1949-08"),
        ("7-3-1949", "1949-03-07"), ("October 7", "1949-10-07"),
    ]  # fmt: skip
    assert found[1][1]["cert"] == "high"
    assert doc.problems == []


def test_endnote_takes_no_year_from_the_text_before() -> None:
    text = "In 1949 it began.\n49. after his departure on May 15, Beijing"
    body = Division("body", [Block("p", 0, 17), Block("note", 18, len(text), type="endnote")])
    doc, found, _ = tag(text, body)
    assert [f[0] for f in found] == ["1949"]
    assert "'May 15'" in doc.problems[0].message


def test_caption_gives_no_context() -> None:
    text = "Palace in 1946.\nKim came on 29 May."
    body = Division("body", [Block("p", 0, 15, type="caption"), Block("p", 16, len(text))])
    doc, found, _ = tag(text, body)
    assert [f[0] for f in found] == ["1946"] and len(doc.problems) == 1


def test_source_corrections_keep_the_reading_and_add_a_note() -> None:
    text = "Letter, 8 [7] October 1950. Then on 7 September [sic-October], a reply."
    _, found, spans = tag(text)
    assert found[0] == ("8 [7] October 1950", {"when": "1950-10-07"})
    assert found[1][0] == "7 September [sic-October]" and found[1][1]["when"] == "1950-10-07"
    for span in spans:
        assert span.note is not None and span.note.tag == "note"
        assert dict(span.note.attrs) == {"type": "correction", "resp": RESP_EDITORS}
        assert {"supplied", "seg", "sic"} <= span.allows
    assert "8 October 1950" in spans[0].note.text() and "7 October 1950" in spans[0].note.text()
    assert "7 September 1950" in spans[1].note.text()


def test_bare_sic_is_noted_and_encoded_as_written() -> None:
    _, found, spans = tag("on 5 May [sic] 1951")
    assert found[0][1] == {"when": "1951-05-05"}
    assert "[sic]" in spans[0].note.text()


def test_translator_supplied_year_in_brackets() -> None:
    assert dates("on 16 September [1950] Moscow") == [("16 September [1950]", "1950-09-16")]


@pytest.mark.parametrize(
    "text",
    ["31 June 1950", "June 31, 1950", "13/13/50", "30.2.1950", "29.2.1950", "1.XIII.50",
     "3.IIX.50", "31-04-1951", "14-06-1950 (mdy)", "27.1.1951 at 25:10", "0 May 1950"],
)  # fmt: skip
def test_impossible_dates_are_reported_not_encoded(text: str) -> None:
    conventions = {"dash_dates": "mdy"} if "(mdy)" in text else {}
    doc, found, _ = tag(text, **conventions)
    assert found == []
    assert len(doc.problems) == 1 and "not encoded" in doc.problems[0].message


def test_leap_day_is_valid() -> None:
    assert dates("29.2.1952") == [("29.2.1952", "1952-02-29")]


def test_range_ending_before_it_starts_is_reported() -> None:
    doc, found, _ = tag("from 1958-1950 onwards")
    assert found == [] and doc.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 July 1950", {"when": "1950-07-05"}),
        ("Sent by wire on 10/09/50 at 7:05 a.m.", {"when": "1950-10-09T07:05:00"}),
        ("5.7.50 [5 July 1950]", {"when": "1950-07-05"}),
        ("Sept. 16-Oct. 15, 1950", {"from": "1950-09-16", "to": "1950-10-15"}),
        ("no date here", None),
        ("31 June 1950", None),
        ("1 and 2 October 1950 and 5 May 1951", None),
    ],
)
def test_normalise_date(text: str, expected: dict[str, str] | None) -> None:
    assert normalise_date(text) == expected


def test_normalise_date_context_and_conventions() -> None:
    assert normalise_date("On 1 October") is None
    assert normalise_date("On 1 October", context_year=1950) == {"when": "1950-10-01"}
    assert normalise_date("07/05/50", {"slash_dates": "dmy"}) == {"when": "1950-05-07"}


# ---------------------------------------------------------------- the seeds


def seed_body(text: str, chronology: tuple[str, str] | None = None) -> Division:
    """Lines as blocks; ``Document N:`` lines open documents; inside the
    chronology region a line that is only a year opens a year division (what
    the profiles produce, simplified)."""
    body, current, pos = Division("body"), None, 0
    lo, hi = (text.find(chronology[0]), text.find(chronology[1])) if chronology else (-1, -1)
    for line in text.split("\n"):
        start, end, pos = pos, pos + len(line), pos + len(line) + 1
        in_chronology = lo < start < hi
        if re.match(r"Document \d+:", line):
            current = Division("document")
            body.children.append(current)
        elif in_chronology and re.fullmatch(r"\d{4}", line.strip()):
            current = Division("year", n=line.strip())
            body.children.append(current)
        elif not in_chronology and current is not None and current.type == "year":
            current = None
        if line.strip():
            (current or body).children.append(Block("p", start, end))
    return body


def seed(name: str, chronology: tuple[str, str] | None = None):
    path = next(SEEDS.glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    doc = make_doc(text, seed_body(text, chronology))
    return text, doc, DateTagger()(doc)


def found_at(text: str, spans: list[Span], written: str) -> list[dict[str, str]]:
    return [dict(s.attrs) for s in spans if text[s.start : s.end] == written]


def test_seed_003_translated_documents() -> None:
    text, doc, spans = seed("003")
    assert len(spans) == 50
    assert doc.problems == []
    assert found_at(text, spans, "23:45 p.m. on 07/05/50") == [{"when": "1950-07-05T23:45:00"}]
    assert found_at(text, spans, "1.X.50") == [{"when": "1950-10-01"}]
    assert found_at(text, spans, "12:15 3.10.1950") == [{"when": "1950-10-03T12:15:00"}]
    assert found_at(text, spans, "8 [7] October 1950") == [{"when": "1950-10-07"}]
    assert found_at(text, spans, "7 September [sic-October]")[0]["when"] == "1950-10-07"
    assert found_at(text, spans, "October 5 to October 20")[0]["from"] == "1950-10-05"
    assert len(found_at(text, spans, "10/09/50 at 9:38 a.m.")) == 1
    assert found_at(text, spans, "Sept. 16-Oct. 15, 1950") == [
        {"from": "1950-09-16", "to": "1950-10-15"}]  # fmt: skip
    assert found_at(text, spans, "12.50 3.10")[0]["when"] == "1950-10-03T12:50:00"


def test_seed_004_chronology() -> None:
    text, doc, spans = seed("004", ("Timeline concerning Korean War", "As seen in Article 11"))
    assert doc.problems == []
    assert len(spans) == 768  # with 'July 23, 26, and 28' (an endnote, twice) as three dates
    entries = re.findall(r"(?m)^\d{1,2}-\d{1,2}-19\d\d(?= )", text)
    tagged = {text[s.start : s.end] for s in spans}
    assert set(entries) <= tagged
    assert found_at(text, spans, "January")[0]["when"] == "1949-01"
    assert found_at(text, spans, "August")[0]["when"] == "1949-08"
    assert {"from": "1950-06-14", "to": "1950-06-23"} in found_at(
        text, spans, "14-06-1950 – 23-06-1950")  # fmt: skip
    assert found_at(text, spans, "October 2 till 12 October 1952") == [
        {"from": "1952-10-02", "to": "1952-10-12"}]  # fmt: skip
    assert found_at(text, spans, "03-02-1949") == [{"when": "1949-02-03"}]
    assert not any(text[s.start : s.end] in {"229,990,000", "68", "1000"} for s in spans)


@pytest.mark.parametrize("text", ["It happened between 8 and 7 June.",
                                  "From May 18 till 16 we waited."])
def test_reversed_ranges_without_a_year_are_reported_not_crashing(text):
    doc = SourceDocument("t.txt", text, SourceMeta(id="t"), "plain",
                         Division("body", [Block("p", 0, len(text))]))
    assert list(DateTagger()(doc)) == []
    assert doc.problems and "not encoded" in doc.problems[0].message

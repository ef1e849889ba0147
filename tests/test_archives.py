"""Tests of the archival reference enricher (edition.enrich.archives)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.enrich.archives import ArchivalRef, ArchivalTagger, parse_reference
from edition.model import PRIORITY_ARCHIVAL, Block, Division, SourceDocument, SourceMeta, Span

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REGISTER = {"APRF": "#aprf", "AVPRF": "#avprf"}


def run(text: str, resolve=REGISTER.get) -> tuple[SourceDocument, list[Span]]:
    body = Division("body", [Block("p", 0, len(text))])
    doc = SourceDocument(path="t.txt", text=text, meta=SourceMeta(id="t"), profile="plain",
                         body=body)  # fmt: skip
    return doc, ArchivalTagger(resolve)(doc)


def parts(text: str, spans: list[Span]) -> list[tuple[str, str, dict[str, str]]]:
    return [(s.tag, text[s.start : s.end], dict(s.attrs)) for s in spans]


def test_full_reference_in_source_brackets() -> None:
    text = "[Source: APRF, fond 45, opis 1, delo 331, list 79]"
    doc, spans = run(text)
    assert parts(text, spans) == [
        ("bibl", "APRF, fond 45, opis 1, delo 331, list 79", {"type": "archival"}),
        ("orgName", "APRF", {"ref": "#aprf"}),
        ("idno", "45", {"type": "fond"}),
        ("idno", "1", {"type": "opis"}),
        ("idno", "331", {"type": "delo"}),
        ("citedRange", "79", {"unit": "list", "from": "79", "to": "79"}),
    ]
    assert doc.problems == []
    bibl = spans[0]
    assert bibl.priority == PRIORITY_ARCHIVAL and bibl.allows == {"orgName", "idno", "citedRange"}
    assert all(bibl.start <= s.start and s.end <= bibl.end for s in spans)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("APRF, f. 45, op. 1, d. 337, ll. 37-40.", "APRF, f. 45, op. 1, d. 337, ll. 37-40",
         ArchivalRef("APRF", "45", "1", "337", folios=(("37", "40"),))),
        ("Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 96-97",
         "Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 96-97",
         ArchivalRef(None, "059a", "5a", "3", "11", (("96", "97"),))),
        ("AVPRF, fond 07, opis 23a, delo 18, papka 235, list 37",
         "AVPRF, fond 07, opis 23a, delo 18, papka 235, list 37",
         ArchivalRef("AVPRF", "07", "23a", "18", "235", (("37", "37"),))),
        ("see RGASPI, F. 558, Op. 11, D. 334, L. 5 ob", "RGASPI, F. 558, Op. 11, D. 334, L. 5",
         ArchivalRef("RGASPI", "558", "11", "334", folios=(("5", "5"),))),
        ("TsAMO, fond 5, opis' 2, delo 9, listy 1–4, 7.",
         "TsAMO, fond 5, opis' 2, delo 9, listy 1–4, 7",
         ArchivalRef("TsAMO", "5", "2", "9", folios=(("1", "4"), ("7", "7")))),
        ("(APRF, fond 3, opis 65, delo 827)", "APRF, fond 3, opis 65, delo 827",
         ArchivalRef("APRF", "3", "65", "827")),
    ],
)  # fmt: skip
def test_notations(text: str, reference: str, expected: ArchivalRef) -> None:
    doc, spans = run(text)
    assert doc.problems == []
    assert [text[s.start : s.end] for s in spans if s.tag == "bibl"] == [reference]
    assert parse_reference(text) == expected


def test_discontinuous_folios_are_one_cited_range_each() -> None:
    text = "[Source: APRF, fond 3, opis 65, delo 827, listy 123, 125]"
    _, spans = run(text)
    ranges = [p for p in parts(text, spans) if p[0] == "citedRange"]
    assert ranges == [
        ("citedRange", "123", {"unit": "list", "from": "123", "to": "123"}),
        ("citedRange", "125", {"unit": "list", "from": "125", "to": "125"}),
    ]


def test_unknown_repository_has_no_ref() -> None:
    text = "GARF, fond 9401, opis 2, delo 199, list 5"
    _, spans = run(text)
    assert ("orgName", "GARF", {}) in parts(text, spans)
    _, spans = run(text, resolve=None)
    assert ("orgName", "GARF", {}) in parts(text, spans)


def test_two_references_joined_and_inheriting() -> None:
    text = ("APRF, f. 45, op. 1, d. 331, l. 79; d. 334, ll. 97-98 and AVPRF, f. 07, op. 23a, "
            "d. 18, l. 37")  # fmt: skip
    doc, spans = run(text)
    bibls = [text[s.start : s.end] for s in spans if s.tag == "bibl"]
    assert bibls == ["APRF, f. 45, op. 1, d. 331, l. 79", "d. 334, ll. 97-98",
                     "AVPRF, f. 07, op. 23a, d. 18, l. 37"]  # fmt: skip
    assert doc.problems == []
    orgs = [text[s.start : s.end] for s in spans if s.tag == "orgName"]
    assert orgs == ["APRF", "AVPRF"]


def test_fond_and_opis_not_given() -> None:
    text = "[Source: APRF, Fond and Opis not given, Delo 3, Listy 5-6]"
    doc, spans = run(text)
    assert doc.problems == []
    assert parts(text, spans)[0][1] == "APRF, Fond and Opis not given, Delo 3, Listy 5-6"
    ref = parse_reference(text)
    assert ref is not None and ref.delo == "3" and ref.missing == ()
    assert ref.not_given == {"fond", "opis"}


@pytest.mark.parametrize(
    ("text", "missing"),
    [("APRF, fond 45, list 5", "opis, delo"), ("fond 45, opis 1, listy 3-4", "delo"),
     ("APRF, delo 827, listy 121-122", "fond, opis")],
)  # fmt: skip
def test_malformed_references_are_reported_not_encoded(text: str, missing: str) -> None:
    doc, spans = run(text)
    assert [s for s in spans if s.tag == "bibl"] == []
    assert len(doc.problems) == 1 and f"lacks {missing}" in doc.problems[0].message
    ref = parse_reference(text)
    assert ref is not None and ", ".join(ref.missing) == missing


@pytest.mark.parametrize(
    "text", ["Stalin (d. 1953) died", "the list 5 of names", "see p. 45, l. 3", "Fond memories"]
)
def test_not_references(text: str) -> None:
    doc, spans = run(text)
    assert [s for s in spans if s.tag == "bibl"] == [] and doc.problems == []
    assert parse_reference(text) is None


def test_reference_as_string_for_the_index() -> None:
    ref = parse_reference("APRF, f. 45, op. 1, d. 337, ll. 37-40.")
    assert str(ref) == "APRF, fond 45, opis 1, delo 337, listy 37-40"


@pytest.mark.parametrize(
    ("text", "number"),
    [("No. 449", "449"), ("Ciphered Telegram # 600382/sh", "600382/sh"),
     ("No. 1447/sh\n", "1447/sh"), ("telegram #1405/sh dated", "1405/sh"),
     ("telegrams ## 1112-1126", "1112-1126"), ("# P78/118", "P78/118"), ("_ 373/sh", "373/sh"),
     ("RE: 1405/sh", "1405/sh"), ("No. 201-gi", "201-gi"), ("No. 244cc", "244cc"),
     ("# 182-sh", "182-sh"), ("Protocol #78 of", "78"), ("Nos. 12", "12")],
)  # fmt: skip
def test_document_numbers(text: str, number: str) -> None:
    _, spans = run(text)
    assert parts(text, spans) == [("idno", number, {"type": "docNumber"})]


@pytest.mark.parametrize("text", ["## Heading", "No. of men", "1,000 men", "##", "a_b 12"])
def test_not_document_numbers(text: str) -> None:
    assert run(text)[1] == []


def seed_spans(name: str) -> tuple[str, SourceDocument, list[Span]]:
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    blocks, pos = [], 0
    for line in text.split("\n"):
        blocks.append(Block("p", pos, pos + len(line)))
        pos += len(line) + 1
    doc = SourceDocument(path=name, text=text, meta=SourceMeta(id=name), profile="plain",
                         body=Division("body", blocks))  # fmt: skip
    return text, doc, ArchivalTagger(REGISTER.get)(doc)


def test_seed_003_references_and_numbers() -> None:
    text, doc, spans = seed_spans("003")
    bibls = [text[s.start : s.end] for s in spans if s.tag == "bibl"]
    numbers = [text[s.start : s.end] for s in spans if s.attr("type") == "docNumber"]
    assert doc.problems == []
    assert len(bibls) == 11 and all(b.startswith("APRF, fond ") for b in bibls)
    assert "APRF, fond 45, opis 1, delo 334, listy 105-106" in bibls
    assert len(numbers) == 24
    assert {"1112-1126", "373/sh", "P78/118", "600382/sh", "1447/sh", "244cc"} <= set(numbers)
    folios = [dict(s.attrs) for s in spans if s.tag == "citedRange"]
    assert {"unit": "list", "from": "65", "to": "67"} in folios
    assert len(folios) == 12  # listy 123, 125 gives two


def test_seed_004_has_no_archival_reference() -> None:
    _, doc, spans = seed_spans("004")
    assert spans == [] and doc.problems == []


def test_seed_001_reference() -> None:
    text, _, spans = seed_spans("001")
    assert [text[s.start : s.end] for s in spans if s.tag == "bibl"] == [
        "APRF, f. 45, op. 1, d. 337, ll. 37-40"]  # fmt: skip
    assert [text[s.start : s.end] for s in spans if s.attr("type") == "docNumber"] == ["449"]

"""Redactions: finding masks, the identifications file, the enricher."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edition.enrich.redactions import (
    IDENTIFIED,
    NOT_IDENTIFIED,
    TSV_FIELDS,
    Identification,
    Identifications,
    RedactionTagger,
    context_matches,
    context_of,
    find_masks,
    list_redactions,
    skeleton_lines,
)
from edition.errors import InputError
from edition.model import (
    PRIORITY_REDACTION,
    RESP_EDITORS,
    Block,
    Division,
    SourceDocument,
    SourceMeta,
)
from edition.read import read_meta, read_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
WEB_ARTICLE = ROOT / "seeds" / "000_fa8a0fdc04f2c974.txt"
TSV = ROOT / "seeds" / "redactions.tsv"
REGISTER = {
    "mao-zedong": ("persName", "Mao Zedong"),
    "peng-dehuai": ("persName", "Peng Dehuai"),
    "chi-haotian": ("persName", "Chi Haotian"),
}


def make_doc(text: str, ident: str = "t") -> SourceDocument:
    return SourceDocument(
        path="t.txt",
        text=text,
        meta=SourceMeta(id=ident),
        profile="plain",
        body=Division("body", [Block("p", 0, len(text))]),
    )


def masks(text: str) -> list[str]:
    return [m.mask for m in find_masks(text)]


def write_tsv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "ids.tsv"
    path.write_text("\n".join(["\t".join(TSV_FIELDS), *rows]) + "\n", encoding="utf-8")
    return path


# -- finding masks -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("led by Gen. ***, visited", ["***"]),
        ("October 1. **After the celebration", ["**"]),
        ('if the "United **" breaks through', ["**"]),
        ("On November 17, **telegram*** said", ["**", "***"]),
        ("support for ***'s decision", ["***"]),
        ("the United States ** Truman said", ["**"]),
        ("** and Kim left, ** arrived", ["**", "**"]),
        ("comrade ×× said; ＊＊＊ replied", ["××", "＊＊＊"]),
        ("a long mask ********** here", ["**********"]),
        ("ends with a mask ***", ["***"]),
    ],
)
def test_masks_are_found(text: str, expected: list[str]) -> None:
    assert masks(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "text\n* * * * *\nmore text",
        "text\n***\nmore text",
        "text\n   ***   \nmore text",
        "end\n###\nThe telegram",
        "Re Your ciphered telegrams ## 1112-1126",
        "Telegram from Comrade Matveyev # 1298.",
        "Protocol #78 on #118",
        "an *emphasised* word",
        "a **bold** word and **a bold phrase** too",
        "a single * asterisk and a footnote mark*",
        "3 × 4 = 12",
        "* * *",
    ],
)
def test_non_masks_are_ignored(text: str) -> None:
    assert masks(text) == []


def test_bold_needs_equal_delimiters_and_flanking() -> None:
    assert masks("**Meeting with Kim: he was not reconciled. **A group") == ["**", "**"]
    assert masks("x**bold**y") == ["**", "**"]  # glued inside words: not emphasis


def test_occurrences_are_numbered_in_text_order() -> None:
    found = find_masks("a *** b ** c\n* * *\nd ***")
    assert [(m.occurrence, m.mask) for m in found] == [(1, "***"), (2, "**"), (3, "***")]


@given(
    st.lists(st.sampled_from(["alpha", "beta", "Gen.", "***", "**", "said,", "the"]), max_size=30)
)
def test_every_inline_mask_word_is_found(words: list[str]) -> None:
    text = "Start " + " ".join(words) + " end."
    found = find_masks(text)
    assert [m.mask for m in found] == [w for w in words if w in {"***", "**"}]
    assert all(text[m.start : m.end] == m.mask for m in found)


def test_context_is_from_the_masks_line_and_matches_itself() -> None:
    text = "first line\nthen Secretary of Defense, Gen. ***, visited the United States\nlast"
    (mask,) = find_masks(text)
    context = context_of(text, mask)
    assert "\n" not in context and "***" in context and context.startswith("then")
    assert context_matches(text, mask, context)
    assert not context_matches(text, mask, "Gen. ***, visited Moscow")
    assert not context_matches(text, mask, "first line")


def test_context_must_cover_the_right_mask() -> None:
    text = "sent to *** and *** again"
    first, second = find_masks(text)
    assert context_matches(text, first, "to *** and")
    assert not context_matches(text, second, "to *** and")
    assert context_matches(text, second, "and *** again")


# -- the identifications file ---------------------------------------------------


def test_load_skips_comments_and_reads_rows(tmp_path: Path) -> None:
    path = tmp_path / "ids.tsv"
    path.write_text(
        "# a comment\n"
        + "\t".join(TSV_FIELDS)
        + "\n"
        + "t\t1\t***\tGen. ***, visited\tmao-zedong\thigh\tBecause.\n"
        + "t\t2\t**\tof ** are\t\t\t\n",
        encoding="utf-8",
    )
    ids = Identifications.load(path)
    assert len(ids) == 2
    assert ids.get("t", 1) == Identification(
        "t", 1, "***", "Gen. ***, visited", "mao-zedong", "high", "Because.", line=3
    )
    assert ids.get("t", 2).proposal == ""
    assert ids.get("other", 1) is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("t\tone\t***\tx *** y\t\t\t", "occurrence"),
        ("t\t0\t***\tx *** y\t\t\t", "occurrence"),
        ("t\t1\tabc\tx abc y\t\t\t", "not a mask"),
        ("t\t1\t***\tx *** y\tmao-zedong\t\t", "cert"),
        ("t\t1\t***\tx *** y\tmao-zedong\tsure\t", "cert"),
        ("t\t1\t***\tx *** y\ta\thigh\te\textra", "fields"),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        Identifications.load(write_tsv(tmp_path, row))
    assert message in str(info.value) and info.value.line == 2


def test_bad_header_and_duplicates_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tn\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        Identifications.load(bad)
    dup = write_tsv(tmp_path, "t\t1\t***\ta *** b\t\t\t", "t\t1\t***\ta *** b\t\t\t")
    with pytest.raises(InputError, match="duplicate"):
        Identifications.load(dup)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Identifications.load(tmp_path / "nope.tsv")


def test_skeleton_round_trips_and_keeps_known_lines(tmp_path: Path) -> None:
    doc = make_doc("Sent to *** and Stalin.\nThen ** arrived\twith a telegram.", "new-text")
    lines = skeleton_lines(doc)
    assert lines[0] == "\t".join(TSV_FIELDS)
    assert len(lines) == 3 and all(line.count("\t") == 6 for line in lines)
    path = tmp_path / "skel.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = Identifications.load(path)
    assert [e.occurrence for e in ids.for_text("new-text")] == [1, 2]
    tagger = RedactionTagger(ids)
    assert len(tagger(doc)) == 2 and doc.problems == []  # the skeleton's contexts match
    filled = path.read_text(encoding="utf-8").replace("\t\t\t\n", "\tmao-zedong\thigh\tE.\n", 1)
    path.write_text(filled, encoding="utf-8")
    assert "mao-zedong" in skeleton_lines(doc, Identifications.load(path))[1]


def test_list_redactions_reports_positions_and_proposals(tmp_path: Path) -> None:
    doc = make_doc("line one\nto meet *** and **\n")
    ids = Identifications.load(write_tsv(tmp_path, "t\t1\t***\tmeet *** and\tmao-zedong\thigh\t"))
    infos = list_redactions(doc, ids)
    assert [(i.occurrence, i.line, i.mask, i.proposal) for i in infos] == [
        (1, 2, "***", "mao-zedong"),
        (2, 2, "**", None),
    ]
    assert doc.text[infos[1].offset : infos[1].offset + 2] == "**"
    assert all(i.proposal is None for i in list_redactions(doc))


# -- the enricher -----------------------------------------------------------------


def test_unidentified_mask_gets_seg_and_note() -> None:
    doc = make_doc("Then ** arrived.")
    (span,) = RedactionTagger()(doc)
    assert (span.start, span.end, span.tag) == (5, 7, "seg")
    assert span.attr("type") == "redaction"
    assert span.priority == PRIORITY_REDACTION and span.allows == frozenset()
    assert span.choice is None
    assert span.note.tag == "note" and dict(span.note.attrs) == {
        "type": "redaction",
        "resp": RESP_EDITORS,
    }
    assert span.note.text() == NOT_IDENTIFIED


def test_identified_mask_gets_supplied_entity(tmp_path: Path) -> None:
    doc = make_doc("Gen. ***, visited.", "art")
    ids = Identifications.load(
        write_tsv(tmp_path, "art\t1\t***\tGen. ***, visited\tchi-haotian\thigh\tMinister.")
    )
    (span,) = RedactionTagger(ids, REGISTER.get)(doc)
    supplied = span.choice
    assert supplied.tag == "supplied"
    assert dict(supplied.attrs) == {"reason": "redacted", "resp": RESP_EDITORS, "cert": "high"}
    (name,) = supplied.content
    assert name.tag == "persName" and dict(name.attrs) == {"ref": "#chi-haotian"}
    assert name.text() == "Chi Haotian"
    assert span.note.text() == "Minister."
    assert doc.problems == []


def test_plain_text_proposal_and_default_evidence(tmp_path: Path) -> None:
    doc = make_doc('the "United **" forces')
    ids = Identifications.load(write_tsv(tmp_path, 't\t1\t**\t"United **"\tNations\tmedium\t'))
    (span,) = RedactionTagger(ids, REGISTER.get)(doc)
    assert span.choice.content == ("Nations",) and dict(span.choice.attrs)["cert"] == "medium"
    assert span.note.text() == IDENTIFIED


def test_drifted_context_is_reported_not_applied(tmp_path: Path) -> None:
    doc = make_doc("Kim flew to Beijing to meet *** at once.")
    ids = Identifications.load(
        write_tsv(tmp_path, "t\t1\t***\tsent to *** and Stalin\tmao-zedong\thigh\tE.")
    )
    (span,) = RedactionTagger(ids, REGISTER.get)(doc)
    assert span.choice is None and span.note.text() == NOT_IDENTIFIED
    assert len(doc.problems) == 1 and "no longer matches" in doc.problems[0].message


def test_changed_mask_length_is_reported(tmp_path: Path) -> None:
    doc = make_doc("to meet ** at once.")
    ids = Identifications.load(write_tsv(tmp_path, "t\t1\t***\tmeet *** at\tmao-zedong\thigh\tE."))
    (span,) = RedactionTagger(ids, REGISTER.get)(doc)
    assert span.choice is None and doc.problems


def test_unknown_register_id_and_missing_occurrence_are_reported(tmp_path: Path) -> None:
    doc = make_doc("to meet *** now")
    ids = Identifications.load(
        write_tsv(
            tmp_path,
            "t\t1\t***\tmeet *** now\tkim-jong-xx\tlow\tE.",
            "t\t5\t***\tgone *** now\t\t\t",
        )
    )
    (span,) = RedactionTagger(ids, REGISTER.get)(doc)
    assert span.choice is None
    messages = " ".join(p.message for p in doc.problems)
    assert "not in the register" in messages and "#5" in messages


def test_identifications_of_other_texts_are_ignored(tmp_path: Path) -> None:
    doc = make_doc("to meet *** now", "mine")
    ids = Identifications.load(write_tsv(tmp_path, "other\t1\t***\tmeet *** now\tPeng\thigh\tE."))
    (span,) = RedactionTagger(ids)(doc)
    assert span.choice is None and doc.problems == []


# -- the seeds ----------------------------------------------------------------------


def seed_doc(path: Path) -> SourceDocument:
    text = read_text(path)
    return SourceDocument(
        path=str(path),
        text=text,
        meta=read_meta(path),
        profile="plain",
        body=Division("body", [Block("p", 0, len(text))]),
    )


def test_web_article_has_49_redactions_covering_every_asterisk() -> None:
    text = read_text(WEB_ARTICLE)
    found = find_masks(text)
    assert len(found) == 49
    assert sum(len(m.mask) for m in found) == text.count("*")
    assert {m.mask for m in found} == {"**", "***"}


@pytest.mark.parametrize("path", SEEDS[1:], ids=lambda p: p.name[:3])
def test_other_seeds_have_no_redactions(path: Path) -> None:
    assert find_masks(read_text(path)) == []


def test_seed_identifications_all_apply_to_the_web_article() -> None:
    ids = Identifications.load(TSV)
    doc = seed_doc(WEB_ARTICLE)
    entries = ids.for_text(doc.meta.id)
    assert [e.occurrence for e in entries] == list(range(1, 50))
    spans = RedactionTagger(ids, REGISTER.get)(doc)
    assert doc.problems == []
    identified = [s for s in spans if s.choice is not None]
    assert len(identified) == 42
    assert all(s.note.text() for s in spans)
    by_occurrence = {e.occurrence: s for e, s in zip(entries, spans, strict=True)}

    def ref(n: int) -> str:
        return dict(by_occurrence[n].choice.content[0].attrs)["ref"]

    assert (ref(1), ref(6), ref(15)) == ("#chi-haotian", "#mao-zedong", "#peng-dehuai")
    assert by_occurrence[5].choice.content == ("President",)
    assert by_occurrence[8].choice.content == ("Nations",)
    assert by_occurrence[4].choice is None


def test_seed_identifications_cert_values_are_honest() -> None:
    entries = Identifications.load(TSV).for_text("mondo-changjin-1950")
    for entry in entries:
        assert bool(entry.proposal) == bool(entry.cert)
        assert entry.evidence
    assert {e.cert for e in entries if e.proposal} == {"high", "medium"}

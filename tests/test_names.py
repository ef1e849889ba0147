"""The name tagger (:mod:`edition.enrich.names`)."""

from __future__ import annotations

import gc
import itertools
from pathlib import Path

import pytest

from edition.enrich.names import NameTagger, _first_token, find_candidates
from edition.model import (
    PRIORITY_NAME,
    PRIORITY_UNKNOWN_NAME,
    Block,
    Division,
    SourceDocument,
    SourceMeta,
    Span,
)
from edition.register import Register, tokenize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(text: str, blocks: list[tuple[int, int]] | None = None) -> SourceDocument:
    spans = blocks or [(0, len(text))]
    return SourceDocument(path="t.txt", text=text, meta=SourceMeta(id="t"), profile="plain",
                          body=Division("body", [Block("p", s, e) for s, e in spans]))


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


@pytest.fixture(scope="module")
def tagger(register: Register) -> NameTagger:
    return NameTagger(register)


def tags(tagger: NameTagger, text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(surface, tag, ref, cert) for every span, in text order."""
    spans = sorted(tagger(doc(text)), key=lambda s: s.start)
    return [(text[s.start : s.end], s.tag, s.attr("ref"), s.attr("cert")) for s in spans]


def refs(tagger: NameTagger, text: str) -> dict[str, str | None]:
    return {surface: ref for surface, _, ref, _ in tags(tagger, text)}


NEW_TELEGRAM = """CIPHERED TELEGRAM
SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF
To Comrade FILIPPOV.
On Monday I met with KIM IL SUNG and Comrade TERESHKIN in KANGGYE. General Lobanov and
Ambassador Petrenko arrived from MOSCOW. The Taedong River is frozen.
MAO ZEDONG"""


def test_new_telegram_known_and_unknown_names(tagger: NameTagger) -> None:
    found = {surface: (tag, ref, cert) for surface, tag, ref, cert in tags(tagger, NEW_TELEGRAM)}
    assert found["FILIPPOV"] == ("persName", "#stalin", None)
    assert found["KIM IL SUNG"] == ("persName", "#kim-il-sung", None)
    assert found["MOSCOW"] == ("placeName", "#moscow", None)
    assert found["MAO ZEDONG"] == ("persName", "#mao-zedong", None)
    assert found["TERESHKIN"] == ("persName", None, "low")
    assert found["KANGGYE"] == ("placeName", None, "low")
    assert found["Lobanov"] == ("persName", None, "low")
    assert found["Petrenko"] == ("persName", None, "low")
    assert found["Taedong River"] == ("geogName", None, "low")
    # the heading is a known body, not an unknown name
    assert found["SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF"][1] == (
        "#second-main-administration")
    for word in ("CIPHERED", "TELEGRAM", "Monday", "On"):
        assert not any(word in surface for surface in found), word


def test_unknown_names_have_lower_priority_and_no_ref(tagger: NameTagger) -> None:
    spans = list(tagger(doc(NEW_TELEGRAM)))
    unknown = [s for s in spans if s.attr("ref") is None]
    assert unknown and all(s.priority == PRIORITY_UNKNOWN_NAME for s in unknown)
    assert all(s.priority == PRIORITY_NAME for s in spans if s.attr("ref"))
    assert all(isinstance(s, Span) and s.source == "names" for s in spans)


def test_names_across_line_breaks_and_hyphenation_variants(tagger: NameTagger) -> None:
    text = ("Report of Peng\nDehuai and Kim Il-\nsung to Pak Heon-yeong, Park Hyun Young, "
            "PAK HON-YONG.")
    found = refs(tagger, text)
    assert found["Peng\nDehuai"] == "#peng-dehuai"
    assert found["Kim Il-\nsung"] == "#kim-il-sung"
    assert found["Pak Heon-yeong"] == found["Park Hyun Young"] == "#pak-hon-yong"
    assert found["PAK HON-YONG"] == "#pak-hon-yong"


def test_titles_and_possessives_stay_outside(tagger: NameTagger) -> None:
    text = "I support Premier Comrade KIM IL SUNG'S request and Comrade Shtykov’s view."
    surfaces = [s for s, *_ in tags(tagger, text)]
    assert "KIM IL SUNG" in surfaces and "Shtykov" in surfaces
    assert not any("Comrade" in s or "'S" in s or "’s" in s for s in surfaces)


def test_historical_and_japanese_place_names(tagger: NameTagger) -> None:
    text = ("26 brigade in TSINNAMPO, 24 brigade in GENZAN, 8th corps - KANKO; the landing at "
            "Chemulp'o [Inchon]; the Battle of Changjin Lake; Andong on the Yalu River.")
    found = refs(tagger, text)
    assert found["TSINNAMPO"] == "#nampo" and found["GENZAN"] == "#wonsan"
    assert found["KANKO"] == "#hamhung"
    assert found["Chemulp'o"] == found["Inchon"] == "#incheon"
    assert found["Changjin Lake"] == "#chosin-reservoir"
    assert found["Andong"] == "#dandong"
    assert ("Yalu River", "geogName", "#yalu", None) in tags(tagger, text)


def test_spaced_signatures_and_garbles(tagger: NameTagger) -> None:
    text = ("A. G R O M Y K O\n\n[signature] G O L O V K O\n\nAdmiral Charles Croillak met "
            "Krurak.\nin advance.\n\nA. G r o m y k o")
    found = refs(tagger, text)
    assert found["A. G r o m y k o"] == "#gromyko"
    assert found["A. G R O M Y K O"] == "#gromyko"
    assert found["G O L O V K O"] == "#golovko"
    assert found["Charles Croillak"] == "#charles-krulak"
    assert found["Krurak"] == "#charles-krulak"


def test_case_rules_for_acronyms_and_common_words(tagger: NameTagger) -> None:
    text = ("Let us see: the US and the SU met Su Yu at the UN. Korean troops, the Korean "
            "People's Army and Korea. china is lowercase here.")
    found = tags(tagger, text)
    surfaces = {s: (tag, ref) for s, tag, ref, _ in found}
    assert surfaces["US"] == ("placeName", "#usa")
    assert surfaces["SU"] == ("placeName", "#soviet-union")
    assert surfaces["Su Yu"] == ("persName", "#su-yu")
    assert surfaces["UN"] == ("orgName", "#un")
    assert surfaces["Korean People's Army"] == ("orgName", "#kpa")
    assert surfaces["Korea"] == ("placeName", "#korea")
    assert "us" not in surfaces and "Korean" not in surfaces and "china" not in surfaces


def test_short_form_resolves_to_its_claimant_without_rivals(tagger: NameTagger) -> None:
    found = tags(tagger, "Stalin meets Kim in Moscow.")
    assert found[1] == ("Kim", "persName", "#kim-il-sung", None)


def test_short_form_with_a_rival_in_the_document_is_uncertain(tagger: NameTagger) -> None:
    found = tags(tagger, "Kim Jong-un rules today. Kim visited Beijing in 1950.")
    assert ("Kim Jong-un", "persName", "#kim-jong-un", None) in found
    assert ("Kim", "persName", "#kim-il-sung", "low") in found


def test_short_form_with_an_unknown_namesake_is_uncertain(tagger: NameTagger) -> None:
    found = tags(tagger, "Kim Chaek commanded the front. Kim was in Pyongyang.")
    assert ("Kim Chaek", "persName", None, "low") in found
    assert ("Kim", "persName", "#kim-il-sung", "low") in found


def test_longest_match_mao_anying_and_lin_biao(tagger: NameTagger) -> None:
    found = tags(tagger, "Mao Anying was killed. Lin Biao and Lin met Mao.")
    assert ("Mao Anying", "persName", "#mao-anying", None) in found
    assert ("Lin Biao", "persName", "#lin-biao", None) in found
    assert ("Lin", "persName", "#lin-biao", None) in found
    assert ("Mao", "persName", "#mao-zedong", "low") in found


def test_shared_body_name_resolved_from_context_or_left_open(tagger: NameTagger) -> None:
    text = "Protocol of the Politburo of the CC VKP(b). The Politburo approved."
    with_context = tags(tagger, text)
    assert ("Politburo", "orgName", "#politburo-vkpb", None) in with_context
    alone = tags(tagger, "The Politburo approved.")
    assert alone == [("Politburo", "orgName", None, "low")]


def test_unclaimed_form_follows_the_nearest_full_mention(tagger: NameTagger) -> None:
    """An unclaimed shared form follows the body named in full in the same
    block, else earlier in the same division; a rival named in the previous
    block makes it uncertain."""
    text = ("The Politburo of the CC VKP(b) met.\n\nThe Politburo approved the draft.\n\n"
            "The CCP Politburo met in Beijing.\n\nThe Politburo agreed.")
    blocks = [(0, 35), (37, 70), (72, 105), (107, 128)]
    d = doc(text, blocks)
    found = [(text[s.start : s.end], s.attr("ref"), s.attr("cert"))
             for s in sorted(tagger(d), key=lambda s: s.start)
             if "Politburo" in text[s.start : s.end]]
    assert found[1] == ("Politburo", "#politburo-vkpb", None)
    assert found[2] == ("CCP Politburo", "#ccp-politburo", None)
    assert found[3] == ("Politburo", "#ccp-politburo", None)  # VKP(b) is three blocks up
    text2 = "The Politburo of the CC VKP(b) met. The CCP Politburo met.\n\nThe Politburo agreed."
    both = doc(text2, [(0, 58), (60, 81)])
    last = [s for s in tagger(both) if text2[s.start : s.end] == "Politburo"][-1]
    assert (last.attr("ref"), last.attr("cert")) == ("#ccp-politburo", "low")


def test_claimed_short_form_goes_to_the_dominant_bearer(tagger: NameTagger) -> None:
    text = ("Kim Jong-un visited. Kim Jong-un spoke.\n\nLater.\n\nThen Kim left.")
    d = doc(text, [(0, 39), (41, 47), (49, 63)])
    kim = [s for s in tagger(d) if text[s.start : s.end] == "Kim"]
    assert [(s.attr("ref"), s.attr("cert")) for s in kim] == [("#kim-jong-un", None)]
    # named once, far away: the claimant keeps the form, unflagged
    text2 = "Zhou Baozhong led partisans.\n\nLater.\n\nZhou met Stalin."
    d2 = doc(text2, [(0, 28), (30, 36), (38, 54)])
    zhou = [s for s in tagger(d2) if text2[s.start : s.end] == "Zhou"]
    assert [(s.attr("ref"), s.attr("cert")) for s in zhou] == [("#zhou-enlai", None)]


def test_author_date_citation_is_not_the_statesman(tagger: NameTagger) -> None:
    found = tags(tagger, "Kim (2016) argues that Stalin hesitated.")
    assert ("Kim", "persName", None, "low") in found


def test_korea_adjective_army_and_country(tagger: NameTagger) -> None:
    text = ("Korean troops of the Korean People's Army entered North Korea and Korea; "
            "the Korean War. Lin Biao and Lin Zexu.")
    found = {s: (tag, ref) for s, tag, ref, _ in tags(tagger, text)}
    assert found["Korean People's Army"] == ("orgName", "#kpa")
    assert found["North Korea"] == ("placeName", "#north-korea")
    assert found["Korea"] == ("placeName", "#korea")
    assert "Korean" not in found and "Lin" not in found
    assert found["Lin Biao"] == ("persName", "#lin-biao")


def test_no_false_positives_in_plain_prose(tagger: NameTagger) -> None:
    text = ("The meeting was held on Tuesday. However, In March the Chairman said nothing. "
            "Document Information\nOriginal Uploaded Date\nThe History Of The War\n"
            "Taking into consideration the situation, Second, the crews.")
    assert tags(tagger, text) == []


def test_names_do_not_cross_block_boundaries(tagger: NameTagger) -> None:
    text = "Peng\n\nDehuai"
    spans = list(tagger(doc(text, [(0, 4), (6, 12)])))
    assert [(text[s.start : s.end], s.attr("ref")) for s in spans] == [("Peng", "#peng-dehuai")]


def test_empty_and_nameless_documents(tagger: NameTagger) -> None:
    assert list(tagger(doc(""))) == []
    assert list(tagger(doc("*** ** ### 12:00 19.1.51 — …"))) == []


def test_find_candidates_suggests_close_register_names(register: Register) -> None:
    text = "To Ambassador Shtykoff.\nAmbassador Shtykoff arrived. General Lobanov left."
    found = {c.name: c for c in find_candidates(doc(text), register)}
    assert found["Shtykoff"].count == 2 and found["Shtykoff"].line == 1
    assert found["Shtykoff"].suggestion == "shtykov" and found["Shtykoff"].score >= 0.75
    assert found["Shtykoff"].context == "To Ambassador Shtykoff."
    assert found["Lobanov"].suggestion is None and found["Lobanov"].tag == "persName"


# --------------------------------------------------------------------------- #
# The seeds
# --------------------------------------------------------------------------- #


def seed(prefix: str) -> SourceDocument:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return doc(path.read_text(encoding="utf-8"))


def test_every_filippov_in_the_seeds_is_stalin(tagger: NameTagger) -> None:
    total = 0
    for prefix in ("001", "003", "004"):
        d = seed(prefix)
        for s in tagger(d):
            if d.text[s.start : s.end].lower() == "filippov":
                assert s.attr("ref") == "#stalin" and s.attr("cert") is None
                total += 1
    assert total >= 15


def test_seed_counts_and_refs_resolve(tagger: NameTagger, register: Register) -> None:
    counts = {}
    for prefix in ("000", "001", "002", "003", "004"):
        spans = list(tagger(seed(prefix)))
        for s in spans:
            ref = s.attr("ref")
            assert ref is None or ref in register
        counts[prefix] = sum(1 for s in spans if s.attr("ref"))
    assert counts["000"] > 200 and counts["001"] > 50 and counts["003"] > 250
    assert counts["004"] > 2000


def test_seed_001_telegram(tagger: NameTagger) -> None:
    d = seed("001")
    found = {(d.text[s.start : s.end], s.attr("ref")) for s in tagger(d)}
    for surface, ref in [("KAISIU", "#haeju"), ("SINGISIU", "#sinuiju"), ("TET-SUGEN", "#cheorwon"),
                         ("RINSINKO river", "#imjin"), ("PAK HON-YONG", "#pak-hon-yong"),
                         ("RAZUVAEV", "#razuvaev"), ("APRF", "#aprf")]:
        assert (surface, ref) in found
    assert ("BUGTKHENG", None) in found  # unidentified: tagged, reported, no ref
    assert not any("CIPHERED" in s for s, _ in found)
    assert ("SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF OF THE SOVIET ARMY",
            "#second-main-administration") in found


def test_known_spans_do_not_overlap(tagger: NameTagger) -> None:
    for prefix in ("000", "003", "004"):
        spans = sorted((s for s in tagger(seed(prefix))), key=lambda s: s.start)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start


def test_tagging_a_long_text_finds_every_repetition(tagger: NameTagger) -> None:
    """The seeds twice over: twice the names (speed is measured by
    benchmarks/bench_names.py, not asserted here)."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    once = len(list(tagger(doc(text))))
    assert once > 2500
    assert len(list(tagger(doc(text + "\n\n" + text)))) == 2 * once


def test_find_candidates_on_an_unseen_telegram(register: Register) -> None:
    """Unknown people and places in a new telegram: hyphenated Korean names
    kept whole, a place found after ``in`` counted wherever it recurs,
    fuzzy suggestions for variant spellings, known names left out."""
    path = Path(__file__).parent / "data" / "sources" / "collection_unknown_names.txt"
    text = path.read_text(encoding="utf-8")
    found = {c.name: c for c in find_candidates(doc(text), register)}
    assert found["LEE SANG-JO"].count == 2 and found["LEE SANG-JO"].tag == "persName"
    assert found["Kanggye"].tag == "placeName" and found["Kanggye"].count == 3
    assert found["Kanggye"].line == 8 and found["Kanggye"].context.endswith("moved to Kanggye.")
    assert found["Cho Man-sik"].count == 1 and "Cho Man" not in found
    assert found["Kim Chaek"].suggestion is None
    assert (found["Ni Zhi-liang"].suggestion, found["Shtykoff"].suggestion) == (
        "ni-zhiliang", "shtykov")
    assert found["Razuvayev"].suggestion == "razuvaev" and found["Razuvayev"].score > 0.9
    assert not {"Kim Il-sung", "FILIPPOV", "PYONGYANG", "SHTYKOV", "General"} & set(found)
    assert [c.count for c in found.values()] == sorted(
        (c.count for c in found.values()), reverse=True)


@pytest.mark.parametrize("text", [
    " Chaek said", "  Kim", " K I M SUNG", " K. Kim", " Kim’s aide", " d’Estaing", " Ōkubo",
    " ,Kim", "", "   ", " A", " a b c d", "-Xi'an",
])
def test_first_token_is_the_first_of_tokenize(text: str) -> None:
    """The one-word look-ahead after a match agrees with full tokenising
    (spaced-out letters, apostrophes, diacritics, nothing at all)."""
    expected = tokenize(text)[:1]
    assert _first_token(text, 0, len(text)) == (expected[0] if expected else None)


@pytest.mark.parametrize("enabled", [True, False])
def test_tagging_leaves_garbage_collection_as_it_was(tagger: NameTagger, enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert list(tagger(doc("Comrade Stalin met Kim Il Sung in Moscow.")))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_candidate_context_is_a_short_window_around_the_name(register: Register) -> None:
    words = " ".join(f"word{i}" for i in range(60))
    text = f"{words} and then Comrade ZHANG WEIGUO arrived at the front. {words}"
    found = {c.name: c for c in find_candidates(doc(text), register)}
    cand = found["ZHANG WEIGUO"]
    assert "ZHANG WEIGUO arrived" in cand.context
    assert cand.context.startswith("… ") and cand.context.endswith(" …")
    assert len(cand.context) <= 2 * 60 + len("ZHANG WEIGUO") + 6

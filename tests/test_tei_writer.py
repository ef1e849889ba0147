"""The TEI writer: structure rules, ids, inline markup, editorial additions."""

from lxml import etree

from edition import preserve
from edition.model import (
    RESP_EDITORS,
    Addition,
    Block,
    Division,
    DocumentMeta,
    SourceDocument,
    SourceMeta,
    Span,
    attrs,
)
from edition.tei import encode
from edition.tei.header import EditionInfo, HeaderWriter, split_agents

NS = {"t": "http://www.tei-c.org/ns/1.0"}
INFO = EditionInfo("Ed", "Editors", "Pub", "CC BY 4.0", "https://cc/", "https://ex.org/", "1.0",
                   ("Rule one.",), "2026-01-01")


def blocks_of(text: str, kinds: list[tuple[str, str | None]]) -> list[Block]:
    """One block per non-empty line, with the given (kind, type)."""
    out, pos = [], 0
    lines = text.split("\n")
    for line, (kind, btype) in zip(lines, kinds, strict=True):
        out.append(Block(kind, pos, pos + len(line), type=btype))
        pos += len(line) + 1
    return out


TEXT = "\n".join([
    "Document 1: Telegram, Filippov to Mao, 1 October 1950",
    "CIPHERED TELEGRAM",
    "To Comrade MAO",
    "I send you the following.",
    '"To Comrade STALIN.',
    'Quoted text here."',
    "1. First point.",
    "2. Second point.",
    "FILIPPOV",
    "[Source: APRF, fond 45]",
    "A later heading",
    "More text with *** masked.",
])


def make_doc() -> SourceDocument:
    b = blocks_of(TEXT, [("head", None), ("ab", "classification"), ("salute", None), ("p", None),
                         ("salute", None), ("p", None), ("item", None), ("item", None),
                         ("signed", None), ("ab", "source"), ("head", None), ("p", None)])
    b[6].n, b[7].n = "1", "2"
    quoted = Division("document", [b[4], b[5]], floating=True)
    doc_div = Division("document", [b[0], b[1], b[2], b[3], quoted, b[6], b[7], b[8], b[9], b[10],
                                    b[11]], n="1",
                       meta=DocumentMeta(doc_type="Telegram", sender="Filippov", recipient="Mao",
                                         date_text="1 October 1950"))
    return SourceDocument("t.txt", TEXT, SourceMeta(id="t1", title="Test"), "collection",
                          Division("body", [doc_div]))


def header() -> HeaderWriter:
    names = {"Filippov": ("persName", "stalin", "Iosif Stalin"), "Mao": ("persName", "mao", "Mao")}
    return HeaderWriter(INFO, names.get, lambda t: {"when": "1950-10-01"} if t else None)


def build(spans=()):
    doc = make_doc()
    return doc, encode(doc, spans, header(), lambda ids: None)


def test_structure_opener_closer_list_floating_and_sections():
    _, tree = build()
    div = tree.find(".//t:body/t:div", NS)
    assert (div.get("type"), div.get("n"), div.get("subtype")) == ("document", "1", "telegram")
    children = [etree.QName(c).localname for c in div]
    assert children[:2] == ["head", "opener"]
    opener = div.find("t:opener", NS)
    assert [etree.QName(c).localname for c in opener] == ["seg", "salute"]
    assert div.find("t:floatingText/t:body/t:div[@type='document']", NS) is not None
    items = div.findall("t:list/t:item", NS)
    assert [i.get("n") for i in items] == ["1", "2"]
    # the heading after the signature starts a section, and TEI allows no div
    # after a closer: the signature stays an ab of type signed
    assert div.find("t:closer", NS) is None
    assert div.find("t:ab[@type='signed']", NS) is not None
    assert children[-1] == "div" and div[-1].get("type") == "section"


def test_closer_at_the_end_of_a_document():
    doc = make_doc()
    doc_div = doc.body.children[0]
    doc_div.children = doc_div.children[:-2]  # drop the later heading and its text
    tree = encode(doc, [], header(), lambda ids: None)
    closer = tree.find(".//t:body/t:div/t:closer", NS)
    assert [etree.QName(c).localname for c in closer] == ["signed", "seg"]
    assert closer.getnext() is None


def test_ids_are_stable_and_unique():
    _, a = build()
    _, b = build()
    ids = a.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    assert etree.tostring(a) == etree.tostring(b)
    assert a.getroot().get("{http://www.w3.org/XML/1998/namespace}id") == "t1"
    assert all(i.startswith("t1") for i in ids if i not in {"editors", "translator",
                                                             "source-editor"})


def test_inline_spans_choice_and_note():
    doc = make_doc()
    start = TEXT.index("***")
    red = Span(start, start + 3, "seg", attrs(type="redaction"), priority=80,
               choice=Addition("supplied", attrs(reason="redacted", resp=RESP_EDITORS, cert="low"),
                               (Addition("persName", attrs(ref="#peng"), ("Peng Dehuai",)),)),
               note=Addition("note", attrs(type="redaction", resp=RESP_EDITORS), ("Evidence.",)))
    mao = TEXT.index("MAO")
    name = Span(mao, mao + 3, "persName", attrs(ref="#mao"), priority=40)
    seen = []
    tree = encode(doc, [red, name], header(), lambda ids: seen.extend(ids) or None)
    choice = tree.find(".//t:choice", NS)
    assert choice[0].text == "***" and choice[1].get("reason") == "redacted"
    note = tree.find(".//t:text//t:note", NS)
    assert note.get("{http://www.w3.org/XML/1998/namespace}id") == "t1.n1"
    assert set(seen) >= {"peng", "mao", "stalin"}
    preserve.check(TEXT, tree)


def test_corresp_desc_from_document_meta():
    _, tree = build()
    cd = tree.find(".//t:profileDesc/t:correspDesc", NS)
    assert cd.get("ref").startswith("#t1.d")
    sent = cd.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).get("ref") == "#stalin"
    assert sent.find("t:date", NS).get("when") == "1950-10-01"


def test_split_agents_prefers_the_identification_in_brackets():
    assert split_agents("Filippov (Stalin)") == ["Stalin", "Filippov"]
    assert "N.V. Roshchin" in split_agents("Soviet Ambassador in Beijing (N.V. Roshchin)")
    assert split_agents("Mao Zedong and Zhou Enlai") == ["Mao Zedong", "Zhou Enlai"]


def test_split_agents_handles_square_brackets_and_via():
    from edition.tei.header import intermediaries

    assert split_agents("Fyn Si [Stalin]") == ["Stalin", "Fyn Si"]
    assert split_agents("Stalin (via Shtykov)") == ["Stalin"]
    assert intermediaries("Stalin (via Shtykov)") == ["Shtykov"]
    assert split_agents("Roshchin in Beijing") == ["Roshchin", "Beijing"]


def test_transmission_lines_date_the_sending_and_receiving():
    text = "\n".join([
        "Document 2: Ciphered Telegram, Kim to Filippov (via Shtykov), 9 October 1950",
        "Sent by wire on 10/09/50 at 7:05 a.m.",
        "Received in Moscow on 10/09/50 at 9:38 a.m.",
        "Text of the telegram.",
    ])
    b = blocks_of(text, [("head", None), ("ab", "transmission"), ("ab", "transmission"),
                         ("p", None)])
    meta = DocumentMeta(doc_type="Ciphered Telegram", sender="Kim",
                        recipient="Filippov (via Shtykov)", date_text="9 October 1950")
    doc = SourceDocument("t.txt", text, SourceMeta(id="t2"), "collection",
                         Division("body", [Division("document", b, meta=meta)]))
    spans = []
    for line, when in (("7:05", "1950-10-09T07:05:00"), ("9:38", "1950-10-09T09:38:00")):
        start = text.index("10/09/50 at " + line)
        spans.append(Span(start, start + len("10/09/50 at " + line + " a.m."), "date",
                          attrs(when=when), priority=50))
    names = {"Kim": ("persName", "kim", "Kim Il Sung"),
             "Filippov": ("persName", "stalin", "Stalin"),
             "Shtykov": ("persName", "shtykov", "Shtykov")}
    hw = HeaderWriter(INFO, names.get, lambda t: {"when": "1950-10-09"} if t else None)
    tree = encode(doc, spans, hw, lambda ids: None)
    cd = tree.find(".//t:correspDesc", NS)
    actions = {a.get("type"): a for a in cd.findall("t:correspAction", NS)}
    assert set(actions) == {"sent", "received", "transmitted"}
    assert actions["sent"].find("t:date", NS).get("when") == "1950-10-09T07:05:00"
    assert actions["received"].find("t:date", NS).get("when") == "1950-10-09T09:38:00"
    assert actions["received"].find("t:persName", NS).get("ref") == "#stalin"
    assert actions["transmitted"].find("t:persName", NS).get("ref") == "#shtykov"

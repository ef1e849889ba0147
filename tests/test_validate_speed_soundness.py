"""The shortcuts of validation report exactly what the plain checks report.

* the edition schema: :mod:`edition.xsd_memo` leaves out repeated subtrees;
* the rules: one pass over the attributes for the usual case, no problem;
* the Schematron: compiled with the ISO skeleton's optimisation options.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from lxml import etree, isoschematron

from edition import validate as v
from edition import xsd_memo
from edition.model import TEI_NS, XML_NS
from edition.xmlio import parse, parse_bytes

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "valid").glob("*.xml")) + sorted((DATA / "invalid").glob("*.xml"))
FILES = [f for f in FILES if f.name not in ("malformed.xml", "duplicate-id.xml")]
T = f"{{{TEI_NS}}}"
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path_factory.getbasetemp() / "edition-cache"))


def plain(tree: etree._ElementTree) -> list[tuple]:
    """xmlschema's own errors, as comparable tuples."""
    return _sig(v.edition_schema().iter_errors(tree))


def memo(tree: etree._ElementTree, shared: xsd_memo.SubtreeMemo | None = None) -> list[tuple]:
    return _sig((shared or xsd_memo.SubtreeMemo(v.edition_schema())).iter_errors(tree))


def _sig(errors) -> list[tuple]:
    return [(e.reason, e.path, type(e.validator).__name__, e.elem.sourceline) for e in errors]


def schema_lines(tree: etree._ElementTree) -> list[int]:
    problems = v.Validator().validate_tree(tree, "mem.xml")
    return [p.line for p in problems if p.message.startswith("edition-schema:")]


def reparsed(tree: etree._ElementTree) -> etree._ElementTree:
    """``tree`` written and read again, so that every element has its own line."""
    return parse_bytes(etree.tostring(tree, pretty_print=True))


@pytest.fixture
def telegram() -> etree._ElementTree:
    return parse(DATA / "valid" / "telegram.xml")


def _paragraphs(tree: etree._ElementTree) -> list[etree._Element]:
    return tree.xpath("//tei:text//tei:p | //tei:text//tei:item", namespaces=NS)


def _add(parent: etree._Element, xml: str) -> None:
    """Append ``xml`` (TEI namespace) to ``parent`` on a line of its own."""
    el = etree.fromstring(f'<wrap xmlns="{TEI_NS}">{xml}</wrap>')[0]
    el.tail = "\n"
    last = parent[-1] if len(parent) else None
    if last is None:
        parent.text = (parent.text or "") + "\n"
    else:
        last.tail = (last.tail or "") + "\n"
    parent.append(el)


# ------------------------------------------------------------ the memo ---


def test_the_edition_schema_is_memoised_and_its_wildcards_found() -> None:
    m = v.edition_memo()
    assert m.usable
    assert {T + "persName", T + "p", T + "date", T + "hi"} <= set(m.wildcard_parents)
    assert not {T + "div", T + "list", T + "TEI", T + "choice"} & set(m.wildcard_parents)
    assert m.id_names == {XML_ID} and not m.idref_names and not m.scoped


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_memo_reports_what_xmlschema_reports(path: Path) -> None:
    tree = parse(path)
    shared = xsd_memo.SubtreeMemo(v.edition_schema())
    assert memo(tree, shared) == plain(tree)
    assert memo(tree, shared) == plain(tree)  # again, from the memory of valid checks


def test_invalid_subtree_repeated_is_reported_at_each_line(telegram: etree._ElementTree) -> None:
    for para in _paragraphs(telegram)[:3]:
        _add(para, '<persName ref="#stalin" cert="unknown">Filippov</persName>')
    tree = reparsed(telegram)
    bad = tree.xpath("//tei:persName[@cert='unknown']", namespaces=NS)
    assert len({el.sourceline for el in bad}) == 3
    assert memo(tree) == plain(tree)
    assert schema_lines(tree) == [el.sourceline for el in bad]


def test_one_invalid_among_identical_valid_ones(telegram: etree._ElementTree) -> None:
    paras = _paragraphs(telegram)
    for i in range(12):
        cert = "bogus" if i == 7 else "high"
        _add(paras[i % len(paras)], f'<persName ref="#stalin" cert="{cert}">Filippov</persName>')
        _add(paras[i % len(paras)], f'<date when="1950-10-0{1 + i % 3}">{i} October</date>')
    _add(paras[-1], '<date when="1950-02-30">30 February</date>')  # the same shape, no real day
    for _ in range(3):
        _add(paras[2], '<lb n="1"/>')
    _add(paras[2], '<lb n="1">text where none may be</lb>')  # keyed with its text: not mixed
    _add(paras[0], '<persName ref="#stalin">F.<hi rend="x" cert="maybe">S</hi></persName>')
    _add(paras[1], '<persName ref="#stalin">F.<hi rend="x" cert="low">S</hi></persName>')
    tree = reparsed(telegram)
    wrong = tree.xpath(
        "//*[@cert='bogus' or @cert='maybe' or @when='1950-02-30' or self::tei:lb[text()]]",
        namespaces=NS,
    )
    assert memo(tree) == plain(tree)
    assert sorted(set(schema_lines(tree))) == sorted(el.sourceline for el in wrong)


def test_a_subtree_known_valid_does_not_hide_a_duplicate_id(
    telegram: etree._ElementTree,
) -> None:
    shared = xsd_memo.SubtreeMemo(v.edition_schema())
    assert memo(telegram, shared) == []  # every check of the telegram is now known valid
    note = telegram.xpath("//tei:text//tei:note[@xml:id]", namespaces=NS)[0]
    twice = copy.deepcopy(telegram)
    para = _paragraphs(twice)[-1]
    para.append(copy.deepcopy(twice.xpath("//tei:text//tei:note[@xml:id]", namespaces=NS)[0]))
    found = memo(twice, shared)
    assert found == plain(twice)
    assert any("duplicated xs:ID" in reason for reason, *_ in found)
    clash = copy.deepcopy(telegram)  # the known note once, its id also on another element
    _paragraphs(clash)[-1].set(XML_ID, note.get(XML_ID))
    found = memo(clash, shared)
    assert found == plain(clash) and any("duplicated xs:ID" in r for r, *_ in found)
    rules = [p for p in v.Validator().validate_tree(clash, "m.xml") if "used twice" in p.message]
    assert rules


def test_memo_agrees_with_xmlschema_on_random_mutants() -> None:
    rng = random.Random(8)
    bases = [parse(DATA / "valid" / n) for n in ("telegram.xml", "chronology.xml")]
    shared = xsd_memo.SubtreeMemo(v.edition_schema())
    for base in bases:
        assert memo(base, shared) == []
    invalid = 0
    for _ in range(60):
        tree = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.choice([1, 1, 2])):
            _mutate(tree, rng)
        expected = plain(tree)
        invalid += bool(expected)
        assert memo(tree, shared) == expected
    assert 10 < invalid < 60


def _mutate(tree: etree._ElementTree, rng: random.Random) -> None:
    """One random change, often to one of several identical subtrees."""
    root = tree.getroot()
    els = [e for e in root.iter(etree.Element) if e is not root]
    el = rng.choice(els)
    shape = etree.tostring(el, with_tail=False)
    same = [e for e in els if etree.tostring(e, with_tail=False) == shape]
    target = rng.choice([same[0], same[-1], el])
    kind = rng.randrange(7)
    if kind == 0:
        target.set("cert", rng.choice(["bogus", "high"]))
    elif kind == 1:
        target.set("when", rng.choice(["1950-02-30", "1950-02-28", "1950-10-01T07:05"]))
    elif kind == 2:
        target.tag = T + rng.choice(["gloss", "div", "persName"])
    elif kind == 3:
        target.text = (target.text or "") + " text "
    elif kind == 4:
        etree.SubElement(target, T + rng.choice(["hi", "p", "date"])).text = "x"
    elif kind == 5 and target.getparent() is not None:
        target.getparent().append(copy.deepcopy(target))  # may duplicate ids
    else:
        for e in same:
            e.set("rend", "x")


# ------------------------------------------------- small schemas, edge cases ---

XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"
  xmlns="urn:t" elementFormDefault="qualified">
  <xs:element name="r"><xs:complexType><xs:sequence><xs:sequence>
    <xs:any namespace="##targetNamespace" processContents="{process}" minOccurs="0"
            maxOccurs="unbounded"/>
  </xs:sequence></xs:sequence></xs:complexType>{key}</xs:element>
  <xs:element name="c"><xs:complexType><xs:attribute name="k" type="xs:integer"/>
    <xs:attribute name="id" type="xs:ID"/></xs:complexType></xs:element>
  <xs:element name="n" type="xs:integer"/>
</xs:schema>"""


def small(process: str = "strict", key: str = "") -> xsd_memo.SubtreeMemo:
    import xmlschema

    text = XSD.format(process=process, key=key)
    return xsd_memo.SubtreeMemo(xmlschema.XMLSchema11(text))


def doc(body: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(f'<r xmlns="urn:t">\n{body}\n</r>'))


def both(m: xsd_memo.SubtreeMemo, tree: etree._ElementTree) -> tuple[list, list]:
    return _sig(m.iter_errors(tree)), _sig(m.schema.iter_errors(tree))


def test_removing_a_repeat_keeps_the_character_data_of_element_only_content() -> None:
    m = small()
    assert m.usable and "{urn:t}r" in m.wildcard_parents
    found, expected = both(m, doc('<c k="1"/>\n<c k="1"/>stray text\n'))
    assert found == expected != []


def test_text_is_part_of_the_key_where_it_is_checked() -> None:
    m = small()
    found, expected = both(m, doc("<n>1</n>\n<n>1</n>\n<n>x</n>\n<n>1</n>"))
    assert found == expected and [line for *_, line in found] == [4]


def test_repeated_ids_in_repeated_subtrees_are_reported() -> None:
    m = small()
    found, expected = both(m, doc('<c id="a"/>\n<c id="a"/>\n<c id="b"/>'))
    assert found == expected and any("duplicated" in r for r, *_ in found)


def test_schemas_whose_checks_depend_on_context_are_validated_plainly() -> None:
    key = '<xs:key name="k"><xs:selector xpath="c"/><xs:field xpath="@k"/></xs:key>'
    for m in (small(process="lax"), small(key=key)):
        assert not m.usable
        found, expected = both(m, doc('<c k="1"/>\n<c k="1"/>\n<c k="x"/>'))
        assert found == expected != []


def test_xmlschema_skips_what_the_hook_asks_it_to_skip() -> None:
    """The library behaviour the memo relies on: True leaves the element out."""
    m = small()
    tree = doc('<c k="1"/>\n<c k="bad"/>')
    assert list(m.schema.iter_errors(tree))
    bad = tree.getroot()[1]
    assert list(m.schema.iter_errors(tree, validation_hook=lambda e, d: e is bad)) == []


def test_the_memory_of_valid_checks_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xsd_memo, "MAX_REMEMBERED", 5)
    m = small()
    for i in range(10):
        assert m.iter_errors(doc(f'<c k="{i}"/><c k="{i + 1}"/><c k="{i + 2}"/>')) == []
        assert len(m.valid) <= 5


# -------------------------------------------------------------- the rules ---


def _three(tree: etree._ElementTree) -> list:
    return [
        *v._id_problems(tree, "m.xml"),
        *v._pointer_problems(tree, "m.xml"),
        *v._date_problems(tree, "m.xml"),
    ]


def test_attribute_rules_in_one_pass_report_what_the_three_checks_report(
    telegram: etree._ElementTree,
) -> None:
    assert v.attribute_problems(telegram, "m.xml") == _three(telegram) == []
    cited = etree.SubElement(_paragraphs(telegram)[0], T + "citedRange", {"from": "12", "to": "3"})
    assert v.attribute_problems(telegram, "m.xml") == _three(telegram) == []
    cited.set("when", "1950-02-30")
    items = telegram.xpath("//tei:item", namespaces=NS)
    items[1].set(XML_ID, items[0].get(XML_ID))
    items[1].set("corresp", "#nowhere #stalin")
    found = v.attribute_problems(telegram, "m.xml")
    assert found == _three(telegram) and len(found) == 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_optimised_schematron_reports_what_the_default_one_does(path: Path) -> None:
    tree = parse(path)
    for phase in ("edition", "exchange"):
        default = isoschematron.Schematron(
            etree.parse(str(v.EDITION_RULES)), phase=phase, store_report=True
        )
        assert list(v.schematron_problems(tree, "m.xml", v.edition_rules(phase))) == list(
            v.schematron_problems(tree, "m.xml", default)
        )


def test_attribute_contexts_keep_the_skeleton_visiting_attributes() -> None:
    assert v._skeleton_params(etree.parse(str(v.EDITION_RULES)))["attributes"] == "'false'"
    sch = f"""<schema xmlns="{v.SCH_NS}"><pattern>
      <rule context="tei:p[@n='[x]']/@rend"><assert test="false()">no</assert></rule>
    </pattern></schema>"""
    assert "attributes" not in v._skeleton_params(etree.ElementTree(etree.fromstring(sch)))
    assert v._outside_predicates("a[@b='[' and c[d]]/e | @f") == "a/e | @f"

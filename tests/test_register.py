"""The register file and :mod:`edition.register`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from edition.errors import InputError
from edition.model import TEI_NS, XML_NS
from edition.register import DEFAULT_REGISTER_PATH, Register, name_key, tokenize

ROOT = Path(__file__).resolve().parent.parent
T = f"{{{TEI_NS}}}"


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "reg.xml"
    path.write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader/><standOff>{body}</standOff></TEI>', encoding="utf-8"
    )
    return path


def test_register_is_valid_tei_all() -> None:
    schema = etree.RelaxNG(etree.parse(str(ROOT / "schema" / "tei_all.rng")))
    doc = etree.parse(str(DEFAULT_REGISTER_PATH))
    assert schema.validate(doc), schema.error_log


def test_ids_are_lowercase_hyphenated_and_each_entry_has_a_preferred_name(
    register: Register,
) -> None:
    assert len(register) > 250
    for entry in register:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id), entry.id
        assert entry.preferred and entry.preferred not in entry.variants
        assert entry.tag in {"persName", "placeName", "geogName", "orgName"}


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Pak Heon-yeong", "pak-hon-yong"),
        ("Park Hyun Young", "pak-hon-yong"),
        ("PAK HON-YONG", "pak-hon-yong"),
        ("pak hon yong", "pak-hon-yong"),
        ("KIM IL SUNG", "kim-il-sung"),
        ("Kim Il-sung", "kim-il-sung"),
        ("S H T Y K O V", "shtykov"),
        ("G r o m y k o", "gromyko"),
        ("Krurak", "charles-krulak"),
        ("Croillak", "charles-krulak"),
        ("Filippov", "stalin"),
        ("Fyn Si", "stalin"),
        ("Chan Fu", "stalin"),
        ("Feng Xi", "stalin"),
        ("MATVEYEV", "zakharov"),
        ("Tsinnampo", "nampo"),
        ("Genzan", "wonsan"),
        ("KANKO", "hamhung"),
        ("CHEMUL'PO", "incheon"),
        ("Chemulp’o", "incheon"),
        ("Inchon", "incheon"),
        ("Andong", "dandong"),
        ("Changjin Lake", "chosin-reservoir"),
        ("KAISIU", "haeju"),
        ("Singisiu", "sinuiju"),
        ("Ch'óngjin", "chongjin"),
        ("chongjin", "chongjin"),
        ("Hammarskjold", "hammarskjold"),
        ("38th Parallel", "parallel-38"),
        ("CVA", "cpv"),
        ("Chinese People's Volunteers", "cpv"),
        ("APRF", "aprf"),
        ("Politburo of the CC VKP(b)", "politburo-vkpb"),
    ],
)
def test_lookup_finds_variants_in_any_spelling(
    register: Register, name: str, entry_id: str
) -> None:
    entry = register.lookup(name)
    assert entry is not None and entry.id == entry_id


def test_lookup_of_shared_or_unknown_names(register: Register) -> None:
    assert register.lookup("Politburo") is None  # three bodies share it, none claims it
    assert {e.id for e in register.lookup_all("Politburo")} >= {"politburo-vkpb", "kwp-politburo"}
    assert register.lookup("Kim").id == "kim-il-sung"  # claimed as short form
    assert register.lookup("Nobody Atall") is None
    assert register.lookup("") is None


def test_entry_kinds_and_tags(register: Register) -> None:
    assert register["yalu"].tag == "geogName" and register["yalu"].kind == "place"
    assert register["parallel-38"].tag == "geogName"
    assert register["nampo"].tag == "placeName"
    assert register["aprf"].tag == "orgName" and register["aprf"].kind == "org"
    assert register["#stalin"].kind == "person"
    assert "stalin" in register and "#stalin" in register and "nobody" not in register
    assert "Filippov" in register["stalin"].variants


def test_places_have_plausible_coordinates_and_authority_ids_are_well_formed(
    register: Register,
) -> None:
    for entry in register:
        for geo in entry.element.iter(T + "geo"):
            lat, lon = map(float, geo.text.split())
            assert -90 <= lat <= 90 and -180 <= lon <= 180, entry.id
        for idno in entry.element.iter(T + "idno"):
            assert idno.get("type") == "wikidata" and re.fullmatch(r"Q\d+", idno.text)


def test_standoff_copies_used_entries_in_register_order(register: Register) -> None:
    standoff = register.standoff(["#nampo", "stalin", "aprf", "mao-zedong"])
    assert etree.QName(standoff).localname == "standOff"
    lists = [etree.QName(c).localname for c in standoff]
    assert lists == ["listPerson", "listPlace", "listOrg"]
    people = [p.get(f"{{{XML_NS}}}id") for p in standoff.find(T + "listPerson")]
    assert people == ["stalin", "mao-zedong"]
    copied = standoff.find(T + "listPlace")[0]
    copied.set("type", "changed")
    assert register["nampo"].element.get("type") == "city"


def test_standoff_leaves_out_empty_lists_and_rejects_unknown_ids(register: Register) -> None:
    only_places = register.standoff(["yalu"])
    assert [etree.QName(c).localname for c in only_places] == ["listPlace"]
    with pytest.raises(KeyError, match="nobody"):
        register.standoff(["stalin", "nobody"])


def test_name_key_normalises_case_space_hyphens_apostrophes_and_diacritics() -> None:
    assert name_key("Pak  Hon-yong") == name_key("PAK HON YONG")
    assert name_key("Ch'óngjin") == name_key("CHONGJIN")
    assert name_key("A. G R O M Y K O") == "a . gromyko"
    assert [t.raw for t in tokenize("1   2   3")] == ["1", "2", "3"]
    assert tokenize("Kim’s")[0].possessive and not tokenize("Xi'an")[0].possessive


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    body = (
        '<listPerson><person xml:id="a"><persName type="preferred">A</persName></person>'
        '<person xml:id="a"><persName type="preferred">B</persName></person></listPerson>'
    )
    with pytest.raises(InputError, match="duplicate"):
        Register.load(_write(tmp_path, body))


def test_entry_without_preferred_name_is_rejected(tmp_path: Path) -> None:
    body = '<listOrg><org xml:id="x"><orgName type="variant">X</orgName></org></listOrg>'
    with pytest.raises(InputError, match="preferred"):
        Register.load(_write(tmp_path, body))


def test_entry_without_id_is_rejected(tmp_path: Path) -> None:
    body = '<listPlace><place><placeName type="preferred">X</placeName></place></listPlace>'
    with pytest.raises(InputError, match="xml:id"):
        Register.load(_write(tmp_path, body))


@pytest.mark.parametrize(
    "content",
    [
        "",
        "<TEI><unclosed></TEI>",
        '<!DOCTYPE x [<!ENTITY a "b">]><TEI/>',
        f'<TEI xmlns="{TEI_NS}"><teiHeader/></TEI>',
    ],
)
def test_malformed_register_files_fail_clearly(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError):
        Register.load(path)


def test_geog_place_loaded_from_a_small_file(tmp_path: Path) -> None:
    body = (
        '<listPlace><place xml:id="han" type="geog"><geogName type="preferred">Han River'
        '</geogName><geogName type="variant">Hangang</geogName></place></listPlace>'
    )
    reg = Register.load(_write(tmp_path, body))
    assert reg.lookup("HANGANG").tag == "geogName"
    assert [e.id for e in reg] == ["han"]

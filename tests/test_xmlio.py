"""Hostile and malformed XML is refused quickly with file and line."""

import time

import pytest

from edition.errors import InputError
from edition.xmlio import parse, parse_bytes, write_atomic

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>"""

QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "' + b"A" * 50000 + b'">]>\n<x>'
             + b"&a;" * 50000 + b"</x>")

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&xxe;</p></body></text></TEI>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>"""


@pytest.mark.parametrize("name,data", [("billion-laughs", BILLION_LAUGHS),
                                       ("quadratic-blowup", QUADRATIC), ("xxe-local-file", XXE)])
def test_entity_attacks_are_refused_fast(name, data):
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_bytes(data, f"{name}.xml")
    assert time.perf_counter() - started < 2
    assert "entity" in str(info.value)
    assert str(info.value).startswith(f"{name}.xml:")


def test_entity_declared_after_a_long_prologue_is_refused():
    padding = b"<!-- " + b"x" * 70000 + b" -->"
    data = XXE.replace(b"<!DOCTYPE TEI [", b"<!DOCTYPE TEI [" + padding)
    with pytest.raises(InputError, match="entity"):
        parse_bytes(data, "late.xml")


def test_external_dtd_is_not_loaded_but_document_is_read():
    tree = parse_bytes(EXTERNAL_DTD, "dtd.xml")
    assert tree.getroot().findtext(".//{http://www.tei-c.org/ns/1.0}p") == "x"


def test_malformed_xml_names_the_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<TEI>\n<text>\n<p>unclosed\n</text></TEI>")
    with pytest.raises(InputError) as info:
        parse(bad)
    assert info.value.line in {3, 4}
    assert "malformed XML" in str(info.value)


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        parse(empty)
    with pytest.raises(InputError, match="cannot read"):
        parse(tmp_path / "missing.xml")


def test_write_atomic_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out" / "a.xml"
    write_atomic(target, "old")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["a.xml"]

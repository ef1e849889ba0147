"""Decoding source texts: encodings, binary files, characters XML cannot keep."""

import pytest

from edition.errors import InputError
from edition.read import decode, default_id, read_meta


def test_utf8_with_bom_and_utf16_are_detected():
    assert decode("\ufeffKim Il Sung".encode(), "a.txt") == "Kim Il Sung"
    assert decode("Пак Хон Ён".encode("utf-16"), "a.txt") == "Пак Хон Ён"


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "empty"),
        (b"   \n\n", 1, "empty"),
        (b"\x00\x01\x02binary", 1, "binary"),
        ("line one\nCaf\u00e9\n".encode("latin-1"), 2, "not UTF-8"),
        (b"ok\n\x0cpage", 2, "U+000C"),
    ],
)
def test_bad_input_is_reported_with_line(data, line, words):
    with pytest.raises(InputError) as info:
        decode(data, "bad.txt")
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith("bad.txt:")


def test_default_id_is_an_ncname(tmp_path):
    assert default_id(tmp_path / "000_fa8a.txt") == "t000_fa8a"
    assert default_id(tmp_path / "my text (2).txt") == "my-text-2"


def test_sidecar_is_read_and_bad_id_refused(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("text")
    (tmp_path / "doc.toml").write_text(
        'id = "my-doc"\ntitle = "T"\n[conventions]\nslash_dates = "dmy"\n'
    )
    meta = read_meta(src)
    assert meta.id == "my-doc" and meta.title == "T" and meta.conventions["slash_dates"] == "dmy"
    (tmp_path / "doc.toml").write_text('id = "1 bad"\n')
    with pytest.raises(InputError):
        read_meta(src)
    (tmp_path / "doc.toml").write_text('id = "x\n')
    with pytest.raises(InputError) as info:
        read_meta(src)
    assert "doc.toml:1" in str(info.value)

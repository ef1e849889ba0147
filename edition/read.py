"""Read a source text and its sidecar metadata.

The text is decoded strictly (UTF-8, UTF-8 with BOM, UTF-16 with BOM); anything
else is refused with the file, the line and a hint, never guessed.  Characters
that XML 1.0 cannot carry are refused too: the edition promises to keep every
character, so it will not silently drop one.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .errors import InputError
from .model import SourceMeta

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Characters not allowed in XML 1.0 (C0 controls but tab, LF, CR; surrogates; U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_SOURCE_BYTES = 50 * 1024 * 1024


def decode(data: bytes, path: str) -> str:
    """Decode source bytes, or raise :class:`InputError` with file and line."""
    if not data.strip():
        raise InputError(path, 1, "the file is empty")
    if len(data) > MAX_SOURCE_BYTES:
        raise InputError(path, 0, f"the file is larger than {MAX_SOURCE_BYTES // 2**20} MB")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, 0, f"invalid {codec} after the byte-order mark") from exc
            return _check_chars(text, path)
    if b"\x00" in data[:8192]:
        raise InputError(path, 1, "binary file (NUL bytes); expected a plain-text source")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            line,
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert the file to UTF-8 first, "
            "e.g. `iconv -f windows-1252 -t utf-8`",
        ) from None
    return _check_chars(text, path)


def _check_chars(text: str, path: str) -> str:
    match = _NOT_XML.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(
            path, line, f"control character U+{ord(match.group()):04X} cannot be kept in XML"
        )
    return text


def read_text(path: str | Path) -> str:
    """Read and decode a source text file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot read file: {exc.strerror}") from None
    return decode(data, str(path))


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".toml")


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_id(source: Path) -> str:
    """A valid ``xml:id`` (an NCName) made from a file name."""
    ident = _ID_UNSAFE.sub("-", source.stem).strip("-.") or "text"
    return ident if ident[0].isalpha() or ident[0] == "_" else f"t{ident}"


_META_FIELDS = {
    "title", "kind", "publisher", "url", "language", "translator", "author", "date",
    "record_id", "licence",
}


def read_meta(source: Path) -> SourceMeta:
    """Load ``<stem>.toml`` beside a source, or default metadata if there is none."""
    side = sidecar_path(source)
    if not side.exists():
        return SourceMeta(id=default_id(source))
    try:
        data = tomllib.loads(side.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(side), _toml_line(exc), f"bad metadata file: {exc}") from None
    ident = str(data.get("id") or default_id(source))
    if default_id(Path(ident)) != ident:
        raise InputError(str(side), 1, f"id {ident!r} is not a valid xml:id (NCName)")
    unknown = set(data) - _META_FIELDS - {"id", "conventions"}
    fields = {k: str(v) for k, v in data.items() if k in _META_FIELDS}
    return SourceMeta(
        id=ident,
        conventions={k: str(v) for k, v in data.get("conventions", {}).items()},
        extra={k: str(data[k]) for k in sorted(unknown)},
        **fields,
    )


def _toml_line(exc: Exception) -> int:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else 1

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
            body = data[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                line = body[: exc.start].decode(codec, "replace").count("\n") + 1
                raise InputError(path, line, f"invalid {codec} after the byte-order mark") from None
            return _check_chars(text, path)
    if b"\x00" in data[:8192]:
        if _looks_utf16(data[:8192]):
            raise InputError(path, 1, "UTF-16 without a byte-order mark; save it as UTF-8 "
                             "(or as UTF-16 with a byte-order mark)")
        raise InputError(path, 1, "binary file (NUL bytes); expected a plain-text source")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            line,
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert the file to UTF-8 first "
            "from the encoding it was saved in, e.g. `iconv -f windows-1252 -t utf-8` "
            "(or latin1, shift_jis, koi8-r, ...)",
        ) from None
    return _check_chars(text, path)


def _looks_utf16(head: bytes) -> bool:
    """Whether NUL bytes fill every other byte, as in mostly-ASCII UTF-16."""
    halves = head[0::2], head[1::2]
    return any(h.count(0) > 0.9 * len(h) and o.count(0) < 0.1 * len(o)
               for h, o in (halves, halves[::-1]))


def _check_chars(text: str, path: str) -> str:
    if not text.strip():
        raise InputError(path, 1, "the file is empty")
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
# The ids the edition accepts: ASCII NCNames (they also name output files).
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def default_id(source: Path) -> str:
    """A valid ``xml:id`` (an NCName) made from a file name."""
    ident = _ID_UNSAFE.sub("-", source.stem).strip("-.") or "text"
    return ident if ident[0].isalpha() or ident[0] == "_" else f"t{ident}"


_META_FIELDS = {
    "title", "kind", "publisher", "url", "language", "translator", "author", "date",
    "record_id", "licence",
}


def read_meta(source: Path) -> SourceMeta:
    """Load ``<stem>.toml`` beside a source, or default metadata if there is none.

    Raises :class:`InputError` naming the sidecar and the line for bad TOML,
    an ``id`` that is not an NCName, a ``kind`` that is no known profile, or
    a field of the wrong type (a list where a string is expected)."""
    side = sidecar_path(source)
    if not side.exists():
        return SourceMeta(id=default_id(source))
    try:
        toml = side.read_text(encoding="utf-8")
        data = tomllib.loads(toml)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(side), _toml_line(exc), f"bad metadata file: {exc}") from None
    except OSError as exc:
        raise InputError(str(side), 0, f"cannot read file: {exc.strerror}") from None
    problem = _meta_problem(data)
    if problem:
        key, message = problem
        raise InputError(str(side), _key_line(toml, key), message)
    unknown = set(data) - _META_FIELDS - {"id", "conventions"}
    fields = {k: str(v) for k, v in data.items() if k in _META_FIELDS}
    return SourceMeta(
        id=str(data.get("id") or default_id(source)),
        conventions={k: str(v) for k, v in data.get("conventions", {}).items()},
        extra={k: str(data[k]) for k in sorted(unknown)},
        **fields,
    )


def _meta_problem(data: dict) -> tuple[str, str] | None:
    """The first (key, message) wrong in a sidecar's data, or None."""
    from .sources import PROFILE_NAMES

    for key, value in data.items():
        if key == "conventions":
            if not isinstance(value, dict) or any(isinstance(v, (dict, list))
                                                  for v in value.values()):
                return key, "conventions must be a table of single values ([conventions])"
        elif isinstance(value, (dict, list)):
            return key, f"{key} must be a single value, not a {type(value).__name__}"
    ident = data.get("id")
    if ident is not None and not _NCNAME.fullmatch(str(ident)):
        return "id", f"id {ident!r} is not a valid xml:id (NCName)"
    kind = data.get("kind")
    if kind is not None and kind not in PROFILE_NAMES:
        return "kind", f"unknown kind {kind!r} (known: {', '.join(PROFILE_NAMES)})"
    return None


def _key_line(toml: str, key: str) -> int:
    match = re.search(rf"^\s*(?:\[\s*)?{re.escape(key)}\s*[=\]]", toml, re.M)
    return toml.count("\n", 0, match.start()) + 1 if match else 1


def _toml_line(exc: Exception) -> int:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else 1

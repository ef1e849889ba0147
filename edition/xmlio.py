"""Safe XML reading and atomic writing.

Every XML file the edition reads, its own or a stranger's, goes through
:func:`parse`: no DTD is loaded, no entity is expanded, nothing is fetched
over the network, so entity bombs and XXE fail fast with a clear message.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lxml import etree

from .errors import InputError


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_bytes(data: bytes, name: str = "<input>") -> etree._ElementTree:
    """Parse XML bytes safely; raise :class:`InputError` naming file and line."""
    if b"<!ENTITY" in data[:65536]:
        raise InputError(name, _line_of(data, b"<!ENTITY"), "entity declarations are not accepted")
    try:
        root = etree.fromstring(data, _parser(), base_url=name)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise InputError(name, line, f"malformed XML: {exc.msg}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(name, 1, "entity declarations are not accepted")
    return tree


def parse(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse an XML file safely."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot read file: {exc.strerror}") from None
    if not data.strip():
        raise InputError(str(path), 1, "the file is empty")
    return parse_bytes(data, str(path))


def _line_of(data: bytes, needle: bytes) -> int:
    return data[: data.find(needle)].count(b"\n") + 1


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a file so that readers see either the old or the new content,
    never a partial one (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """Serialise a TEI tree the one way the edition does (UTF-8, declaration)."""
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True) + b"\n"

"""Safe XML reading and atomic writing.

Every XML file the edition reads, its own or a stranger's, goes through
:func:`parse`: no DTD is loaded, no entity is expanded, nothing is fetched
over the network, XInclude is never processed, so entity bombs and XXE fail
fast with a clear message.  libxml2's own limits stay on (no ``huge_tree``):
elements nested deeper than 256 levels and text or attribute values over
10 MB are refused rather than exhausting memory or the stack.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from .errors import EditionError, InputError


class WriteError(EditionError, OSError):
    """A file cannot be written: reported in one line like every EditionError,
    and still an OSError for callers that tolerate unwritable places."""


#: ``<!ENTITY`` and a line break in the encodings libxml2 reads (UTF-8, UTF-16).
_ENTITY_DECLS = tuple(("<!ENTITY".encode(codec), "\n".encode(codec))
                      for codec in ("utf-8", "utf-16-le", "utf-16-be"))
#: libxml2 messages rephrased for people (they suggest a parser option instead).
_PLAIN_MESSAGES = (
    (re.compile(r"Excessive depth in document: (\d+).*", re.S),
     r"elements nested more than \1 levels deep"),
    (re.compile(r"Resource limit exceeded.*|.*[Bb]uffer size limit exceeded.*", re.S),
     "a text or attribute value is larger than the parser's limit (10 MB)"),
    (re.compile(r".*entity amplification.*", re.S),
     "entity expansion beyond the parser's limit (an entity bomb)"),
    (re.compile(r"(.*?)(?:, line \d+, column \d+)?\s*$", re.S), r"\1"),
)

# The process's umask, read once at import (reading it means setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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
    head = data[:65536]
    for needle, newline in _ENTITY_DECLS:
        if needle in head:
            line = head[: head.find(needle)].count(newline) + 1
            raise InputError(name, line, "entity declarations are not accepted")
    try:
        root = etree.fromstring(data, _parser(), base_url=name)
    except etree.XMLSyntaxError as exc:
        raise InputError(name, exc.lineno or 1, f"malformed XML: {_plain(exc.msg)}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(name, 1, "entity declarations are not accepted")
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:  # declared in an external DTD, which is never loaded
        raise InputError(name, entity.sourceline or 1,
                         f"entity reference {entity.text} cannot be resolved (DTDs are not read)")
    return tree


def _plain(message: str) -> str:
    """libxml2's message on one line, without its position (reported
    separately), quoted source lines or parser advice."""
    message = message.strip().split("\n", 1)[0]
    for pattern, replacement in _PLAIN_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message, count=1).strip()
    return message


def parse(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse an XML file safely."""
    return parse_bytes(read_xml(path), str(path))


def read_xml(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an XML file (:class:`InputError` if unreadable or empty)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot read file: {exc.strerror}") from None
    if not data.strip():
        raise InputError(str(path), 1, "the file is empty")
    return data


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a file so that readers see either the old or the new content,
    never a partial one (temporary file in the same folder, then rename).
    The file gets the usual permissions (``0o666`` less the umask), not the
    owner-only ones of a temporary file.  Raises :class:`WriteError` if
    the folder cannot be made or the file cannot be written."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def streamed(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` piece by piece: it is written under a hidden
    name beside ``path`` (``open`` gives it the usual permissions) and renamed
    into place only if the block ends without an error, so readers never see
    a partial file.  (:func:`write_atomic` for data held whole.)"""
    tmp = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # e.g. the folder is a file: nothing to remove
            tmp.unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def _cannot_write(path: Path, exc: OSError) -> WriteError:
    """The error for ``path`` that could not be written, naming a file that
    stands where a folder should be."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror
    return WriteError(f"{path}: cannot write: {reason}")


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """Serialise a TEI tree the one way the edition does (UTF-8, declaration)."""
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True) + b"\n"

"""Reading editions: TEI to HTML5 and to plain text through the XSLT 1.0
stylesheets in ``xslt/``.

The stylesheets are compiled once per process and run with an access
control that forbids reading or writing files and the network: a TEI file,
ours or a stranger's, cannot make them fetch anything (``document()``,
``xsl:result-document``).  Imports are resolved when they are compiled.

The plain-text stylesheet emits a small block vocabulary (``h``, ``p``,
``line``, ``indent``, ``group``, ``br``) that :func:`layout_text` wraps at 72 columns.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import lxml.html
from lxml import etree

from .errors import EditionError
from .model import TEI_NS
from .xmlio import parse

XSLT_DIR = Path(__file__).resolve().parent.parent / "xslt"
WIDTH = 72
MAX_HANG = 20  # a longer prefix (a long label) hangs by 4 columns only
UNDERLINES = {1: "=", 2: "-"}
DEFAULT_UNDERLINE = "~"

_ACCESS = etree.XSLTAccessControl(
    read_file=False, write_file=False, create_dir=False, read_network=False, write_network=False
)
_P4_NAMES = {"TEI.2": "TEI", "teiCorpus.2": "teiCorpus"}
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@cache
def stylesheet(name: str) -> etree.XSLT:
    """The compiled stylesheet ``xslt/<name>.xsl`` (cached per process)."""
    path = XSLT_DIR / f"{name}.xsl"
    try:
        return etree.XSLT(etree.parse(str(path)), access_control=_ACCESS)
    except (OSError, etree.XMLSyntaxError, etree.XSLTParseError) as exc:
        raise EditionError(f"{path}: cannot compile the stylesheet: {exc}") from None


def _with_tei_namespace(tree: etree._ElementTree) -> etree._ElementTree:
    """A TEI document without namespace (P4 style) moved into the TEI
    namespace, so that the stylesheets recognise its elements."""
    root = tree.getroot()
    if etree.QName(root).namespace is not None:
        return tree
    root = _copy(root)
    for el in root.iter(etree.Element):
        qname = etree.QName(el)
        if qname.namespace is None:
            el.tag = f"{{{TEI_NS}}}{_P4_NAMES.get(qname.localname, qname.localname)}"
    etree.cleanup_namespaces(root)
    return root.getroottree()


def _copy(root: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(root), etree.XMLParser(resolve_entities=False))


#: the notes that become numbered footnotes (the ``footnote`` key of core.xsl)
FOOTNOTES = etree.XPath(
    "//t:text//t:note[not(parent::*[self::t:body or self::t:front or self::t:back"
    " or self::t:listBibl or starts-with(local-name(), 'div')])]",
    namespaces={"t": TEI_NS},
)
REDACTIONS = etree.XPath("//t:seg[@type = 'redaction']", namespaces={"t": TEI_NS})
#: what the stylesheets number, and the attribute that brings them the number
#: (no namespace: nothing else to tidy)
NUMBERED = ((FOOTNOTES, "edition-footnote-number"), (REDACTIONS, "edition-redaction-number"))


@contextmanager
def _numbered(tree: etree._ElementTree) -> Iterator[etree._ElementTree]:
    """Number the footnotes and the redactions once each, in document order
    (``xsl:number level="any"`` counts back over the document at each one: time
    that grows with the square of their number, or worse), and take the
    numbers off again afterwards: the caller's tree is left as it was."""
    marked = []
    for select, attr in NUMBERED:
        for n, el in enumerate(select(tree), 1):
            el.set(attr, str(n))
            marked.append((el, attr))
    try:
        yield tree
    finally:
        for el, attr in marked:
            el.attrib.pop(attr, None)


def _transform(
    name: str, tree: etree._ElementTree, params: dict[str, str]
) -> etree._XSLTResultTree:
    """Run ``xslt/<name>.xsl`` on ``tree``.  libxslt applies the stylesheets'
    ``xsl:strip-space`` to the tree itself: afterwards the white-space-only
    text between the structural elements core.xsl lists (div, list, choice...)
    is gone from the caller's tree; no other character is touched (the TEI a
    build writes is serialised before it is rendered)."""
    xslt = stylesheet(name)
    quoted = {key: etree.XSLT.strparam(str(value)) for key, value in params.items()}
    try:
        with _numbered(_with_tei_namespace(tree)) as prepared:
            result = xslt(prepared, **quoted)
    except etree.XSLTApplyError as exc:
        messages = "; ".join(str(entry.message) for entry in xslt.error_log) or str(exc)
        raise EditionError(f"{name}.xsl failed: {messages}") from None
    if result.getroot() is None:
        raise EditionError(f"{name}.xsl produced no output")
    return result


HTML_PARAMS = frozenset({"css", "register", "persons", "places", "organisations"})


def _html_params(params: dict[str, str]) -> dict[str, str]:
    unknown = set(params) - HTML_PARAMS
    if unknown:
        raise EditionError(f"unknown stylesheet parameter(s): {', '.join(sorted(unknown))}")
    return params


def render_html(tree: etree._ElementTree, **params: str) -> str:
    """The HTML5 page of a TEI document.  ``params``: ``css`` (stylesheet
    path, default ``assets/edition.css``), ``register`` (page that names
    link to, default ``register.html``), ``persons``, ``places``,
    ``organisations`` (a register page per kind of entry, default ``register``).

    A name pointing to a register entry links to ``<page>#<id>`` if the page
    passes the stylesheets' URL guard; else (``''``, ``javascript:``...) the
    page lists the file's own standOff entries and the name links there (a
    ``<span>`` if the file lacks the entry).  The default stays
    ``register.html`` for callers of this function; ``edition render`` passes
    ``register=''`` unless told where the register is published, so that a
    page rendered alone has no dead links."""
    result = _transform("html", tree, _html_params(params))
    page = lxml.html.tostring(result, doctype="<!DOCTYPE html>", method="html", encoding="unicode")
    return page + "\n"


def render_body(tree: etree._ElementTree, **params: str) -> str:
    """The reading text of a TEI document as an HTML fragment (``<div
    class="reading">``: the text and its footnotes) for a page template to
    wrap.  ``params`` as for :func:`render_html` (``css`` is not used)."""
    result = _transform("html", tree, {**_html_params(params), "fragment": "yes"})
    return lxml.html.tostring(result, method="html", encoding="unicode")


def render_text(tree: etree._ElementTree) -> str:
    """The plain-text reading edition of a TEI document, wrapped at 72 columns."""
    return layout_text(_transform("txt", tree, {}).getroot())


def render_file(path: str | os.PathLike[str], to: str = "html", **params: str) -> str:
    """Render a TEI file as ``html`` or ``txt``."""
    tree = parse(path)
    if to == "html":
        return render_html(tree, **params)
    if to == "txt":
        return render_text(tree)
    raise EditionError(f"unknown output format {to!r} (expected 'html' or 'txt')")


# ---------------------------------------------------------------- plain text


_BREAK = "\x00"  # a hard line break (never in XML text)


@dataclass
class _Block:
    """A paragraph, line or heading being collected from the block vocabulary."""

    kind: str
    indent: int
    prefix: str = ""
    level: int = 0
    path: tuple[tuple[int, str], ...] = ()
    parts: list[str] = field(default_factory=list)

    def has_text(self) -> bool:
        return bool("".join(self.parts).replace(_BREAK, "").strip())

    def continuation(self) -> _Block:
        """The same block after an interruption: the prefix becomes its indent."""
        return _Block(self.kind, self.indent, " " * len(self.prefix), self.level, self.path)

    def tight_after(self, previous: _Block) -> bool:
        """True if this line follows ``previous`` without a blank line: both
        are lines of one container, or one is nested in the other's line."""
        if not previous.kind == self.kind == "line":
            return False
        if previous.path == self.path:
            return True
        inner, outer = (self, previous) if len(self.path) > len(previous.path) else (previous, self)
        n = len(outer.path)
        return inner.path[:n] == outer.path and inner.path[n][1] == "line"

    def lines(self) -> list[str]:
        out: list[str] = []
        width = len(self.prefix) if len(self.prefix) <= MAX_HANG else 4
        hang = " " * (self.indent + width)
        lead = " " * self.indent + self.prefix
        for segment in "".join(self.parts).split(_BREAK):
            out.extend(wrap(_SPACE.sub(" ", segment).strip(), lead, hang))
            lead = hang
        if self.kind == "h" and out:
            rule = UNDERLINES.get(self.level, DEFAULT_UNDERLINE)
            out.append(" " * self.indent + rule * max(len(line) - self.indent for line in out))
        return out


def wrap(words: str, lead: str, hang: str, width: int = WIDTH) -> list[str]:
    """Greedy wrapping of single-spaced ``words`` at ``width`` columns: the
    first line starts with ``lead``, the others with ``hang``; a word longer
    than a line stands alone, unbroken.  The same lines as :func:`textwrap.wrap`
    with ``break_long_words=False, break_on_hyphens=False`` (tested), in a
    fraction of its time."""
    if not words:
        return []
    lines: list[str] = []
    indent, room = lead, width - len(lead)
    line: list[str] = []
    used = 0
    for word in words.split(" "):
        if line and used + 1 + len(word) <= room:
            line.append(word)
            used += 1 + len(word)
            continue
        if line:
            lines.append(indent + " ".join(line))
            indent, room = hang, width - len(hang)
        line, used = [word], len(word)
    lines.append(indent + " ".join(line))
    return lines


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


class _Layout:
    """Turns the block vocabulary into wrapped lines.  Blocks nested in a
    block interrupt it; they are indented under its prefix, and take the
    prefix over when the outer block has no text of its own before them."""

    BLOCKS = frozenset({"h", "p", "line"})
    CONTAINERS = frozenset({"doc", "indent", "group"})

    def __init__(self) -> None:
        self.done: list[_Block] = []

    def block(
        self,
        el: etree._Element,
        indent: int,
        carry: str = "",
        path: tuple[tuple[int, str], ...] = (),
    ) -> None:
        if el.tag in self.BLOCKS:
            level = _number(el.get("level"), 2)
            current = _Block(el.tag, indent, carry + el.get("prefix", ""), level, path)
        else:  # a container: text standing directly in it is a paragraph
            current = _Block("p", indent + _number(el.get("by"), 0), carry, 0, path)
        inner = (*path, (id(el), el.tag))
        current.parts.append(el.text or "")
        for child in el:
            if child.tag == "br":
                current.parts.append(_BREAK)
            elif child.tag in self.BLOCKS or child.tag in self.CONTAINERS:
                if current.has_text():
                    self.done.append(current)
                    self.block(child, current.indent + len(current.prefix), "", inner)
                else:
                    self.block(child, current.indent, current.prefix, inner)
                current = current.continuation()
            else:
                current.parts.append("".join(child.itertext()))
            current.parts.append(child.tail or "")
        if current.has_text():
            self.done.append(current)

    def text(self) -> str:
        out: list[str] = []
        previous: _Block | None = None
        for block in self.done:
            lines = block.lines()
            if not lines:
                continue
            if previous is not None and not block.tight_after(previous):
                out.append("")
            out.extend(lines)
            previous = block
        return "\n".join(line.rstrip() for line in out) + "\n"


def layout_text(root: etree._Element) -> str:
    """Wrap the block vocabulary of ``txt.xsl`` into plain text."""
    layout = _Layout()
    layout.block(root, 0)
    return layout.text()

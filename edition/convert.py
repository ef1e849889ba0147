"""One source text to one TEI tree: read -> structure -> enrich -> encode -> prove.

This is the per-document work of the pipeline; it touches no output files,
so builds can run it in parallel and write results atomically.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import preserve
from .editorial import Edition
from .errors import ContentError
from .model import Problem, SourceDocument, Span
from .read import read_meta, read_text
from .sources import read_source
from .tei import encode


@dataclass
class Converted:
    """The result of converting one source."""

    doc: SourceDocument
    tree: etree._ElementTree
    spans: list[Span]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        """How many of each kind of markup the TEI holds (for reports)."""
        root = self.tree.getroot()
        ns = {"t": root.nsmap[None]}
        xp = {
            "persons": "//t:text//t:persName",
            "places": "//t:text//t:placeName | //t:text//t:geogName",
            "organisations": "//t:text//t:orgName[not(parent::t:bibl)]",
            "dates": "//t:text//t:date",
            "archival references": "//t:text//t:bibl[@type='archival']",
            "redactions": "//t:text//t:seg[@type='redaction']",
            "documents": "//t:text//t:div[@type='document']",
            "notes": "//t:text//t:note[@resp]",
        }
        return Counter({k: int(root.xpath(f"count({v})", namespaces=ns)) for k, v in xp.items()})


def convert_text(path: str, text: str, edition: Edition, profile: str | None = None,
                 meta_path: Path | None = None) -> Converted:
    """Convert a decoded text; raise :class:`ContentError` if text would be lost."""
    meta = read_meta(meta_path or Path(path))
    doc = read_source(path, text, meta, profile)
    spans: list[Span] = []
    for enricher in edition.enrichers:
        spans.extend(enricher(doc))
    tree = encode(doc, spans, edition.header_writer, edition.register.standoff)
    try:
        preserve.check(text, tree)
    except preserve.TextLost as exc:
        raise ContentError(f"{path}:{exc.line}: {exc}") from None
    return Converted(doc, tree, spans, list(doc.problems))


def convert_file(path: Path, edition: Edition, profile: str | None = None) -> Converted:
    """Read, decode and convert a source file."""
    return convert_text(str(path), read_text(path), edition, profile)

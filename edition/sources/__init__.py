"""Source profiles: readers that turn a plain text into a document structure.

Each profile module has ``NAME``, ``detect(text) -> float`` (0..1, from what
the text looks like, never from its file name) and ``read(text) ->
(Division, conventions)``.  :func:`read_source` picks the profile (forced,
fixed by the sidecar's ``kind``, or detected) and builds the
:class:`~edition.model.SourceDocument`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import InputError
from ..model import SourceDocument, SourceMeta
from . import article, blog, chronology, collection, plain, wilson

#: The profiles by name, most specific first (ties go to the earlier one).
PROFILES: dict[str, ModuleType] = {
    m.NAME: m for m in (wilson, collection, chronology, blog, article, plain)
}
PROFILE_NAMES: list[str] = list(PROFILES)

#: Below this score no specific profile is trusted and ``plain`` is used.
THRESHOLD = 0.3


def detect_profile(text: str) -> tuple[str, dict[str, float]]:
    """The best profile for ``text`` and every profile's score."""
    scores = {name: round(float(module.detect(text)), 3) for name, module in PROFILES.items()}
    best = max(scores, key=lambda name: scores[name])
    return (best if scores[best] >= THRESHOLD else plain.NAME), scores


def read_source(path: str, text: str, meta: SourceMeta, profile: str | None = None
                ) -> SourceDocument:
    """Read ``text`` with ``profile`` (else the sidecar's ``kind``, else the
    detected one).  The sidecar's conventions override the profile's."""
    name = profile or meta.kind or detect_profile(text)[0]
    module = PROFILES.get(name)
    if module is None:
        raise InputError(path, 0, f"unknown profile {name!r} (known: {', '.join(PROFILE_NAMES)})")
    body, conventions = module.read(text)
    return SourceDocument(path=path, text=text, meta=meta, profile=name, body=body,
                          conventions={**conventions, **meta.conventions})


def read_file(path: Path, profile: str | None = None) -> SourceDocument:
    """:func:`read_source` of a source file, decoded strictly, with its sidecar."""
    from ..read import read_meta, read_text

    return read_source(str(path), read_text(path), read_meta(path), profile)


__all__ = ["PROFILES", "PROFILE_NAMES", "detect_profile", "read_file", "read_source"]

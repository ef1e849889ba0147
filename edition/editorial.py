"""The editors' data: everything under ``seeds/`` that is not a source text.

``edition.toml`` (edition-wide metadata), ``register.xml`` (persons, places,
organisations) and ``redactions.tsv`` (identifications of masked words).  The
converters read knowledge from here, never from code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import __version__
from .enrich.apparatus import ApparatusTagger
from .enrich.archives import ArchivalTagger
from .enrich.dates import DateTagger, normalise_date
from .enrich.footnotes import FootnoteAnchors
from .enrich.names import NameTagger
from .enrich.redactions import Identifications, RedactionTagger
from .errors import InputError
from .model import Enricher
from .register import Register
from .tei.header import EditionInfo, HeaderWriter

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PACKAGE_ROOT / "seeds"


def default_data_dir() -> Path:
    """``./seeds`` if the current folder has one with a register, else the
    edition's own ``seeds/``."""
    here = Path.cwd() / "seeds"
    return here if (here / "register.xml").exists() else DEFAULT_DATA


@dataclass
class Edition:
    """The editorial data of one edition, loaded once per process."""

    data_dir: Path
    info: EditionInfo
    register: Register
    identifications: Identifications

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Edition:
        data_dir = Path(data_dir or default_data_dir())
        settings_path = data_dir / "edition.toml"
        try:
            settings = tomllib.loads(settings_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(str(settings_path), 0, "edition settings not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(str(settings_path), 1, f"bad settings: {exc}") from None
        info = EditionInfo.from_mapping(
            settings, version=__version__, date=str(settings.get("release_date", "2026-01-01"))
        )
        register = Register.load(data_dir / "register.xml")
        identifications = Identifications.load(data_dir / "redactions.tsv")
        return cls(data_dir, info, register, identifications)

    def resolve_name(self, written: str) -> tuple[str, str, str] | None:
        """``(tag, id, preferred form)`` of a name as written, if registered."""
        entry = self.register.lookup(written)
        return (entry.tag, entry.id, entry.preferred) if entry else None

    def resolve_repository(self, written: str) -> str | None:
        entry = self.register.lookup(written)
        return f"#{entry.id}" if entry and entry.kind == "org" else None

    def entity(self, ident: str) -> tuple[str, str] | None:
        """``(tag, preferred form)`` of a register id."""
        if ident not in self.register:
            return None
        entry = self.register[ident]
        return entry.tag, entry.preferred

    @cached_property
    def enrichers(self) -> list[Enricher]:
        """The enrichers, in no particular order (priorities decide conflicts)."""
        return [
            ApparatusTagger(),
            RedactionTagger(self.identifications, self.entity),
            ArchivalTagger(self.resolve_repository),
            DateTagger(),
            NameTagger(self.register),
            FootnoteAnchors(),
        ]

    @cached_property
    def header_writer(self) -> HeaderWriter:
        return HeaderWriter(self.info, self.resolve_name, normalise_date)

"""Fallback for any other text: headings, list items and paragraphs, with
web-page boilerplate at either end kept as paratext."""

from __future__ import annotations

from ..model import Division
from .common import date_conventions, prose_blocks, split_edges, split_lines, with_paratext

NAME = "plain"


def detect(text: str) -> float:
    """Every text can be read as plain paragraphs, but only as a last resort."""
    return 0.1


def read(text: str) -> tuple[Division, dict[str, str]]:
    lead, middle, trail = split_edges(split_lines(text))
    section = Division("section", list(prose_blocks(middle)))
    return Division("body", with_paratext(lead, [section], trail)), date_conventions(text, {})

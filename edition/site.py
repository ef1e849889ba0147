"""Pages of the edition as a whole (jinja2): the home page with the list of
texts, and the static assets every page links to."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from .xmlio import write_atomic

if TYPE_CHECKING:
    from .build import TextResult
    from .editorial import Edition

ASSETS = Path(__file__).resolve().parent / "assets"


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("edition", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_site(edition: Edition, results: list[TextResult], out: Path) -> None:
    """Write ``html/index.html`` and copy the assets."""
    env = environment()
    page = env.get_template("index.html").render(
        edition=edition.info, texts=sorted(results, key=lambda r: r.text_id)
    )
    write_atomic(out / "html" / "index.html", page)
    if ASSETS.is_dir():
        shutil.copytree(ASSETS, out / "html" / "assets", dirs_exist_ok=True)

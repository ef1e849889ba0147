"""Orchestration of ``edition build``: every source in, the whole edition out.

For each source text: convert (with the text-preservation proof), validate
(edition schema, tei_all, rules), render HTML and plain text.  Everything is
written into a staging folder first and moved into ``out/`` only when the
build has finished, so a failed or interrupted build leaves the previous
``out/`` as it was.  A lock keeps two builds from writing at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .convert import convert_file
from .editorial import Edition
from .errors import EditionError, InputError
from .xmlio import serialize, write_atomic

Echo = Callable[[str], None]
OUTPUT_DIRS = ("tei", "html", "txt")


@dataclass
class TextResult:
    """What the build did with one source text."""

    source: Path
    text_id: str = ""
    title: str = ""
    profile: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: list[dict[str, str]] = field(default_factory=list)


def sources(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out/`` for the whole build."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(str(out_dir), 0, "another build is writing this folder") from None
        yield


def run_build(seeds_dir: Path, out_dir: Path, jobs: int | None = None, force: bool = False,
              echo: Echo = print) -> bool:
    """Build the whole edition; return True if every text is valid and whole."""
    started = time.perf_counter()
    paths = sources(seeds_dir)
    if not paths:
        raise InputError(str(seeds_dir), 0, "no source texts (*.txt) found")
    edition = Edition.load(seeds_dir)
    with locked(out_dir):
        stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=out_dir))
        try:
            results = [_build_one(i, len(paths), p, edition, stage, echo)
                       for i, p in enumerate(paths, 1)]
            _write_site(edition, results, stage)
            ok = not any(r.errors for r in results)
            _publish(stage, out_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    elapsed = time.perf_counter() - started
    bad = sum(bool(r.errors) for r in results)
    echo(f"built {len(results)} texts into {out_dir}/ in {elapsed:.2f} s"
         + (f"; {bad} with errors" if bad else "; all valid, no text lost"))
    return ok


def _build_one(i: int, total: int, path: Path, edition: Edition, stage: Path,
               echo: Echo) -> TextResult:
    from .render import render_html, render_text
    from .validate import Validator

    result = TextResult(path)
    prefix = f"[{i}/{total}] {path.name}"
    try:
        converted = convert_file(path, edition)
    except EditionError as exc:
        result.errors.append(str(exc))
        echo(f"{prefix}: FAILED: {exc}")
        return result
    meta = converted.doc.meta
    result.text_id, result.title, result.profile = meta.id, meta.title or meta.id, \
        converted.doc.profile
    result.counts = converted.counts()
    result.problems = [str(p) for p in converted.problems]
    tei_path = stage / "tei" / f"{meta.id}.xml"
    write_atomic(tei_path, serialize(converted.tree))
    problems = Validator().validate_tree(converted.tree, str(tei_path))
    result.errors += [str(p) for p in problems if p.severity == "error"]
    result.problems += [str(p) for p in problems if p.severity != "error"]
    write_atomic(stage / "html" / f"{meta.id}.html", render_html(converted.tree))
    write_atomic(stage / "txt" / f"{meta.id}.txt", render_text(converted.tree))
    summary = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
    status = "INVALID" if result.errors else "ok"
    echo(f"{prefix} -> {meta.id} [{result.profile}] {status}: {summary}")
    for line in result.errors + result.problems:
        echo(f"    {line}")
    return result


def _write_site(edition: Edition, results: list[TextResult], stage: Path) -> None:
    """Pages and files that belong to the edition as a whole."""
    from .site import write_site

    register_src = edition.data_dir / "register.xml"
    shutil.copyfile(register_src, stage / "tei" / "register.xml")
    write_site(edition, [r for r in results if r.text_id], stage)


def _publish(stage: Path, out_dir: Path) -> None:
    """Move the staged outputs into ``out/``, replacing each folder whole."""
    trash = Path(tempfile.mkdtemp(prefix=".old-", dir=out_dir))
    try:
        for entry in sorted(stage.iterdir()):
            target = out_dir / entry.name
            if target.exists():
                os.replace(target, trash / entry.name)
            os.replace(entry, target)
    finally:
        shutil.rmtree(trash, ignore_errors=True)

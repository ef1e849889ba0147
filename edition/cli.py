"""The ``edition`` command: thin wrappers that parse options, call the
pipeline and report.  Exit codes: 0 ok, 1 invalid content or unreadable
input, 2 usage error."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .errors import EditionError

EXISTING_FILES = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)


@contextmanager
def reported() -> Iterator[None]:
    """Turn the edition's errors into one line on stderr and exit code 1."""
    try:
        yield
    except EditionError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _data_option(func: Callable) -> Callable:
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None, help="Folder with edition.toml, register.xml, redactions.tsv "
        "(default: ./seeds, else the edition's own).",
    )(func)


def _jobs_option(func: Callable) -> Callable:
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Parallel worker processes (default: all cores).",
    )(func)


Lines = list[tuple[str, bool]]  # what a file's work has to say: (line, to stderr)


def _say(lines: Lines) -> None:
    for line, err in lines:
        click.echo(line, err=err)


def _load_edition(data_dir: Path | None):
    from .editorial import Edition

    return Edition.load(data_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
def main() -> None:
    """Turn plain-text historical sources into a validated TEI P5 edition
    with HTML and plain-text reading editions."""


@main.command()
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False, exists=True,
              path_type=Path), default=Path("seeds"), show_default=True,
              help="Folder with the source texts (*.txt), their sidecars and the editorial data.")
@click.option("--out", "out_dir", type=OUT_DIR, default=Path("out"), show_default=True)
@_jobs_option
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring what is up to date.")
@click.option("--quiet", "-q", is_flag=True,
              help="Report only problems (failed or invalid texts, warnings) and the summary.")
def build(seeds_dir: Path, out_dir: Path, jobs: int | None, force: bool, quiet: bool) -> None:
    """Convert, validate and render every text in SEEDS into OUT
    (out/tei, out/html, out/txt).  Fails if a file is invalid or loses text."""
    from .pool import collector_paused

    with collector_paused():
        from .build import run_build

    with reported():
        ok = run_build(seeds_dir, out_dir, jobs=jobs, force=force,
                       echo=_problems_only if quiet else click.echo)
    sys.exit(0 if ok else 1)


def _problems_only(line: str) -> None:
    """The build's progress lines, less those that only say a text is fine."""
    if line.startswith("[") and (" ok: " in line or line.startswith("[unchanged]")):
        return
    click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILES)
@click.option("--out", "out_dir", type=OUT_DIR, required=True, help="Folder for <stem>.xml.")
@click.option("--profile", type=str, default=None,
              help="Force a source profile instead of detecting it (see `edition profiles`).")
@_jobs_option
@_data_option
def convert(files: tuple[Path, ...], out_dir: Path, profile: str | None, jobs: int | None,
            data_dir: Path | None) -> None:
    """Encode plain-text FILES as TEI into OUT/<stem>.xml."""
    from .convert import convert_file
    from .xmlio import serialize

    with reported():
        edition = _load_edition(data_dir)

    def one(path: Path) -> tuple[bytes, Lines]:
        result = convert_file(path, edition, profile)
        counts = result.counts()
        lines = [(str(problem), True) for problem in result.problems]
        lines.append((f"{path} [{result.doc.profile}] "
                      + ", ".join(f"{v} {k}" for k, v in counts.items() if v), False))
        return serialize(result.tree), lines

    sys.exit(_each_file(files, out_dir, ".xml", one, jobs))


def _each_file(files: tuple[Path, ...], out_dir: Path, suffix: str,
               make: Callable[[Path], tuple[bytes | str, Lines]], jobs: int | None) -> int:
    """Run ``make`` on every file (in ``jobs`` processes, :func:`edition.pool.each`)
    and write what it makes to OUT/<stem><suffix>, reporting what it says, file
    by file in the order given.

    Refuses (before doing anything) files whose outputs would collide or
    would overwrite a file that is not an output (:func:`_protected`); a file
    that fails is reported in one line and the others go on.  Exit status:
    1 if any file failed, else 0."""
    from .pool import Failed, each
    from .xmlio import write_atomic

    targets: dict[Path, Path] = {}
    inputs = {path.resolve() for path in files}
    for path in files:
        target = out_dir / f"{path.stem}{suffix}"
        if target in targets:
            click.echo(f"error: {path}: its output {target} would overwrite that of "
                       f"{targets[target]}; write them into different folders", err=True)
            return 1
        if reason := _protected(target, inputs, path):
            click.echo(f"error: {path}: its output {target} would overwrite {reason}; "
                       "choose another --out folder", err=True)
            return 1
        targets[target] = path
    failed = False
    for (target, path), made in zip(targets.items(), each(make, list(targets.values()), jobs),
                                    strict=True):
        try:
            if isinstance(made, Failed):
                raise EditionError(made.message)
            data, lines = made
            _say(lines)
            write_atomic(target, data)
        except EditionError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        click.echo(f"{path} -> {target}")
    return 1 if failed else 0


def _protected(target: Path, inputs: set[Path], source: Path) -> str | None:
    """Why ``target`` (made from ``source``) must not be overwritten, or None:
    it is one of the command's own inputs, or a source text: it has a ``.toml``
    sidecar, as texts in an edition's seeds folder do, or it is the very text
    that the TEI ``source`` encodes (``render doc.xml --to txt`` beside ``doc.txt``)."""
    from .read import sidecar_path

    if not target.exists():
        return None
    if target.resolve() in inputs:
        return "one of the input files"
    if target.suffix != ".txt":
        return None
    if sidecar_path(target).is_file():
        return f"a source text (it has the sidecar {sidecar_path(target).name})"
    if _encodes(source, target):
        return f"the source text that {source.name} encodes"
    return None


def _encodes(tei: Path, text: Path) -> bool:
    """True if ``tei`` parses and its source layer is the text of ``text``
    (ENCODING.md section 2: white space aside)."""
    from .preserve import source_layer, squeeze
    from .xmlio import parse

    try:
        layer = squeeze(source_layer(parse(tei)))
        return bool(layer) and layer == squeeze(text.read_bytes().decode("utf-8", "replace"))
    except (EditionError, OSError):
        return False


@main.command()
def profiles() -> None:
    """List the source profiles the converters know."""
    from .sources import PROFILES

    for name, module in PROFILES.items():
        doc = (module.__doc__ or "").strip().splitlines()
        click.echo(f"{name:12} {doc[0] if doc else ''}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILES)
@click.option("--foreign", is_flag=True,
              help="Check only TEI conformance and the generic rules, not the edition's profile.")
@_jobs_option
def validate(files: tuple[Path, ...], foreign: bool, jobs: int | None) -> None:
    """Validate TEI FILES: the edition's schema, tei_all and the rule checks.
    Reports file:line: message; exit 1 if any file is invalid."""
    from .pool import Failed, each
    from .validate import Validator

    validator = Validator(profile=not foreign)
    bad = 0
    for path, problems in zip(files, each(validator.validate_file, files, jobs), strict=True):
        if isinstance(problems, Failed):
            click.echo(f"error: {problems.message}", err=True)
            bad += 1
            continue
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            click.echo(str(problem), err=True)
        bad += bool(errors)
        if not errors:
            click.echo(f"{path}: valid")
    sys.exit(1 if bad else 0)


REGISTER_KINDS = ("persons", "places", "organisations")


def _register_options(func: Callable) -> Callable:
    """``--register URL`` and a ``--<kind> URL`` per kind of register entry."""
    for kind in reversed(REGISTER_KINDS):  # the last applied is listed first
        func = click.option(f"--{kind}", metavar="URL", default=None,
                            help=f"Register page of {kind} (default: --register).")(func)
    return click.option(
        "--register", metavar="URL", default="",
        help="Page where the register is published: registered names link to URL#id "
        "(HTML only; default: none, the page lists the file's own register entries "
        "and names link there).",
    )(func)


@main.command()
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILES)
@click.option("--to", "fmt", type=click.Choice(["html", "txt"]), required=True)
@click.option("--out", "out_dir", type=OUT_DIR, required=True)
@_register_options
@_jobs_option
def render(files: tuple[Path, ...], fmt: str, out_dir: Path, register: str,
           jobs: int | None, **pages: str | None) -> None:
    """Render TEI FILES (ours or another project's) as HTML or plain text
    (HTML pages with the stylesheet they link to, OUT/assets/edition.css).
    Registered names link to a register where --register or
    --persons/--places/--organisations say it is published, else to the
    page's own list of the file's register entries."""
    from .render import render_file

    params = {"register": register, **{k: v for k, v in pages.items() if v is not None}}
    code = _each_file(files, out_dir, f".{fmt}",
                      lambda path: (render_file(path, fmt, **params), []), jobs)
    if fmt == "html" and any((out_dir / f"{path.stem}.html").is_file() for path in files):
        with reported():
            _put_stylesheet(out_dir)
    sys.exit(code)


def _put_stylesheet(out_dir: Path) -> None:
    """The edition's stylesheet where rendered pages link to it (``assets/``)."""
    from .site import ASSETS
    from .xmlio import write_atomic

    css = (ASSETS / "edition.css").read_bytes()
    target = out_dir / "assets" / "edition.css"
    if not target.is_file() or target.read_bytes() != css:
        write_atomic(target, css)


@main.command()
@click.option("--format", "formats", type=click.Choice(["cmif", "csv", "json", "teicorpus"]),
              multiple=True, help="What to write (repeatable; default: all).")
@click.option("--edition", "edition_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True,
              help="A built edition (the output of `edition build`): its tei/ is read.")
@click.option("--out", "out_dir", type=OUT_DIR, default=None,
              help="Folder for the files (default: EDITION/exchange).")
@_data_option
def export(formats: tuple[str, ...], edition_dir: Path, out_dir: Path | None,
           data_dir: Path | None) -> None:
    """Export a built edition for other projects: CMIF (correspSearch), CSV/JSON
    tables of the register and the chronology, one teiCorpus.  Reads EDITION/tei
    as `edition build` wrote it; it does not build (run `edition build` first)."""
    from .export import FORMATS
    from .export import export as run_export

    with reported():
        edition = _load_edition(data_dir)
        for path in run_export(edition, edition_dir, formats or FORMATS, out_dir):
            click.echo(str(path))


@main.command()
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILES)
@_jobs_option
@_data_option
def candidates(files: tuple[Path, ...], jobs: int | None, data_dir: Path | None) -> None:
    """List names in plain-text FILES that the register does not know, with
    count, context and the register entry each may be a variant of."""
    from .enrich.names import find_candidates
    from .sources import read_file

    with reported():
        edition = _load_edition(data_dir)

    def one(path: Path) -> list[str]:
        lines = []
        for cand in find_candidates(read_file(path), edition.register):
            hint = f"  ~ {cand.suggestion} ({cand.score:.2f})" if cand.suggestion else ""
            lines.append(f"{path}:{cand.line}: {cand.name} x{cand.count}{hint}\n"
                         f"    {cand.context}")
        return lines

    _list_each(files, one, jobs)


@main.command()
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILES)
@click.option("--tsv", is_flag=True, help="Print lines to paste into seeds/redactions.tsv.")
@_jobs_option
@_data_option
def redactions(files: tuple[Path, ...], tsv: bool, jobs: int | None,
               data_dir: Path | None) -> None:
    """List the redactions (masked words) of plain-text FILES with their
    context and the editors' proposal, if any."""
    from .enrich.redactions import list_redactions, skeleton_lines
    from .sources import read_file

    with reported():
        edition = _load_edition(data_dir)

    def one(path: Path) -> list[str]:
        doc = read_file(path)
        if tsv:
            return ["\n".join(skeleton_lines(doc, edition.identifications))]
        return [f"{path}:{info.line}: #{info.occurrence} {info.mask!r} "
                f"-> {info.proposal or '-'}\n    {info.context}"
                for info in list_redactions(doc, edition.identifications)]

    _list_each(files, one, jobs)


def _list_each(files: tuple[Path, ...], lines_of: Callable[[Path], list[str]],
               jobs: int | None) -> None:
    """Print what ``lines_of`` finds in every file (in ``jobs`` processes), file
    by file in the order given; the first file that cannot be read ends the
    command with its error (exit 1)."""
    from .pool import Failed, each

    for found in each(lines_of, files, jobs):
        if isinstance(found, Failed):
            click.echo(f"error: {found.message}", err=True)
            sys.exit(1)
        for line in found:
            click.echo(line)


def run() -> NoReturn:
    """The ``edition`` command: :func:`main`, then the process ends at once.

    Python's own teardown frees every object one by one; after a build (the
    compiled schemas, the register, the modules) that took 0.3-0.4 s, longer
    than the edition-wide pages.  Everything the command wrote is closed by
    then; the output streams are flushed and the exit handlers run (they
    remove temporary folders) before ``os._exit``.  Tests call :func:`main`.
    """
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # as Python reports it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # e.g. a closed pipe: nothing to save
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()

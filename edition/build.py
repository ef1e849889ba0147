"""Orchestration of ``edition build``: every source in, the whole edition out.

For each source text: convert (with the text-preservation proof), validate
(edition schema, tei_all, rules), render HTML and plain text; then the pages
of the edition as a whole.  Everything is written into a staging folder first
and moved into ``out/`` only when the build has finished, so a failed or
interrupted build leaves the previous ``out/`` as it was.  A lock keeps two
builds from writing at once.

Incremental builds.  ``out/.build-state.json`` records, per source, the hash
of what its outputs depend on, and per output file its size and mtime.  Each
step is keyed by its own inputs:

* the TEI by the source text, its sidecar, the editorial data (register,
  redactions, edition settings) and the code;
* the validation by the TEI's bytes, the schemas and the code;
* a text's reading page and plain text by the TEI's bytes, the stylesheets,
  the editorial data (the page's citations) and the code (with the templates);
* the pages of the edition as a whole by every text's TEI, the editorial data
  and the code;
* the exchange files (``out/exchange``) likewise; their manifest of every
  file of ``out/`` is written again whenever anything is.

An output whose key is unchanged (and whose file is still as recorded) is
carried into the staging folder by a hard link; a new register therefore
re-converts every text but re-validates only those whose TEI changed.  When
nothing changed, nothing is staged.  ``--force`` ignores the record.

Memory: a worker holds one text's tree at a time; it renders that text's page
(:func:`edition.site.write_text_page`).  The edition's pages are written from
an index built by reading the TEI files one at a time; no process holds every
tree.  The per-text work runs in a process pool (``--jobs``) forked once this
process has loaded the editorial data and compiled the schemas (for all
workers at once); meanwhile the largest text is converted in a process of its
own (:func:`_converted_early`), and a large text has its schema check in one
more (:func:`_validated_aside`).  Workers send back only a small summary; the
outputs do not depend on the number of workers or on the order in which
texts finish.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cache import prune_digests
from .convert import convert_file
from .editorial import Edition
from .errors import EditionError, InputError
from .export import EXCHANGE_DIR
from .export.manifest import MANIFEST_FILE, write_manifest
from .model import Problem
from .pool import collector_paused, default_jobs
from .xmlio import parse, serialize, write_atomic

Echo = Callable[[str], None]
OUTPUT_DIRS = ("tei", "html", "txt")
STATE_FILE = ".build-state.json"
STATE_FORMAT = 2
EDITORIAL_FILES = ("edition.toml", "register.xml", "redactions.tsv")
PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
Entry = dict[str, Any]

if TYPE_CHECKING:
    from lxml.etree import _ElementTree as Tree

    from .digest import Gathered


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


# ------------------------------------------------------------ fingerprints


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree_digest(folder: Path, pattern: str = "*") -> str:
    """Hash of every file under ``folder`` matching ``pattern`` (names and contents)."""
    files = sorted(p for p in folder.rglob(pattern)
                   if p.is_file() and "__pycache__" not in p.parts)
    return _digest(*(x for p in files
                     for x in (p.relative_to(folder).as_posix(), p.read_bytes())))


@dataclass(frozen=True)
class Fingerprints:
    """Hashes of everything outside the sources that outputs depend on."""

    code: str
    schema: str
    xslt: str
    editorial: str

    @classmethod
    def of(cls, data_dir: Path) -> Fingerprints:
        from lxml import etree

        libraries = repr((sys.version_info[:3], etree.LXML_VERSION, etree.LIBXML_VERSION,
                          etree.LIBXSLT_VERSION, _version("xmlschema"), _version("jinja2")))
        editorial = [_read_or_empty(data_dir / name) for name in EDITORIAL_FILES]
        return cls(
            code=_digest(__version__, str(STATE_FORMAT), libraries, _tree_digest(PACKAGE_DIR)),
            schema=_tree_digest(ROOT_DIR / "schema"),
            xslt=_tree_digest(ROOT_DIR / "xslt", "*.xsl"),
            editorial=_digest(*editorial),
        )

    def source_key(self, path: Path) -> str:
        return _digest(self.code, self.editorial, str(path), path.read_bytes(),
                       _read_or_empty(path.with_suffix(".toml")))

    def validate_key(self, tei_sha: str) -> str:
        return _digest(self.code, self.schema, tei_sha)

    def render_key(self, tei_sha: str) -> str:
        return _digest(self.code, self.xslt, tei_sha)

    def page_key(self, tei_sha: str) -> str:
        """A text's reading page also cites the edition (settings, register)."""
        return _digest(self.render_key(tei_sha), self.editorial)


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return ""


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


# ------------------------------------------------------------ build state


def load_state(out_dir: Path) -> dict[str, Any]:
    """The record of the last build in ``out_dir`` (empty if none or unreadable)."""
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else {}


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _unchanged(out_dir: Path, outputs: dict[str, list[int]]) -> bool:
    """True if every recorded output file is still in ``out_dir`` as recorded."""
    try:
        return all(_stat(out_dir / rel) == rec for rel, rec in outputs.items())
    except OSError:
        return False


def _carry(out_dir: Path, stage: Path, rels: Iterable[str]) -> None:
    """Hard-link (or copy, keeping the mtime) outputs of the last build into the stage."""
    for rel in rels:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(out_dir / rel, target)
        except OSError:
            shutil.copy2(out_dir / rel, target)


# ------------------------------------------------------------ one text


@dataclass(frozen=True)
class Job:
    """One source text to build, with what the last build recorded for it."""

    source: Path
    key: str
    previous: Entry | None
    prints: Fingerprints
    data_dir: Path
    stage: Path
    out_dir: Path
    aside: bool = False  # a large text is validated in a process of its own
    converted: Entry | None = None  # its TEI already staged (:func:`_converted_early`)


#: TEI at least this large (bytes) is validated in a forked process while its
#: worker renders it, if the build has several workers (:func:`_validated_aside`)
ASIDE_AT = 200_000

RENDERED = ("txt",)
PAGE = ("html", "html_tei", "html_txt")


def _outputs(text_id: str) -> dict[str, str]:
    return {"tei": f"tei/{text_id}.xml", "html": f"html/{text_id}.html",
            "txt": f"txt/{text_id}.txt", "html_tei": f"html/tei/{text_id}.xml",
            "html_txt": f"html/txt/{text_id}.txt"}


def _fully_carried(job: Job) -> bool:
    """True if the last build's outputs of this text are all still valid."""
    prev = job.previous
    return bool(
        prev and prev.get("key") == job.key and prev.get("outputs")
        and prev.get("validate_key") == job.prints.validate_key(prev["tei_sha"])
        and prev.get("render_key") == job.prints.render_key(prev["tei_sha"])
        and prev.get("page_key") == job.prints.page_key(prev["tei_sha"])
        and _unchanged(job.out_dir, prev["outputs"])
    )


def run_job(job: Job) -> Entry:
    """Convert, validate and render one text as far as its inputs changed;
    return its record (small: a summary, no trees).  A text that fails,
    even by a bug of the converters, fails alone: its outputs are left out."""
    entry: Entry = {"key": job.key, "outputs": {}}
    try:
        _build_text(job, entry)
    except Exception as exc:  # reported as the text's error; the others go on
        for rel in entry["outputs"].values():
            (job.stage / rel).unlink(missing_ok=True)
        return _failed(job, _message(job, exc))
    entry["outputs"] = {rel: _stat(job.stage / rel) for rel in entry["outputs"].values()}
    return entry


def _message(job: Job, exc: BaseException) -> str:
    """How a text's error is reported: the edition's errors as they are, others as bugs."""
    return str(exc) if isinstance(exc, EditionError) else \
        f"{job.source}: internal error: {type(exc).__name__}: {exc}"


def _failed(job: Job, message: str) -> Entry:
    """The record of a text that failed (no outputs)."""
    return {"key": job.key, "outputs": {},
            "result": _record(TextResult(job.source, errors=[message]))}


def _tei_carried(job: Job) -> bool:
    """True if the last build's TEI of this text is still valid (its source unchanged)."""
    prev = job.previous or {}
    tei = _pick(prev, "tei")
    return bool(prev.get("key") == job.key and tei and _unchanged(job.out_dir, tei))


def _build_text(job: Job, entry: Entry) -> None:
    prev = job.previous or {}
    tree: Tree | None = None
    if job.converted is not None:
        entry.update(job.converted)
    elif _tei_carried(job):
        _carry(job.out_dir, job.stage, _pick(prev, "tei"))
        entry.update(result=prev["result"], tei_sha=prev["tei_sha"])
    else:
        tree = _convert(job, entry)
    entry["outputs"]["tei"] = _outputs(entry["result"]["text_id"])["tei"]
    tei = job.stage / entry["outputs"]["tei"]
    key = job.prints.validate_key(entry["tei_sha"])
    if not job.aside or prev.get("validate_key") == key or tei.stat().st_size < ASIDE_AT:
        _render(job, entry, prev, _validate(job, entry, prev, tree))
        return
    tree = tree if tree is not None else parse(tei)
    finish = _validated_aside(job, entry, tree)
    try:
        _render(job, entry, prev, tree)
    finally:
        finish()


def _pick(prev: Entry, *kinds: str) -> dict[str, list[int]]:
    """The recorded outputs of the given kinds (keys of :func:`_outputs`)."""
    text_id = prev.get("result", {}).get("text_id", "")
    wanted = {_outputs(text_id)[k] for k in kinds} if text_id else set()
    return {rel: rec for rel, rec in (prev.get("outputs") or {}).items() if rel in wanted}


def _convert(job: Job, entry: Entry) -> Tree:
    converted = convert_file(job.source, _edition(job.data_dir, job.prints.editorial))
    meta = converted.doc.meta
    result = TextResult(job.source, meta.id, meta.title or meta.id, converted.doc.profile,
                        converted.counts(), [str(p) for p in converted.problems])
    data = serialize(converted.tree)
    write_atomic(job.stage / _outputs(meta.id)["tei"], data)
    entry.update(result=_record(result), tei_sha=hashlib.sha256(data).hexdigest())
    return converted.tree


def _validate(job: Job, entry: Entry, prev: Entry, tree: Tree | None) -> Tree | None:
    """Validate the text's TEI unless an identical TEI was validated before."""
    key = job.prints.validate_key(entry["tei_sha"])
    entry["validate_key"] = key
    if prev.get("validate_key") == key:
        entry["validation"] = prev["validation"]
        return tree
    rel = entry["outputs"]["tei"]
    tree = tree if tree is not None else parse(job.stage / rel)
    entry["validation"] = _validation(tree, str(job.out_dir / rel))
    return tree


def _validation(tree: Tree, name: str) -> Entry:
    """The record of a text's validation: its errors and its warnings."""
    from .validate import Validator

    return _problems_record(Validator().validate_tree(tree, name))


def _problems_record(problems: Iterable[Problem]) -> Entry:
    problems = list(problems)
    return {"errors": [str(p) for p in problems if p.severity == "error"],
            "warnings": [str(p) for p in problems if p.severity != "error"]}


def _validated_aside(job: Job, entry: Entry, tree: Tree) -> Callable[[], None]:
    """Check ``tree`` against the edition's schema in a forked process while
    this one checks it against tei_all and the rules and goes on; return what
    waits for the child and records the whole result in ``entry`` (as
    :func:`_validate`, the problems in the same order).

    A large text's schema check and the rest of its work each take about half
    a second per 100 kB and do not depend on each other: a core that would
    idle at the end of the build (or the only text's second core) does one
    while this process does the other."""
    from .validate import Validator

    name = str(job.out_dir / entry["outputs"]["tei"])
    entry["validate_key"] = job.prints.validate_key(entry["tei_sha"])
    entry["validation"] = {}  # (its place in the record, as when validated in turn)
    validator = Validator()
    checks = validator.checks()
    aside = checks.index(validator.schema_problems)
    schema = _forked(job, lambda: _problems_record(checks[aside](tree, name)))
    try:
        records = [_problems_record([] if i == aside else check(tree, name))
                   for i, check in enumerate(checks)]
    except BaseException:
        with contextlib.suppress(EditionError):
            schema()
        raise

    def finish() -> None:
        records[aside] = schema()
        entry["validation"] = {kind: [line for record in records for line in record[kind]]
                               for kind in ("errors", "warnings")}

    return finish


def _forked(job: Job, work: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``work`` for ``job`` in a forked process while this one goes on;
    return what waits for it and gives its (JSON-able) result, or raises its
    error as :func:`run_job` reports it.  The child writes its outcome to a
    pipe and ends with ``os._exit`` (no exit handler of its parent runs in it)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            outcome = {"value": work()}
        except BaseException as exc:  # handed to the parent
            outcome = {"error": _message(job, exc)}
        with os.fdopen(write, "wb") as out:
            out.write(json.dumps(outcome).encode("utf-8"))
        os._exit(0)
    os.close(write)

    def wait() -> Any:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        outcome = json.loads(data) if data else {
            "error": f"{job.source}: internal error: its process died"}
        if "error" in outcome:
            raise EditionError(outcome["error"])
        return outcome["value"]

    return wait


def _converted_early(job: Job) -> Callable[[], Entry]:
    """Convert ``job``'s text in a forked process (its TEI staged, as
    :func:`_convert` does) while this one goes on; return what waits for it
    and gives the job's record so far (:attr:`Job.converted`), or raises its
    error.  Forked before the pool's modules are loaded, it uses a core that
    would idle while they load (0.4-0.7 s)."""

    def convert() -> Entry:
        entry: Entry = {"key": job.key, "outputs": {}}
        _convert(job, entry)
        return {"result": entry["result"], "tei_sha": entry["tei_sha"]}

    return _forked(job, convert)


def _render(job: Job, entry: Entry, prev: Entry, tree: Tree | None) -> None:
    """Write the text's plain text, then its reading page (with its TEI and plain
    text copied into the site), each unless it was written from the same inputs."""
    from .render import render_text

    text_id = entry["result"]["text_id"]
    txt = job.stage / _outputs(text_id)["txt"]
    tree = _step(job, entry, prev, tree, "render_key", RENDERED,
                 lambda t: write_atomic(txt, render_text(t)))
    edition = _edition(job.data_dir, job.prints.editorial)
    _step(job, entry, prev, tree, "page_key", PAGE,
          lambda t: write_page(edition, text_id, t, job.stage,
                               _digest_path(entry["page_key"], text_id)))


def write_page(edition: Edition, text_id: str, tree: Tree, stage: Path, kept: Path) -> None:
    """The text's reading page, and its digest for the edition-wide phase, kept
    at ``kept`` (one index of the text serves both)."""
    from .digest import digest, is_text, store_digest, text_id_of
    from .site import write_text_page

    site_id = text_id_of(tree, text_id)
    summary = digest(site_id, tree, edition.register) if is_text(tree) else None
    store_digest(kept, summary)
    write_text_page(edition, text_id, tree, stage,
                    summary.index if summary is not None and site_id == text_id else None)


def _digest_path(page_key: str, text_id: str) -> Path:
    """Where the digest of a text (:mod:`edition.digest`) is kept: named by what
    it depends on, the text's page key and its id."""
    from .digest import cached_digest

    return cached_digest(_digest(page_key, text_id))


def _step(job: Job, entry: Entry, prev: Entry, tree: Tree | None, key_name: str,
          kinds: tuple[str, ...], write: Callable[[Tree], object]) -> Tree | None:
    """Carry the outputs ``kinds`` of the last build if their key (``key_name``
    of :class:`Fingerprints`) is unchanged, else ``write`` them from the tree
    (parsed from the staged TEI if need be); return the tree, if parsed."""
    paths = _outputs(entry["result"]["text_id"])
    entry["outputs"].update((kind, paths[kind]) for kind in kinds)
    key = getattr(job.prints, key_name)(entry["tei_sha"])
    entry[key_name] = key  # before ``write``, which may use it
    carried = _pick(prev, *kinds)
    if prev.get(key_name) == key and len(carried) == len(kinds) \
            and _unchanged(job.out_dir, carried):
        _carry(job.out_dir, job.stage, carried)
        return tree
    tree = tree if tree is not None else parse(job.stage / paths["tei"])
    write(tree)
    return tree


@functools.cache
def _edition(data_dir: Path, editorial: str) -> Edition:
    """The editorial data, loaded once per process (and again if it changed)."""
    del editorial  # part of the cache key only
    return Edition.load(data_dir)


def _record(result: TextResult) -> Entry:
    """A text's result as JSON-ready data (counts keep their order)."""
    record = asdict(result)
    record.update(source=str(result.source), counts=dict(result.counts))
    return record


def text_result(entry: Entry) -> TextResult:
    """The :class:`TextResult` of a text's record."""
    r = entry["result"]
    validation = entry.get("validation", {})
    return TextResult(
        Path(r["source"]), r["text_id"], r["title"], r["profile"], Counter(r["counts"]),
        list(r["problems"]) + validation.get("warnings", []),
        list(r["errors"]) + validation.get("errors", []), list(r["documents"]),
    )


# ------------------------------------------------------------ the edition


def run_build(seeds_dir: Path, out_dir: Path, jobs: int | None = None, force: bool = False,
              echo: Echo = print) -> bool:
    """Build the whole edition; return True if every text is valid and whole."""
    started = time.perf_counter()
    paths = sources(seeds_dir)
    if not paths:
        raise InputError(str(seeds_dir), 0, "no source texts (*.txt) found")
    with locked(out_dir):
        prints = Fingerprints.of(seeds_dir)
        state = {} if force else load_state(out_dir)
        builder = _Builder(paths, prints, seeds_dir, out_dir, state, echo)
        entries = builder.run(jobs or default_jobs())
    prune_digests()  # those unused for a month, at most once a day (edition.cache)
    results = [text_result(e) for e in entries]
    elapsed = time.perf_counter() - started
    bad = sum(bool(r.errors) for r in results)
    echo(f"built {len(results)} texts into {out_dir}/ in {elapsed:.2f} s"
         f" ({builder.rebuilt} rebuilt, {len(results) - builder.rebuilt} unchanged)"
         + (f"; {bad} with errors" if bad else "; all valid, no text lost"))
    return not bad


class _Builder:
    """One build: plans what to redo, runs it, writes the site, publishes."""

    def __init__(self, paths: list[Path], prints: Fingerprints, data_dir: Path, out_dir: Path,
                 state: dict[str, Any], echo: Echo) -> None:
        self.paths, self.prints, self.data_dir, self.out_dir = paths, prints, data_dir, out_dir
        self.state, self.echo = state, echo
        self.rebuilt = 0

    def run(self, jobs: int) -> list[Entry]:
        previous = self.state.get("texts", {})
        plan = [Job(p, self.prints.source_key(p), previous.get(str(p)), self.prints,
                    self.data_dir, Path(), self.out_dir) for p in self.paths]
        carried = {str(j.source): j.previous for j in plan if _fully_carried(j)}
        todo = [j for j in plan if str(j.source) not in carried]
        self._report_carried(carried.values())
        if not todo and self._edition_up_to_date(self._site_key(list(carried.values()))):
            return [carried[str(p)] for p in self.paths]
        if todo:  # loaded here once: a bad register fails the build at once
            _edition(self.data_dir, self.prints.editorial)
        stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=self.out_dir))
        try:
            for entry in carried.values():
                _carry(self.out_dir, stage, entry["outputs"])
            entries = dict(carried)
            entries.update(self._execute([_replace_stage(j, stage, jobs > 1) for j in todo],
                                          jobs))
            ordered = [entries[str(p)] for p in self.paths]
            _check_unique_ids(ordered)
            self._write_state(stage, ordered, self._edition_files(ordered, stage, jobs))
            _publish(stage, self.out_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return ordered

    def _up_to_date(self, part: str, key: str) -> bool:
        """True if the last build's ``part`` (site, exchange) had this key and
        its files are still as recorded."""
        record = self.state.get(part, {})
        return record.get("key") == key and _unchanged(self.out_dir, record.get("outputs", {}))

    def _edition_up_to_date(self, key: str) -> bool:
        return all(self._up_to_date(part, key) for part in ("site", "exchange"))

    def _execute(self, todo: list[Job], jobs: int) -> Iterator[tuple[str, Entry]]:
        """Run the jobs, largest source first, in a pool if that pays; echo as they end."""
        todo = sorted(todo, key=lambda j: (-j.source.stat().st_size, str(j.source)))
        workers = min(jobs, len(todo))
        early = None  # the largest text converted while the pool starts
        if workers > 1 and _can_fork() and not _tei_carried(todo[0]):
            early = _converted_early(todo[0])
        try:
            pool = _executor(workers)
        except BaseException:  # (e.g. interrupted): the early process is waited for
            if early is not None:
                with contextlib.suppress(EditionError):
                    early()
            raise
        try:
            failed = []
            if early is not None:
                try:
                    todo[0] = replace(todo[0], converted=early())
                except EditionError as exc:
                    failed.append(_failed(todo.pop(0), str(exc)))
            futures = [pool.submit(run_job, j) for j in todo]
            ended = itertools.chain(failed, (f.result() for f in as_completed(futures)))
            for done, entry in enumerate(ended, 1):
                self.rebuilt += 1
                self._report(entry, f"[{done}/{len(todo) + len(failed)}]")
                yield entry["result"]["source"], entry
        finally:  # an interrupted build does not wait for the texts not yet begun
            pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()  # (frozen for the workers by _executor)

    def _report(self, entry: Entry, prefix: str) -> None:
        result = text_result(entry)
        name = result.source.name
        if not result.text_id:
            self.echo(f"{prefix} {name}: FAILED: {result.errors[0]}")
            return
        summary = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
        status = "INVALID" if result.errors else "ok"
        self.echo(f"{prefix} {name} -> {result.text_id} [{result.profile}] {status}: {summary}")
        for line in result.errors + result.problems:
            self.echo(f"    {line}")

    def _report_carried(self, entries: Iterable[Entry]) -> None:
        """Errors of unchanged texts are reported again (they still fail the build)."""
        for entry in entries:
            for line in text_result(entry).errors:
                self.echo(f"[unchanged] {line}")

    def _site_key(self, entries: list[Entry]) -> str:
        """The key of the files of the edition as a whole: every text's TEI, the
        editorial data and the code (with the templates and assets)."""
        texts = sorted((e["result"]["text_id"], e.get("tei_sha") or "")
                       for e in entries if e["result"]["text_id"])
        return _digest(self.prints.code, self.prints.editorial, json.dumps(texts))

    def _edition_files(self, entries: list[Entry], stage: Path, jobs: int) -> dict[str, Entry]:
        """Write (or carry, if nothing they depend on changed) the site's pages of
        the edition as a whole and the exchange files, from the texts' digests;
        the manifest of ``out/`` last, always.  Return their records."""
        key = self._site_key(entries)
        edition = _edition(self.data_dir, self.prints.editorial)
        manifest = f"{EXCHANGE_DIR}/{MANIFEST_FILE}"
        records: dict[str, Entry] = {}
        for part in EDITION_PARTS:
            if self._up_to_date(part, key):
                outputs = self.state[part]["outputs"]
                _carry(self.out_dir, stage, [rel for rel in outputs if rel != manifest])
                records[part] = {"key": key, "outputs": dict(outputs)}
        fresh = [part for part in EDITION_PARTS if part not in records]
        if fresh:
            before = _files(stage)
            write_parts(edition, stage, fresh, entries, jobs)
            written = sorted(_files(stage) - before)
            for part in fresh:
                records[part] = {"key": key, "outputs": {
                    rel: _stat(stage / rel) for rel in written if _part_of(rel) == part}}
        write_manifest(stage, edition.info)
        records["exchange"]["outputs"][manifest] = _stat(stage / manifest)
        return records

    def _write_state(self, stage: Path, entries: list[Entry], parts: dict[str, Entry]) -> None:
        state = {"format": STATE_FORMAT, **parts,
                 "texts": {e["result"]["source"]: e for e in entries}}
        write_atomic(stage / STATE_FILE, json.dumps(state, separators=(",", ":")) + "\n")


def _replace_stage(job: Job, stage: Path, aside: bool) -> Job:
    return replace(job, stage=stage, aside=aside)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.name != STATE_FILE}


def _check_unique_ids(entries: list[Entry]) -> None:
    """Two sources may not claim one text id (their outputs would collide)."""
    seen: dict[str, str] = {}
    for entry in entries:
        result = entry["result"]
        text_id = result["text_id"]
        if text_id and text_id in seen:
            raise InputError(result["source"], 0,
                             f"text id {text_id!r} is also the id of {seen[text_id]}")
        seen[text_id] = result["source"]


class _Serial(Executor):
    """Runs each job at once in this process (``--jobs 1``, or a single job)."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller by future.result()
            future.set_exception(exc)
        return future


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _executor(workers: int) -> Executor:
    if workers <= 1:
        return _Serial()
    if _can_fork():  # done once here, forked workers inherit them:
        with collector_paused():
            from . import digest, render, site  # noqa: F401  (imported,)
            from .validate import compile_schemas

            compile_schemas()  # (and the schemas compiled: 0.1 s each worker saves)
        # What exists now (modules, schemas, editorial data) lives as long as the
        # build: out of the collector's sight, workers neither scan it nor copy
        # its pages (the seeds' per-text work spent 0.05-0.09 s in the collector,
        # 0.02-0.03 s after this).
        gc.freeze()
    context = multiprocessing.get_context("fork" if _can_fork() else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


EDITION_PARTS = ("site", "exchange")


def _part_of(rel: str) -> str:
    """Which part of the edition-wide files a file of ``out/`` belongs to."""
    return "exchange" if rel.startswith(f"{EXCHANGE_DIR}/") else "site"


def write_parts(edition: Edition, stage: Path, parts: Iterable[str], entries: list[Entry],
                jobs: int) -> None:
    """Write the ``parts`` (site, exchange) of the edition as a whole into ``stage``
    (where the texts' TEI is) from the digests of the texts built (``entries``:
    their records), gathered once (:func:`edition.digest.gather`: small records
    held, the rest spilled to disk); the two at once (:func:`_run_all`) when
    ``jobs`` > 1: they are independent (the register's TEI, which the exports
    read, is copied first; the site then writes ``html/``, the exports
    ``exchange/``).  The corpus export need not check again the TEI files the
    build found valid."""
    from .digest import gather
    from .export import export
    from .site import register_order

    digests = {e["result"]["text_id"]: _digest_path(e["page_key"], e["result"]["text_id"])
               for e in entries if e["result"]["text_id"] and e.get("page_key")}
    validated = frozenset(e["tei_sha"] for e in entries if e.get("tei_sha")
                          and "validation" in e and not e["validation"]["errors"])

    if "site" in parts:
        _copy_register(edition, stage)
    order = register_order(edition.register) if "site" in parts else None
    with gather(stage / "tei", edition.register, digests, order) as gathered:
        halves: tuple[list[Callable[[], object]], ...] = ([], [])
        if "site" in parts:
            halves[0].append(lambda: _write_site(edition, stage, gathered))
        if "exchange" in parts:
            for half, formats in zip(halves, EXPORT_HALVES, strict=True):
                half.append(lambda formats=formats: export(
                    edition, stage, formats, gathered=gathered, validated=validated))
        _run_all([functools.partial(_in_turn, half) for half in halves if half], jobs)


#: the exchange formats written beside the site's pages, and the others: about
#: even halves of the edition-wide work at every size measured (the site and
#: the teiCorpus cost most, the JSON tables about half the rest)
EXPORT_HALVES = (("json",), ("cmif", "csv", "teicorpus"))


def _in_turn(writers: Iterable[Callable[[], object]]) -> None:
    for write in writers:
        write()


def _write_site(edition: Edition, stage: Path, gathered: Gathered | None = None) -> None:
    """The site's pages of the edition as a whole (the register's TEI is there)."""
    from .site import write_edition_pages

    write_edition_pages(edition, stage, gathered)


def _copy_register(edition: Edition, stage: Path) -> None:
    (stage / "tei").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(edition.data_dir / "register.xml", stage / "tei" / "register.xml")


_FORKED: list[Callable[[], object]] = []


def _run_forked() -> None:
    """Run the writer handed to the forked process (:func:`_run_all`)."""
    _FORKED[0]()


def _run_all(writers: list[Callable[[], object]], jobs: int) -> None:
    """Run the writers: the first in a forked process while this one runs the
    others, if there are several, ``jobs`` > 1 and the system can fork (the
    child inherits everything; nothing is pickled but its outcome, an error
    is raised here); else one after the other."""
    if len(writers) < 2 or jobs < 2 or not _can_fork():
        for write in writers:
            write()
        return
    _FORKED[:] = writers[:1]
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            child = pool.submit(_run_forked)
            for write in writers[1:]:
                write()
            child.result()
    finally:
        _FORKED.clear()


def _publish(stage: Path, out_dir: Path) -> None:
    """Move the staged outputs into ``out/``, replacing each folder whole.

    The build record goes first out and last in, so an interrupted publish
    leaves no record and the next build starts afresh."""
    (out_dir / STATE_FILE).unlink(missing_ok=True)
    trash = Path(tempfile.mkdtemp(prefix=".old-", dir=out_dir))
    try:
        for entry in sorted(stage.iterdir(), key=lambda p: (p.name == STATE_FILE, p.name)):
            target = out_dir / entry.name
            if target.exists():
                os.replace(target, trash / entry.name)
            os.replace(entry, target)
    finally:
        shutil.rmtree(trash, ignore_errors=True)

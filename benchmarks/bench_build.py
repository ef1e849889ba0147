"""Benchmark the build, stage by stage, on synthetic corpora of growing size.

    python benchmarks/bench_build.py --n 100 1000 5000
    python benchmarks/bench_build.py --smoke          # N=100, for CI

For each N a corpus is generated (benchmarks/corpus.py) and each stage is run
over all its documents in one process, one document at a time: read +
structure, enrich, encode + preserve, validate (edition schema, tei_all,
rules, separately), render HTML, render text, the text's digest and page.
Then the full
``edition build`` runs as a subprocess (all cores unless ``--jobs``), and
again with nothing changed.  A stage's time counts only the stage itself
(its inputs are prepared outside the clock).  Per stage the table gives
documents/s, MB/s of source text, ms per document (flat as N grows if the
cost is linear), wall time and peak memory.

Wall time is what a user waits; CPU time (user + system, of the build and
its workers for whole builds) is steadier on a loaded machine.  Peak memory
is the resident-set high-water mark (``VmHWM`` of
``/proc/self/status``, reset before each stage by writing 5 to
``/proc/self/clear_refs``; where that is not possible, ``ru_maxrss`` of the
process so far).  For the full build it is ``ru_maxrss`` of the build process
and its workers (``RUSAGE_CHILDREN`` of a small launcher): the largest single
process, not the sum (the sum is about that times the number of workers + 1).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import SEEDS, generate  # noqa: E402
from lxml import etree  # noqa: E402

from edition import preserve  # noqa: E402
from edition.build import EDITION_PARTS, load_state, write_page, write_parts  # noqa: E402
from edition.convert import convert_file  # noqa: E402
from edition.editorial import Edition  # noqa: E402
from edition.enrich.names import NameTagger  # noqa: E402
from edition.export import XML_ID  # noqa: E402
from edition.read import read_meta  # noqa: E402
from edition.render import render_html, render_text  # noqa: E402
from edition.sources import read_file, read_source  # noqa: E402
from edition.tei import encode  # noqa: E402
from edition.validate import Validator  # noqa: E402
from edition.xmlio import parse, serialize, write_atomic  # noqa: E402

# ---------------------------------------------------------------- measuring


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Row:
    """One line of the report: rates are per wall-clock second."""

    stage: str
    docs: int
    megabytes: float
    seconds: float
    cpu: float
    peak_mb: float

    def line(self) -> str:
        rate = self.docs / self.seconds if self.seconds else float("inf")
        mbs = self.megabytes / self.seconds if self.seconds else float("inf")
        per_doc = 1000 * self.seconds / self.docs if self.docs else 0.0
        return (f"  {self.stage:28} {rate:9.1f} {mbs:8.3f} {per_doc:9.2f} "
                f"{self.seconds:9.2f} {self.cpu:9.2f} {self.peak_mb:8.0f}")


HEADER = (f"  {'stage':28} {'docs/s':>9} {'MB/s':>8} {'ms/doc':>9} {'wall s':>9} "
          f"{'CPU s':>9} {'peak MB':>8}")


class Clock:
    """Sums the time spent inside :meth:`timed` blocks and counts the
    documents that failed in them (a failure is counted, not raised)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0
        self.failed = 0

    @contextmanager
    def timed(self) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        except Exception:
            self.failed += 1
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu += time.process_time() - cpu


def stage(name: str, docs: int, megabytes: float, run: Callable[[Clock], None]) -> Row:
    """Run one stage over the corpus; its time is what ``run`` clocks."""
    _reset_peak()
    clock = Clock()
    run(clock)
    row = Row(name, docs, megabytes, clock.seconds, clock.cpu, _peak_mb())
    print(row.line() + (f"   ({clock.failed} documents failed)" if clock.failed else ""),
          flush=True)
    return row


# ---------------------------------------------------------------- stages


@dataclass
class Corpus:
    folder: Path
    paths: list[Path]
    edition: Edition
    tei_dir: Path

    @property
    def megabytes(self) -> float:
        return sum(p.stat().st_size for p in self.paths) / 1e6

    def documents(self):
        for path in self.paths:
            yield path, read_file(path)

    def spans(self, doc) -> list:
        return [s for enricher in self.edition.enrichers for s in enricher(doc)]

    def trees(self) -> Iterator[etree._ElementTree]:
        for path in sorted(self.tei_dir.glob("*.xml")):
            yield parse(path)


def read_stage(c: Corpus, clock: Clock) -> None:
    for path in c.paths:
        with clock.timed():
            read_file(path)


def enrich_stage(c: Corpus, clock: Clock) -> None:
    for _path, doc in c.documents():
        with clock.timed():
            c.spans(doc)


def encode_stage(c: Corpus, clock: Clock) -> None:
    """Encode, prove and write the TEI that the later stages read."""
    for _path, doc in c.documents():
        spans = c.spans(doc)
        with clock.timed():
            tree = encode(doc, spans, c.edition.header_writer, c.edition.register.standoff)
            preserve.check(doc.text, tree)
            write_atomic(c.tei_dir / f"{doc.meta.id}.xml", serialize(tree))


def tree_stage(c: Corpus, work: Callable[[etree._ElementTree], object]) -> Callable:
    def run(clock: Clock) -> None:
        for tree in c.trees():
            with clock.timed():
                work(tree)

    return run


def text_page(edition: Edition, tree: etree._ElementTree, out: Path) -> None:
    """What a build's worker does last for a text: its digest (kept) and page."""
    text_id = tree.getroot().get(XML_ID, "")
    write_page(edition, text_id, tree, out, out / f"{text_id}.digest")


def stage_rows(c: Corpus) -> list[Row]:
    n, mb = len(c.paths), c.megabytes
    validator = Validator()
    pages = Path(tempfile.mkdtemp(prefix="pages-", dir=c.tei_dir.parent))
    rows = [
        stage("read + structure", n, mb, lambda k: read_stage(c, k)),
        stage("enrich", n, mb, lambda k: enrich_stage(c, k)),
        stage("encode + preserve", n, mb, lambda k: encode_stage(c, k)),
    ]
    checks = [
        ("validate: edition schema", lambda t: validator.schema_problems(t, "x")),
        ("validate: tei_all", lambda t: validator.tei_all_problems(t, "x")),
        ("validate: rules", lambda t: validator.rule_problems(t, "x")),
        ("render HTML", render_html),
        ("render text", render_text),
        ("digest + text page", lambda t: text_page(c.edition, t, pages)),
    ]
    rows += [stage(name, n, mb, tree_stage(c, work)) for name, work in checks]
    return rows


# ---------------------------------------------------------------- whole builds


# Runs the build and prints the rusage of its process tree.  A small launcher
# of its own, because a child forked from this (large) process would report
# this process's resident set as its high-water mark.
LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:])
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss, code)
"""


def run_build(seeds: Path, out: Path, jobs: int | None,
              force: bool) -> tuple[float, float, float, int]:
    """``edition build`` in a subprocess: wall seconds, CPU seconds (the build
    and its workers), peak MB of its largest process, exit code."""
    cmd = [sys.executable, "-m", "edition.cli", "build", "--seeds", str(seeds),
           "--out", str(out), "--quiet"]
    cmd += ["--force"] if force else []
    cmd += ["--jobs", str(jobs)] if jobs else []
    report = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], check=True, text=True,
                            stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": _pythonpath()}).stdout
    wall, cpu, maxrss, code = report.split()[-4:]
    return float(wall), float(cpu), int(maxrss) / 1024, int(code)


def _pythonpath() -> str:
    import edition

    root = str(Path(edition.__file__).resolve().parent.parent)
    return os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)


def build_row(label: str, folder: Path, out: Path, jobs: int | None, force: bool) -> Row:
    paths = sorted(folder.glob("*.txt"))
    wall, cpu, peak, code = run_build(folder, out, jobs, force)
    row = Row(label, len(paths), sum(p.stat().st_size for p in paths) / 1e6, wall, cpu, peak)
    print(row.line() + ("" if code == 0 else f"   (exit {code}: some texts invalid)"),
          flush=True)
    return row


def build_rows(c: Corpus, out: Path, jobs: int | None) -> list[Row]:
    """The full build, its edition-wide phase again in one process, a no-change rebuild."""
    return [
        build_row("full edition build", c.folder, out, jobs, force=True),
        stage("edition pages + exports", len(c.paths), c.megabytes,
              lambda k: edition_stage(c, out, k)),
        build_row("no-change rebuild", c.folder, out, jobs, force=False),
    ]


def edition_stage(c: Corpus, out: Path, clock: Clock) -> None:
    """The build's edition-wide phase (the site's pages of the edition as a
    whole and the exchange files, from the digests the build's workers kept),
    run again on the full build's results in this one process."""
    entries = list(load_state(out).get("texts", {}).values())
    with tempfile.TemporaryDirectory() as tmp:
        stage_dir = Path(tmp)
        (stage_dir / "tei").mkdir()
        for path in (out / "tei").glob("*.xml"):
            if path.name != "register.xml":  # copied from the editorial data by the phase
                (stage_dir / "tei" / path.name).symlink_to(path)
        with clock.timed():
            write_parts(c.edition, stage_dir, EDITION_PARTS, entries, jobs=1)


def tagging_figure(c: Corpus, megabytes: float = 1.0) -> None:
    """Names and all enrichers on one text of ``megabytes`` (the corpus joined)."""
    parts, size = [], 0
    for path in c.paths * 50:
        parts.append(path.read_text(encoding="utf-8"))
        size += len(parts[-1])
        if size >= megabytes * 1e6:
            break
    text = "\n\n".join(parts)[: int(megabytes * 1e6)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(text, encoding="utf-8")
        doc = read_source(str(path), text, read_meta(path), "plain")
        tagger = NameTagger(c.edition.register)
        mb = len(text.encode()) / 1e6
        stage(f"{mb:.1f} MB text: names", 1, mb, lambda k: _timed(k, lambda: list(tagger(doc))))
        stage(f"{mb:.1f} MB text: all enrichers", 1, mb,
              lambda k: _timed(k, lambda: c.spans(doc)))


def _timed(clock: Clock, work: Callable[[], object]) -> None:
    with clock.timed():
        work()


#: the seed whose markup is densest (names, redactions and their notes)
LARGE_TEXT_SEED = "000_fa8a0fdc04f2c974"


def large_text_figure(megabytes: float) -> None:
    """Every per-text stage on one long text (the censored article repeated to
    a quarter of ``megabytes``, then to all of it): MB/s that falls as the
    text grows shows a step that is worse than linear in its length."""
    print(f"\none long text (the censored article repeated)\n{HEADER}")
    edition = Edition.load(SEEDS)
    text = (SEEDS / f"{LARGE_TEXT_SEED}.txt").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    sidecar = (SEEDS / f"{LARGE_TEXT_SEED}.toml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (megabytes / 4, megabytes):
            copies = max(1, round(size * 1e6 / len(body.encode())))
            path = Path(tmp) / f"long-{copies}.txt"
            path.write_text(head + "\n\n" + "\n\n".join([body] * copies), encoding="utf-8")
            path.with_suffix(".toml").write_text(
                re.sub(r'(?m)^id = ".*"$', f'id = "long-{copies}"', sidecar), encoding="utf-8")
            long_text_rows(path, edition, Path(tmp) / "pages")


def long_text_rows(path: Path, edition: Edition, pages: Path) -> None:
    """The per-text stages of a build, each once, on the text at ``path``."""
    mb = path.stat().st_size / 1e6
    label = f"{mb:.2f} MB text:"
    made: list[etree._ElementTree] = []
    stage(f"{label} convert", 1, mb,
          lambda k: _timed(k, lambda: made.append(convert_file(path, edition).tree)))
    tree = made[0]
    validator = Validator()
    for name, work in (("validate", lambda: validator.validate_tree(tree, str(path))),
                       ("HTML", lambda: render_html(tree)),
                       ("text", lambda: render_text(tree)),
                       ("digest + page", lambda: text_page(edition, tree, pages))):
        stage(f"{label} {name}", 1, mb, lambda k, work=work: _timed(k, work))


# ---------------------------------------------------------------- main


def bench(n: int, workdir: Path, jobs: int | None, tagging: float, scale: float = 1.0,
          stages: bool = True) -> None:
    """Stages (unless not ``stages``), builds and (if ``tagging``, in MB) the
    single-text figure for one N."""
    folder = workdir / f"corpus-{n}"
    paths = generate(folder, n, scale=scale)
    tei_dir = workdir / f"tei-{n}"
    tei_dir.mkdir(parents=True, exist_ok=True)
    c = Corpus(folder, paths, Edition.load(folder), tei_dir)
    print(f"\nN = {n}: {c.megabytes:.2f} MB of source text "
          f"({1000 * c.megabytes / n:.1f} kB/document)\n{HEADER}", flush=True)
    if stages:
        stage_rows(c)
        build_rows(c, workdir / f"out-{n}", jobs)
    else:
        out = workdir / f"out-{n}"
        build_row("full edition build", c.folder, out, jobs, force=True)
        build_row("no-change rebuild", c.folder, out, jobs, force=False)
    if tagging:
        tagging_figure(c, tagging)


def seeds_figure(workdir: Path, jobs: int | None, runs: int = 5) -> None:
    """The edition's own five seeds: ``runs`` full builds (the median one is
    shown, then every wall time: a shared machine's noise is larger than a
    second), then a no-change rebuild."""
    paths = sorted(SEEDS.glob("*.txt"))
    mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"\nseeds: {len(paths)} texts, {mb:.2f} MB\n{HEADER}")
    out = workdir / "out-seeds"
    builds = sorted((run_build(SEEDS, out, jobs, force=True) for _ in range(runs)),
                    key=lambda b: b[0])
    wall, cpu, peak, code = builds[len(builds) // 2]
    label = "full edition build" + (f" (median of {runs})" if runs > 1 else "")
    print(Row(label, len(paths), mb, wall, cpu, peak).line()
          + ("" if code == 0 else f"   (exit {code}: some texts invalid)"))
    if runs > 1:
        print(f"  full builds, wall s: {', '.join(f'{b[0]:.2f}' for b in builds)}")
    build_row("no-change rebuild", SEEDS, out, jobs, force=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark the edition build by stage.")
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000],
                        help="corpus sizes (default: 100 1000)")
    parser.add_argument("--smoke", action="store_true", help="N=100 only (for CI)")
    parser.add_argument("--jobs", type=int, default=None, help="workers for the full build")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep corpora and outputs here (default: a temporary folder)")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seeds' build")
    parser.add_argument("--seeds-runs", type=int, default=5,
                        help="full builds of the seeds (the median is shown; default 5)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="length factor of the synthetic documents (tests use 0.05)")
    parser.add_argument("--tagging-mb", type=float, default=1.0,
                        help="size of the single text for the tagging figure (0: skip)")
    parser.add_argument("--large-mb", type=float, default=1.0,
                        help="size of the long text run through every per-text stage, after "
                        "one a quarter of its size (0: skip)")
    parser.add_argument("--builds-only", action="store_true",
                        help="only the full build and the no-change rebuild (no stages, no "
                        "single-process site pages): for large N")
    args = parser.parse_args(argv)
    sizes = [100] if args.smoke else args.n
    print(f"cores: {os.cpu_count()}; load average: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        if not args.no_seeds:
            seeds_figure(workdir, args.jobs, max(1, args.seeds_runs))
        if args.large_mb:
            large_text_figure(args.large_mb)
        for i, n in enumerate(sizes):
            bench(n, workdir, args.jobs, args.tagging_mb if i == 0 else 0, args.scale,
                  stages=not args.builds_only)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

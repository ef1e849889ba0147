"""The build at scale: span selection without quadratic steps, parallel and
incremental builds that give byte-identical outputs, staging that survives
failures, and the benchmark (run small, as a check that it works)."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from edition import build
from edition.build import Fingerprints, run_build
from edition.errors import InputError
from edition.model import Span
from edition.spans import forest, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_build  # noqa: E402
import corpus  # noqa: E402

# ------------------------------------------------------------ span selection


def _reference_select(spans: list[Span]) -> list[Span]:
    """The rule of spans.py stated directly: a span is kept if it is
    compatible with every kept span (quadratic, for comparison only)."""

    def contains(a: Span, b: Span) -> bool:
        if (a.start, a.end) == (b.start, b.end):
            return a.priority >= b.priority
        return a.start <= b.start and b.end <= a.end

    def admits(outer: Span, inner: Span) -> bool:
        return outer.allows is None or inner.tag in outer.allows

    def compatible(new: Span, kept: Span) -> bool:
        if new.end <= kept.start or kept.end <= new.start:
            return True
        if contains(kept, new):
            return admits(kept, new)
        if contains(new, kept):
            return admits(new, kept)
        return False

    ranked = sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start, s.tag))
    kept: list[Span] = []
    for span in ranked:
        if span.end > span.start and all(compatible(span, k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, -s.end, -s.priority))


def _random_spans(rnd: random.Random, n: int, width: int) -> list[Span]:
    tags = ["persName", "date", "seg", "bibl"]
    allows = [None, frozenset(), frozenset({"date"}), frozenset({"persName", "date"})]
    out = []
    for _ in range(n):
        start = rnd.randrange(width)
        out.append(Span(start, start + rnd.randrange(9), rnd.choice(tags),
                        priority=rnd.choice([20, 40, 50, 90]), allows=rnd.choice(allows)))
    return out


def test_select_agrees_with_the_rule_stated_directly() -> None:
    rnd = random.Random(8)
    for _ in range(3000):
        spans = _random_spans(rnd, rnd.randrange(14), 24)
        assert select(spans) == _reference_select(spans)


def test_select_result_nests_into_a_forest_covering_every_kept_span() -> None:
    spans = _random_spans(random.Random(3), 5000, 20000)
    kept = select(spans)
    stack = [*forest(kept)]
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        for child in node.children:
            assert node.span.start <= child.span.start and child.span.end <= node.span.end
            assert node.span.allows is None or child.span.tag in node.span.allows
        stack.extend(node.children)
    assert seen == len(kept) > 1000


# ------------------------------------------------------------ builds


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five small texts, one of each kind, and the editorial data."""
    folder = tmp_path_factory.mktemp("texts")
    corpus.generate(folder, 5, seed=3, scale=0.05)
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] in ("tei", "html", "txt")}


def _build(texts: Path, out: Path, **options) -> list[str]:
    lines: list[str] = []
    assert run_build(texts, out, echo=lines.append, **options)
    return lines


def test_outputs_do_not_depend_on_jobs_order_time_zone_or_locale(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(texts, tmp_path / "a", jobs=1)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LC_ALL", "C")
    time.tzset()
    monkeypatch.setattr(build, "sources", lambda d: sorted(d.glob("*.txt"), reverse=True))
    _build(texts, tmp_path / "b", jobs=2)
    monkeypatch.undo()
    time.tzset()
    first, second = _outputs(tmp_path / "a"), _outputs(tmp_path / "b")
    assert len([k for k in first if k.startswith("tei/syn-")]) == 5 and first == second


def test_a_no_change_rebuild_rewrites_nothing(texts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(texts, out, jobs=1)
    before = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    lines = _build(texts, out, jobs=1)
    assert "(0 rebuilt, 5 unchanged)" in lines[-1]
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == before


def test_a_changed_text_rebuilds_its_outputs_and_the_site_only(
        texts: Path, tmp_path: Path) -> None:
    seeds = _copy(texts, tmp_path / "texts")
    out = tmp_path / "out"
    _build(seeds, out, jobs=1)
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")}
    changed = sorted(seeds.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA new last line.\n",
                       encoding="utf-8")
    lines = _build(seeds, out, jobs=1)
    assert "(1 rebuilt, 4 unchanged)" in lines[-1]
    renewed = {rel for rel, ino in inodes.items() if (out / rel).stat().st_ino != ino}
    text_id = build.load_state(out)["texts"][str(changed)]["result"]["text_id"]
    assert {f"tei/{text_id}.xml", f"html/{text_id}.html", f"txt/{text_id}.txt",
            "html/index.html"} <= renewed
    # the other texts' TEI and plain text were carried (their HTML pages belong
    # to the site, which links every page to the others, and is rewritten)
    assert not {r for r in renewed if r.startswith(("tei/syn-", "txt/syn-"))
                and text_id not in r}
    assert "A new last line." in (out / "txt" / f"{text_id}.txt").read_text(encoding="utf-8")


def test_a_new_stylesheet_rerenders_but_does_not_reconvert_or_revalidate(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(texts, out, jobs=1)
    tei = {p: p.stat().st_ino for p in (out / "tei").glob("syn-*.xml")}
    html = {p: p.stat().st_ino for p in (out / "html").glob("syn-*.html")}
    of = Fingerprints.of
    monkeypatch.setattr(Fingerprints, "of", classmethod(
        lambda cls, d: Fingerprints(**{**vars(of(d)), "xslt": "another stylesheet"})))
    validated = []
    monkeypatch.setattr("edition.validate.Validator.validate_tree",
                        lambda self, tree, path: validated.append(path) or [])
    _build(texts, out, jobs=1)
    assert {p: p.stat().st_ino for p in tei} == tei and not validated
    assert all(p.stat().st_ino != ino for p, ino in html.items())


def test_a_register_change_reconverts_but_does_not_revalidate_identical_tei(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = _copy(texts, tmp_path / "texts")
    out = tmp_path / "out"
    _build(seeds, out, jobs=1)
    before = _outputs(out)
    txt = {p: p.stat().st_ino for p in (out / "txt").glob("syn-*.txt")}
    register = seeds / "register.xml"
    register.write_text(register.read_text(encoding="utf-8").replace(
        "</listPerson>", '<person xml:id="nobody-at-all"><persName type="preferred">'
        "Zzyzx Nobody</persName></person></listPerson>", 1), encoding="utf-8")
    validated = []
    monkeypatch.setattr("edition.validate.Validator.validate_tree",
                        lambda self, tree, path: validated.append(path) or [])
    lines = _build(seeds, out, jobs=1)
    # (the exchange files, which are validated as they are written, are renewed)
    assert "(5 rebuilt" in lines[-1]
    assert not [p for p in validated if "exchange" not in Path(p).parts]
    after = _outputs(out)
    assert {k: v for k, v in after.items() if k.startswith(("tei/syn-", "txt/syn-"))} == \
        {k: v for k, v in before.items() if k.startswith(("tei/syn-", "txt/syn-"))}
    assert {p: p.stat().st_ino for p in txt} == txt  # carried, not rendered again


def test_a_missing_output_is_restored_and_force_rebuilds_all(
        texts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(texts, out, jobs=1)
    victim = sorted((out / "html").glob("syn-*.html"))[0]
    content = victim.read_bytes()
    victim.unlink()
    assert "(1 rebuilt" in _build(texts, out, jobs=1)[-1]
    assert victim.read_bytes() == content
    assert "(5 rebuilt, 0 unchanged)" in _build(texts, out, jobs=1, force=True)[-1]


def test_a_failing_build_leaves_the_previous_out_intact(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(texts, out, jobs=1)
    before = _outputs(out)

    def broken(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "_write_site", broken)
    with pytest.raises(KeyboardInterrupt):
        run_build(texts, out, jobs=1, force=True, echo=lambda _: None)
    assert _outputs(out) == before
    assert sorted(p.name for p in out.iterdir()) == [".build-state.json", ".lock", "exchange",
                                                     "html", "tei", "txt"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("rank", [0, 2])
def test_a_text_that_crashes_fails_alone(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, rank: int) -> None:
    """Also the largest text, which a build with several workers converts in
    a process of its own while the pool starts."""
    real, early = build.convert_file, build._converted_early
    victim = sorted(texts.glob("*.txt"), key=lambda p: -p.stat().st_size)[rank]
    converted_early: list[Path] = []

    def convert(path: Path, edition):
        if path == victim:
            raise ZeroDivisionError("a converter bug")
        return real(path, edition)

    def spy(job: build.Job):
        converted_early.append(job.source)
        return early(job)

    monkeypatch.setattr(build, "convert_file", convert)
    monkeypatch.setattr(build, "_converted_early", spy)
    lines: list[str] = []
    assert not run_build(texts, tmp_path / "out", jobs=jobs, echo=lines.append)
    assert any(f"{victim}: internal error: ZeroDivisionError: a converter bug" in line
               for line in lines)
    assert len(list((tmp_path / "out" / "tei").glob("syn-*.xml"))) == 4
    largest = max(texts.glob("*.txt"), key=lambda p: p.stat().st_size)
    assert converted_early == ([largest] if jobs > 1 else [])


def test_each_text_is_converted_once_with_several_workers(
        texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text converted while the pool starts is not converted again in it."""
    real = build.convert_file
    calls = tmp_path / "calls"

    def convert(path: Path, edition):
        with calls.open("a") as log:  # one short line per call, from any process
            log.write(f"{path.name}\n")
        return real(path, edition)

    monkeypatch.setattr(build, "convert_file", convert)
    _build(texts, tmp_path / "out", jobs=2)
    assert sorted(calls.read_text().split()) == sorted(p.name for p in texts.glob("*.txt"))


def test_two_builds_cannot_write_one_folder_at_once(texts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with build.locked(out), pytest.raises(InputError, match="another build"):
        run_build(texts, out, jobs=1, echo=lambda _: None)


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True)
    for path in src.iterdir():
        (dst / path.name).write_bytes(path.read_bytes())
    return dst


# ------------------------------------------------------------ benchmark


def test_the_smoke_benchmark_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench_build.main(["--n", "20", "--scale", "0.05", "--tagging-mb", "0.05", "--no-seeds",
                      "--large-mb", "0.08", "--jobs", "2", "--workdir", str(tmp_path)])
    report = capsys.readouterr().out
    for stage in ("read + structure", "enrich", "encode + preserve", "validate: edition schema",
                  "validate: tei_all", "validate: rules", "render HTML", "render text",
                  "digest + text page", "full edition build", "edition pages + exports",
                  "no-change rebuild", "MB text: names", "MB text: convert",
                  "MB text: validate", "MB text: digest + page"):
        assert stage in report
    assert "documents failed" not in report  # a stage's failures are counted, not raised
    # (whether every synthetic text is valid is for the converters' tests to say)
    assert len(list((tmp_path / "out-20" / "html").glob("syn-*.html"))) == 20
    assert len(build.load_state(tmp_path / "out-20")["texts"]) == 20


# ------------------------------------------------------------ large texts


def _tree_files(out: Path) -> dict[str, bytes]:
    """Every file of a built edition but the two that record file times."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in ("MANIFEST.json", build.STATE_FILE)}


def _records(out: Path) -> list[tuple]:
    """The build record's entry of each text, without the files' sizes and times,
    as (field, value) pairs in the record's order."""
    texts = build.load_state(out)["texts"]
    return [tuple((k, v) for k, v in entry.items() if k != "outputs") for entry in texts.values()]


def test_texts_validated_aside_give_the_same_edition(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With several workers a large text is validated in a forked process while
    its worker renders it; every text validated so gives the edition (and the
    build record) of the texts validated in turn."""
    seeds = ROOT / "seeds"
    assert run_build(seeds, tmp_path / "turn", jobs=1, force=True, echo=lambda _: None)
    monkeypatch.setattr(build, "ASIDE_AT", 0)
    assert run_build(seeds, tmp_path / "aside", jobs=2, force=True, echo=lambda _: None)
    assert _tree_files(tmp_path / "aside") == _tree_files(tmp_path / "turn")
    assert _records(tmp_path / "aside") == _records(tmp_path / "turn")


def test_a_text_validated_aside_reports_its_errors(tmp_path: Path) -> None:
    """The forked validation's record is the one made in turn, errors and all."""
    from edition.xmlio import parse

    path = ROOT / "tests" / "data" / "invalid" / "bad-when.xml"
    tree = parse(path)
    prints = Fingerprints("code", "schema", "xslt", "editorial")
    job = build.Job(path, "key", None, prints, ROOT / "seeds", tmp_path, tmp_path, aside=True)
    entry = {"tei_sha": "0" * 64, "outputs": {"tei": "tei/bad-when.xml"}}
    build._validated_aside(job, entry, tree)()
    assert entry["validation"] == build._validation(tree, str(tmp_path / "tei/bad-when.xml"))
    assert entry["validation"]["errors"]

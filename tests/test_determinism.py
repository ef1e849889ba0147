"""Determinism: the same input gives byte-identical TEI, HTML and plain text,
whatever the order of the files, the locale, the time zone, the hash seed,
the number of worker processes or the state of the schema cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TIMEOUT = 300
MAX_SEED_BYTES = 40_000  # the largest seed alone would double the test's time


def _locales() -> tuple[str, str]:
    """Two locales that differ in collation and encoding, as far as this machine has them."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    utf8 = next((name for name in ("en_US.utf8", "en_US.UTF-8", "C.utf8", "C.UTF-8")
                 if name in listed), "C.UTF-8")
    return "C", utf8


def _copy_seeds(target: Path, reverse: bool) -> Path:
    """The editorial data and the seeds up to ``MAX_SEED_BYTES`` (with their
    sidecars) copied file by file, in name order or reversed (directory order
    on disk then differs)."""
    target.mkdir(parents=True)
    large = {p.stem for p in SEEDS.glob("*.txt") if p.stat().st_size > MAX_SEED_BYTES}
    for path in sorted(SEEDS.iterdir(), reverse=reverse):
        if path.is_file() and path.stem not in large:
            shutil.copy2(path, target / path.name)
    return target


def _build(seeds: Path, out: Path, jobs: int, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "edition.cli", "build", "--seeds", str(seeds), "--out", str(out),
         "--jobs", str(jobs), "--force", "--quiet"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def _files(folder: Path) -> dict[str, bytes]:
    """Every published file under ``folder`` by relative path (not the build's own state)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_two_builds_in_different_environments_are_byte_identical(tmp_path: Path) -> None:
    c_locale, utf8_locale = _locales()
    runs = {
        "a": (_copy_seeds(tmp_path / "a" / "seeds", reverse=False), 1,
              {"LC_ALL": c_locale, "LANG": c_locale, "TZ": "UTC", "PYTHONHASHSEED": "1",
               "EDITION_CACHE": str(tmp_path / "cache-a")}),
        "b": (_copy_seeds(tmp_path / "b" / "other-seeds", reverse=True), 2,
              {"LC_ALL": utf8_locale, "LANG": utf8_locale, "TZ": "Pacific/Kiritimati",
               "PYTHONHASHSEED": "4242", "EDITION_CACHE": str(tmp_path / "cache-b")}),
    }
    procs = {name: _build(seeds, tmp_path / name / "out", jobs, env)
             for name, (seeds, jobs, env) in runs.items()}  # both at once: saves time
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, f"build {name} failed:\n{stdout}\n{stderr}"
    first, second = (_files(tmp_path / name / "out") for name in runs)
    assert sorted(first) == sorted(second)
    assert any(name.startswith("tei/") for name in first)
    assert any(name.startswith("html/") for name in first)
    assert any(name.startswith("txt/") for name in first)
    different = [name for name in first if first[name] != second[name]]
    assert different == [], f"files differ between the two builds: {different}"


def test_convert_is_independent_of_file_order_and_repetition(tmp_path: Path) -> None:
    sources = sorted(SEEDS.glob("*.txt"))
    outputs = []
    for name, order in (("forward", sources), ("backward", sources[::-1]), ("again", sources)):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["convert", *map(str, order), "--out", str(out),
                                           "--data", str(SEEDS)])
        assert result.exit_code == 0, result.output
        outputs.append(_files(out))
    assert len(outputs[0]) == len(sources)
    assert outputs[0] == outputs[1] == outputs[2]

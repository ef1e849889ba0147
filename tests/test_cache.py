"""The cache folder: digests unused for a month are removed, at most once a day;
a digest a build reuses counts as used."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from edition import cache
from edition.build import _digest_path, load_state, run_build
from edition.digest import gather

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOW = 2_000_000_000.0


def aged(path: Path, days: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (NOW - days * cache.DAY, NOW - days * cache.DAY))
    return path


def test_old_digests_go_recent_ones_stay(tmp_path: Path) -> None:
    old = aged(tmp_path / "a.digest", 31)
    recent = aged(tmp_path / "b.digest", 2)
    other = aged(tmp_path / "notes.txt", 400)  # not a digest: never touched
    assert cache.prune_digests(tmp_path, now=NOW) == 1
    assert not old.exists() and recent.exists() and other.exists()


def test_pruning_runs_at_most_once_a_day(tmp_path: Path) -> None:
    assert cache.prune_digests(tmp_path, now=NOW) == 0
    old = aged(tmp_path / "a.digest", 40)
    assert cache.prune_digests(tmp_path, now=NOW + 3600) == 0  # pruned an hour ago
    assert old.exists()
    assert cache.prune_digests(tmp_path, now=NOW + cache.DAY + 1) == 1


def test_a_missing_or_unreadable_folder_is_no_error(tmp_path: Path) -> None:
    assert cache.prune_digests(tmp_path / "none", now=NOW) == 0
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert cache.prune_digests(blocker, now=NOW) == 0


def test_a_reused_digest_counts_as_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps its digests in the cache; gathering them again (as the next
    build does for unchanged texts) renews them, so pruning keeps them."""
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert run_build(SEEDS, out, jobs=1, force=True, echo=lambda _: None)
    kept = sorted(cache.digest_dir().glob("*.digest"))
    assert len(kept) == len(list(SEEDS.glob("*.txt")))
    for path in kept:
        os.utime(path, (1.0, 1.0))  # as if written long ago
    stale = aged(cache.digest_dir() / "stale.digest", 0)
    os.utime(stale, (1.0, 1.0))
    by_stem = {entry["result"]["text_id"]: _digest_path(entry["page_key"],
                                                        entry["result"]["text_id"])
               for entry in load_state(out)["texts"].values()}
    with gather(out / "tei", None, by_stem):
        pass
    assert all(p.stat().st_mtime > 1.0 for p in kept)
    assert cache.prune_digests(now=time.time() + 2 * cache.DAY) == 1  # the stale one
    assert all(p.exists() for p in kept) and not stale.exists()

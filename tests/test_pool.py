"""edition.pool.each: work per item in forked workers, results in order."""

from __future__ import annotations

import os

import pytest

from edition.errors import EditionError
from edition.pool import Failed, each


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_order_failures_in_their_place(jobs: int) -> None:
    offset = 10  # a closure: nothing of the work is pickled

    def work(n: int) -> tuple[int, int]:
        if n == 3:
            raise EditionError(f"item {n}: cannot")
        return n + offset, os.getpid()

    results = list(each(work, list(range(7)), jobs))
    assert [r.message if isinstance(r, Failed) else r[0] for r in results] == \
        [10, 11, 12, "item 3: cannot", 14, 15, 16]
    pids = {r[1] for r in results if not isinstance(r, Failed)}
    assert (pids == {os.getpid()}) == (jobs == 1)  # in workers unless one job


def test_a_bug_is_not_swallowed() -> None:
    def work(n: int) -> int:
        return 1 // n

    with pytest.raises(ZeroDivisionError):
        list(each(work, [1, 0, 2], 2))


def test_stopping_early_drops_the_items_not_begun(tmp_path) -> None:
    """A command interrupted (here: its reader stops) does not wait for every file."""
    import time

    def work(n: int) -> int:
        (tmp_path / f"{n}.done").touch()
        time.sleep(0.05)
        return n

    results = each(work, list(range(200)), 2)
    assert [next(results), next(results)] == [0, 1]
    results.close()
    assert 2 <= len(list(tmp_path.glob("*.done"))) < 200

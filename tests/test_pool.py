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

"""CPU time of validating TEI files: the edition schema plain and memoised, and
the whole ``Validator.validate_tree``, per file and in total.

Usage: python benchmarks/bench_validate.py [repeats] FILE...

e.g. ``python benchmarks/bench_validate.py 3 out/tei/*.xml``.  "plain" is
xmlschema on the whole tree; "memo" is what the validator runs (repeated
subtrees checked once, see ``edition/xsd_memo.py``), in file order with the
memory of valid checks carried from file to file as in a build, and "cold"
with that memory cleared before each file.  CPU time (``time.process_time``)
is the best of ``repeats`` rounds (default 3).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from edition import validate as v
from edition.xmlio import parse


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    paths = [Path(p) for p in sys.argv[2:]]
    trees = {p: parse(p) for p in paths}
    schema, memo, validator = v.edition_schema(), v.edition_memo(), v.Validator()
    validator.validate_tree(trees[paths[0]], "warm-up")  # compile the schemas
    runs: dict[str, Callable[[etree._ElementTree, str], object]] = {
        "plain": lambda tree, name: list(schema.iter_errors(tree)),
        "memo": lambda tree, name: memo.iter_errors(tree),
        "cold": lambda tree, name: memo.iter_errors(tree),
        "validate_tree": validator.validate_tree,
    }
    columns = tuple(runs)
    best = {(p, c): float("inf") for p in paths for c in columns}
    for _ in range(repeats):
        for column, run in runs.items():
            memo.valid.clear()
            for p in paths:
                if column == "cold":
                    memo.valid.clear()
                start = time.process_time()
                run(trees[p], str(p))
                best[p, column] = min(best[p, column], time.process_time() - start)
    print(f"{'ms CPU':40s}" + "".join(f"{c:>14s}" for c in columns))
    for p in paths:
        print(f"{p.name:40s}" + "".join(f"{best[p, c] * 1000:14.1f}" for c in columns))
    totals = [sum(best[p, c] for p in paths) * 1000 for c in columns]
    print(f"{f'total ({len(paths)} files)':40s}" + "".join(f"{t:14.0f}" for t in totals))


if __name__ == "__main__":
    main()

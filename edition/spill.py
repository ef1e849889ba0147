"""Sorting more records than memory should hold: an external merge sort.

Records are tuples of plain values (``marshal`` can write them) compared as a
whole; the caller puts the sort key first and makes it unique (a text's
position and a running number), so two records never compare beyond it.
:meth:`Spill.add` keeps at most ``limit`` records; when full, they are sorted
and written to a *run* (a file of blocks of records) in the spill's folder.
Iterating a spill merges its runs (:func:`heapq.merge`), holding one block of
each run: memory is bounded by ``limit`` and the number of runs, not by the
number of records.  A spill can be iterated any number of times, also by
processes forked after :meth:`Spill.close` (each opens its own handles).
A :class:`Spool` keeps records in the order they come, unsorted, in one such run.
"""

from __future__ import annotations

import heapq
import marshal
import os
import shutil
import struct
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BLOCK = 256  # records per block of a run
LENGTH = struct.Struct("<I")


class Spill:
    """An external sort of tuples (see the module's docstring)."""

    def __init__(self, folder: Path, name: str, limit: int = 20_000) -> None:
        self.folder = folder
        self.name = name
        self.limit = limit
        self.buffer: list[tuple] = []
        self.runs: list[Path] = []
        self.count = 0

    def add(self, record: tuple) -> None:
        self.buffer.append(record)
        self.count += 1
        if len(self.buffer) >= self.limit:
            self._write_run()

    def close(self) -> None:
        """Write what is buffered (iterating needs no more than this)."""
        if self.buffer or not self.runs:
            self._write_run()

    def _write_run(self) -> None:
        self.buffer.sort()
        path = self.folder / f"{self.name}-{len(self.runs)}.run"
        with open(path, "wb") as handle:
            _write_blocks(handle, self.buffer)
        self.runs.append(path)
        self.buffer = []

    def __iter__(self) -> Iterator[tuple]:
        self.close()
        if len(self.runs) == 1:
            return _read_run(self.runs[0])
        return heapq.merge(*(_read_run(run) for run in self.runs))


class Spool:
    """Records (tuples of plain values) kept on disk in the order they were
    added: written one block at a time to a single run, read back in that
    order any number of times (also by forked processes, after :meth:`close`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.buffer: list[tuple] = []
        self.count = 0
        path.touch()

    def add(self, record: tuple) -> None:
        self.buffer.append(record)
        self.count += 1
        if len(self.buffer) >= BLOCK:
            self.close()

    def close(self) -> None:
        """Write what is buffered."""
        if self.buffer:
            with open(self.path, "ab") as handle:
                _write_blocks(handle, self.buffer)
            self.buffer = []

    def __iter__(self) -> Iterator[tuple]:
        self.close()
        return _read_run(self.path)


def _write_blocks(handle: BinaryIO, records: list[tuple]) -> None:
    for start in range(0, len(records), BLOCK):
        data = marshal.dumps(records[start:start + BLOCK])
        handle.write(LENGTH.pack(len(data)) + data)


def _read_run(path: Path) -> Iterator[tuple]:
    with open(path, "rb") as handle:
        while head := handle.read(LENGTH.size):
            yield from marshal.loads(handle.read(LENGTH.unpack(head)[0]))


class SpillFolder:
    """A temporary folder for spills, removed by :meth:`close` (or when it is
    collected) in the process that made it, never by a forked child that
    inherited it."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="edition-spill-"))
        self._remove = weakref.finalize(self, _remove, self.path, os.getpid())

    def spill(self, name: str, limit: int = 20_000) -> Spill:
        return Spill(self.path, name, limit)

    def spool(self, name: str) -> Spool:
        return Spool(self.path / f"{name}.spool")

    def close(self) -> None:
        self._remove()


def _remove(path: Path, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)

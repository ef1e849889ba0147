"""The edition's cache folder: what is worth keeping from one run to the next
(the pruned tei_all, the compiled edition schema, jinja2's compiled templates,
the coastlines of the maps, and each text's digest).

Every entry is named by a hash of everything it depends on, so an entry is
either right or never read again.  The digests are the only entries whose
number grows with use (one per text for each state of the text, the editorial
data and the code): :func:`prune_digests` removes those not used for a month,
at most once a day.  Removing an entry only costs time: a build that misses a
digest makes it again from the text's TEI.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

DAY = 24 * 3600.0
MAX_AGE = 30 * DAY  # a digest unused this long is removed
PRUNE_EVERY = DAY
STAMP = ".pruned"  # its modification time: when the digests were last pruned


def cache_dir() -> Path:
    """``$EDITION_CACHE``, else ``~/.cache/edition``."""
    return Path(os.environ.get("EDITION_CACHE") or Path.home() / ".cache" / "edition")


def digest_dir() -> Path:
    return cache_dir() / "digests"


def used(path: Path) -> None:
    """Note that a cached entry was just used (its modification time), so that
    :func:`prune_digests` keeps it; a cache that cannot be written is left as it is."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune_digests(folder: Path | None = None, max_age: float = MAX_AGE,
                  every: float = PRUNE_EVERY, now: float | None = None) -> int:
    """Remove the digests of ``folder`` (default :func:`digest_dir`) not written
    or used for ``max_age`` seconds, unless that was done less than ``every``
    seconds ago; return how many were removed.  Never fails: what cannot be
    read or removed is left."""
    folder = digest_dir() if folder is None else folder
    now = time.time() if now is None else now
    stamp = folder / STAMP
    try:
        if now - stamp.stat().st_mtime < every:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    removed = 0
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith(".digest") and now - entry.stat().st_mtime > max_age:
                    os.unlink(entry.path)
                    removed += 1
        stamp.touch()
        os.utime(stamp, (now, now))
    return removed

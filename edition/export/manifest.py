"""``exchange/MANIFEST.json``: every published file with its size and SHA-256.

Files are listed by path (relative to ``out/``, forward slashes, sorted), so
that two manifests of two versions compare line by line; :func:`compare`
says which files were added, removed or changed.  Hidden files and folders
(the build's lock and staging folders) and the manifest itself are left out.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..xmlio import write_atomic
from . import EXCHANGE_DIR, relative

if TYPE_CHECKING:
    from ..tei.header import EditionInfo

MANIFEST_FILE = "MANIFEST.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def published_files(out_dir: Path) -> list[Path]:
    """Every file of ``out_dir`` but hidden ones and the manifest, sorted by path."""
    manifest = out_dir / EXCHANGE_DIR / MANIFEST_FILE
    files = [p for p in out_dir.rglob("*") if p.is_file() and p != manifest
             and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)]
    return sorted(files, key=lambda p: relative(p, out_dir))


def build_manifest(out_dir: Path, info: EditionInfo) -> dict[str, object]:
    return {
        "edition": info.title,
        "version": info.version,
        "date": info.date,
        "files": [{"path": relative(p, out_dir), "bytes": p.stat().st_size, "sha256": sha256(p)}
                  for p in published_files(out_dir)],
    }


def write_manifest(out_dir: Path, info: EditionInfo) -> Path:
    """Write ``out_dir/exchange/MANIFEST.json`` (one file a line)."""
    manifest = build_manifest(out_dir, info)
    lines = [json.dumps(f, ensure_ascii=False) for f in manifest["files"]]
    head = {k: v for k, v in manifest.items() if k != "files"}
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "files": [\n' \
        + ",\n".join(lines) + "\n]}\n"
    target = out_dir / EXCHANGE_DIR / MANIFEST_FILE
    write_atomic(target, text)
    return target


def compare(old: dict[str, object], new: dict[str, object]) -> dict[str, list[str]]:
    """The paths added, removed and changed (other SHA-256) between two manifests."""
    before = {f["path"]: f["sha256"] for f in old.get("files", [])}
    after = {f["path"]: f["sha256"] for f in new.get("files", [])}
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(p for p in before.keys() & after.keys() if before[p] != after[p]),
    }

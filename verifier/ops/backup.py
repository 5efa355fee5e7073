"""SQLite backup and restore with the online backup API: consistent while the server writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _check(path: Path) -> None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if result != "ok":
        raise ValueError(f"{path} fails its integrity check: {result}")
    if "schema_migrations" not in tables:
        raise ValueError(f"{path} is not a hotline-verifier database")


def backup(source: Path, target: Path) -> int:
    """Copy `source` to `target` (a new file) page by page; returns the pages copied."""
    if not source.exists():
        raise ValueError(f"{source} does not exist")
    if target.exists():
        raise ValueError(f"{target} exists already; choose a new file")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)  # in steps, so a busy writer is never blocked for long
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
    finally:
        dst.close()
        src.close()
    _check(target)
    return int(pages)


def restore(backup_file: Path, target: Path) -> None:
    """Replace `target`'s contents with `backup_file`'s (the server must be stopped)."""
    _check(backup_file)
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    _check(target)

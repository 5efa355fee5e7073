"""Choosing a store from a database setting."""

from __future__ import annotations

from pathlib import Path

from registry.sqlite_db import SqliteDatabase
from registry.store import Store


def open_store(database: str) -> Store:
    """A (not yet opened) store for `database`: a SQLite path, or sqlite:///path."""
    if "://" in database and not database.startswith("sqlite://"):
        scheme = database.split("://", 1)[0]
        raise ValueError(f"unsupported database URL scheme {scheme!r} (use a path or sqlite:///path)")
    return Store(SqliteDatabase(Path(database.removeprefix("sqlite:///"))))

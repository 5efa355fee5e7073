"""Choosing a store from a database setting."""

from __future__ import annotations

from pathlib import Path

from registry.sqlite_db import SqliteDatabase
from registry.store import Store

POSTGRES_SCHEMES = ("postgresql", "postgres")


def open_store(database: str) -> Store:
    """A (not yet opened) store for `database`.

    * a plain path, or ``sqlite:///path`` (``sqlite:////absolute/path``): SQLite;
    * ``postgresql://user:password@host:port/dbname`` or ``postgres://...`` (query parameters
      such as ``?sslmode=require`` go to asyncpg): PostgreSQL.
    """
    if "://" not in database or database.startswith("sqlite://"):
        return Store(SqliteDatabase(Path(database.removeprefix("sqlite:///"))))
    scheme = database.split("://", 1)[0]
    if scheme.lower() in POSTGRES_SCHEMES:
        from registry.postgres_db import PostgresDatabase  # asyncpg is imported only when PostgreSQL is used

        return Store(PostgresDatabase(database))
    raise ValueError(f"unsupported database URL scheme {scheme!r} "
                     "(use a path, sqlite:///path, or postgresql://user@host:port/dbname)")

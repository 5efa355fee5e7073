"""A small database adapter, so the store's SQL is written once for every backend.

Queries use ``?`` placeholders and portable SQL (TEXT timestamps in ISO 8601, INTEGER
booleans, JSON in TEXT, ``RETURNING id``). An adapter runs them on its driver: SQLite
through aiosqlite (registry.sqlite_db). Driver errors are mapped to the store's
exceptions (registry.store) before they leave the adapter.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

Row = Mapping[str, Any]
Params = Sequence[Any]


class Executor(abc.ABC):
    """Runs statements: the database itself (each statement on its own) or one transaction."""

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else next(iter(row.values()))

    @abc.abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; returns the number of rows it changed."""

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...


class Database(Executor):
    backend: str  # the migrations folder name: "sqlite", "postgresql"

    @abc.abstractmethod
    async def connect(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractAsyncContextManager[Executor]:
        """One write transaction: committed durably when the block ends, rolled back on error."""

    @abc.abstractmethod
    async def run_script(self, tx: Executor, script: str) -> None:
        """Run a migration script inside `tx`."""


@contextlib.asynccontextmanager
async def nothing() -> AsyncIterator[None]:
    yield

"""A small database adapter, so the store's SQL is written once for every backend.

Queries use ``?`` placeholders and portable SQL (TEXT timestamps in ISO 8601, INTEGER
booleans, JSON in TEXT, ``RETURNING id``). An adapter runs them on its driver: SQLite
through aiosqlite (registry.sqlite_db), PostgreSQL through asyncpg (registry.postgres_db).
Driver errors are mapped to the store's exceptions (registry.store) before they leave the
adapter.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
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
        return None if row is None else row[0]

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

    async def write_returning(self, sql: str, params: Params = ()) -> list[Row]:
        """One write statement, atomically and durably on its own (committed when this returns,
        all of it or none), with the rows its RETURNING clause gives. Default: a transaction of
        its own; an adapter may do it more cheaply (SQLite: one trip to its thread, not six)."""
        async with self.transaction() as tx:
            return await tx.fetchall(sql, params)

    # -- change notifications between server processes ------------------------------------
    # Several processes serving one database keep in-memory snapshots (the registry, report
    # aggregates) in agreement by announcing changes on a channel. A backend that is only ever
    # served by one process (SQLite) has nobody to tell: the defaults do nothing, so callers
    # must update their own process directly and treat a notification as "someone, possibly
    # this very process, changed something: re-read it" (idempotent).

    shares_changes = False  # True where notify() reaches other processes

    async def notify(self, channel: str, payload: str, *, tx: Executor | None = None) -> None:
        """Announce `payload` on `channel` to every listener (in every process).

        With `tx` (an executor from `transaction()`), the notification is part of that
        transaction: delivered when it commits, never if it rolls back. Default: nothing.
        """

    async def listen(self, channel: str, callback: Callable[[str], None], *,
                     on_reconnect: Callable[[], None] | None = None) -> None:
        """Call `callback(payload)` for every notification on `channel` until `close()`.

        Callbacks run in the event loop and must be quick; one that returns an awaitable is
        run as a task. The notifying process hears its own notifications too.

        Returns once listening is in effect: a notify committed after it returns is delivered.
        Notifications sent while the listening connection was down are lost; `on_reconnect()`
        is called after it is back, so the caller can re-read what it keeps. Default: nothing.
        """


@contextlib.asynccontextmanager
async def nothing() -> AsyncIterator[None]:
    yield

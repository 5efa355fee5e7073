"""The SQLite adapter: aiosqlite, WAL, ``synchronous=FULL``.

Two connections: one writer, used by one transaction at a time (an asyncio lock), and one
reader, so reads never see another coroutine's uncommitted transaction. A write is
acknowledged only after COMMIT returns, and with ``synchronous=FULL`` that means on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import aiosqlite

from registry.db import Database, Executor, Params, Row
from registry.store.errors import Conflict, StoreUnavailable

_UNAVAILABLE = ("readonly", "read-only", "disk is full", "disk i/o", "locked", "unable to open", "no such table")
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000")


def map_error(exc: sqlite3.Error) -> Exception:
    if isinstance(exc, sqlite3.IntegrityError):
        return Conflict(str(exc))
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(m in text for m in _UNAVAILABLE):
        return StoreUnavailable(str(exc))
    return exc


class _Connection(Executor):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            async with self.connection.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())  # type: ignore[arg-type]
        except sqlite3.Error as exc:
            raise map_error(exc) from exc

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            async with self.connection.execute(sql, tuple(params)) as cursor:
                return cursor.rowcount
        except sqlite3.Error as exc:
            raise map_error(exc) from exc

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        try:
            await self.connection.executemany(sql, [tuple(row) for row in rows])
        except sqlite3.Error as exc:
            raise map_error(exc) from exc


class SqliteDatabase(Database):
    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._writer: _Connection | None = None
        self._reader: _Connection | None = None
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            writer = await aiosqlite.connect(self.path, isolation_level=None)
            reader = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise map_error(exc) from exc
        for connection in (writer, reader):
            connection.row_factory = sqlite3.Row
            for pragma in PRAGMAS:
                await connection.execute(pragma)
        self._writer, self._reader = _Connection(writer), _Connection(reader)

    async def close(self) -> None:
        for connection in (self._reader, self._writer):
            if connection is not None:
                await connection.connection.close()
        self._reader = self._writer = None

    @property
    def reader(self) -> _Connection:
        if self._reader is None:
            raise RuntimeError("database is not connected")
        return self._reader

    @property
    def writer(self) -> _Connection:
        if self._writer is None:
            raise RuntimeError("database is not connected")
        return self._writer

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await self.reader.fetchall(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        async with self._lock:
            writer = self.writer
            await writer.execute("BEGIN IMMEDIATE")
            try:
                yield writer
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    await writer.connection.execute("ROLLBACK")
                raise
            try:
                await writer.connection.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    await writer.connection.execute("ROLLBACK")
                raise map_error(exc) from exc

    async def write_returning(self, sql: str, params: Params = ()) -> list[Row]:
        # The writer runs in autocommit mode (isolation_level=None), so a statement outside
        # BEGIN is a transaction of its own, committed (synchronous=FULL: on disk) before its
        # results come back; holding the lock keeps it out of another coroutine's transaction.
        async with self._lock:
            try:
                return list(await self.writer.connection.execute_fetchall(sql, tuple(params)))  # type: ignore[arg-type]
            except sqlite3.Error as exc:
                raise map_error(exc) from exc

    async def run_script(self, tx: Executor, script: str) -> None:
        for statement in split_statements(script):
            await tx.execute(statement)

    async def backup(self, target: Path) -> None:
        """An online, consistent copy of the database while it serves."""
        async with self._lock:
            destination = await aiosqlite.connect(target)
            try:
                await self.writer.connection.backup(destination)
            finally:
                await destination.close()


def split_statements(script: str) -> list[str]:
    """A migration file's statements (comment lines dropped; triggers kept whole)."""
    statements, buffer = [], []
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        buffer.append(line)
        candidate = "\n".join(buffer)
        if stripped.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate.strip())
            buffer = []
    if buffer:
        statements.append("\n".join(buffer).strip())
    return statements

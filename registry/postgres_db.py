"""The PostgreSQL adapter: asyncpg with a connection pool, running the store's portable SQL.

The store's SQL is written once with ``?`` placeholders; they become ``$1..$n`` here (the
conversion is cached). Rows are asyncpg Records: ``row["col"]``, ``dict(row)`` and
``row.values()`` behave as the SQLite adapter's rows do. The schema keeps SQLite's types
(TEXT timestamps and JSON, INTEGER 0/1 flags), so values come back as the same Python types;
``EXISTS (...)`` yields a bool and ``COUNT(*)`` an int.

Transactions: each ``transaction()`` holds one pooled connection inside ``BEGIN ... COMMIT``.
A write is acknowledged when COMMIT returns, which with PostgreSQL's default
``synchronous_commit=on`` means the WAL is flushed (a warning is logged at connect if the
server has it off). Statements outside a transaction run on the pool, each committed on its
own.

Writers are serialized by default (``serialize_writes``): every transaction first takes one
transaction-scoped advisory lock, across all processes using the database — the same
guarantee as SQLite's single ``BEGIN IMMEDIATE`` writer. Within one process writers queue on
an asyncio lock before taking a pool connection, so a burst of writes never occupies the
connections that reads need. The store's transactions check then
act (``SELECT`` the row, then ``UPDATE`` it) and rely on that; under plain READ COMMITTED two
processes could, for instance, both decide the same pending report. Waiting longer than
``write_lock_timeout`` for the lock raises StoreUnavailable, like SQLite's busy timeout.

Driver errors map to the store's: integrity violations (unique, foreign key, check, not null,
and the audit log's append-only trigger) to Conflict; a lost or refused connection, a
read-only transaction, a full disk, too many connections, lock timeouts and serialization
failures to StoreUnavailable.

Notifications: ``notify`` is ``pg_notify`` (inside a transaction when given one: delivered at
commit); ``listen`` runs on one dedicated connection per database object, which is
re-established with backoff when it drops, and stopped by ``close()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import asyncpg

from registry.db import Database, Executor, Params, Row, nothing
from registry.store.errors import Conflict, StoreUnavailable

log = logging.getLogger(__name__)

APPLICATION_NAME = "hotline-verifier"
LISTENER_APPLICATION_NAME = "hotline-verifier-listener"
WRITE_LOCK_KEY = 0x68765F7772697465  # "hv_write": the advisory lock every write transaction takes
NOTIFY_PAYLOAD_MAX_BYTES = 7999  # PostgreSQL refuses payloads of 8000 bytes and more

_DRIVER_ERRORS: tuple[type[BaseException], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError,
                                                   asyncpg.InternalClientError, OSError)
_UNAVAILABLE_TYPES: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # 08: connection lost, refused, does not exist
    asyncpg.InsufficientResourcesError,  # 53: disk full, out of memory, too many connections
    asyncpg.OperatorInterventionError,  # 57: shutdown, crash recovery, cannot connect now, cancelled
    asyncpg.exceptions.PostgresSystemError,  # 58: I/O errors
    asyncpg.ReadOnlySQLTransactionError,  # 25006: a read-only transaction (standby, read-only mode)
    asyncpg.LockNotAvailableError,  # 55P03: lock_timeout (the writer lock is busy)
    asyncpg.TransactionRollbackError,  # 40: serialization failure, deadlock
    asyncpg.InvalidCatalogNameError,  # 3D000: the database does not exist (any more)
    OSError,  # refused, unreachable, reset; TimeoutError is an OSError
)
_UNAVAILABLE_TEXT = ("read-only transaction", "too many connections", "disk full", "no space left",
                     "connection is closed", "connection was closed", "the database system is",
                     "released back to the pool")  # the pool takes back a connection the server closed


def map_error(exc: BaseException) -> BaseException:
    """The store's exception for a driver error (or `exc` itself when it is not one of ours)."""
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError | asyncpg.RaiseError):
        return Conflict(str(exc))
    if isinstance(exc, _UNAVAILABLE_TYPES):
        return StoreUnavailable(str(exc) or type(exc).__name__)
    if isinstance(exc, asyncpg.InternalClientError):  # the driver lost track of the session (it was cut off)
        return StoreUnavailable(f"the database connection broke: {exc}")
    if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError):
        text = str(exc).lower()
        if any(marker in text for marker in _UNAVAILABLE_TEXT):
            return StoreUnavailable(str(exc))
    return exc


@contextlib.contextmanager
def errors_mapped() -> Iterator[None]:
    try:
        yield
    except _DRIVER_ERRORS as exc:
        mapped = map_error(exc)
        if mapped is exc:
            raise
        raise mapped from exc


@functools.lru_cache(maxsize=2048)
def convert_placeholders(sql: str) -> str:
    """``?`` placeholders to ``$1..$n``; a ``?`` inside quotes or a comment is left alone."""
    out: list[str] = []
    number = 0
    i, length = 0, len(sql)
    while i < length:
        char = sql[i]
        if char in "'\"":  # a string literal or quoted identifier ('' and "" escapes pair up)
            end = sql.find(char, i + 1)
            end = length - 1 if end < 0 else end
            out.append(sql[i:end + 1])
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = length if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = length if end < 0 else end + 2
            out.append(sql[i:end])
            i = end
        elif char == "?":
            number += 1
            out.append(f"${number}")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def rows_changed(status: str) -> int:
    """The row count of a command status ("INSERT 0 3", "UPDATE 2", "DELETE 0"); 0 when it has none."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def redacted(url: str) -> str:
    """`url` without its password, for logs and errors."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class _Connection(Executor):
    """One connection: a transaction's executor."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with errors_mapped():
            return list(await self.connection.fetch(convert_placeholders(sql), *params))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with errors_mapped():
            return await self.connection.fetchrow(convert_placeholders(sql), *params)  # type: ignore[no-any-return]

    async def execute(self, sql: str, params: Params = ()) -> int:
        with errors_mapped():
            return rows_changed(await self.connection.execute(convert_placeholders(sql), *params))

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with errors_mapped():
            await self.connection.executemany(convert_placeholders(sql), [tuple(row) for row in rows])


class PostgresDatabase(Database):
    backend = "postgresql"
    shares_changes = True

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10, serialize_writes: bool = True,
                 write_lock_timeout: float = 5.0, connect_timeout: float = 10.0, close_timeout: float = 10.0,
                 listen_backoff: tuple[float, float] = (0.1, 10.0), listen_check_interval: float = 30.0) -> None:
        self.url = url
        self.min_size, self.max_size = min_size, max_size
        self.serialize_writes = serialize_writes
        self.write_lock_timeout = write_lock_timeout
        self.connect_timeout = connect_timeout
        self.close_timeout = close_timeout
        self.listen_backoff = listen_backoff
        self.listen_check_interval = listen_check_interval
        self._pool: asyncpg.Pool | None = None
        self._listener: _Listener | None = None
        self._writer_turn = asyncio.Lock()  # writers of this process queue here, not holding pool connections
        self._begin_writes = (f"SET LOCAL lock_timeout = {int(write_lock_timeout * 1000)};"
                              f" SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def __repr__(self) -> str:
        return f"PostgresDatabase({redacted(self.url)!r})"

    def connect_options(self, application_name: str = APPLICATION_NAME) -> dict[str, Any]:
        return {"timeout": self.connect_timeout, "server_settings": {"application_name": application_name}}

    async def connect(self) -> None:
        with errors_mapped():
            pool = await asyncpg.create_pool(self.url, min_size=self.min_size, max_size=self.max_size,
                                             **self.connect_options())
        self._pool = pool
        try:
            setting = await self.fetchval("SELECT current_setting('synchronous_commit') AS setting")
        except BaseException:
            await self.close()
            raise
        if setting in ("off", "local"):
            log.warning("synchronous_commit is %r on %s: a commit may be acknowledged before it is durable",
                        setting, redacted(self.url))

    async def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.close()
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), self.close_timeout)
            except TimeoutError:
                log.warning("connections still in use after %.0fs; terminating them", self.close_timeout)
                pool.terminate()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not connected")
        return self._pool

    # -- statements on the pool, each committed on its own -------------------------------------
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with errors_mapped():
            return list(await self.pool.fetch(convert_placeholders(sql), *params))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with errors_mapped():
            return await self.pool.fetchrow(convert_placeholders(sql), *params)  # type: ignore[no-any-return]

    async def execute(self, sql: str, params: Params = ()) -> int:
        with errors_mapped():
            return rows_changed(await self.pool.execute(convert_placeholders(sql), *params))

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with errors_mapped():  # atomic: all rows or none
            await self.pool.executemany(convert_placeholders(sql), [tuple(row) for row in rows])

    # -- transactions --------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _acquire(self) -> AsyncIterator[asyncpg.Connection]:
        pool = self.pool
        with errors_mapped():
            connection = await pool.acquire(timeout=self.connect_timeout)
        try:
            yield connection
        finally:
            try:
                await pool.release(connection)
            except _DRIVER_ERRORS as exc:  # a broken connection is dropped by the pool
                log.debug("releasing a broken connection: %s", exc)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        async with self._writer_turn if self.serialize_writes else nothing(), self._acquire() as connection:
            transaction = connection.transaction()
            with errors_mapped():
                await transaction.start()
            try:
                if self.serialize_writes:
                    with errors_mapped():
                        await connection.execute(self._begin_writes)
                yield _Connection(connection)
            except BaseException:
                try:
                    await transaction.rollback()
                except _DRIVER_ERRORS:  # the connection is broken: make sure the pool does not reuse it
                    with contextlib.suppress(*_DRIVER_ERRORS):
                        connection.terminate()
                raise
            try:
                with errors_mapped():
                    await transaction.commit()
            except StoreUnavailable:  # the outcome of the COMMIT is unknown; the connection is not reused
                with contextlib.suppress(*_DRIVER_ERRORS):
                    connection.terminate()
                raise

    async def run_script(self, tx: Executor, script: str) -> None:
        """Run a whole migration file (several statements, PL/pgSQL bodies) inside `tx`."""
        if not isinstance(tx, _Connection):
            raise TypeError("run_script needs an executor from PostgresDatabase.transaction()")
        with errors_mapped():
            await tx.connection.execute(script)

    # -- notifications ---------------------------------------------------------------------------
    async def notify(self, channel: str, payload: str, *, tx: Executor | None = None) -> None:
        if len(payload.encode()) > NOTIFY_PAYLOAD_MAX_BYTES:
            raise ValueError("a notification payload must be under 8000 bytes; send an id to re-read instead")
        executor = tx if tx is not None else self
        await executor.execute("SELECT pg_notify(?, ?)", (channel, payload))

    async def listen(self, channel: str, callback: Callable[[str], None], *,
                     on_reconnect: Callable[[], None] | None = None) -> None:
        if self._listener is None:
            self._listener = _Listener(self)
        await self._listener.listen(channel, callback, on_reconnect)


class _Listener:
    """One dedicated connection LISTENing on every channel asked for, kept alive.

    A termination callback (or a failed liveness check every `listen_check_interval`
    seconds) marks the connection lost; the supervisor task then reconnects with exponential
    backoff, LISTENs again on every channel, and calls the on_reconnect hooks.
    """

    def __init__(self, db: PostgresDatabase) -> None:
        self.db = db
        self.callbacks: dict[str, list[Callable[[str], Any]]] = {}
        self.on_reconnect: list[Callable[[], Any]] = []
        self.connection: asyncpg.Connection | None = None
        self.supervisor: asyncio.Task[None] | None = None
        self.lost = asyncio.Event()
        self.closed = False
        self.lock = asyncio.Lock()
        self.pending: set[asyncio.Future[Any]] = set()

    async def listen(self, channel: str, callback: Callable[[str], Any],
                     on_reconnect: Callable[[], Any] | None) -> None:
        async with self.lock:
            if self.closed:
                raise RuntimeError("database is closed")
            new_channel = channel not in self.callbacks
            self.callbacks.setdefault(channel, []).append(callback)
            if on_reconnect is not None:
                self.on_reconnect.append(on_reconnect)
            try:
                if self.supervisor is None:  # first use: connect now, so failures are seen by the caller
                    await self._connect()
                    self.supervisor = asyncio.create_task(self._supervise(), name="postgres-listener")
                elif new_channel and self.connection is not None and not self.lost.is_set():
                    with errors_mapped():
                        await self.connection.add_listener(channel, self._dispatch)
                # else: the supervisor is reconnecting and will LISTEN on every channel
            except BaseException:
                self.callbacks[channel].remove(callback)
                if not self.callbacks[channel]:
                    del self.callbacks[channel]
                if on_reconnect is not None:
                    self.on_reconnect.remove(on_reconnect)
                raise

    async def _connect(self) -> None:
        with errors_mapped():
            connection = await asyncpg.connect(self.db.url, **self.db.connect_options(LISTENER_APPLICATION_NAME))
        try:
            self.lost.clear()
            connection.add_termination_listener(self._terminated)
            with errors_mapped():
                for channel in self.callbacks:
                    await connection.add_listener(channel, self._dispatch)
        except BaseException:
            connection.terminate()
            raise
        self.connection = connection

    def _terminated(self, connection: asyncpg.Connection) -> None:
        if connection is self.connection:
            self.lost.set()

    def _dispatch(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        for callback in list(self.callbacks.get(channel, ())):
            self._call(callback, payload)

    def _call(self, callback: Callable[..., Any], *args: Any) -> None:
        try:
            result = callback(*args)
        except Exception:
            log.exception("a notification callback failed")
            return
        if inspect.isawaitable(result):  # an async callback: run it, keep it referenced, log failures
            future = asyncio.ensure_future(result)
            self.pending.add(future)
            future.add_done_callback(self._finished)

    def _finished(self, future: asyncio.Future[Any]) -> None:
        self.pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("a notification callback failed", exc_info=future.exception())

    async def _alive(self) -> bool:
        connection = self.connection
        if connection is None or connection.is_closed():
            return False
        try:
            await asyncio.wait_for(connection.execute("SELECT 1"), self.db.connect_timeout)
        except Exception:  # noqa: BLE001  (any failure means: reconnect)
            return False
        return True

    async def _supervise(self) -> None:
        low, high = self.db.listen_backoff
        while not self.closed:
            try:
                await asyncio.wait_for(self.lost.wait(), self.db.listen_check_interval)
            except TimeoutError:
                if await self._alive():
                    continue
            log.warning("lost the notification connection to %s; reconnecting", redacted(self.db.url))
            self._drop_connection()
            delay = low
            while not self.closed:
                try:
                    async with self.lock:
                        await self._connect()
                except Exception as exc:  # noqa: BLE001  (whatever stops a reconnect, try again later)
                    log.warning("reconnecting the notification connection failed (%s); retrying in %.1fs", exc,
                                delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, high)
                    continue
                log.info("notification connection to %s re-established", redacted(self.db.url))
                for hook in list(self.on_reconnect):
                    self._call(hook)
                break

    def _drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.terminate()

    async def close(self) -> None:
        self.closed = True
        if self.supervisor is not None:
            self.supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.supervisor
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                await asyncio.wait_for(connection.close(), self.db.close_timeout)
            except (*_DRIVER_ERRORS, TimeoutError):
                connection.terminate()
        for future in list(self.pending):
            future.cancel()
        if self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)

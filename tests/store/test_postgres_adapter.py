"""What only the PostgreSQL adapter does: placeholders, error mapping on a real server, the writer
lock, and LISTEN/NOTIFY with its reconnecting listener. The store's behaviour itself is the
contract suite's (tests/store/contract/), run on both backends."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from registry.backends import open_store
from registry.postgres_db import (
    LISTENER_APPLICATION_NAME,
    PostgresDatabase,
    convert_placeholders,
    redacted,
    rows_changed,
)
from registry.records import Page
from registry.sqlite_db import SqliteDatabase
from registry.store import Conflict, Store, StoreUnavailable
from tests.pg import PostgresCluster, free_port
from tests.store.conftest import new_report

OpenDb = Callable[..., Awaitable[PostgresDatabase]]


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


@pytest.fixture
async def open_db(postgres_url: str) -> AsyncIterator[OpenDb]:
    """Connects PostgresDatabase objects to the test's database (each stands for a server process)."""
    opened: list[PostgresDatabase] = []

    async def open_(**options: object) -> PostgresDatabase:
        db = PostgresDatabase(postgres_url, **options)  # type: ignore[arg-type]
        await db.connect()
        opened.append(db)
        return db

    yield open_
    for db in opened:
        await db.close()


@pytest.fixture
async def pg_store(postgres_url: str) -> AsyncIterator[Store]:
    store = open_store(postgres_url)
    await store.open()
    yield store
    await store.close()


async def backends_of(cluster: PostgresCluster, url: str, application: str) -> list[int]:
    rows = await cluster.admin_fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
                                     database_name(url), application)
    return [row["pid"] for row in rows]


# -- SQL and settings -------------------------------------------------------------------------------------

def test_placeholders_become_numbered_parameters() -> None:
    assert convert_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == \
        "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"
    assert convert_placeholders("SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE a = ?") == \
        "SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE a = $1"
    assert convert_placeholders("SELECT ? -- why?\n, /* what? */ ?") == "SELECT $1 -- why?\n, /* what? */ $2"
    assert convert_placeholders("SELECT 1") == "SELECT 1"


def test_placeholder_conversions_are_cached() -> None:
    sql = "SELECT name FROM users WHERE id = ? -- cached"
    convert_placeholders(sql)
    hits = convert_placeholders.cache_info().hits
    convert_placeholders(sql)
    assert convert_placeholders.cache_info().hits == hits + 1


def test_command_statuses_give_the_rows_changed() -> None:
    assert [rows_changed(s) for s in ("INSERT 0 3", "UPDATE 2", "DELETE 0", "SELECT 5", "CREATE TABLE")] == \
        [3, 2, 0, 5, 0]


def test_passwords_are_kept_out_of_logs() -> None:
    url = "postgresql://verifier:s3cret@db.internal:5432/verifier"
    assert redacted(url) == "postgresql://verifier:***@db.internal:5432/verifier"
    assert "s3cret" not in repr(PostgresDatabase(url))
    assert redacted("postgresql://verifier@db/verifier") == "postgresql://verifier@db/verifier"


def test_the_database_setting_picks_the_backend(tmp_path: Path) -> None:
    for url in ("postgresql://verifier@db:5432/verifier", "postgres://verifier@db/verifier",
                "POSTGRESQL://verifier@db/verifier"):
        db = open_store(url).db
        assert isinstance(db, PostgresDatabase) and db.url == url and db.backend == "postgresql"
    for setting, path in ((str(tmp_path / "a.sqlite3"), tmp_path / "a.sqlite3"),
                          (f"sqlite:///{tmp_path}/b.sqlite3", tmp_path / "b.sqlite3"),
                          ("sqlite:///relative.sqlite3", Path("relative.sqlite3"))):
        db = open_store(setting).db
        assert isinstance(db, SqliteDatabase) and db.path == path
    with pytest.raises(ValueError, match="'mysql'"):
        open_store("mysql://root@db/verifier")


# -- errors from a real server ----------------------------------------------------------------------------------

async def test_a_read_only_database_refuses_writes_as_unavailable(
        pg_store: Store, postgres_cluster: PostgresCluster, postgres_url: str) -> None:
    await pg_store.add_reports([new_report("CN:13800000001")])
    await postgres_cluster.admin(f'ALTER DATABASE "{database_name(postgres_url)}"'
                                 " SET default_transaction_read_only = on")
    assert isinstance(pg_store.db, PostgresDatabase)
    await pg_store.db.pool.expire_connections()  # new sessions are read-only
    with pytest.raises(StoreUnavailable, match="read-only transaction"):
        await pg_store.add_reports([new_report("CN:13800000001")])
    with pytest.raises(StoreUnavailable, match="read-only transaction"):
        await pg_store.delete_session("token")
    assert await pg_store.report_counts() == {"pending": 1}  # reads still work


async def test_a_connection_lost_mid_transaction_is_unavailable_and_the_next_one_works(
        pg_store: Store, postgres_cluster: PostgresCluster) -> None:
    with pytest.raises(StoreUnavailable):
        async with pg_store.db.transaction() as tx:
            row = await tx.fetchone("SELECT pg_backend_pid() AS pid")
            assert row is not None
            await postgres_cluster.admin("SELECT pg_terminate_backend($1)", row["pid"])
            await tx.execute("INSERT INTO audit_log (at, actor, action, target_type, target_id)"
                             " VALUES (?, ?, ?, ?, ?)", ("2024-01-01T00:00:00+00:00", "x", "y", "z", "1"))
    [report] = await pg_store.add_reports([new_report("CN:13800000001")])
    assert (await pg_store.get_report(report.id)).id == report.id


async def test_an_unreachable_server_is_unavailable() -> None:
    db = PostgresDatabase(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing", connect_timeout=5)
    with pytest.raises(StoreUnavailable):
        await db.connect()
    await db.close()


async def test_a_missing_database_is_unavailable(postgres_cluster: PostgresCluster) -> None:
    store = open_store(postgres_cluster.url("no_such_database"))
    with pytest.raises(StoreUnavailable, match="does not exist"):
        await store.open()
    await store.close()


async def test_too_many_connections_is_unavailable(postgres_cluster: PostgresCluster, postgres_url: str) -> None:
    role = f"limited_{database_name(postgres_url)}"
    await postgres_cluster.admin(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
    try:
        store = open_store(postgres_cluster.url(database_name(postgres_url), user=role))
        with pytest.raises(StoreUnavailable, match="too many connections"):
            await store.open()
        await store.close()
    finally:
        await postgres_cluster.admin(f'DROP ROLE "{role}"')


async def test_truncating_the_audit_log_is_refused(pg_store: Store) -> None:
    await pg_store.add_api_key("partner", "hash", "hv_1", 60, actor="admin")
    with pytest.raises(Conflict, match="append-only"):
        await pg_store.db.execute("TRUNCATE audit_log")
    assert len(await pg_store.list_audit(Page())) == 1


async def test_a_server_that_acknowledges_commits_early_is_warned_about(
        open_db: OpenDb, postgres_cluster: PostgresCluster, postgres_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    await postgres_cluster.admin(f'ALTER DATABASE "{database_name(postgres_url)}" SET synchronous_commit = off')
    with caplog.at_level(logging.WARNING, logger="registry.postgres_db"):
        await open_db()
    assert "synchronous_commit is 'off'" in caplog.text


# -- transactions and the writer lock ---------------------------------------------------------------------------

async def test_a_write_waiting_too_long_for_the_writer_lock_is_unavailable(open_db: OpenDb) -> None:
    holder = await open_db()
    waiter = await open_db(write_lock_timeout=0.2)
    async with holder.transaction():
        with pytest.raises(StoreUnavailable, match="lock timeout"):
            async with waiter.transaction() as tx:
                await tx.execute("SELECT 1")
    async with waiter.transaction() as tx:
        assert await tx.fetchval("SELECT 1 AS one") == 1


async def test_queued_writers_leave_the_pool_to_readers(open_db: OpenDb) -> None:
    db = await open_db(min_size=1, max_size=2)
    store = Store(db)
    await store._migrate()
    release = asyncio.Event()

    async def slow_writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("UPDATE api_keys SET usage_count = usage_count + 1")
            await release.wait()

    holder = asyncio.create_task(slow_writer())
    await asyncio.sleep(0.05)
    writers = [asyncio.create_task(store.add_reports([new_report("CN:13800000001")])) for _ in range(10)]
    await asyncio.sleep(0.1)
    assert await asyncio.wait_for(store.report_counts(), 1.0) == {}  # a read gets a connection meanwhile
    release.set()
    await holder
    await asyncio.gather(*writers)
    assert await store.report_counts() == {"pending": 10}


async def test_without_write_serialization_transactions_run_side_by_side(open_db: OpenDb) -> None:
    one = await open_db(serialize_writes=False)
    two = await open_db(serialize_writes=False, write_lock_timeout=0.2)
    async with one.transaction() as a, two.transaction() as b:
        assert await a.fetchval("SELECT 1 AS one") == await b.fetchval("SELECT 2 AS two") - 1


async def test_a_migration_script_runs_only_inside_its_own_transaction(open_db: OpenDb) -> None:
    db = await open_db()
    async with db.transaction() as tx:
        await db.run_script(tx, "CREATE TABLE a (x INTEGER);\n"
                                "CREATE FUNCTION f() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;")
    assert await db.fetchval("SELECT f() AS f") == 1
    with pytest.raises(TypeError):
        await db.run_script(db, "SELECT 1")


async def test_closing_returns_every_connection(
        postgres_cluster: PostgresCluster, postgres_url: str) -> None:
    db = PostgresDatabase(postgres_url, min_size=3)
    await db.connect()
    await db.listen("anything", lambda payload: None)
    assert len(await backends_of(postgres_cluster, postgres_url, "hotline-verifier")) == 3
    assert len(await backends_of(postgres_cluster, postgres_url, LISTENER_APPLICATION_NAME)) == 1
    await db.close()
    await db.close()  # twice is harmless
    for _ in range(50):  # a closed backend leaves pg_stat_activity a moment later
        if not await backends_of(postgres_cluster, postgres_url, "hotline-verifier") + \
                await backends_of(postgres_cluster, postgres_url, LISTENER_APPLICATION_NAME):
            break
        await asyncio.sleep(0.02)
    else:
        pytest.fail("connections were left open")


# -- LISTEN / NOTIFY ------------------------------------------------------------------------------------------------

class Inbox:
    def __init__(self) -> None:
        self.payloads: list[str] = []
        self.arrived = asyncio.Event()

    def __call__(self, payload: str) -> None:
        self.payloads.append(payload)
        self.arrived.set()

    async def next(self, timeout: float = 1.0) -> str:
        await asyncio.wait_for(self.arrived.wait(), timeout)
        self.arrived.clear()
        return self.payloads[-1]


async def test_a_notification_in_a_transaction_arrives_when_it_commits_and_never_if_it_rolls_back(
        open_db: OpenDb) -> None:
    sender, receiver = await open_db(), await open_db()
    inbox = Inbox()
    await receiver.listen("reports", inbox)
    with pytest.raises(RuntimeError):
        async with sender.transaction() as tx:
            await sender.notify("reports", "rolled back", tx=tx)
            raise RuntimeError("abandon")
    async with sender.transaction() as tx:
        await sender.notify("reports", "committed", tx=tx)
        await asyncio.sleep(0.2)
        assert inbox.payloads == []  # not before COMMIT
    assert await inbox.next() == "committed"
    assert inbox.payloads == ["committed"]


async def test_notifications_reach_every_listener_of_their_channel_only(open_db: OpenDb) -> None:
    db = await open_db()
    first, second, other = Inbox(), Inbox(), Inbox()
    await db.listen("registry", first)
    await db.listen("registry", second)
    await db.listen("Registry", other)  # channel names are case-sensitive
    await db.notify("registry", "demo-bank")
    assert (await first.next(), await second.next()) == ("demo-bank", "demo-bank")
    await asyncio.sleep(0.1)
    assert other.payloads == []


async def test_a_failing_callback_is_logged_and_async_callbacks_are_awaited(
        open_db: OpenDb, caplog: pytest.LogCaptureFixture) -> None:
    db = await open_db()
    done = asyncio.Event()

    def broken(payload: str) -> None:
        raise ValueError("bad callback")

    async def reload(payload: str) -> None:
        await asyncio.sleep(0)
        done.set()

    await db.listen("registry", broken)
    await db.listen("registry", reload)
    with caplog.at_level(logging.ERROR, logger="registry.postgres_db"):
        await db.notify("registry", "x")
        await asyncio.wait_for(done.wait(), 1)
    assert "a notification callback failed" in caplog.text and "bad callback" in caplog.text


async def test_an_oversized_payload_is_refused_before_it_is_sent(open_db: OpenDb) -> None:
    db = await open_db()
    with pytest.raises(ValueError, match="8000 bytes"):
        await db.notify("registry", "号" * 3000)


async def test_the_listener_comes_back_after_its_connection_is_killed(
        postgres_cluster: PostgresCluster, postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    listener = PostgresDatabase(postgres_url, listen_backoff=(0.05, 0.2))
    sender = PostgresDatabase(postgres_url)
    await listener.connect()
    await sender.connect()
    try:
        inbox, reconnected = Inbox(), asyncio.Event()
        await listener.listen("registry", inbox, on_reconnect=reconnected.set)
        name = database_name(postgres_url)
        with caplog.at_level(logging.INFO, logger="registry.postgres_db"):
            await postgres_cluster.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            [pid] = await backends_of(postgres_cluster, postgres_url, LISTENER_APPLICATION_NAME)
            await postgres_cluster.admin("SELECT pg_terminate_backend($1)", pid)
            await asyncio.sleep(0.5)  # reconnecting fails meanwhile, with backoff
            assert not reconnected.is_set()
            await postgres_cluster.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await asyncio.wait_for(reconnected.wait(), 5)
        assert "lost the notification connection" in caplog.text
        assert "retrying in" in caplog.text
        assert "re-established" in caplog.text
        await sender.notify("registry", "after the outage")
        assert await inbox.next() == "after the outage"
    finally:
        await listener.close()
        await sender.close()


async def test_closing_stops_the_listener(open_db: OpenDb) -> None:
    db = await open_db()
    await db.listen("registry", Inbox())
    listener = db._listener
    assert listener is not None and listener.supervisor is not None
    supervisor = listener.supervisor
    await db.close()
    assert supervisor.done() and listener.connection is None
    with pytest.raises(RuntimeError):
        await listener.listen("registry", Inbox(), None)


async def test_listening_on_an_unreachable_server_fails_at_once() -> None:
    db = PostgresDatabase(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing", connect_timeout=5)
    with pytest.raises(StoreUnavailable):
        await db.listen("registry", Inbox())
    await db.close()


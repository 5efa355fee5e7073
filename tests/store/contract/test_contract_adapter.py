"""The store's contract, the database adapter beneath it: rows, row counts, transactions,
constraint violations as conflicts, lone writes, batches, notifications and pings."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from registry.backends import open_store
from registry.records import Role
from registry.store import Conflict, Store
from tests.store.conftest import MakeStore, new_report
from tests.store.contract.conftest import count


async def test_rows_read_like_mappings(store: Store) -> None:
    await store.add_user("ada", "hash", Role.admin, actor="test")
    row = await store.db.fetchone("SELECT id, username, disabled FROM users WHERE username = ?", ("ada",))
    assert row is not None
    assert row["username"] == "ada"
    assert dict(row) == {"id": row["id"], "username": "ada", "disabled": 0}
    assert await store.db.fetchone("SELECT id FROM users WHERE username = ?", ("nobody",)) is None
    flags = await store.db.fetchone("SELECT EXISTS (SELECT 1 FROM users) AS any_user, COUNT(*) AS n FROM users")
    assert flags is not None and bool(flags["any_user"]) is True and flags["n"] == 1


async def test_execute_returns_the_number_of_rows_changed(store: Store) -> None:
    for name in ("a", "b", "c"):
        await store.add_user(name, "hash", Role.moderator, actor="test")
    assert await store.db.execute("UPDATE users SET role = ? WHERE username <> ?", ("admin", "a")) == 2
    assert await store.db.execute("DELETE FROM users WHERE username = ?", ("nobody",)) == 0
    async with store.db.transaction() as tx:
        assert await tx.execute("UPDATE users SET disabled = 1") == 3


async def test_a_failing_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.db.transaction() as tx:
            await tx.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                             ("ghost", "hash", "admin", "2024-01-01T00:00:00+00:00"))
            seen = await tx.fetchone("SELECT COUNT(*) AS n FROM users")
            assert seen is not None and seen["n"] == 1  # its own writes are visible
            raise RuntimeError("boom")
    assert await count(store, "SELECT COUNT(*) AS n FROM users") == 0


async def test_reads_outside_a_transaction_never_see_its_uncommitted_writes(store: Store) -> None:
    async with store.db.transaction() as tx:
        await tx.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                         ("eve", "hash", "admin", "2024-01-01T00:00:00+00:00"))
        assert await store.user_credentials("eve") is None
    assert await store.user_credentials("eve") is not None


async def test_constraint_violations_are_conflicts(store: Store) -> None:
    user = await store.add_user("ada", "hash", Role.admin, actor="test")
    insert_user = "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
    with pytest.raises(Conflict):  # unique
        await store.db.execute(insert_user, ("ada", "hash", "admin", "2024-01-01T00:00:00+00:00"))
    with pytest.raises(Conflict):  # not null
        await store.db.execute(insert_user, ("bob", None, "admin", "2024-01-01T00:00:00+00:00"))
    with pytest.raises(Conflict):  # foreign key
        await store.add_session("token", user.id + 1000, "api", dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    with pytest.raises(Conflict):  # check
        async with store.db.transaction() as tx:
            await tx.execute("CREATE TABLE checked (n INTEGER NOT NULL CHECK (n > 0))")
            await tx.execute("INSERT INTO checked (n) VALUES (?)", (-1,))
    assert [u.username for u in await store.list_users()] == ["ada"]


async def test_executemany_outside_a_transaction_is_all_or_nothing(store: Store) -> None:
    key = await store.add_api_key("partner", "hash-1", "hv_1", 60, actor="test")
    with pytest.raises(Conflict):
        await store.db.executemany("INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at)"
                                   " VALUES (?, ?, ?, ?, ?)",
                                   [("second", "hash-2", "hv_2", 60, "2024-01-01T00:00:00+00:00"),
                                    ("third", "hash-1", "hv_3", 60, "2024-01-01T00:00:00+00:00")])
    assert [k.id for k in await store.list_api_keys()] == [key.id]


async def test_a_lone_write_with_returning_is_all_or_nothing_and_returns_its_rows(store: Store) -> None:
    insert = ("INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at)"
              " VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) RETURNING id, name")
    when = "2024-01-01T00:00:00+00:00"
    rows = await store.db.write_returning(insert, ("a", "hash-a", "hv_a", 60, when, "b", "hash-b", "hv_b", 60, when))
    assert [row["name"] for row in rows] == ["a", "b"]
    with pytest.raises(Conflict):  # the second row clashes with "a": neither is kept
        await store.db.write_returning(insert, ("c", "hash-c", "hv_c", 60, when, "d", "hash-a", "hv_d", 60, when))
    assert sorted(k.name for k in await store.list_api_keys()) == ["a", "b"]


async def test_a_lone_write_waits_for_a_transaction_in_flight_and_is_not_rolled_back_with_it(store: Store) -> None:
    inside = asyncio.Event()
    insert = "INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"

    async def failing_transaction() -> None:
        async with store.db.transaction() as tx:
            await tx.execute(insert.removesuffix(" RETURNING id"), ("doomed", "hash-x", "hv_x", 60, "2024-01-01"))
            inside.set()
            await asyncio.sleep(0.05)  # the lone write is waiting now
            raise RuntimeError("boom")

    transaction = asyncio.create_task(failing_transaction())
    await inside.wait()
    rows = await store.db.write_returning(insert, ("kept", "hash-k", "hv_k", 60, "2024-01-01"))
    with pytest.raises(RuntimeError):
        await transaction
    assert len(rows) == 1
    assert [k.name for k in await store.list_api_keys()] == ["kept"]


async def test_a_batch_of_reports_is_stored_all_or_nothing(store: Store) -> None:
    good = new_report("CN:13800000001")
    broken = new_report("CN:13800000002").model_copy(update={"reporter_hash": None})  # NOT NULL
    for size in (2, 600):  # one statement on its own; several in one transaction
        with pytest.raises(Conflict):
            await store.insert_reports([good] * (size - 1) + [broken])
    assert await store.report_counts() == {}
    ids, _ = await store.insert_reports([good] * 600)
    assert len(set(ids)) == 600 and ids == sorted(ids)
    assert await store.report_counts() == {"pending": 600}


async def test_notify_and_listen_can_be_called_on_every_backend(store: Store, backend: str) -> None:
    """SQLite is served by one process, so its notifications go nowhere; PostgreSQL delivers them,
    to the notifying process too, and one sent inside a transaction once it commits
    (tests/store/test_postgres_adapter.py)."""
    heard: asyncio.Queue[str] = asyncio.Queue()
    await store.db.listen("registry_changed", heard.put_nowait)
    await store.db.notify("registry_changed", "demo-bank")
    async with store.db.transaction() as tx:
        await store.db.notify("registry_changed", "in-a-transaction", tx=tx)
    if backend == "postgresql":
        assert [await asyncio.wait_for(heard.get(), 2.0) for _ in range(2)] == ["demo-bank", "in-a-transaction"]
    else:
        await asyncio.sleep(0.05)
        assert heard.empty()


async def test_a_notify_from_one_process_reaches_a_listener_in_another(postgres_url: str) -> None:
    sender, receiver = open_store(postgres_url), open_store(postgres_url)
    await sender.open()
    await receiver.open()
    try:
        arrived: asyncio.Queue[str] = asyncio.Queue()
        await receiver.db.listen("registry_changed", arrived.put_nowait)
        await sender.db.notify("registry_changed", "demo-bank")
        assert await asyncio.wait_for(arrived.get(), 1.0) == "demo-bank"
    finally:
        await sender.close()
        await receiver.close()


async def test_a_reachable_database_answers_a_ping(make_store: MakeStore) -> None:
    store = await make_store()
    assert await store.ping() is None  # answered: nothing raised
    await store.close()
    with pytest.raises(RuntimeError, match="not connected"):  # one that cannot be reached does not answer
        await store.ping()

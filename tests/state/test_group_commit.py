"""verifier.state.group_commit: concurrent writes share one transaction, each writer is answered
only after that transaction commits, and a failing transaction fails exactly its own writers.
The write is the store's real one (`Store.insert_reports`) on a real SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from registry.backends import open_store
from registry.records import NewReport
from registry.store import Conflict, Store
from tests.store.conftest import new_report
from verifier.state.group_commit import GroupCommit


class Writes:
    """The store's report insert as a group commit's write, recording each transaction's size;
    `hold()` keeps the next transaction in flight until `release()`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batches: list[int] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.inside = asyncio.Event()

    def hold(self) -> None:
        self.gate.clear()
        self.inside.clear()

    def release(self) -> None:
        self.gate.set()

    async def __call__(self, reports: Sequence[NewReport]) -> list[int]:
        self.batches.append(len(reports))
        self.inside.set()
        await self.gate.wait()
        ids, _ = await self.store.insert_reports(reports)
        return ids


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    """The writer's store and a second one on the same file: what another connection sees."""
    opened = [open_store(str(tmp_path / "reports.sqlite3")) for _ in range(2)]
    for store in opened:
        await store.open()
    yield opened[0], opened[1]
    for store in opened:
        await store.close()


async def test_concurrent_writes_share_one_transaction_and_each_gets_its_own_result(
        stores: tuple[Store, Store]) -> None:
    store, _ = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes)
    keys = [f"CN:1380000{i:04d}" for i in range(20)]
    ids = await asyncio.gather(*(commit.submit(new_report(key)) for key in keys))
    assert writes.batches == [20]
    assert len(set(ids)) == 20
    assert [(await store.get_report(report_id)).number_key for report_id in ids] == keys


async def test_a_writer_is_answered_only_after_its_transaction_committed(stores: tuple[Store, Store]) -> None:
    store, other = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes)
    seen_by_another_connection: list[bool] = []

    async def report(key: str) -> None:
        report_id = await commit.submit(new_report(key))
        seen_by_another_connection.append((await other.get_report(report_id)).number_key == key)

    writes.hold()
    writers = [asyncio.create_task(report(f"CN:1380000{i:04d}")) for i in range(5)]
    await writes.inside.wait()
    await asyncio.sleep(0.05)
    assert not any(w.done() for w in writers)  # the transaction is in flight: nobody is answered yet
    writes.release()
    await asyncio.gather(*writers)
    assert seen_by_another_connection == [True] * 5


async def test_writes_arriving_while_a_transaction_is_in_flight_gather_for_the_next(
        stores: tuple[Store, Store]) -> None:
    store, _ = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes)
    writes.hold()
    first = asyncio.create_task(commit.submit(new_report("CN:13800000001")))
    await writes.inside.wait()
    later = [asyncio.create_task(commit.submit(new_report("CN:13800000002"))) for _ in range(5)]
    await asyncio.sleep(0.01)
    writes.release()
    await asyncio.gather(first, *later)
    assert writes.batches == [1, 5]


async def test_a_transaction_holds_at_most_max_batch_writes(stores: tuple[Store, Store]) -> None:
    store, _ = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes, max_batch=8)
    ids = await asyncio.gather(*(commit.submit(new_report("CN:13800000001")) for _ in range(20)))
    assert writes.batches == [8, 8, 4]
    assert ids == sorted(ids) and len(set(ids)) == 20


async def test_a_failing_transaction_fails_its_own_writers_only(stores: tuple[Store, Store]) -> None:
    store, _ = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes)
    broken = new_report("CN:13800000009").model_copy(update={"reporter_hash": None})  # NOT NULL: a Conflict

    writes.hold()
    before = asyncio.create_task(commit.submit(new_report("CN:13800000001")))
    await writes.inside.wait()
    doomed = [asyncio.create_task(commit.submit(report))
              for report in (new_report("CN:13800000002"), broken, new_report("CN:13800000003"))]
    await asyncio.sleep(0.01)
    writes.release()
    outcomes = await asyncio.gather(*doomed, return_exceptions=True)
    assert [type(o) for o in outcomes] == [Conflict] * 3  # everyone in the failed transaction learns it
    assert len({id(o) for o in outcomes}) == 1  # (the one error of that transaction)
    kept = await before  # the transaction before it committed
    after = await commit.submit(new_report("CN:13800000004"))  # and the next one commits
    assert writes.batches == [1, 3, 1]
    assert sorted(f[1] for f in await store.report_facts()) == ["CN:13800000001", "CN:13800000004"]
    assert after > kept


async def test_a_cancelled_write_fails_its_writers_and_the_next_write_starts_afresh(
        stores: tuple[Store, Store]) -> None:
    store, _ = stores
    cancel_next = True

    async def write(reports: Sequence[NewReport]) -> list[int]:
        nonlocal cancel_next
        if cancel_next:
            cancel_next = False
            raise asyncio.CancelledError
        ids, _ = await store.insert_reports(reports)
        return ids

    commit: GroupCommit[NewReport, int] = GroupCommit(write)
    outcomes = await asyncio.gather(*(commit.submit(new_report("CN:13800000001")) for _ in range(2)),
                                    return_exceptions=True)
    assert [(type(o), str(o)) for o in outcomes] == [(RuntimeError, "write cancelled")] * 2
    assert await commit.submit(new_report("CN:13800000002")) > 0
    assert await store.report_counts() == {"pending": 1}


async def test_drain_waits_until_everything_queued_is_written(stores: tuple[Store, Store]) -> None:
    store, other = stores
    writes = Writes(store)
    commit: GroupCommit[NewReport, int] = GroupCommit(writes, max_batch=3)
    await commit.drain()  # nothing queued: returns at once
    writers = [asyncio.create_task(commit.submit(new_report("CN:13800000001"))) for _ in range(7)]
    await asyncio.sleep(0)  # (each writer has queued its report)
    await commit.drain()
    assert await other.report_counts() == {"pending": 7}
    assert writes.batches == [3, 3, 1]
    await asyncio.gather(*writers)

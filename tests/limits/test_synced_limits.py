"""Verify limits synced through the store (verifier.limits.synced), on SQLite and on a real PostgreSQL.

Two limiters on two stores opened on one database stand for two server processes; a shared
fake wall clock puts them in the same windows. Syncs are called by hand, as the background
task would.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from registry.store import Store, StoreUnavailable
from tests.limits.clock import MINUTE, T0, Clock
from tests.store.conftest import MakeStore
from verifier.http.app import create_app
from verifier.http.app_keys import VERIFY_LIMITER
from verifier.limits import synced as synced_limits
from verifier.limits.local import RateLimiter
from verifier.limits.synced import SyncedRateLimiter
from verifier.ops.settings import Settings


async def two_processes(make_store: MakeStore, clock: Clock) -> tuple[SyncedRateLimiter, SyncedRateLimiter]:
    return SyncedRateLimiter(await make_store(), clock=clock), SyncedRateLimiter(await make_store(), clock=clock)


def allowed(limiter: RateLimiter, times: int, subject: str = "key-1", limit: int = 10, cost: float = 1.0) -> int:
    return sum(limiter.hit("key", subject, limit, MINUTE, cost) is None for _ in range(times))


async def unavailable(*args: Any) -> Any:
    raise StoreUnavailable("the database is down")


async def window_rows(store: Store) -> dict[tuple[str, str, int], float]:
    rows = await store.db.fetchall("SELECT bucket, subject, window_start, count FROM rate_windows")
    return {(r["bucket"], r["subject"], int(r["window_start"])): float(r["count"]) for r in rows}


# -- the store's batch methods ----------------------------------------------------------------------

async def test_batches_add_to_windows_and_read_totals(store: Store) -> None:
    await store.rate_windows_add_many([("key", "b", 60, 2.0), ("key", "a", 60, 1.0), ("anonymous", "a", 60, 5.0)])
    await store.rate_windows_add_many([("key", "a", 60, 3.0), ("key", "a", 0, 4.0)])
    await store.rate_windows_add_many([])
    assert await store.rate_windows_totals("key", ["a", "b", "c"], (60, 0)) == {
        ("a", 60): 4.0, ("a", 0): 4.0, ("b", 60): 2.0}
    assert await store.rate_windows_totals("anonymous", ["a"], (60,)) == {("a", 60): 5.0}
    assert await store.rate_windows_totals("key", [], (60,)) == {}
    many = [f"s{i}" for i in range(1000)]  # more subjects than one statement takes
    await store.rate_windows_add_many([("key", s, 120, 1.0) for s in many])
    totals = await store.rate_windows_totals("key", many, (120, 60))
    assert len(totals) == 1000 and set(totals.values()) == {1.0}


async def test_forgetting_old_windows_keeps_other_buckets_and_newer_windows(store: Store) -> None:
    await store.rate_windows_add_many([("key", "a", 0, 1.0), ("key", "a", 60, 1.0), ("key", "b", 0, 1.0),
                                       ("login", "a", 0, 1.0)])
    assert await store.rate_windows_forget("key", 60) == 2
    assert await window_rows(store) == {("key", "a", 60): 1.0, ("login", "a", 0): 1.0}


async def test_concurrent_batches_from_two_stores_lose_nothing(make_store: MakeStore) -> None:
    first, second = await make_store(), await make_store()
    subjects = [f"s{i}" for i in range(50)]

    async def add(store: Store, order: list[str]) -> None:
        for _ in range(10):
            await store.rate_windows_add_many([("key", s, 60, 1.0) for s in order])

    await asyncio.gather(add(first, subjects), add(second, subjects[::-1]))  # opposite orders: no deadlock
    totals = await first.rate_windows_totals("key", subjects, (60,))
    assert set(totals.values()) == {20.0} and len(totals) == 50


# -- two processes ------------------------------------------------------------------------------------

async def test_a_limit_used_on_one_process_is_refused_on_the_other_after_a_sync(make_store: MakeStore) -> None:
    clock = Clock(T0 + 5)
    first, second = await two_processes(make_store, clock)
    assert allowed(first, 6) == 6
    assert allowed(second, 1) == 1  # neither has synced: each knows only its own
    await first.sync()
    await second.sync()
    assert allowed(second, 10) == 3  # 6 + 1 + 3 = 10
    assert second.would_allow("key", "key-1", 10, MINUTE) is not None
    await second.sync()
    await first.sync()
    assert first.would_allow("key", "key-1", 10, MINUTE) is not None
    assert allowed(first, 5) == 0
    assert first.hit("key", "key-1", 10, MINUTE) == 55  # until the window ends (nothing in the previous one)
    # other subjects and buckets are untouched
    assert allowed(first, 10, subject="key-2") == 10
    assert first.hit("anonymous", "key-1", 10, MINUTE) is None
    await first.sync()
    assert await window_rows(first.store) == {("key", "key-1", int(T0)): 10.0, ("key", "key-2", int(T0)): 10.0,
                                              ("anonymous", "key-1", int(T0)): 1.0}


async def test_a_process_never_takes_its_own_counts_for_someone_elses(make_store: MakeStore) -> None:
    clock = Clock(T0 + 1)
    first, second = await two_processes(make_store, clock)
    for _ in range(3):
        assert allowed(first, 2, limit=100) == 2
        await first.sync()
        await first.sync()
    assert allowed(first, 100, limit=100) == 94
    assert allowed(second, 4, limit=100) == 4
    await second.sync()
    await first.sync()
    assert allowed(first, 1, limit=100) == 0  # 100 here + 4 there: over


async def test_windows_roll_over_on_every_process(make_store: MakeStore) -> None:
    clock = Clock(T0 + 50)
    first = SyncedRateLimiter(await make_store(), clock=clock, watch_seconds=3600)
    second = SyncedRateLimiter(await make_store(), clock=clock, watch_seconds=3600)
    assert allowed(second, 1) == 1
    assert allowed(first, 9) == 9
    for limiter in (first, second, first):
        await limiter.sync()
    assert allowed(second, 1) == 0 and allowed(first, 1) == 0  # 10 used between them

    clock.now = T0 + MINUTE + 30  # half way into the next window: half of the previous one still counts (5)
    assert allowed(second, 3) == 3
    await second.sync()
    await first.sync()
    assert allowed(first, 10) == 2  # 5 + second's 3 + 2
    await first.sync()
    await second.sync()
    assert allowed(second, 1) == 0

    clock.now = T0 + 2 * MINUTE + 59  # the previous window (5 between them) weighs 1/60
    await first.sync()
    await second.sync()
    assert allowed(first, 5) == 5
    await first.sync()
    await second.sync()
    assert allowed(second, 10) == 4  # 5/60 + first's 5 + 4 = 9.08; a 5th would be 10.08

    clock.now = T0 + 10 * MINUTE  # long after: nothing counts any more
    assert allowed(first, 10) == 10 and allowed(second, 1) == 1


async def test_counts_made_before_a_rollover_are_still_written(make_store: MakeStore) -> None:
    clock = Clock(T0 + 59)
    first, second = await two_processes(make_store, clock)
    assert allowed(first, 8) == 8
    clock.now = T0 + MINUTE + 1  # rolls over before any sync
    assert allowed(first, 1) == 1
    await first.sync()
    assert await window_rows(first.store) == {("key", "key-1", int(T0)): 8.0,
                                              ("key", "key-1", int(T0 + MINUTE)): 1.0}
    assert allowed(second, 1) == 1
    await second.sync()
    assert allowed(second, 1) == 0  # 8 × 59/60 + 1 + 1 = 9.87; one more is 10.87


async def test_a_subject_served_again_after_a_quiet_spell_is_caught_up_at_the_next_sync(
        make_store: MakeStore) -> None:
    clock = Clock(T0 + 1)
    first, second = await two_processes(make_store, clock)
    assert allowed(second, 1) == 1
    await second.sync()
    clock.now += synced_limits.WATCH_SECONDS + 5  # second stops reading key-1's totals
    assert allowed(first, 9) == 9
    await first.sync()
    await second.sync()
    assert allowed(second, 1) == 1  # decided on what it knew: the overshoot is one sync interval's worth
    await second.sync()
    assert allowed(second, 1) == 0  # 2 + 9


async def test_with_too_many_subjects_watched_only_those_just_served_are_read(
        make_store: MakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synced_limits, "MAX_WATCHED", 3)
    clock = Clock(T0 + 1)
    first, second = await two_processes(make_store, clock)
    for i in range(5):
        assert allowed(second, 1, subject=f"s{i}") == 1
    await second.sync()
    assert allowed(first, 9, subject="s0") == 9
    await first.sync()
    await second.sync()  # nothing new here, five watched: nothing read
    assert allowed(second, 1, subject="s0") == 1
    await second.sync()  # s0 was just served: read
    assert allowed(second, 1, subject="s0") == 0  # 9 + 2


async def test_a_failing_store_never_fails_a_hit_and_the_counts_are_sent_later(
        make_store: MakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(T0 + 1)
    first, second = await two_processes(make_store, clock)
    assert allowed(second, 1) == 1
    await second.sync()
    monkeypatch.setattr(first.store, "rate_windows_add_many", unavailable)
    assert allowed(first, 4) == 4
    with pytest.raises(StoreUnavailable):
        await first.sync()
    assert allowed(first, 2) == 2  # carries on with what it knows
    with pytest.raises(StoreUnavailable):
        await first.sync()
    monkeypatch.undo()
    await first.sync()
    assert await window_rows(first.store) == {("key", "key-1", int(T0)): 7.0}  # nothing lost, nothing twice
    await second.sync()
    assert allowed(second, 10) == 3  # 6 there + 1 + 3 here


async def test_a_failing_read_keeps_the_last_known_counts(make_store: MakeStore,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(T0 + 1)
    first, second = await two_processes(make_store, clock)
    assert allowed(first, 5) == 5 and allowed(second, 1) == 1
    await first.sync()
    await second.sync()
    monkeypatch.setattr(second.store, "rate_windows_totals", unavailable)
    assert allowed(second, 1) == 1
    with pytest.raises(StoreUnavailable):
        await second.sync()
    assert allowed(second, 10) == 3  # still counts first's 5: 5 + 2 + 3
    monkeypatch.undo()
    await second.sync()
    assert await window_rows(second.store) == {("key", "key-1", int(T0)): 10.0}  # the failed sync's write, once
    assert allowed(second, 1) == 0


async def test_the_background_task_syncs_survives_failures_and_writes_the_last_counts(
        make_store: MakeStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    first_store, second_store = await make_store(), await make_store()
    first, second = SyncedRateLimiter(), SyncedRateLimiter()
    fails = {"left": 3}
    real_add = first_store.rate_windows_add_many

    async def flaky(rows: Any) -> None:
        if fails["left"]:
            fails["left"] -= 1
            raise StoreUnavailable("flaky")
        await real_add(rows)

    monkeypatch.setattr(first_store, "rate_windows_add_many", flaky)
    with caplog.at_level(logging.INFO, logger="verifier.limits.synced"):
        async with first.syncing(first_store, interval=0.02), second.syncing(second_store, interval=0.02):
            assert allowed(first, 7, limit=10_000) == 7
            assert allowed(second, 1, limit=10_000) == 1
            for _ in range(300):
                if second.would_allow("key", "key-1", 8, MINUTE) is not None:
                    break
                await asyncio.sleep(0.01)
            assert second.would_allow("key", "key-1", 8, MINUTE) is not None  # 7 + 1 = 8 used
            assert allowed(first, 2, limit=10_000) == 2  # written on the way out
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "could not sync" in warnings[0].getMessage()  # one warning, not one per try
    assert any("syncing again" in r.getMessage() for r in caplog.records)
    now = time.time()
    start = int(now - now % MINUTE)  # (the test may have crossed into a new minute)
    assert sum((await second_store.rate_windows_totals("key", ["key-1"], (start, start - 60))).values()) == 10.0


async def test_tidying_deletes_windows_older_than_the_previous(make_store: MakeStore) -> None:
    clock = Clock(T0 + 1)
    limiter = SyncedRateLimiter(await make_store(), clock=clock)
    store = limiter.store
    await store.rate_windows_add_many([("key", "old", int(T0 - 3 * MINUTE), 1.0), ("login", "x", 0, 1.0)])
    assert allowed(limiter, 1) == 1
    await limiter.sync()
    await store.rate_windows_add_many([("key", "recent", int(T0 - MINUTE), 1.0)])
    assert await limiter.tidy() == 1
    assert set(await window_rows(store)) == {("key", "key-1", int(T0)), ("key", "recent", int(T0 - MINUTE)),
                                             ("login", "x", 0)}  # other buckets are theirs to tidy


async def test_memory_stays_bounded(make_store: MakeStore) -> None:
    clock = Clock(T0 + 1)
    limiter = SyncedRateLimiter(await make_store(), clock=clock, max_subjects=100)
    for i in range(1000):
        assert limiter.hit("anonymous", f"a{i}", 5, MINUTE) is None
    assert len(limiter._subjects) <= 100
    await limiter.sync()  # counts of dropped subjects are still written
    totals = await limiter.store.rate_windows_totals(
        "anonymous", [f"a{i}" for i in range(1000)], (int(T0),))
    assert len(totals) == 1000
    for minute in range(1, 5):
        clock.now = T0 + minute * MINUTE + 1
        for i in range(50):
            limiter.hit("anonymous", f"m{minute}-{i}", 5, MINUTE)
        await limiter.sync()
    limiter._next_forget = 0.0
    await limiter.sync()
    assert len(limiter._flushed) <= 150 and len(limiter._watched) <= 100 and not limiter._carry


def test_watching_is_bounded_by_constants() -> None:
    assert synced_limits.WATCH_SECONDS >= 1 and synced_limits.MAX_WATCHED >= 1000
    assert 0.05 <= synced_limits.SYNC_SECONDS <= 0.5


def test_postgresql_deployments_sync_verify_limits_and_sqlite_keeps_the_exact_one(tmp_path: Any) -> None:
    sqlite_app = create_app(Settings(database=str(tmp_path / "db.sqlite3")))
    assert type(sqlite_app[VERIFY_LIMITER]) is RateLimiter
    pg_app = create_app(Settings(database="postgresql://nobody@127.0.0.1:1/none", secret_key="s" * 16))
    assert isinstance(pg_app[VERIFY_LIMITER], SyncedRateLimiter)

"""Issue 16, item 6: an account attacked from many addresses backs off exponentially (1 s, 2 s,
4 s … after its last failure), in memory with one process and in the shared store with several
(SQLite and a real PostgreSQL), and the wait ends when it says."""

from __future__ import annotations

from registry.store import Store
from tests.limits.clock import T0, Clock
from tests.store.conftest import MakeStore
from verifier.limits.backoff import MAX_DELAY, AccountBackoff, delay

WINDOW = 900.0
START = T0 - T0 % WINDOW + 10  # 10 s into a window


def test_the_delay_doubles_per_failure_past_the_allowance_and_is_capped() -> None:
    assert [delay(n, 3) for n in range(2, 8)] == [0.0, 1.0, 2.0, 4.0, 8.0, 16.0]
    assert delay(40, 3) == MAX_DELAY


async def _grows_and_ends(backoff: AccountBackoff, clock: Clock) -> None:
    for _ in range(2):
        await backoff.failed("acct")
    assert await backoff.wait("acct") is None  # under the allowance of 3
    waits = []
    for _ in range(4):
        await backoff.failed("acct")
        waits.append(await backoff.wait("acct"))
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert await backoff.wait("other") is None
    clock.now += 7.5
    assert await backoff.wait("acct") == 1.0  # 0.5 s left, rounded up
    clock.now += 0.6
    assert await backoff.wait("acct") is None


async def test_in_memory_the_backoff_grows_and_ends_when_it_says() -> None:
    clock = Clock(START)
    await _grows_and_ends(AccountBackoff(3, WINDOW, None, clock=clock), clock)


async def test_in_the_shared_store_the_backoff_grows_and_ends_on_every_backend(make_store: MakeStore) -> None:
    clock = Clock(START)
    store: Store = await make_store()
    await _grows_and_ends(AccountBackoff(3, WINDOW, store, clock=clock), clock)
    other_process = AccountBackoff(3, WINDOW, await make_store(), clock=clock)  # the same database
    await AccountBackoff(3, WINDOW, store, clock=clock).failed("acct")  # a 7th failure
    assert await other_process.wait("acct") == 16.0


async def test_failures_of_the_previous_window_still_count_as_the_window_slides() -> None:
    clock = Clock(START + WINDOW - 20)  # near the end of a window
    backoff = AccountBackoff(3, WINDOW, None, clock=clock)
    for _ in range(5):
        await backoff.failed("acct")
    clock.now += 25  # into the next window: the 5 weigh almost fully
    await backoff.failed("acct")
    assert await backoff.wait("acct") == 8.0

"""The limiters on the window arithmetic: local and synced decide alike, the strict limiter
shares its counts through the database, and login throttling counts failures only."""

from __future__ import annotations

import random

import pytest

from tests.limits.clock import MINUTE, T0, Clock
from tests.store.conftest import MakeStore
from verifier.limits.local import RateLimiter
from verifier.limits.login import ADDRESS_BUCKET, LOGIN_WINDOW, LoginThrottle
from verifier.limits.strict import StrictLimiter
from verifier.limits.synced import SyncedRateLimiter


@pytest.mark.parametrize("seed", range(40))
def test_the_local_and_the_synced_limiter_decide_alike_without_other_processes(seed: int) -> None:
    rnd, clock = random.Random(seed), Clock()
    local, synced = RateLimiter(clock=clock, max_subjects=5), SyncedRateLimiter(clock=clock, max_subjects=5)
    periods = {"key": 7.5, "anonymous": MINUTE}
    for _ in range(300):
        clock.now += rnd.choice([0.0, 0.0, 0.01, 0.5, 1.0, 7.0, 29.9, 60.0, 61.0, 125.0])
        bucket, subject = rnd.choice(list(periods)), rnd.choice("abcdefg")
        args = (bucket, subject, rnd.choice([1, 3, 10]), periods[bucket], rnd.choice([1.0, 2.0, 0.5, 5.0]))
        if rnd.random() < 0.75:
            assert local.hit(*args) == synced.hit(*args)
        else:
            assert local.would_allow(*args) == synced.would_allow(*args)


def test_the_local_limiter_slides_and_says_how_long_to_wait() -> None:
    clock = Clock(T0 + 30)
    limiter = RateLimiter(clock=clock)
    assert [limiter.hit("key", "k", 10, MINUTE) for _ in range(11)] == [None] * 10 + [30]
    assert limiter.would_allow("key", "k", 10, MINUTE) == 30
    clock.now = T0 + MINUTE + 30  # half of the previous window's 10 still counts
    assert [limiter.hit("key", "k", 10, MINUTE) for _ in range(6)] == [None] * 5 + [6]  # a tenth more slides out in 6 s
    assert limiter.would_allow("key", "k", 10, MINUTE) == 30  # would_allow's plainer answer: the window's end
    limiter.reset("key", "k")
    assert limiter.hit("key", "k", 10, MINUTE) is None


async def test_the_strict_limiter_shares_counts_between_processes(make_store: MakeStore) -> None:
    first = StrictLimiter(await make_store(), RateLimiter())
    second = StrictLimiter(await make_store(), RateLimiter())
    assert first.local_only is None
    for _ in range(3):
        assert await first.would_allow("report-address", "a", 4, 3600.0) is None
        await first.hit("report-address", "a", 4, 3600.0)
    assert await second.would_allow("report-address", "a", 4, 3600.0) is None
    await second.hit("report-address", "a", 4, 3600.0)
    retry = await first.would_allow("report-address", "a", 4, 3600.0)
    assert retry is not None and 1 <= retry <= 3600
    assert await second.would_allow("report-address", "b", 4, 3600.0) is None  # other subjects untouched


async def test_with_one_process_the_strict_limiter_is_the_local_one() -> None:
    local = RateLimiter()
    strict = StrictLimiter(None, local)
    assert strict.local_only is local
    await strict.hit("report-address", "a", 1, 3600.0)
    assert await strict.would_allow("report-address", "a", 1, 3600.0) == local.would_allow("report-address", "a", 1, 3600.0)
    assert local.would_allow("report-address", "a", 1, 3600.0) is not None


async def test_login_failures_throttle_their_address_and_back_the_account_off_for_failed_addresses_only() -> None:
    local = RateLimiter()
    throttle = LoginThrottle(StrictLimiter(None, local), failures_allowed=2)
    assert await throttle.wait_before_trying("user-1", "address-1") is None
    await throttle.failed("user-1", "address-1")
    await throttle.failed("user-1", "address-2")  # the account has had 2: it backs off
    assert await throttle.wait_before_trying("user-1", "address-3") is None  # never for an address with no failures
    retry = await throttle.wait_before_trying("user-1", "address-2")
    assert retry is not None and 1 <= retry <= LOGIN_WINDOW
    assert await throttle.wait_before_trying("user-2", "address-1") is None  # address-1 has had 1
    await throttle.failed("user-2", "address-1")
    assert await throttle.wait_before_trying("user-3", "address-1") is not None  # address-1 has had 2
    assert local.would_allow(ADDRESS_BUCKET, "address-2", 2, LOGIN_WINDOW) is None

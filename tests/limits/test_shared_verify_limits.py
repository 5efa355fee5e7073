"""Verify limits hold across two server processes on one PostgreSQL (verifier.limits.synced).

Each process decides in memory and syncs its counts through the database every
SYNC_SECONDS. Requests are paced (as real clients are) and split between the processes, so
without syncing each process would admit the whole limit: twice the limit in all. With it, the
total may exceed the limit only by what arrives while a count is on its way to the other
process: at most two sync intervals (one process's flush, then the other's read) at the
request rate, plus the one request a process admits for a subject it has not served yet.
"""

from __future__ import annotations

import asyncio
import math
import re
import time

import aiohttp
import pytest

from tests.servers import run_cli, running_server
from verifier.limits.synced import SYNC_SECONDS

KEY_LIMIT = 40
ANONYMOUS_LIMIT = 30
RATE = 20.0  # requests per second in all, half to each process
SLACK = math.ceil(RATE * 2 * SYNC_SECONDS) + 2  # see the module docstring


@pytest.fixture(autouse=True)
def shared_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """With PostgreSQL every process needs the same configured key (server processes inherit it)."""
    monkeypatch.setenv("VERIFIER_SECRET_KEY", "scale-tests-secret-key-0123456789")


async def wait_clear_of_a_minute_boundary(seconds_needed: float) -> None:
    """Windows are whole minutes: start where the run fits in one, so the previous window plays no part."""
    into = time.time() % 60
    if into > 60 - seconds_needed:
        await asyncio.sleep(60 - into + 0.2)


async def paced(session: aiohttp.ClientSession, base: str, headers: dict[str, str], count: int,
                interval: float, delay: float, page: bool = False) -> list[int]:
    """`count` checks at `interval`: verify requests, or (`page`) checks on the web page."""
    statuses = []
    await asyncio.sleep(delay)
    started = time.monotonic()
    for i in range(count):
        path, params = ("/", {"q": "95588"}) if page else ("/api/v1/verify", {"number": "95588"})
        async with session.get(f"{base}{path}", params=params, headers=headers) as response:
            await response.read()
            statuses.append(response.status)
        await asyncio.sleep(max(0.0, started + (i + 1) * interval - time.monotonic()))
    return statuses


async def use_up_from_both(session: aiohttp.ClientSession, first: str, second: str, headers: dict[str, str],
                           limit: int) -> tuple[list[int], list[int]]:
    """Twice the limit in requests at RATE, alternating between the processes."""
    per_process, interval = limit, 2 / RATE
    await wait_clear_of_a_minute_boundary(per_process * interval + 3)
    return await asyncio.gather(paced(session, first, headers, per_process, interval, 0.0),
                                paced(session, second, headers, per_process, interval, interval / 2))


async def assert_refused(session: aiohttp.ClientSession, base: str, headers: dict[str, str], limit: int) -> None:
    async with session.get(f"{base}/api/v1/verify", params={"number": "95588"}, headers=headers) as response:
        assert response.status == 429, await response.text()
        assert response.content_type == "application/problem+json"
        body = await response.json(content_type=None)
        assert body["status"] == 429 and f"the limit is {limit} per 60 seconds" in body["detail"]
        assert 1 <= int(response.headers["Retry-After"]) <= 60


async def test_verify_limits_per_key_and_per_address_hold_across_two_processes(postgres_url: str) -> None:
    created = run_cli("apikeys", "create", "partner", "--rate-limit", str(KEY_LIMIT), "--database", postgres_url)
    assert created.returncode == 0, created.stderr
    match = re.search(r"(hvk_\S+)", created.stdout)
    assert match, created.stdout
    key = {"Authorization": f"Bearer {match.group(1)}"}
    env = {"VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": str(ANONYMOUS_LIMIT)}
    with running_server(postgres_url, env=env) as first, running_server(postgres_url, env=env) as second:
        async with aiohttp.ClientSession() as session:
            for headers, limit in ((key, KEY_LIMIT), ({}, ANONYMOUS_LIMIT)):
                on_first, on_second = await use_up_from_both(session, first, second, headers, limit)
                assert set(on_first) | set(on_second) <= {200, 429}
                admitted = on_first.count(200) + on_second.count(200)
                print(f"limit {limit}: {admitted} admitted ({on_first.count(200)} + {on_second.count(200)}), "
                      f"overshoot {admitted - limit}, slack allowed {SLACK}")
                assert limit <= admitted <= limit + SLACK < 2 * limit
                # both served some and refused some: the limit is shared, not split or per process
                assert on_first.count(200) and on_second.count(200)
                assert on_first[-1] == on_second[-1] == 429
                await asyncio.sleep(3 * SYNC_SECONDS)
                await assert_refused(session, first, headers, limit)
                await assert_refused(session, second, headers, limit)


PAGE_ADDRESS_LIMIT = 30


async def test_the_web_pages_cap_per_address_holds_across_two_processes(postgres_url: str) -> None:
    """The page's own budget (verifier.limits.page) is on the synced limiter too: browsers behind one
    address, their checks split between two processes, share one cap per address."""
    env = {"VERIFIER_PAGE_CHECKS_PER_ADDRESS_PER_MINUTE": str(PAGE_ADDRESS_LIMIT),
           "VERIFIER_PAGE_CHECKS_PER_COOKIE_PER_MINUTE": "1000", "VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "1"}
    with running_server(postgres_url, env=env) as first, running_server(postgres_url, env=env) as second:
        # no cookie jar: every check comes from a new browser, so only the address's cap can refuse
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            interval = 2 / RATE
            await wait_clear_of_a_minute_boundary(PAGE_ADDRESS_LIMIT * interval + 3)
            on_first, on_second = await asyncio.gather(
                paced(session, first, {}, PAGE_ADDRESS_LIMIT, interval, 0.0, page=True),
                paced(session, second, {}, PAGE_ADDRESS_LIMIT, interval, interval / 2, page=True))
    assert set(on_first) | set(on_second) <= {200, 429}
    admitted = on_first.count(200) + on_second.count(200)
    assert PAGE_ADDRESS_LIMIT <= admitted <= PAGE_ADDRESS_LIMIT + SLACK < 2 * PAGE_ADDRESS_LIMIT
    assert on_first.count(200) and on_second.count(200) and on_first[-1] == on_second[-1] == 429

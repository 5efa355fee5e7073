"""Nothing acknowledged is lost: SIGKILL the real server in the middle of a burst of reports.

A report is answered 202 only after its transaction is committed (synchronous=FULL, WAL), so
every id a client was told about must be in the file after a kill -9, the file must be sound,
and the restarted server's in-memory aggregates must agree with the file.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from tests.reliability.procs import NO_LIMITS, add_user, query, serving, start_server, stop

CONCURRENCY = 64
NUMBERS = [f"1391234{n:04d}" for n in range(16)]  # many reports per number: per-number counts are checked
PASSWORD = "a long moderator password"


async def burst_then_kill(server: object, acknowledged: list[int], refused: list[int]) -> None:
    """64 clients report as fast as they can; the server is SIGKILLed once 300 reports are
    acknowledged, while the others are in flight."""
    stop_at = 300
    killed = asyncio.Event()

    async def reporter(worker: int, session: aiohttp.ClientSession) -> None:
        i = 0
        while not killed.is_set():
            body = {"number": NUMBERS[(worker + i) % len(NUMBERS)], "category": "refund_scam",
                    "description": f"worker {worker} report {i}"}
            i += 1
            try:
                async with session.post(f"{server.base}/api/v1/reports", json=body) as response:  # type: ignore[attr-defined]
                    payload = await response.json(content_type=None)
                    if response.status == 202:
                        acknowledged.append(payload["id"])
                    else:
                        refused.append(response.status)
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                return  # the server is gone: an answer cut off is not an acknowledgement
            if len(acknowledged) >= stop_at and not killed.is_set():
                killed.set()
                server.kill()  # type: ignore[attr-defined]

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.wait_for(asyncio.gather(*(reporter(w, session) for w in range(CONCURRENCY))), timeout=60)


@pytest.mark.slow
async def test_every_acknowledged_report_survives_a_sigkill_mid_burst(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    add_user(database, "mod", "moderator", PASSWORD)
    server = start_server(database, env=NO_LIMITS)
    acknowledged: list[int] = []
    refused: list[int] = []
    try:
        started = time.monotonic()
        await burst_then_kill(server, acknowledged, refused)
    finally:
        stop(server)
    assert server.process.returncode == -9, "the server was not killed mid-burst"
    assert refused == [], refused
    assert len(acknowledged) >= 300 and len(set(acknowledged)) == len(acknowledged)
    elapsed = time.monotonic() - started

    # the file, read by another SQLite reader before any server touches it again
    assert query(database, "PRAGMA integrity_check") == [("ok",)]
    stored = {row[0] for row in query(database, "SELECT id FROM reports")}
    assert set(acknowledged) <= stored, sorted(set(acknowledged) - stored)[:20]
    print(f"{len(acknowledged)} reports acknowledged in {elapsed:.1f}s before SIGKILL; {len(stored)} in the file")

    with serving(database, env=NO_LIMITS) as restarted:
        pending_in_file = query(database, "SELECT COUNT(*) FROM reports WHERE status = 'pending'")[0][0]
        assert pending_in_file == len(stored)
        assert restarted.metric("hv_reports", status="pending") == pending_in_file
        assert restarted.metric("hv_moderation_queue_length") == pending_in_file
        async with aiohttp.ClientSession() as session:
            login = await session.post(f"{restarted.base}/api/v1/auth/login",
                                       json={"username": "mod", "password": PASSWORD})
            moderator = {"Authorization": f"Bearer {(await login.json())['token']}"}
            for number in NUMBERS:
                [(key, in_file)] = query(database, "SELECT number_key, COUNT(*) FROM reports WHERE number = ?"
                                                   " GROUP BY number_key", (number,))
                async with session.get(f"{restarted.base}/api/v1/verify", params={"number": number}) as response:
                    assert (await response.json())["reports"]["pending"] == in_file, number
                async with session.get(f"{restarted.base}/api/v1/moderation/reports",
                                       params={"number": number, "page_size": 200}, headers=moderator) as response:
                    queued = {item["id"] for item in (await response.json())["items"]}
                assert len(queued) == min(in_file, 200), number
            for report_id in acknowledged[:: max(1, len(acknowledged) // 20)]:  # a sample, through the API
                async with session.get(f"{restarted.base}/api/v1/moderation/reports/{report_id}",
                                       headers=moderator) as response:
                    assert response.status == 200 and (await response.json())["report"]["id"] == report_id
        # the restarted server keeps taking reports, numbered after everything that survived
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{restarted.base}/api/v1/reports",
                                    json={"number": NUMBERS[0], "category": "other"}) as response:
                assert response.status == 202 and (await response.json())["id"] > max(stored)
    assert query(database, "PRAGMA integrity_check") == [("ok",)]

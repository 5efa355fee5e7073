"""Two server processes on one PostgreSQL agree within a second."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp

from tests.servers import run_cli, running_server

PASSWORD = "a long moderator password"


async def _verdict(session: aiohttp.ClientSession, base: str, number: str) -> dict[str, Any]:
    async with session.get(f"{base}/api/v1/verify", params={"number": number}) as response:
        return await response.json()


async def _eventually(check: Any, within: float = 1.0) -> float:
    started = time.monotonic()
    while True:
        if await check():
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.02)


async def test_a_decision_and_a_registry_edit_in_one_process_reach_the_other_within_a_second(postgres_url: str) -> None:
    assert run_cli("users", "add", "mod", "--role", "admin", "--password-stdin", "--database", postgres_url,
                   input=PASSWORD + "\n").returncode == 0
    with running_server(postgres_url) as first, running_server(postgres_url) as second:
        async with aiohttp.ClientSession() as session:
            login = await session.post(f"{first}/api/v1/auth/login", json={"username": "mod", "password": PASSWORD})
            auth = {"Authorization": f"Bearer {(await login.json())['token']}"}

            # a session made by one process works on the other (sessions live in the database)
            async with session.get(f"{second}/api/v1/moderation/reports", headers=auth) as response:
                assert response.status == 200

            # a report filed on one process is counted by the other
            filed = await session.post(f"{first}/api/v1/reports", json={"number": "13912345678", "category": "refund_scam"})
            report_id = (await filed.json())["id"]

            async def counted() -> bool:
                return (await _verdict(session, second, "13912345678"))["reports"]["pending"] == 1

            await _eventually(counted)

            # approved through the second process: the first serves "scam" within a second
            await session.post(f"{second}/api/v1/moderation/reports/{report_id}/decision",
                               json={"decision": "approve"}, headers=auth)

            async def scam_on_first() -> bool:
                return (await _verdict(session, first, "13912345678"))["verdict"] == "scam"

            await _eventually(scam_on_first)

            # a registry edit through the first process reaches the second
            await session.post(f"{first}/api/v1/admin/organizations", headers=auth, json={
                "id": "demo-bank", "name": "示例银行", "category": "bank",
                "numbers": [{"number": "95000", "confidence": "official_page", "source_url": "https://demo.example/"}]})

            async def official_on_second() -> bool:
                answer = await _verdict(session, second, "95000")
                return answer["verdict"] == "official" and answer["organization"]["id"] == "demo-bank"

            await _eventually(official_on_second)


async def test_workers_option_serves_one_port_from_several_processes(postgres_url: str) -> None:
    import subprocess
    import sys

    from tests.servers import ROOT, free_port, wait_until_ready

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--workers", "2", "--port", str(port),
                                "--database", postgres_url], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", process, 60)
        async with aiohttp.ClientSession() as session:
            for _ in range(20):
                answer = await _verdict(session, f"http://127.0.0.1:{port}", "95588")
                assert answer["verdict"] == "official"
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()
    children = subprocess.run(["pgrep", "-f", f"--port {port} "], capture_output=True, text=True).stdout.split()
    assert children == []


def test_workers_refuse_sqlite(tmp_path: Any) -> None:
    result = run_cli("serve", "--workers", "2", "--port", "18080", "--database", str(tmp_path / "db.sqlite3"))
    assert result.returncode == 2 and "needs PostgreSQL" in result.stderr


async def test_login_throttling_and_report_limits_hold_across_processes(postgres_url: str) -> None:
    env = {"VERIFIER_LOGIN_FAILURES_ALLOWED": "3", "VERIFIER_REPORTS_PER_ADDRESS_PER_HOUR": "4"}
    assert run_cli("users", "add", "mod", "--role", "moderator", "--password-stdin", "--database", postgres_url,
                   input=PASSWORD + "\n").returncode == 0
    with running_server(postgres_url, env=env) as first, running_server(postgres_url, env=env) as second:
        async with aiohttp.ClientSession() as session:
            statuses = []
            for base in (first, second, first):
                async with session.post(f"{base}/api/v1/auth/login", json={"username": "mod", "password": "wrong"}) as r:
                    statuses.append(r.status)
            assert statuses == [401, 401, 401]
            async with session.post(f"{second}/api/v1/auth/login", json={"username": "mod", "password": PASSWORD}) as r:
                assert r.status == 429  # throttled by failures counted on both processes

            reports = []
            for base in (first, second, first, second, first):
                async with session.post(f"{base}/api/v1/reports", json={"number": "13700001111", "category": "other"}) as r:
                    reports.append(r.status)
            assert reports == [202, 202, 202, 202, 429]

"""`verifier db backup` while the server serves and writes, and a restore that serves the same verdicts."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import aiohttp

from tests.servers import run_cli, running_server

NUMBERS = ["95588", "+95588", "95589", "4008205555", "13912345678", "956186"]


async def _verdicts(base: str) -> dict[str, str]:
    async with aiohttp.ClientSession() as session:
        verdicts = {}
        for number in NUMBERS:
            async with session.get(f"{base}/api/v1/verify", params={"number": number}) as response:
                verdicts[number] = (await response.json())["verdict"]
        return verdicts


async def test_a_backup_taken_while_writing_restores_to_the_same_verdicts(tmp_path: Path) -> None:
    database, copy, restored = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    moderator_password = "a long moderator password"
    run_cli("users", "add", "mod", "--role", "moderator", "--password-stdin", "--database", str(database),
            input=moderator_password + "\n")
    with running_server(database) as base:
        async with aiohttp.ClientSession() as session:
            login = await session.post(f"{base}/api/v1/auth/login",
                                       json={"username": "mod", "password": moderator_password})
            token = (await login.json())["token"]
            report = await session.post(f"{base}/api/v1/reports", json={"number": "13912345678", "category": "refund_scam"})
            report_id = (await report.json())["id"]
            await session.post(f"{base}/api/v1/moderation/reports/{report_id}/decision", json={"decision": "approve"},
                               headers={"Authorization": f"Bearer {token}"})

            async def keep_writing() -> int:
                written = 0
                for i in range(60):
                    response = await session.post(f"{base}/api/v1/reports",
                                                  json={"number": f"1370000{i:04d}", "category": "other"})
                    written += response.status == 202
                return written

            writer = asyncio.create_task(keep_writing())
            await asyncio.sleep(0.05)
            result = await asyncio.to_thread(run_cli, "db", "backup", str(copy), "--database", str(database))
            await writer
        before = await _verdicts(base)
    assert result.returncode == 0, result.stderr
    assert "integrity ok" in result.stdout
    assert before["13912345678"] == "scam"

    assert run_cli("db", "restore", str(copy), "--database", str(restored)).returncode == 0
    with sqlite3.connect(restored) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with running_server(restored) as base:
        after = await _verdicts(base)
    assert after == before


def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    run_cli("registry", "export", "--database", str(database))  # creates it
    existing = tmp_path / "exists.sqlite3"
    existing.write_bytes(b"")
    refused = run_cli("db", "backup", str(existing), "--database", str(database))
    assert refused.returncode == 1 and "exists already" in refused.stderr
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    refused = run_cli("db", "restore", str(foreign), "--database", str(database))
    assert refused.returncode == 1 and "not a hotline-verifier database" in refused.stderr

"""A database that takes no writes (read-only, disk full) is answered with 503s, never crashed on.

The faults are SQLite's own, on the store's writer connection of a real file: `PRAGMA query_only`
(as root, file permissions would not stop writes) and `PRAGMA max_page_count` pinned to the
current size, so a write that needs a new page fails with SQLITE_FULL. Every kind of write gets
a 503 problem with Retry-After and leaves nothing behind (in the file or in memory); reads keep
being answered; once the fault clears, writing resumes.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from registry.records import Role
from registry.store.errors import StoreUnavailable
from tests.conftest import assert_problem, login_as
from verifier.api.openapi import build_openapi
from verifier.http.app_keys import SERVICE
from verifier.http.callers import expiry
from verifier.ops.crypto import SESSION_PREFIX, hash_password, new_token, token_digest

NUMBER = "13912345678"
LONG = "骗" * 2000  # 6,000 bytes: more than a page, so storing it always needs new pages
TABLES = ("reports", "appeals", "sessions", "audit_log", "organizations", "official_numbers", "users",
          "api_keys", "blocklist", "blocklist_changes")


@pytest.fixture
async def client(make_client: Any) -> Any:
    return await make_client(reports_per_address_per_hour=10_000, reports_per_reporter_per_hour=10_000,
                             anonymous_requests_per_minute=100_000)


async def _writer(client: Any, sql: str) -> Any:
    return await client.app[SERVICE].store.db.writer.fetchone(sql)


async def read_only(client: Any, on: bool) -> None:
    await _writer(client, f"PRAGMA query_only={'ON' if on else 'OFF'}")


async def disk_full(client: Any, on: bool) -> None:
    db = client.app[SERVICE].store.db
    if on:
        assert (await db.fetchval("PRAGMA freelist_count")) == 0  # no free page to grow into
        pages = (await _writer(client, "PRAGMA page_count"))[0]
        assert (await _writer(client, f"PRAGMA max_page_count={pages}"))[0] == pages
        await _fill_the_sessions_pages(client)
    else:
        await _writer(client, "PRAGMA max_page_count=1073741823")


async def _fill_the_sessions_pages(client: Any) -> None:
    """A session row is small enough to fit a page's free space: fill that first, so that a
    login needs a new page too (through the store's own session write)."""
    store = client.app[SERVICE].store
    user = (await store.user_credentials("admin-user"))[0]  # type: ignore[index]
    for _ in range(500):
        try:
            await store.add_session(token_digest(new_token(SESSION_PREFIX)), user.id, "api", expiry(1))
        except StoreUnavailable:
            return
    raise AssertionError("the sessions table never ran out of room")


Fault = Callable[[Any, bool], Awaitable[None]]
FAULTS = {"read-only": read_only, "disk-full": disk_full}


async def snapshot(client: Any) -> dict[str, Any]:
    """Everything a write could change: every table's rows, and what verify and the registry answer."""
    db = client.app[SERVICE].store.db
    state: dict[str, Any] = {}
    for table in TABLES:
        state[table] = [tuple(row) for row in await db.fetchall(f"SELECT * FROM {table} ORDER BY 1")]
    verify = await (await client.get("/api/v1/verify", params={"number": NUMBER})).json()
    state["verify.reports"] = verify["reports"]
    state["verify.verdict"] = verify["verdict"]
    state["icbc"] = await (await client.get("/api/v1/organizations/icbc")).json()
    state["blocklist_version"] = client.app[SERVICE].blocklist_version
    return state


def writes(report_id: int, appeal_id: int) -> list[tuple[str, str, dict[str, Any] | None, bool]]:
    """(method, path, JSON body, needs the admin token) for every kind of write the API has."""
    many_aliases = [f"别名{i}" + "名" * 190 for i in range(30)]
    return [
        ("POST", "/api/v1/reports", {"number": NUMBER, "category": "refund_scam", "description": LONG}, False),
        ("POST", "/api/v1/appeals", {"number": NUMBER, "statement": LONG, "contact": "owner@example.org"}, False),
        ("POST", f"/api/v1/moderation/reports/{report_id}/decision", {"decision": "approve", "note": LONG}, True),
        ("POST", "/api/v1/moderation/numbers/decision", {"number": NUMBER, "decision": "approve", "note": LONG}, True),
        ("POST", f"/api/v1/moderation/appeals/{appeal_id}/decision", {"decision": "lift", "note": LONG}, True),
        ("PATCH", "/api/v1/admin/organizations/icbc", {"aliases": many_aliases}, True),
        ("POST", "/api/v1/admin/organizations", {"id": "new-bank", "name": "新银行", "aliases": many_aliases}, True),
        ("POST", "/api/v1/admin/organizations/icbc/numbers",
         {"number": "4006695500", "confidence": "official_page", "source_url": "https://www.icbc.com.cn/" + "x" * 470,
          "source_note": "官网" * 500, "label": "标签" * 100}, True),
        ("PUT", "/api/v1/admin/organizations/icbc/numbers/CN:95588",
         {"number": "95588", "confidence": "official_page", "source_url": "https://www.icbc.com.cn/" + "y" * 470,
          "source_note": "官网" * 500, "label": "标签" * 100}, True),
        ("POST", "/api/v1/auth/login", {"username": "admin-user", "password": "correct horse admin battery"}, False),
    ]


async def reads_are_answered(client: Any, admin: dict[str, str]) -> None:
    for method, path, body, headers in [
        ("GET", f"/api/v1/verify?number={NUMBER}", None, {}),
        ("POST", "/api/v1/verify", {"number": "95588", "claimed_org": "工商银行"}, {}),
        ("POST", "/api/v1/verify/batch", {"items": [{"number": "95588"}, {"number": "+95588"}, {"number": "x"}]}, {}),
        ("POST", "/api/v1/verify/text", {"text": "【工商银行】请致电 95588"}, {}),
        ("GET", "/api/v1/organizations?q=工商", None, {}),
        ("GET", "/api/v1/organizations/icbc", None, {}),
        ("GET", "/api/v1/blocklist", None, {}),
        ("GET", "/api/v1/moderation/reports", None, admin),
        ("GET", "/api/v1/moderation/audit", None, admin),
        ("GET", "/readyz", None, {}),
    ]:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status == 200, (method, path, response.status, await response.text())


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
async def test_writes_get_503_with_retry_after_nothing_is_half_written_and_writing_resumes(
        client: Any, fault: str) -> None:
    admin = await login_as(client, "admin")
    report = await client.post("/api/v1/reports", json={"number": NUMBER, "category": "refund_scam"})
    appeal = await client.post("/api/v1/appeals", json={"number": NUMBER, "statement": "这是我们店的座机号码。",
                                                        "contact": "shop@example.org"})
    report_id, appeal_id = (await report.json())["id"], (await appeal.json())["id"]
    await FAULTS[fault](client, True)
    before = await snapshot(client)

    for method, path, body, needs_admin in writes(report_id, appeal_id):
        response = await client.request(method, path, json=body, headers=admin if needs_admin else {})
        problem = await assert_problem(response, 503)
        assert problem["type"].endswith("/store-unavailable"), (path, problem)
        assert int(response.headers["Retry-After"]) > 0, path
    await reads_are_answered(client, admin)
    assert await snapshot(client) == before  # not a row, not a count in memory

    await FAULTS[fault](client, False)
    for method, path, body, needs_admin in writes(report_id, appeal_id):
        response = await client.request(method, path, json=body, headers=admin if needs_admin else {})
        assert response.status in (200, 201, 202), (path, response.status, await response.text())
    after = await snapshot(client)
    for table, added in (("reports", 1), ("appeals", 1), ("organizations", 1), ("official_numbers", 1)):
        assert len(after[table]) == len(before[table]) + added, table
    assert len(after["audit_log"]) > len(before["audit_log"]) and len(after["sessions"]) > len(before["sessions"])
    assert after["verify.reports"]["pending"] == 0 and after["icbc"] != before["icbc"]


async def test_a_store_fault_during_a_burst_of_reports_fails_each_one_cleanly(client: Any) -> None:
    """Concurrent reports share one transaction (group commit): when it fails, every report in it
    gets its 503, and the next burst after the fault is stored whole."""
    await read_only(client, True)
    bodies = [{"number": f"1391234{i:04d}", "category": "other"} for i in range(40)]
    responses = await asyncio.gather(*(client.post("/api/v1/reports", json=b) for b in bodies))
    assert [r.status for r in responses] == [503] * 40
    db = client.app[SERVICE].store.db
    assert await db.fetchval("SELECT COUNT(*) FROM reports") == 0
    assert client.app[SERVICE].knowledge.reports.counts().get("pending", 0) == 0
    await read_only(client, False)
    responses = await asyncio.gather(*(client.post("/api/v1/reports", json=b) for b in bodies))
    assert [r.status for r in responses] == [202] * 40
    assert await db.fetchval("SELECT COUNT(*) FROM reports") == 40


async def test_a_locked_database_is_a_503_not_a_500(client: Any, tmp_path: Any) -> None:
    """Another process holding the write lock past busy_timeout: SQLITE_BUSY is 'database is locked'."""
    await client.app[SERVICE].store.db.writer.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(tmp_path / "verifier.sqlite3", timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        response = await client.post("/api/v1/reports", json={"number": NUMBER, "category": "other"})
        await assert_problem(response, 503)
        assert (await client.get("/api/v1/verify", params={"number": NUMBER})).status == 200
    finally:
        other.rollback()
        other.close()
    assert (await client.post("/api/v1/reports", json={"number": NUMBER, "category": "other"})).status == 202


async def test_a_wrong_password_is_still_a_401_while_writes_fail(client: Any) -> None:
    """Refusing a wrong password needs no write: it is a 401 during a fault, not a 503."""
    store = client.app[SERVICE].store
    await store.add_user("someone", hash_password("right password here"), Role.moderator, actor="test")
    await read_only(client, True)
    wrong = await client.post("/api/v1/auth/login", json={"username": "someone", "password": "wrong password"})
    await assert_problem(wrong, 401)
    right = await client.post("/api/v1/auth/login", json={"username": "someone", "password": "right password here"})
    await assert_problem(right, 503)


async def test_the_openapi_document_names_the_503_of_every_write_tested_here(client: Any) -> None:
    spec = build_openapi(client.app)
    templates = {re.compile("^" + re.sub(r"{\w+}", "[^/]+", path) + "$"): path for path in spec["paths"]}
    for method, concrete, *_ in writes(1, 1):
        [path] = [path for pattern, path in templates.items() if pattern.match(concrete)]
        response = spec["paths"][path][method.lower()]["responses"]["503"]
        assert "Retry-After" in response["headers"], (method, path)

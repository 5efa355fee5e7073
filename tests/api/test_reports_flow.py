"""Reports, moderation and appeals end to end through the HTTP API, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assert_problem, from_address, login_as

SCAM = "13912345678"


@pytest.fixture
async def client(make_client: Any) -> Any:
    return await make_client(trust_forwarded_for=True, reports_per_address_per_hour=1000,
                             reports_per_reporter_per_hour=1000, anonymous_requests_per_minute=100000)


async def report(client: Any, number: str = SCAM, address: str = "198.51.100.1", **fields: Any) -> dict[str, Any]:
    body = {"number": number, "category": "fake_customer_service", "channel": "incoming_call",
            "claimed_org": "工商银行", "description": "说我的账户被冻结，要我转账解冻", **fields}
    response = await client.post("/api/v1/reports", json=body, headers=from_address(address))
    assert response.status == 202, await response.text()
    return await response.json()


async def verdict(client: Any, number: str = SCAM) -> dict[str, Any]:
    return await (await client.get("/api/v1/verify", params={"number": number})).json()


async def test_report_is_acknowledged_pending_and_counted_in_verify(client: Any) -> None:
    accepted = await report(client)
    assert accepted["status"] == "pending" and isinstance(accepted["id"], int)
    body = await verdict(client)
    assert body["verdict"] == "unknown"
    assert body["reports"]["pending"] == 1 and body["reports"]["distinct_reporters"] == 1
    assert body["reports"]["categories"] == {"fake_customer_service": 1}
    assert body["reports"]["first_reported_at"] is not None


async def test_approved_report_makes_the_number_a_scam_and_an_appeal_lifts_it(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    report_id = (await report(client))["id"]
    decided = await client.post(f"/api/v1/moderation/reports/{report_id}/decision",
                                json={"decision": "approve", "note": "matches known script"}, headers=moderator)
    assert decided.status == 200 and (await decided.json())["status"] == "approved"
    scam = await verdict(client)
    assert scam["verdict"] == "scam" and "confirmed_reports" in [r["code"] for r in scam["reasons"]]
    assert scam["risk_score"] >= 85

    appeal = await client.post("/api/v1/appeals", json={"number": SCAM, "statement": "这是我家的座机号码，我们没有打过诈骗电话。",
                                                        "contact": "owner@example.org"})
    assert appeal.status == 202
    appeal_id = (await appeal.json())["id"]
    queue = await (await client.get("/api/v1/moderation/appeals", headers=moderator)).json()
    assert [a["id"] for a in queue["items"]] == [appeal_id]
    lifted = await client.post(f"/api/v1/moderation/appeals/{appeal_id}/decision",
                               json={"decision": "lift", "note": "owner verified"}, headers=moderator)
    assert (await lifted.json())["overturned_reports"] == [report_id]
    assert (await verdict(client))["verdict"] == "unknown"
    detail = await (await client.get(f"/api/v1/moderation/reports/{report_id}", headers=moderator)).json()
    assert detail["report"]["status"] == "overturned"


async def test_three_distinct_reporters_make_it_suspicious_and_rejecting_them_restores_it(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    await report(client, address="198.51.100.1")
    await report(client, address="198.51.100.2")
    two = await verdict(client)
    assert two["verdict"] == "unknown" and two["reports"]["pending"] == 2
    await report(client, address="198.51.100.3")
    three = await verdict(client)
    assert three["verdict"] == "suspicious" and "pending_reports" in [r["code"] for r in three["reasons"]]
    rejected = await client.post("/api/v1/moderation/numbers/decision",
                                 json={"number": SCAM, "decision": "reject", "note": "a debt collector"},
                                 headers=moderator)
    assert (await rejected.json())["decided"] == 3
    back = await verdict(client)
    assert back["verdict"] == "unknown" and back["reports"]["pending"] == 0


async def test_one_reporter_reporting_many_times_counts_once(client: Any) -> None:
    for _ in range(5):
        await report(client, address="198.51.100.7")
    body = await verdict(client)
    assert body["reports"]["pending"] == 5
    assert body["reports"]["distinct_reporters"] == 1
    assert body["verdict"] == "unknown"


async def test_fifty_reports_against_an_official_number_leave_it_official_and_first_in_the_queue(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    await report(client, number="13800000001", address="203.0.113.200")
    for i in range(50):
        await report(client, number="95588", address=f"203.0.113.{i}")
    body = await verdict(client, "95588")
    assert body["verdict"] == "official"
    assert "official_number_spoofed" in [r["code"] for r in body["reasons"]]
    assert body["reports"]["distinct_reporters"] == 50
    queue = await (await client.get("/api/v1/moderation/reports", headers=moderator)).json()
    assert queue["items"][0]["number_key"] == "CN:95588" and queue["items"][0]["against_official"] is True
    assert {r["number_key"] for r in queue["items"]} == {"CN:95588"}  # all 50 against the official number first
    second = await (await client.get("/api/v1/moderation/reports", params={"page": 2},
                                     headers=moderator)).json()
    assert [r["number_key"] for r in second["items"]] == ["+8613800000001"]
    # approving them all still never turns an official number into a scam
    await client.post("/api/v1/moderation/numbers/decision", json={"number": "95588", "decision": "approve"},
                      headers=moderator)
    assert (await verdict(client, "95588"))["verdict"] == "official"


async def test_queue_filters_by_number_and_category(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    await report(client, number="13912345678")
    await report(client, number="13712345678", category="loan_scam")
    by_number = await (await client.get("/api/v1/moderation/reports", params={"number": "139 1234 5678"},
                                        headers=moderator)).json()
    assert [r["number_key"] for r in by_number["items"]] == ["+8613912345678"]
    by_category = await (await client.get("/api/v1/moderation/reports", params={"category": "loan_scam"},
                                          headers=moderator)).json()
    assert [r["number_key"] for r in by_category["items"]] == ["+8613712345678"]


async def test_report_detail_shows_the_numbers_history_and_current_verdict(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    first = (await report(client, address="198.51.100.1"))["id"]
    second = (await report(client, address="198.51.100.2"))["id"]
    detail = await (await client.get(f"/api/v1/moderation/reports/{first}", headers=moderator)).json()
    assert detail["report"]["id"] == first
    assert [r["id"] for r in detail["history"]] == [second, first]
    assert detail["verdict"]["number"]["key"] == "+8613912345678"
    assert detail["report"]["reporter"] != detail["history"][0]["reporter"]
    await assert_problem(await client.get("/api/v1/moderation/reports/999999", headers=moderator), 404)


async def test_deciding_a_decided_report_is_a_conflict(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    report_id = (await report(client))["id"]
    url = f"/api/v1/moderation/reports/{report_id}/decision"
    assert (await client.post(url, json={"decision": "reject"}, headers=moderator)).status == 200
    await assert_problem(await client.post(url, json={"decision": "approve"}, headers=moderator), 409)


async def test_every_moderator_action_is_in_the_audit_log_with_before_and_after(client: Any) -> None:
    moderator = await login_as(client, "moderator", "mod-ann")
    report_id = (await report(client))["id"]
    await client.post(f"/api/v1/moderation/reports/{report_id}/decision", json={"decision": "approve", "note": "n1"},
                      headers=moderator)
    audit = await (await client.get("/api/v1/moderation/audit", params={"target_type": "report"},
                                    headers=moderator)).json()
    entry = audit["items"][0]
    assert entry["actor"] == "mod-ann" and entry["action"] == "report.approve"
    assert entry["target_id"] == str(report_id)
    assert entry["before"] == {"status": "pending"} and entry["after"]["status"] == "approved"


async def test_bad_reports_get_problems_and_store_nothing(client: Any) -> None:
    moderator = await login_as(client, "moderator")
    bad_bodies = [
        ({"number": "no digits", "category": "other"}, 400, "number"),
        ({"number": SCAM, "category": "not-a-category"}, 422, "category"),
        ({"number": SCAM, "category": "other", "description": "x" * 2001}, 422, "description"),
        ({"number": SCAM, "category": "other", "occurred_at": "2999-01-01T00:00:00Z"}, 422, "occurred_at"),
        ({"number": SCAM, "category": "other", "evidence_url": "javascript:alert(1)"}, 422, "evidence_url"),
        ({"number": SCAM, "category": "other", "extra": 1}, 422, "extra"),
    ]
    for body, status, field in bad_bodies:
        await assert_problem(await client.post("/api/v1/reports", json=body), status, field)
    queue = await (await client.get("/api/v1/moderation/reports", headers=moderator)).json()
    assert queue["items"] == []


async def test_an_appeal_needs_four_chinese_characters_or_ten_characters(client: Any) -> None:
    """Both sides of each bound: 3 and 4 CJK characters, 9 and 10 other characters (trimmed)."""
    async def appeal(statement: str) -> Any:
        return await client.post("/api/v1/appeals", json={"number": SCAM, "statement": statement,
                                                          "contact": "owner@example.org"})

    for short in ("我的店", "  我的店  ", "our phone", "abc 12345", "店 shop"):
        body = await assert_problem(await appeal(short), 422, "statement")
        assert [e["code"] for e in body["errors"]] == ["statement_too_short"], short
    for enough in ("我的座机", " 我的座机 ", "our phones", "abc 123456", "店 my shop!", "私の電話", "내 가게 번호"):
        response = await appeal(enough)
        assert response.status == 202, (enough, await response.text())
    await assert_problem(await appeal("我" * 2001), 422, "statement")
    chinese = await client.post("/api/v1/appeals", json={"number": SCAM, "statement": "太短了", "contact": "a@b.c"},
                                headers={"Accept-Language": "zh-CN"})
    assert "至少写 4 个汉字" in str((await assert_problem(chinese, 422, "statement"))["errors"])
    schema = (await (await client.get("/openapi.json")).json())["components"]["schemas"]["AppealRequest"]
    assert schema["properties"]["statement"]["anyOf"][0] == {"minLength": 10}


async def test_sqlite_file_holds_no_raw_address_reporter_id_or_cookie(make_client: Any, tmp_path: Path) -> None:
    client = await make_client(trust_forwarded_for=True)
    from registry.records import Role  # noqa: F401  (accounts are not needed here)
    from verifier.http.app_keys import SERVICE
    from verifier.ops.crypto import API_KEY_PREFIX, new_token, token_digest

    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key("wallet", token_digest(key), key[:10], 1000, actor="test")
    secrets = {b"192.0.2.77", b"reporter-secret-4242", b"cookie-secret-xyz-987", key.encode(),
               b"shop@example.org", b"13812349876"}  # appeal contacts: sealed at rest
    await client.post("/api/v1/reports", json={"number": SCAM, "category": "other"},
                      headers=from_address("192.0.2.77"), cookies={"hv_reporter": "cookie-secret-xyz-987"})
    await client.post("/api/v1/reports", json={"number": SCAM, "category": "other", "reporter_id": "reporter-secret-4242"},
                      headers={**from_address("192.0.2.77"), "X-API-Key": key})
    await client.post("/api/v1/appeals", json={"number": SCAM, "statement": "this is my own shop's number",
                                               "contact": "shop@example.org"}, headers=from_address("192.0.2.77"))
    await client.post("/api/v1/appeals", json={"number": SCAM, "statement": "我的店铺号码，不是骗子",
                                               "contact": "13812349876"}, headers=from_address("192.0.2.77"))
    files = [p for p in tmp_path.iterdir() if p.name.startswith("verifier.sqlite3")]
    assert any(p.name.endswith(".sqlite3") for p in files)
    stored = b"".join(p.read_bytes() for p in files)
    assert b"this is my own shop" in stored  # the search does see the data
    for secret in secrets:
        assert secret not in stored, secret


async def test_admin_edits_the_registry_and_the_verdict_follows_with_an_audit_trail(client: Any) -> None:
    admin = await login_as(client, "admin", "root-admin")
    created = await client.post("/api/v1/admin/organizations", headers=admin, json={
        "id": "demo-bank", "name": "示例银行", "category": "bank", "aliases": ["示例"],
        "numbers": [{"number": "95000", "confidence": "official_page", "source_url": "https://demo.example/contact"}]})
    assert created.status == 201, await created.text()
    assert (await verdict(client, "95000"))["organization"]["id"] == "demo-bank"

    renamed = await client.patch("/api/v1/admin/organizations/demo-bank", json={"name_en": "Demo Bank"}, headers=admin)
    assert (await renamed.json())["name_en"] == "Demo Bank"
    added = await client.post("/api/v1/admin/organizations/demo-bank/numbers", headers=admin,
                              json={"number": "400-000-0000", "confidence": "single_source", "source_note": "a leaflet"})
    assert added.status == 201
    no_source = await client.post("/api/v1/admin/organizations/demo-bank/numbers", headers=admin,
                                  json={"number": "400-000-0001", "confidence": "single_source"})
    await assert_problem(no_source, 422)
    deleted = await client.delete("/api/v1/admin/organizations/demo-bank/numbers/CN:95000", headers=admin)
    assert deleted.status == 204
    assert (await verdict(client, "95000"))["verdict"] != "official"

    audit = await (await client.get("/api/v1/moderation/audit", params={"actor": "root-admin"},
                                    headers=admin)).json()
    actions = [e["action"] for e in audit["items"]]
    assert actions == ["registry.number.delete", "registry.official_number.create",
                       "registry.organization.update", "registry.official_number.create",
                       "registry.organization.create"]
    update = next(e for e in audit["items"] if e["action"] == "registry.organization.update")
    assert update["before"]["name_en"] is None and update["after"]["name_en"] == "Demo Bank"

"""Rate limits as callers meet them over HTTP: login throttling, anonymous verify per address,
a batch's cost, reports per reporter and per address (the limiters: verifier.limits)."""

from __future__ import annotations

from typing import Any

from tests.conftest import assert_problem, from_address, login_as


async def test_failed_logins_from_many_addresses_back_the_account_off_but_never_lock_it_out(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, login_failures_allowed=3)
    await login_as(client, "moderator", "target")
    for i in range(3):
        wrong = await client.post("/api/v1/auth/login", json={"username": "target", "password": f"guess{i}"},
                                  headers=from_address(f"198.51.100.{i}"))
        await assert_problem(wrong, 401)
    for i in range(3, 6):  # addresses that never failed are never refused: each failure doubles the wait, to 8 s
        fresh = await client.post("/api/v1/auth/login", json={"username": "target", "password": f"guess{i}"},
                                  headers=from_address(f"198.51.100.{i}"))  # (slack for a loaded machine's hashing)
        await assert_problem(fresh, 401)
    again = await client.post("/api/v1/auth/login", json={"username": "TARGET", "password": "guess again"},
                              headers=from_address("198.51.100.1"))  # a failed address, the name in capitals
    body = await assert_problem(again, 429)
    assert int(again.headers["Retry-After"]) > 0 and body["retry_after"] > 0
    right = await client.post("/api/v1/auth/login",
                              json={"username": "target", "password": "correct horse moderator battery"},
                              headers=from_address("198.51.100.99"))  # an address with no failures
    assert right.status == 200, await right.text()


async def test_anonymous_verify_is_limited_per_address_and_others_keep_being_served(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, anonymous_requests_per_minute=5)
    for _ in range(5):
        ok = await client.get("/api/v1/verify", params={"number": "95588"}, headers=from_address("198.51.100.1"))
        assert ok.status == 200
    limited = await client.get("/api/v1/verify", params={"number": "95588"}, headers=from_address("198.51.100.1"))
    await assert_problem(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    other = await client.get("/api/v1/verify", params={"number": "95588"}, headers=from_address("198.51.100.2"))
    assert other.status == 200


async def test_a_batch_costs_one_unit_per_number(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=10)
    ok = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 10})
    assert ok.status == 200
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"}), 429)


async def test_reports_are_limited_per_reporter_and_per_address(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, reports_per_reporter_per_hour=2,
                               reports_per_address_per_hour=3)
    body = {"number": "13912345678", "category": "other"}
    for cookie in ("a", "a"):
        assert (await client.post("/api/v1/reports", json=body, cookies={"hv_reporter": cookie},
                                  headers=from_address("198.51.100.1"))).status == 202
    await assert_problem(await client.post("/api/v1/reports", json=body, cookies={"hv_reporter": "a"},
                                           headers=from_address("198.51.100.1")), 429)
    # another cookie is no other reporter on the JSON API: its reporter is the address (issue 16, item 4)
    await assert_problem(await client.post("/api/v1/reports", json=body, cookies={"hv_reporter": "b"},
                                           headers=from_address("198.51.100.1")), 429)
    appeal = {"number": "13912345678", "statement": "这是我家的座机号码，没有打过诈骗电话。", "contact": "a@example.org"}
    assert (await client.post("/api/v1/appeals", json=appeal, headers=from_address("198.51.100.1"))).status == 202
    await assert_problem(await client.post("/api/v1/appeals", json=appeal,  # the address's fourth: over its 3
                                           headers=from_address("198.51.100.1")), 429)
    assert (await client.post("/api/v1/reports", json=body, headers=from_address("198.51.100.2"))).status == 202

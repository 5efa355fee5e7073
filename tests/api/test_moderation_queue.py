"""The moderation queue over HTTP counts voices exactly as the public verify answer does (issue
16, item 5): one address switching cookies is one voice in both."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import from_address, login_as
from tests.web.conftest import file_report
from verifier.http.app_keys import SERVICE
from verifier.http.callers import REPORTER_COOKIE
from verifier.state.queue import PageCache, queue_of

LONE, CROWDED = "13912345678", "13987654321"


@pytest.fixture
async def client(make_client: Any) -> Any:
    return await make_client(trust_forwarded_for=True, reports_per_address_per_hour=1000,
                             reports_per_reporter_per_hour=1000, anonymous_requests_per_minute=100000)


async def report(client: Any, number: str, address: str, cookie: str) -> None:
    body = {"number": number, "category": "refund_scam", "channel": "incoming_call", "description": "退款客服"}
    response = await client.post("/api/v1/reports", json=body,
                                 headers={**from_address(address), "Cookie": f"hv_reporter={cookie}"})
    assert response.status == 202, await response.text()


async def test_ten_cookies_from_one_address_are_one_voice_in_the_queue_as_in_the_verdict(client: Any) -> None:
    for n in range(10):
        await report(client, LONE, "198.51.100.7", f"cookie-{n:02d}-{'x' * 20}")
    for n in range(2):
        await report(client, CROWDED, f"198.51.100.{20 + n}", f"crowd-{n:02d}-{'y' * 20}")
    moderator = await login_as(client, "moderator")
    response = await client.get("/api/v1/moderation/reports", headers=moderator)
    assert response.status == 200, await response.text()
    items = (await response.json())["items"]
    verdict = await (await client.get("/api/v1/verify", params={"number": LONE})).json()
    assert verdict["reports"]["pending"] == 10 and verdict["reports"]["distinct_reporters"] == 1
    lone = [item for item in items if item["number_key"] == f"+86{LONE}"]
    assert len(lone) == 10 and {(item["pending_reporters"], item["pending_voices"]) for item in lone} == {(1, 1.0)}
    assert [item["number_key"] for item in items[:2]] == [f"+86{CROWDED}"] * 2  # two people outrank one's ten reports
    by_number = await client.get("/api/v1/moderation/reports", params={"number": LONE, "page_size": 3},
                                 headers=moderator)
    assert [item["number_key"] for item in (await by_number.json())["items"]] == [f"+86{LONE}"] * 3


async def test_ten_web_cookies_from_one_address_are_ten_reporters_but_one_voice_in_the_queue(client: Any) -> None:
    """The web form keeps the cookie as the reporter (ten reporter hashes are stored), and the
    queue still counts the one address once, as the verdict does (it used to say 10)."""
    for _ in range(10):
        client.session.cookie_jar.clear(lambda cookie: cookie.key == REPORTER_COOKIE)  # a fresh cookie each time
        await file_report(client, LONE)
    stored = await client.app[SERVICE].store.reports_for_number(f"+86{LONE}")
    assert len(stored) == 10 and len({report.reporter_hash for report in stored}) == 10
    verdict = await (await client.get("/api/v1/verify", params={"number": LONE})).json()
    assert verdict["reports"]["distinct_reporters"] == 1
    moderator = await login_as(client, "moderator")
    items = (await (await client.get("/api/v1/moderation/reports", headers=moderator)).json())["items"]
    assert len(items) == 10 and {item["pending_reporters"] for item in items} == {1}


async def test_a_cached_queue_page_equals_the_page_computed_afresh_and_never_outlives_a_change(client: Any) -> None:
    """The JSON API keeps a queue page as sent while nothing it shows can have changed
    (verifier.state.queue.PageCache): the kept page is byte for byte the page computed afresh,
    and a new report or a decision is on the very next page."""
    for n in range(3):
        await report(client, CROWDED, f"198.51.100.{30 + n}", f"crowd-{n:02d}-{'z' * 20}")
    moderator = await login_as(client, "moderator")
    service = client.app[SERVICE]

    async def page(**params: Any) -> bytes:
        response = await client.get("/api/v1/moderation/reports", params=params, headers=moderator)
        assert response.status == 200, await response.text()
        return await response.read()

    first = await page()
    kept = await page()  # served from the cache
    assert queue_of(service).pages.get(service, "") == kept
    queue_of(service).pages = PageCache()  # the plain path
    assert kept == first == await page()
    by_status = await page(status="pending", page_size=2)
    assert by_status != first and by_status == await page(status="pending", page_size=2)

    await report(client, LONE, "198.51.100.40", "lone-cookie-" + "q" * 20)
    after_report = await page()
    assert after_report != first and f"+86{LONE}".encode() in after_report
    report_id = json.loads(after_report)["items"][0]["id"]
    decided = await client.post(f"/api/v1/moderation/reports/{report_id}/decision",
                                json={"decision": "reject"}, headers=moderator)
    assert decided.status == 200, await decided.text()
    after_decision = await page()
    assert all(item["id"] != report_id for item in json.loads(after_decision)["items"])
    queue_of(service).pages = PageCache()
    assert after_decision == await page()

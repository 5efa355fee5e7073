"""The console's login cookie on the JSON API: reads, yes; a write only with the login's CSRF
token in X-CSRF-Token (else 403 problem+json), so another site cannot make a logged-in
moderator's browser decide reports. Bearer tokens need no CSRF token."""

from __future__ import annotations

from typing import Any

from tests.conftest import assert_problem, from_address, login_as
from tests.web.conftest import csrf_of, fetch, web_login
from verifier.http.app_keys import SERVICE
from verifier.http.callers import SESSION_COOKIE


async def _report(client: Any, number: str) -> int:
    response = await client.post("/api/v1/reports", json={"number": number, "category": "refund_scam"},
                                 headers=from_address("198.51.100.4"))
    return int((await response.json())["id"])


async def test_a_console_cookie_alone_cannot_write_through_the_api(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    first, second = await _report(client, "13911112222"), await _report(client, "13933334444")
    await web_login(client)  # the browser now holds the console's hv_session cookie
    _, queue_page = await fetch(client, "/moderation")
    token = csrf_of(queue_page)

    assert (await client.get("/api/v1/moderation/reports")).status == 200  # a read needs no token
    body = await assert_problem(await client.post(f"/api/v1/moderation/reports/{first}/decision",
                                                  json={"decision": "approve"}), 403)
    assert body["type"].endswith("/csrf") and "X-CSRF-Token" in body["detail"]
    await assert_problem(await client.post(f"/api/v1/moderation/reports/{first}/decision", json={"decision": "approve"},
                                           headers={"X-CSRF-Token": "a-guess"}), 403)
    await assert_problem(await client.post("/api/v1/moderation/numbers/decision",
                                           json={"number": "13911112222", "decision": "approve"}), 403)
    await assert_problem(await client.post("/api/v1/auth/logout"), 403)
    assert (await client.app[SERVICE].store.get_report(first)).status.value == "pending"  # nothing was decided

    with_token = await client.post(f"/api/v1/moderation/reports/{first}/decision", json={"decision": "approve"},
                                   headers={"X-CSRF-Token": token})
    assert with_token.status == 200, await with_token.text()
    assert (await client.app[SERVICE].store.get_report(first)).status.value == "approved"

    client.session.cookie_jar.clear()  # a bearer token needs no CSRF token
    bearer = await login_as(client, "moderator", "api-moderator")
    by_bearer = await client.post(f"/api/v1/moderation/reports/{second}/decision", json={"decision": "reject"},
                                  headers=bearer)
    assert by_bearer.status == 200, await by_bearer.text()


async def test_an_api_token_put_in_the_cookie_cannot_write_either(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    report = await _report(client, "13955556666")
    token = (await login_as(client, "moderator"))["Authorization"].removeprefix("Bearer ")
    refused = await client.post(f"/api/v1/moderation/reports/{report}/decision", json={"decision": "approve"},
                                cookies={SESSION_COOKIE: token}, headers={"X-CSRF-Token": ""})
    await assert_problem(refused, 403)

"""Issue 16, items 1 and 4, over HTTP on a real SQLite file: what one API key's users, or one
address's cookies, can do to verdicts is bounded (docs/reports.md, "Voices and weights")."""

from __future__ import annotations

from typing import Any

from tests.conftest import from_address, login_as
from tests.web.conftest import file_report
from verifier.http.app_keys import SERVICE, SETTINGS
from verifier.http.callers import REPORTER_COOKIE
from verifier.ops.crypto import API_KEY_PREFIX, new_token, token_digest
from verifier.state.snapshots import load_reports

SCAM = "13912345678"


async def make_key(client: Any, name: str, rate_limit: int = 100_000, vouches: int | None = None) -> dict[str, str]:
    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key(name, token_digest(key), key[:10], rate_limit, actor="test",
                                                vouches=vouches)
    return {"X-API-Key": key}


async def send(client: Any, headers: dict[str, str], number: str = SCAM, **fields: Any) -> Any:
    body = {"number": number, "category": "fake_customer_service", "channel": "incoming_call", **fields}
    return await client.post("/api/v1/reports", json=body, headers=headers)


async def answer(client: Any, number: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return await (await client.get("/api/v1/verify", params={"number": number}, headers=headers or {})).json()


async def test_three_users_of_a_default_key_can_flag_the_scam_that_just_called(make_client: Any) -> None:
    client = await make_client()
    wallet = await make_key(client, "wallet")
    for user in ("u1", "u2", "u3"):
        assert (await send(client, wallet, reporter_id=user)).status == 202
    assert (await answer(client, SCAM, wallet))["verdict"] == "suspicious"


async def test_a_flood_through_one_default_key_makes_only_its_vouched_few_numbers_suspicious(
        make_client: Any) -> None:
    client = await make_client()
    wallet = await make_key(client, "wallet")
    numbers = [f"1391234{n:04d}" for n in range(300)]
    for n, number in enumerate(numbers):  # 900 reports, three made-up users on each of 300 numbers
        for user in range(3):
            response = await send(client, wallet, number=number, reporter_id=f"user-{n}-{user}")
            assert response.status == 202, await response.text()  # accepted: evidence for the moderators
    verdicts = [(await answer(client, number, wallet))["verdict"] for number in numbers]
    assert client.app[SETTINGS].key_vouches_per_hour == 9  # the default: three numbers at three voices each
    assert verdicts.count("suspicious") == 3 and verdicts[:3] == ["suspicious"] * 3  # within the budget, they count
    # the book rebuilt from the store (a restart, another process) holds the same voices and origins
    service = client.app[SERVICE]
    rebuilt = await load_reports(service.store)
    assert len(rebuilt) == len(service.knowledge.reports) == 900
    for key in service.knowledge.reports.keys():
        assert sorted(rebuilt.records(key)) == sorted(service.knowledge.reports.records(key))


async def test_a_keys_rate_limit_covers_its_reports(make_client: Any) -> None:
    client = await make_client()
    slow = await make_key(client, "slow", rate_limit=2)
    statuses = [(await send(client, slow, number=f"1391234{n:04d}", reporter_id=f"u{n}")).status for n in range(8)]
    assert statuses == [202, 202] + [429] * 6


async def test_a_vouching_key_counts_its_users_as_far_as_the_operator_set_and_zero_never(make_client: Any) -> None:
    client = await make_client()
    bank = await make_key(client, "bank-app", vouches=30)
    mute = await make_key(client, "unvouched", vouches=0)
    numbers = [f"1380000{n:04d}" for n in range(10)]
    for number in numbers:
        for user in ("u1", "u2", "u3"):
            assert (await send(client, bank, number=number, reporter_id=user)).status == 202
            assert (await send(client, mute, number="13700000000", reporter_id=user)).status == 202
    assert [(await answer(client, number, bank))["verdict"] for number in numbers] == ["suspicious"] * 10
    unvouched = await answer(client, "13700000000", bank)
    assert unvouched["verdict"] == "unknown" and unvouched["reports"]["distinct_reporters"] == 1


async def test_a_burst_from_one_key_is_one_named_source_to_the_moderators(make_client: Any) -> None:
    client = await make_client()
    wallet = await make_key(client, "wallet")
    ids = [(await (await send(client, wallet, number=f"1391234{n:04d}", reporter_id=f"u{n}")).json())["id"]
           for n in range(12)]
    moderator = await login_as(client, "moderator")
    detail = await (await client.get(f"/api/v1/moderation/reports/{ids[0]}", headers=moderator)).json()
    assert detail["report"]["api_key_name"] == "wallet" and detail["key_reports_last_hour"] == 12
    queue = await (await client.get("/api/v1/moderation/reports", headers=moderator)).json()
    assert {item["api_key_name"] for item in queue["items"]} == {"wallet"}


async def test_the_json_api_takes_no_reporter_cookie_as_an_identity(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)  # 10 reports per reporter an hour, 30 per address
    statuses = []
    for n in range(12):
        response = await client.post("/api/v1/reports", headers=from_address("198.51.100.9"),
                                     cookies={REPORTER_COOKIE: f"fresh-cookie-{n}"},
                                     json={"number": f"1391234{n:04d}", "category": "refund_scam",
                                           "channel": "incoming_call"})
        statuses.append(response.status)
    assert statuses == [202] * 10 + [429] * 2  # one address is one reporter, whatever its cookies


async def test_after_a_rejection_a_fresh_web_cookie_does_not_restore_full_trust(make_client: Any) -> None:
    client = await make_client()
    smear = await file_report(client, number="13800138000")
    moderator = await login_as(client, "moderator")
    decided = await client.post(f"/api/v1/moderation/reports/{smear}/decision",
                                json={"decision": "reject", "note": "a smear"}, headers=moderator)
    assert decided.status == 200
    client.session.cookie_jar.clear()  # a brand-new browser identity, from the same address
    await file_report(client, number=SCAM)
    reports = (await answer(client, SCAM))["reports"]
    assert reports["pending"] == 1 and reports["weight"] == round(1 / 3, 3)

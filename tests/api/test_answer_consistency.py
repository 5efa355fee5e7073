"""An answer never contradicts itself: its reasons agree with its own report counts."""

from __future__ import annotations

from typing import Any

from tests.conftest import from_address, login_as


async def _client(make_client: Any) -> Any:
    return await make_client(trust_forwarded_for=True, reports_per_address_per_hour=1000,
                             reports_per_reporter_per_hour=1000, anonymous_requests_per_minute=100000)


async def _report(client: Any, number: str, address: str, reporter: str) -> int:
    body = {"number": number, "category": "fake_customer_service", "channel": "incoming_call",
            "claimed_org": "工商银行", "description": "说我的账户被冻结", "reporter_id": reporter}
    response = await client.post("/api/v1/reports", json=body, headers=from_address(address))
    assert response.status == 202, await response.text()
    return (await response.json())["id"]


def _check(answer: dict[str, Any]) -> None:
    codes = [reason["code"] for reason in answer["reasons"]]
    reports = answer["reports"]
    live = reports["approved"] + reports["pending"]
    if live:
        assert "no_signal" not in codes, answer  # "we have no record" beside counted reports
        assert {"confirmed_reports", "pending_reports", "reports_under_review", "official_number_spoofed"} & set(codes)
    if "confirmed_reports" in codes:
        assert reports["approved"] > 0
    if "pending_reports" in codes or "reports_under_review" in codes:
        assert reports["pending"] > 0
    if not live:
        assert not {"confirmed_reports", "pending_reports", "reports_under_review"} & set(codes)


async def test_reasons_agree_with_the_report_counts_for_every_kind_of_answer(make_client: Any) -> None:
    client = await _client(make_client)
    numbers = {"none": "13912340000", "one": "13912340001", "two": "13912340002", "three": "13912340003",
               "approved": "13912340004", "official": "95588", "foreign": "+95588", "invalid": "+86 1380013800",
               "lookalike": "95589", "inbound": "4008205555"}
    for index, (kind, number) in enumerate(numbers.items()):
        count = {"one": 1, "two": 2, "three": 3, "approved": 1, "official": 2, "foreign": 1, "invalid": 1,
                 "lookalike": 2, "inbound": 1}.get(kind, 0)
        ids = [await _report(client, number, f"198.51.100.{index * 4 + n + 1}", f"r{index}-{n}") for n in range(count)]
        if kind == "approved":
            moderator = await login_as(client, "moderator")
            decided = await client.post(f"/api/v1/moderation/reports/{ids[0]}/decision",
                                        json={"decision": "approve", "note": "known script"}, headers=moderator)
            assert decided.status == 200
    for number in numbers.values():
        for params in ({}, {"claimed_org": "工商银行"}, {"context": "incoming_call"}):
            answer = await (await client.get("/api/v1/verify", params={"number": number, **params})).json()
            _check(answer)
    assert "reports_under_review" in [r["code"] for r in (await (await client.get(
        "/api/v1/verify", params={"number": numbers["one"]})).json())["reasons"]]

"""Issue 16, item 3: a pasted text is charged for the numbers and links it checks, and a text
with more than VERIFIER_TEXT_MAX_CHECKS of them is refused (413) before any is checked."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assert_problem
from verifier.actions.check_text import scan
from verifier.core.text.budget import TooManyChecks
from verifier.core.text.digits import TooManyCandidates, classify_digits
from verifier.schemas.answers import TextRequest

DATA = Path(__file__).resolve().parents[1] / "data" / "accuracy"
THREE_NUMBERS = "工行客服95588，建行95533，招行95555，都是官方号码。"


async def test_a_text_of_hundreds_of_numbers_is_refused_413_naming_the_cap(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=1000)
    response = await client.post("/api/v1/verify/text", json={"text": "95588 " * 833, "lang": "en"})
    problem = await assert_problem(response, 413)
    assert problem["type"].endswith("/text-too-many-checks") and "20" in problem["detail"]
    links = " ".join(f"http://a{i}.example.cn" for i in range(21))
    await assert_problem(await client.post("/api/v1/verify/text", json={"text": links}), 413)


async def test_a_text_is_charged_one_verify_unit_per_number_and_link_it_checks(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=7)
    for _ in range(2):  # 3 numbers each: 6 of the 7 units
        response = await client.post("/api/v1/verify/text", json={"text": THREE_NUMBERS})
        assert response.status == 200, await response.text()
        assert len((await response.json())["numbers"]) == 3
    refused = await client.post("/api/v1/verify/text", json={"text": THREE_NUMBERS})
    await assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1


async def test_the_cap_counts_numbers_and_links_together_and_allows_exactly_the_cap(make_client: Any) -> None:
    client = await make_client(text_max_checks=4, anonymous_requests_per_minute=1000)
    allowed = THREE_NUMBERS + " 详见 http://icbc.com.cn"
    response = await client.post("/api/v1/verify/text", json={"text": allowed})
    assert response.status == 200, await response.text()
    body = await response.json()
    assert len(body["numbers"]) + len(body["links"]) == 4
    over = allowed + " 或 http://ccb.com"
    await assert_problem(await client.post("/api/v1/verify/text", json={"text": over}), 413)


async def test_a_refused_text_costs_one_unit_only(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=3)
    for _ in range(3):
        await assert_problem(await client.post("/api/v1/verify/text", json={"text": "95588 " * 100}), 413)
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"}), 429)


def test_the_phone_candidate_search_stops_early_on_a_text_full_of_numbers() -> None:
    with pytest.raises(TooManyCandidates):
        classify_digits("95588 " * 833, "CN", max_phone_candidates=80)
    few = classify_digits("95588 " * 10, "CN", max_phone_candidates=80)
    assert few == classify_digits("95588 " * 10, "CN")  # under the bound: the same reading as without one


@pytest.mark.parametrize("name", ["sms_legitimate.csv", "sms_scam.csv"])
def test_every_real_sms_of_the_accuracy_sets_fits_under_the_default_cap(name: str) -> None:
    from verifier.core.knowledge import Knowledge

    kb = Knowledge.build([])
    with (DATA / name).open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            try:
                scan(kb, TextRequest(text=row["text"]), max_checks=20)
            except TooManyChecks:  # pragma: no cover - the failure message names the message
                pytest.fail(f"{name} {row['id']}: a real SMS refused as too many checks")


async def test_a_long_text_costs_one_unit_per_250_characters_even_with_nothing_to_check(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=4)
    long_text = "您的账户存在异常，请立即联系客服办理解冻。" * 50  # cut to 1,000 characters: 4 units
    response = await client.post("/api/v1/verify/text", json={"text": long_text[:1000]})
    assert response.status == 200, await response.text()
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"}), 429)

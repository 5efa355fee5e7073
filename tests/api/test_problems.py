"""Bad input gets a clear problem+json answer, never a 500."""

from __future__ import annotations

from typing import Any

from tests.conftest import assert_problem


async def test_malformed_json_is_a_400_naming_the_problem(client: Any) -> None:
    response = await client.post("/api/v1/verify", data=b'{"number": ', headers={"Content-Type": "application/json"})
    body = await assert_problem(response, 400)
    assert "JSON" in body["detail"]


async def test_a_body_that_is_not_an_object_is_refused(client: Any) -> None:
    await assert_problem(await client.post("/api/v1/verify", json=["95588"]), 422)


async def test_wrong_content_type_is_a_415(client: Any) -> None:
    response = await client.post("/api/v1/verify", data="number=95588",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    await assert_problem(response, 415)


async def test_unknown_fields_are_refused_by_name(client: Any) -> None:
    response = await client.post("/api/v1/verify", json={"number": "95588", "numbr": "1"})
    await assert_problem(response, 422, "numbr")


async def test_wrong_types_are_refused_by_name(client: Any) -> None:
    await assert_problem(await client.post("/api/v1/verify", json={"number": 95588}), 422, "number")
    await assert_problem(await client.post("/api/v1/verify/batch", json={"items": "95588"}), 422, "items")


async def test_an_oversized_body_is_a_413(make_client: Any) -> None:
    client = await make_client(max_body_bytes=4096)
    response = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 400})
    await assert_problem(response, 413)


async def test_a_batch_over_the_configured_limit_is_a_413(make_client: Any) -> None:
    client = await make_client(batch_max_items=5)
    response = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 6})
    await assert_problem(response, 413)


async def test_unknown_address_is_a_404_problem(client: Any) -> None:
    await assert_problem(await client.get("/api/v1/nothing-here"), 404)


async def test_wrong_method_is_a_405_problem_with_allow(client: Any) -> None:
    response = await client.delete("/api/v1/verify")
    await assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


async def test_repeated_query_parameters_are_refused(client: Any) -> None:
    response = await client.get("/api/v1/verify?number=95588&number=95599")
    await assert_problem(response, 422, "number")


async def test_text_with_control_and_odd_unicode_never_breaks_verify(client: Any) -> None:
    for raw in ("\x00", "\u202e95588", "９５５８８\u200b", "🙂🙂", "tel:", "+", "()", "0" * 64, "转3"):
        response = await client.get("/api/v1/verify", params={"number": raw})
        assert response.status in (200, 400), (raw, response.status)

"""Bad requests are refused cleanly, on every operation that takes a body or a query: each a 4xx
problem+json that names the problem. (tests/api/test_problems.py has one example of each kind; this
walks every operation, so a new one cannot forget.)"""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import assert_problem, login_as
from verifier.api.openapi import build_openapi
from verifier.http.io import operation_of

PATH_VALUES = {"org_id": "icbc", "key": "CN:95588", "report_id": "1", "appeal_id": "1", "prefix": "a1b2"}


def body_operations(app: Any) -> list[tuple[str, str, Any]]:
    """(method, concrete path, operation) for every operation that reads a JSON body."""
    found = []
    for route in app.router.routes():
        op = operation_of(route.handler)
        if op is None or op.body is None:
            continue
        info = route.resource.get_info()
        path = info.get("formatter") or info["path"]
        for name, value in PATH_VALUES.items():
            path = path.replace("{" + name + "}", value)
        found.append((route.method, path, op))
    return sorted(found, key=lambda item: (item[1], item[0]))


def query_operations(app: Any) -> list[tuple[str, Any]]:
    return sorted((route.resource.get_info().get("path") or route.resource.get_info()["formatter"], op)
                  for route in app.router.routes()
                  if (op := operation_of(route.handler)) is not None and op.query is not None
                  and route.method == "GET")


def headers_for(op: Any, admin: dict[str, str]) -> dict[str, str]:
    return admin if op.auth else {}


@pytest.fixture
async def admin(client: Any) -> dict[str, str]:
    return await login_as(client, "admin")


async def test_every_body_operation_answers_an_oversized_body_with_413(make_client: Any) -> None:
    client = await make_client(max_body_bytes=1024)
    admin = await login_as(client, "admin")
    operations = body_operations(client.app)
    assert len(operations) >= 13
    big = {"filler": "x" * 2048}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(8):
            yield b" " * 512
        yield b"{}"

    for method, path, op in operations:
        problem = await assert_problem(await client.request(method, path, json=big, headers=headers_for(op, admin)), 413)
        assert "larger" in problem["detail"], (method, path)
        streamed = await client.request(method, path, data=chunks(),
                                        headers={**headers_for(op, admin), "Content-Type": "application/json"})
        await assert_problem(streamed, 413)
    assert (await client.get("/api/v1/verify", params={"number": "95588"})).status == 200  # still serving


MALFORMED = [
    b'{"number": ',
    b"{'number': '95588'}",
    b'{"number": "95588",}',
    b"\xff\xfe{",
    b"[" * 100_000,  # nesting far past any parser's depth
    b'{"number": 1e999}',
    b'{"number": "\\ud800"}',  # a lone surrogate
    b"",
]


async def test_every_body_operation_answers_malformed_json_with_400(client: Any, admin: dict[str, str]) -> None:
    for method, path, op in body_operations(client.app):
        for raw in MALFORMED:
            response = await client.request(method, path, data=raw,
                                            headers={**headers_for(op, admin), "Content-Type": "application/json"})
            problem = await assert_problem(response, 400)
            assert "JSON" in problem["detail"] and problem["type"].endswith("/malformed-json"), (path, raw[:20])


CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/xml", "application/json-patch+json", None]


async def test_every_body_operation_answers_another_content_type_with_415(client: Any, admin: dict[str, str]) -> None:
    for method, path, op in body_operations(client.app):
        for content_type in CONTENT_TYPES:
            headers = headers_for(op, admin)
            if content_type is not None:
                headers = {**headers, "Content-Type": content_type}
            response = await client.request(method, path, data=b'{"number": "95588"}', headers=headers)
            problem = await assert_problem(response, 415)
            assert "application/json" in problem["detail"], (method, path, problem)


async def test_every_body_operation_answers_a_body_that_is_not_an_object_with_422(client: Any,
                                                                                  admin: dict[str, str]) -> None:
    for method, path, op in body_operations(client.app):
        for body in (b"[]", b'"95588"', b"95588", b"null", b"true"):
            response = await client.request(method, path, data=body,
                                            headers={**headers_for(op, admin), "Content-Type": "application/json"})
            await assert_problem(response, 422, "(body)")


async def test_every_body_operation_names_an_unknown_field(client: Any, admin: dict[str, str]) -> None:
    for method, path, op in body_operations(client.app):
        response = await client.request(method, path, json={"surplus_field": 1}, headers=headers_for(op, admin))
        await assert_problem(response, 422, "surplus_field")


def wrong_value(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value of the wrong JSON type for a property schema."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    types = {option.get("type") for option in schema.get("anyOf", [schema])}
    if "$ref" in str(schema.get("anyOf", "")) or "enum" in schema:
        return {"not": "a choice"}
    if types & {"array", "object"}:
        return 12345
    return {"an": "object"}


async def test_every_field_of_every_body_with_a_wrong_type_is_named(client: Any, admin: dict[str, str]) -> None:
    spec = build_openapi(client.app)
    components = spec["components"]["schemas"]
    checked = 0
    for method, path, op in body_operations(client.app):
        schema = op.body.model_json_schema()
        for field, prop in schema["properties"].items():
            body = {field: wrong_value(prop, {**components, **schema.get("$defs", {})})}
            response = await client.request(method, path, json=body, headers=headers_for(op, admin))
            await assert_problem(response, 422, field)
            checked += 1
    assert checked >= 50


async def test_nested_items_are_named_by_their_position(client: Any, admin: dict[str, str]) -> None:
    items = [{"number": "95588"}] * 3 + [{"number": 95588}] + [{"number": "95588", "extra": True}]
    response = await client.post("/api/v1/verify/batch", json={"items": items})
    assert response.status == 200  # a malformed item is that item's error, never the whole batch's (docs/errors.md)
    results = (await response.json())["results"]
    assert [r["error"] is None for r in results] == [True, True, True, False, False]
    assert [e["field"] for e in results[3]["error"]["errors"]] == ["items.3.number"]
    assert [e["field"] for e in results[4]["error"]["errors"]] == ["items.4.extra"]
    assert results[3]["error"]["status"] == results[4]["error"]["status"] == 422
    numbers = [{"number": "95588", "confidence": "official_page", "source_note": "x"},
               {"number": "95588", "confidence": "very sure", "source_note": "x"}]
    response = await client.post("/api/v1/admin/organizations", headers=admin,
                                 json={"id": "new-org", "name": "新", "numbers": numbers})
    await assert_problem(response, 422, "numbers.1.confidence")


async def test_every_query_operation_names_unknown_wrongly_typed_and_repeated_parameters(client: Any,
                                                                                         admin: dict[str, str]) -> None:
    operations = query_operations(client.app)
    assert len(operations) >= 6
    for path, op in operations:
        base = {"number": "95588"} if path == "/api/v1/verify" else {}
        headers = headers_for(op, admin)
        await assert_problem(await client.get(path, params={**base, "surplus": "1"}, headers=headers), 422, "surplus")
        for name, field in op.query.model_fields.items():
            if field.annotation is int or int in typing.get_args(field.annotation):
                response = await client.get(path, params={**base, name: "many"}, headers=headers)
                await assert_problem(response, 422, name)
            repeated = f"{path}?{'&'.join(f'{k}={v}' for k, v in base.items())}&{name}=1&{name}=2"
            await assert_problem(await client.get(repeated, headers=headers), 422, name)


async def test_out_of_range_paging_is_refused_by_name(client: Any, admin: dict[str, str]) -> None:
    for path in ("/api/v1/moderation/reports", "/api/v1/moderation/appeals", "/api/v1/moderation/audit"):
        for params, field in (({"page": "0"}, "page"), ({"page_size": "0"}, "page_size"),
                              ({"page_size": "201"}, "page_size"), ({"page": "-1"}, "page"),
                              ({"page": "99999999999999999999999"}, "page")):
            await assert_problem(await client.get(path, params=params, headers=admin), 422, field)
    for params, field in (({"limit": "0"}, "limit"), ({"limit": "10001"}, "limit"), ({"since": "-1"}, "since"),
                          ({"since": str(2**63)}, "since"), ({"after": "k" * 65}, "after")):
        await assert_problem(await client.get("/api/v1/blocklist", params=params), 422, field)
    await assert_problem(await client.get("/api/v1/organizations", params={"limit": "201"}), 422, "limit")


async def test_a_batch_at_the_configured_limit_is_served_and_one_more_is_a_413(make_client: Any) -> None:
    client = await make_client(batch_max_items=20, anonymous_requests_per_minute=40)
    ok = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 20})
    assert ok.status == 200 and (await ok.json())["count"] == 20
    problem = await assert_problem(await client.post("/api/v1/verify/batch",
                                                     json={"items": [{"number": "95588"}] * 21}), 413)
    assert "20" in problem["detail"] and problem["type"].endswith("/batch-too-large")
    await assert_problem(await client.post("/api/v1/verify/batch", json={"items": []}), 422, "items")
    # the refused batch was not charged against the caller's allowance
    assert (await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 20})).status == 200


async def test_ids_in_paths_that_are_not_ids_are_404_problems(client: Any, admin: dict[str, str]) -> None:
    for raw in ("abc", "-1", "1.5", "0x10", "1" * 19, "%20", "1%00"):
        for method, path in (("GET", f"/api/v1/moderation/reports/{raw}"),
                             ("POST", f"/api/v1/moderation/reports/{raw}/decision"),
                             ("POST", f"/api/v1/moderation/appeals/{raw}/decision")):
            decision = "uphold" if "/appeals/" in path else "approve"
            response = await client.request(method, path, json={"decision": decision}, headers=admin)
            await assert_problem(response, 404)

"""verifier.http.edge, the wrapper around every handler: whatever a handler raises becomes the one
problem shape (an HTML page off the API), every response and redirect carries the request's id
and the security headers, and each request is counted and logged once under its route's pattern.
A real app (real SQLite file) with a few handlers of the test's own, registered as routes are."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from aiohttp import web
from pydantic import BaseModel

from registry.store.errors import Conflict, NotFound, StoreUnavailable
from tests.conftest import assert_problem
from verifier.http.app import create_app
from verifier.http.edge import edge
from verifier.http.headers import API_SECURITY_HEADERS, SECURITY_HEADERS
from verifier.http.io import json_bytes, operation, operation_of
from verifier.http.problems import ProblemError
from verifier.http.routing import EdgeRouter
from verifier.ops.logs import ACCESS_LOG, REQUEST_ID
from verifier.ops.settings import Settings

RAISED: dict[str, Exception] = {
    "unexpected": RuntimeError("secret detail 13912345678"),
    "problem": ProblemError(409, "Already decided.", kind="already-decided", headers={"Retry-After": "1"}),
    "not-found": NotFound("no such report"),
    "conflict": Conflict("report 7 already decided"),
    "unavailable": StoreUnavailable("disk full"),
    "http": web.HTTPForbidden(),
}


class Strict(BaseModel):
    number: str


@pytest.fixture
async def client(aiohttp_client: Any, tmp_path: Any) -> Any:
    """The app, plus: /api/v1/test/raise/{what} raises RAISED[what]; /api/v1/test/invalid raises a
    ValidationError; /api/v1/test/moved redirects; /api/v1/test/id answers with the request id
    the handler saw (a plain function); /test/page-raise is a page that fails."""
    app = create_app(Settings(database=str(tmp_path / "verifier.sqlite3")))
    router = EdgeRouter(app)

    async def raise_(request: web.Request) -> web.StreamResponse:
        raise RAISED[request.match_info["what"]]

    async def invalid(request: web.Request) -> web.StreamResponse:
        Strict.model_validate({"number": 95588})
        raise AssertionError("unreachable")

    async def moved(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/api/v1/test/id")

    def seen_id(request: web.Request) -> web.StreamResponse:
        return json_bytes(json.dumps({"request_id": REQUEST_ID.get()}).encode())

    async def page_raise(request: web.Request) -> web.StreamResponse:
        raise RuntimeError("a page failed")

    router.add_get("/api/v1/test/raise/{what}", raise_)
    router.add_get("/api/v1/test/invalid", invalid)
    router.add_get("/api/v1/test/moved", moved)
    router.add_get("/api/v1/test/id", seen_id)
    router.add_get("/test/page-raise", page_raise)
    return await aiohttp_client(app)


def access_lines(client: Any) -> list[dict[str, Any]]:
    access = client.app[ACCESS_LOG]
    access.flush()
    return [json.loads(line) for line in access.stream.getvalue().splitlines()]


async def test_an_unexpected_error_is_a_500_problem_that_tells_the_caller_nothing_of_it(
        client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    client.app[ACCESS_LOG].stream = io.StringIO()
    response = await client.get("/api/v1/test/raise/unexpected")
    body = await assert_problem(response, 500)
    assert body["type"].endswith("/internal") and body["instance"] == "/api/v1/test/raise/unexpected"
    assert "secret" not in json.dumps(body) and "13912345678" not in json.dumps(body)
    request_id = response.headers["X-Request-Id"]
    assert {k: response.headers[k] for k in API_SECURITY_HEADERS} == API_SECURITY_HEADERS
    [logged] = [r for r in caplog.records if r.name == "verifier.http.problems"]
    assert logged.levelno == logging.ERROR and isinstance(logged.exc_info[1], RuntimeError)  # type: ignore[index]
    [line] = access_lines(client)
    assert (line["route"], line["method"], line["status"], line["request_id"]) == (
        "/api/v1/test/raise/{what}", "GET", 500, request_id)
    text = await (await client.get("/metrics")).text()
    assert 'hv_http_requests_total{method="GET",route="/api/v1/test/raise/{what}",status="500"} 1.0' in text


@pytest.mark.parametrize(("what", "status", "kind", "headers"), [
    ("problem", 409, "already-decided", {"Retry-After": "1"}),
    ("not-found", 404, "not-found", {}),
    ("conflict", 409, "conflict", {}),
    ("unavailable", 503, "store-unavailable", {"Retry-After": "5"}),
    ("http", 403, "forbidden", {}),
])
async def test_what_a_handler_raises_is_answered_as_its_problem(
        client: Any, what: str, status: int, kind: str, headers: dict[str, str]) -> None:
    response = await client.get(f"/api/v1/test/raise/{what}")
    body = await assert_problem(response, status)
    assert body["type"].endswith("/" + kind)
    assert {k: response.headers.get(k) for k in headers} == headers
    assert response.headers["X-Request-Id"]


async def test_a_validation_error_a_handler_lets_through_names_its_field(client: Any) -> None:
    body = await assert_problem(await client.get("/api/v1/test/invalid"), 422, "number")
    assert body["errors"][0]["in"] == "body"


async def test_a_redirect_travels_with_its_request_id_and_security_headers_and_is_counted(
        client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="verifier.requests")
    client.app[ACCESS_LOG].stream = io.StringIO()
    response = await client.get("/api/v1/test/moved", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (302, "/api/v1/test/id")
    assert response.headers["X-Request-Id"]
    assert {k: response.headers[k] for k in API_SECURITY_HEADERS} == API_SECURITY_HEADERS
    [line] = access_lines(client)
    assert (line["status"], line["request_id"]) == (302, response.headers["X-Request-Id"])
    text = await (await client.get("/metrics")).text()
    assert 'hv_http_requests_total{method="GET",route="/api/v1/test/moved",status="302"} 1.0' in text


async def test_the_handler_runs_with_the_requests_id_as_the_current_one(client: Any) -> None:
    """So every log line written while handling a request carries its id (RequestIdFilter)."""
    response = await client.get("/api/v1/test/id")
    assert (await response.json())["request_id"] == response.headers["X-Request-Id"] != "-"
    kept = await client.get("/api/v1/test/id", headers={"X-Request-Id": "trace-1234abcd"})
    assert (await kept.json())["request_id"] == "trace-1234abcd"


async def test_a_page_that_fails_gets_an_html_error_page_with_the_page_headers(client: Any) -> None:
    response = await client.get("/test/page-raise")
    assert (response.status, response.content_type) == (500, "text/html")
    assert "a page failed" not in await response.text()
    assert {k: response.headers[k] for k in SECURITY_HEADERS} == SECURITY_HEADERS
    assert response.headers["X-Request-Id"]


def test_the_edge_keeps_the_handlers_name_and_operation_record(tmp_path: Any) -> None:
    app = create_app(Settings(database=str(tmp_path / "verifier.sqlite3")))

    @operation("probe", tags=("test",))
    async def probe(request: web.Request) -> web.StreamResponse:
        return web.Response()

    edged = edge(probe, "/api/v1/probe", app, api=True)
    assert edged.__name__ == "probe" and edged.__wrapped__ is probe  # type: ignore[attr-defined]
    assert operation_of(edged) is operation_of(probe) is not None

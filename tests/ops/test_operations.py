"""What operators rely on: metrics, request ids, logs without phone numbers, readiness."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import logging
import weakref
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from verifier.http.app import create_app
from verifier.http.callers import caller_of
from verifier.http.io import json_bytes, operation
from verifier.http.routing import EdgeRouter
from verifier.ops.logs import ACCESS_LOG, REQUEST_ID, RequestIdFilter
from verifier.ops.metrics import METRICS
from verifier.ops.settings import Settings


async def test_metrics_count_requests_by_route_pattern_and_verdicts_by_kind(client: Any) -> None:
    await client.get("/api/v1/verify", params={"number": "95588"})
    await client.get("/api/v1/verify", params={"number": "+95588"})
    await client.get("/api/v1/organizations/icbc")
    await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}, {"number": "13912345678"}]})
    text = await (await client.get("/metrics")).text()
    assert 'hv_http_requests_total{method="GET",route="/api/v1/verify",status="200"} 2.0' in text
    assert 'route="/api/v1/organizations/{org_id}"' in text
    assert 'hv_verdicts_total{verdict="official"} 2.0' in text
    assert 'hv_verdicts_total{verdict="suspicious"} 1.0' in text
    assert 'hv_verdicts_total{verdict="unknown"} 1.0' in text
    assert "hv_http_request_seconds_bucket" in text
    assert "95588" not in text and "13912345678" not in text
    registry_size = next(line for line in text.splitlines() if line.startswith("hv_registry_official_numbers "))
    assert float(registry_size.split()[1]) > 300


async def test_requests_nothing_serves_get_the_edge_too_counted_as_unmatched(
        client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="verifier.requests")
    access = client.app[ACCESS_LOG]
    access.stream = io.StringIO()
    missing = await client.get("/api/v1/nothing-here/13912345678")
    wrong_method = await client.delete("/api/v1/verify")
    assert (missing.status, wrong_method.status) == (404, 405)
    assert wrong_method.headers["Allow"] and set(wrong_method.headers["Allow"].split(",")) >= {"GET", "POST"}
    for response in (missing, wrong_method):
        assert response.content_type == "application/problem+json"
        assert response.headers["X-Request-Id"] and response.headers["X-Content-Type-Options"] == "nosniff"
    text = await (await client.get("/metrics")).text()
    assert 'hv_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'hv_http_requests_total{method="DELETE",route="unmatched",status="405"} 1.0' in text
    assert "nothing-here" not in text and "{tail}" not in text
    access.flush()
    lines = [json.loads(line) for line in access.stream.getvalue().splitlines()]
    assert [(line["route"], line["status"]) for line in lines[:2]] == [("unmatched", 404), ("unmatched", 405)]
    assert "13912345678" not in access.stream.getvalue()


async def test_metrics_show_reports_by_status_queue_length_and_rate_limit_refusals(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=1)
    await client.post("/api/v1/reports", json={"number": "13912345678", "category": "other"})
    await client.get("/api/v1/verify", params={"number": "95588"})
    await client.get("/api/v1/verify", params={"number": "95588"})
    text = await (await client.get("/metrics")).text()
    assert 'hv_reports{status="pending"} 1.0' in text
    assert "hv_moderation_queue_length 1.0" in text
    assert 'hv_rate_limit_refusals_total{limit="anonymous"} 1.0' in text


async def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client: Any) -> None:
    first = await client.get("/api/v1/verify", params={"number": "95588"})
    second = await client.get("/api/v1/verify", params={"number": "95588"})
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    kept = await client.get("/healthz", headers={"X-Request-Id": "trace-1234abcd"})
    assert kept.headers["X-Request-Id"] == "trace-1234abcd"
    replaced = await client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert replaced.headers["X-Request-Id"] != "<script>"
    problem = await client.get("/api/v1/verify", params={"number": "abc"})
    assert problem.status == 400 and problem.headers["X-Request-Id"]


async def test_request_logs_are_json_with_the_request_id_and_no_phone_number(client: Any,
                                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="verifier.requests")
    access = client.app[ACCESS_LOG]
    access.stream = io.StringIO()
    response = await client.get("/api/v1/verify", params={"number": "13912345678"},
                                headers={"X-Forwarded-For": "203.0.113.9"})
    problem = await client.get("/api/v1/verify", params={"number": "not a number"})
    access.flush()
    written = access.stream.getvalue()
    lines = [json.loads(line) for line in written.splitlines()]
    assert [(line["route"], line["status"]) for line in lines] == [("/api/v1/verify", 200), ("/api/v1/verify", 400)]
    assert [line["request_id"] for line in lines] == [response.headers["X-Request-Id"], problem.headers["X-Request-Id"]]
    assert all(line["logger"] == "verifier.requests" and line["ms"] >= 0 for line in lines)
    assert "13912345678" not in written and "203.0.113.9" not in written and "not a number" not in written


async def test_access_lines_follow_the_log_level(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="verifier.requests")
    access = client.app[ACCESS_LOG]
    access.stream = io.StringIO()
    await client.get("/healthz")
    access.flush()
    assert access.stream.getvalue() == ""


def test_request_id_filter_stamps_other_log_lines_with_the_current_request() -> None:
    record = logging.LogRecord("verifier.test", logging.WARNING, __file__, 1, "something", None, None)
    token = REQUEST_ID.set("req-12345678")
    try:
        assert RequestIdFilter().filter(record) and record.request_id == "req-12345678"  # type: ignore[attr-defined]
    finally:
        REQUEST_ID.reset(token)


async def test_readyz_says_ready_when_the_database_answers_and_the_registry_is_loaded(client: Any) -> None:
    response = await client.get("/readyz")
    assert response.status == 200 and (await response.json())["registry_numbers"] > 300


async def test_readyz_is_503_when_the_database_is_gone(client: Any) -> None:
    from tests.conftest import assert_problem
    from verifier.http.app_keys import SERVICE

    service = client.app[SERVICE]
    await service.store.db.close()
    try:
        await assert_problem(await client.get("/readyz"), 503)
        assert (await client.get("/healthz")).status == 200  # alive, just not ready
    finally:
        await service.store.db.connect()


def test_metrics_registry_is_per_app(tmp_path: Any) -> None:
    from verifier.http.app import create_app
    from verifier.ops.settings import Settings

    settings = Settings(database=str(tmp_path / "db.sqlite3"))
    assert create_app(settings)[METRICS] is not create_app(settings)[METRICS]


def test_access_lines_carry_the_time_of_their_request_and_are_written_in_order_when_the_buffer_fills(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from verifier.ops.logs import FLUSH_LINES, AccessLog

    caplog.set_level(logging.INFO, logger="verifier.requests")
    clock = iter(range(1_700_000_000, 1_700_000_000 + 10 * FLUSH_LINES, 10))
    monkeypatch.setattr("verifier.ops.logs.time.time", lambda: float(next(clock)) + 0.25)
    stream = io.StringIO()
    access = AccessLog(stream)
    for n in range(FLUSH_LINES - 1):
        access.request(f"id-{n:08d}", "/api/v1/verify", "GET", 200, 0.00123)
    assert stream.getvalue() == ""  # buffered
    access.request("id-last0000", "/api/v1/reports", "POST", 202, 0.5)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == [f"id-{n:08d}" for n in range(FLUSH_LINES - 1)] + ["id-last0000"]
    assert lines[0]["time"].endswith(",250") and lines[0]["time"] != lines[1]["time"]
    assert (lines[-1]["route"], lines[-1]["method"], lines[-1]["status"], lines[-1]["ms"]) == ("/api/v1/reports", "POST", 202, 500.0)
    assert lines[0]["ms"] == 1.23


async def test_a_finished_request_and_its_caller_are_freed_at_once_not_left_for_the_garbage_collector(
        aiohttp_client: Any, tmp_path: Path) -> None:
    """The caller refers back to its request weakly: a strong reference would make every request
    a reference cycle, kept in memory until the next collection."""
    app = create_app(Settings(database=str(tmp_path / "v.sqlite3")))
    seen: list[tuple[weakref.ref[web.Request], weakref.ref[Any]]] = []

    @operation("probe")
    def probe(request: web.Request) -> web.Response:  # a plain function, as the edge allows
        seen.append((weakref.ref(request), weakref.ref(caller_of(request))))
        assert caller_of(request).address == "127.0.0.1"  # worked out from the live request
        return json_bytes(b"{}")

    EdgeRouter(app).add_get("/api/v1/probe", probe)
    client = await aiohttp_client(app)
    gc.disable()
    try:
        response = await client.get("/api/v1/probe")
        assert response.status == 200 and await response.json() == {}
        await client.close()  # (a kept-alive connection holds its latest request until the next one)
        await asyncio.sleep(0.05)
        request_alive, caller_alive = seen[0][0]() is not None, seen[0][1]() is not None
    finally:
        gc.enable()
    assert (request_alive, caller_alive) == (False, False)

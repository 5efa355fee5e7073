"""verifier.client against a real server on 127.0.0.1: the calls, batching, retries, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.servers import run_cli, running_server
from verifier.client import ApiError, KeyRequired, VerifierClient


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    database = tmp_path_factory.mktemp("client") / "db.sqlite3"
    created = run_cli("apikeys", "create", "client-tests", "--rate-limit", "100000", "--database", str(database))
    key = created.stdout.rsplit(": ", 1)[1].strip()
    with running_server(database) as base:
        yield base, key


async def test_client_verifies_one_number_and_reports_one(server: Any) -> None:
    base, key = server
    async with VerifierClient(base, api_key=key) as client:
        official = await client.verify("95588", lang="en")
        spoof = await client.verify("+95588")
        accepted = await client.report("13912345678", category="refund_scam", reporter_id="user-1")
    assert official["verdict"] == "official" and official["organization"]["name_en"] == "ICBC"
    assert spoof["verdict"] == "suspicious"
    assert accepted["status"] == "pending"


async def test_client_splits_large_lists_into_batches_and_keeps_the_order(server: Any) -> None:
    base, key = server
    numbers = [f"1391234{i:04d}" for i in range(2500)]
    numbers[1234] = "not a number"
    async with VerifierClient(base, api_key=key) as client:
        results = await client.verify_many(numbers, batch_size=1000)
    assert [r["index"] for r in results] == list(range(2500))
    assert results[1234]["error"]["status"] == 400 and results[1234]["result"] is None
    assert results[2499]["result"]["number"]["key"] == "+8613912342499"


async def test_without_a_key_a_list_over_the_anonymous_limit_is_refused_before_sending(server: Any) -> None:
    base, _ = server
    numbers = [f"1391235{i:04d}" for i in range(2500)]
    async with VerifierClient(base) as client:
        with pytest.raises(KeyRequired) as caught:
            await client.verify_many(numbers)
        message = str(caught.value)
        assert "2,500 numbers need an API key" in message and "120 numbers a minute" in message
        assert "a batch of 1,000 can never fit" in message and "at least 21 minutes" in message
        assert "verifier apikeys create" in message and caught.value.limit == 120
        with pytest.raises(KeyRequired, match="121 numbers"):
            await client.verify_batch(numbers[:121])
        # nothing was sent: the whole anonymous minute is still there for a list that fits
        results = await client.verify_many(numbers[:120], batch_size=50)
    assert [r["index"] for r in results] == list(range(120)) and all(r["result"] for r in results)
    async with VerifierClient(base, anonymous_limit=10) as client:  # a server configured otherwise
        with pytest.raises(KeyRequired, match="10 numbers a minute"):
            await client.verify_many(numbers[:11])
    async with VerifierClient(base, api_key=server[1]) as client:  # with a key: any length
        assert len(await client.verify_many(numbers)) == 2500


async def test_client_raises_the_problem_for_bad_input(server: Any) -> None:
    base, key = server
    async with VerifierClient(base, api_key=key) as client:
        with pytest.raises(ApiError) as caught:
            await client.verify("no digits")
    assert caught.value.status == 400 and caught.value.problem["errors"][0]["field"] == "number"


async def test_client_retries_503_and_429_with_backoff_then_succeeds(aiohttp_server: Any) -> None:
    calls = []

    async def flaky(request: web.Request) -> web.Response:
        calls.append(request.path)
        if len(calls) == 1:
            return web.json_response({"status": 503, "detail": "busy"}, status=503, headers={"Retry-After": "0"})
        if len(calls) == 2:
            return web.json_response({"status": 429, "detail": "slow down"}, status=429, headers={"Retry-After": "0"})
        return web.json_response({"verdict": "official"})

    app = web.Application()
    app.router.add_get("/api/v1/verify", flaky)
    server = await aiohttp_server(app)
    async with VerifierClient(str(server.make_url("")), backoff=0.01) as client:
        assert (await client.verify("95588"))["verdict"] == "official"
    assert len(calls) == 3


async def test_client_gives_up_after_its_retries(aiohttp_server: Any) -> None:
    async def busy(request: web.Request) -> web.Response:
        return web.json_response({"status": 503, "detail": "down"}, status=503)

    app = web.Application()
    app.router.add_get("/api/v1/verify", busy)
    server = await aiohttp_server(app)
    async with VerifierClient(str(server.make_url("")), retries=2, backoff=0.01) as client:
        with pytest.raises(ApiError) as caught:
            await client.verify("95588")
    assert caught.value.status == 503


async def test_client_times_out_and_retries_on_connection_errors(tmp_path: Path) -> None:
    from tests.servers import free_port

    async with VerifierClient(f"http://127.0.0.1:{free_port()}", retries=1, backoff=0.01, timeout=1) as client:
        with pytest.raises(Exception) as caught:
            await client.verify("95588")
    assert not isinstance(caught.value, ApiError)

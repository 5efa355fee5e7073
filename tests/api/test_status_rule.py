"""The one status rule of docs/errors.md, a test per row: 400 not a number, 422 a schema violation,
413 too large, 414/431 an over-long request line or headers, 429 a limit reached."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.conftest import assert_problem
from tests.reliability.procs import serving
from verifier.core.numbers.text import MAX_INPUT_CHARS


async def test_text_that_is_no_phone_number_is_400_not_a_number_by_get_and_post(client: Any) -> None:
    for raw, code in (("", "empty"), ("hello", "no_digits"), ("1" * (MAX_INPUT_CHARS + 1), "too_long"),
                      ("9" * 201, "too_long"), ("9" * 2000, "too_long"), ("12", "too_short")):
        for response in (await client.get("/api/v1/verify", params={"number": raw}),
                         await client.post("/api/v1/verify", json={"number": raw})):
            body = await assert_problem(response, 400, "number")
            assert body["type"].endswith("/not-a-number") and body["errors"][0]["code"] == code, (raw[:10], body)


async def test_an_empty_number_in_the_query_is_400_not_a_missing_field(client: Any) -> None:
    body = await assert_problem(await client.get("/api/v1/verify?number="), 400, "number")
    assert body["errors"][0]["code"] == "empty"


async def test_a_number_over_the_one_length_limit_is_400_wherever_a_number_is_read(client: Any) -> None:
    long = "1" * (MAX_INPUT_CHARS + 1)
    await assert_problem(await client.post("/api/v1/reports", json={"number": long, "category": "refund_scam"}), 400,
                         "number")
    await assert_problem(await client.post("/api/v1/appeals", json={
        "number": "9" * 300, "statement": "这是我们店的座机号码，不是诈骗电话。", "contact": "shop@example.org"}), 400, "number")


async def test_an_eleven_digit_number_starting_with_1_is_a_question_answered_200(client: Any) -> None:
    for raw in ("17975003547", "13912345678", "19912345678"):
        response = await client.get("/api/v1/verify", params={"number": raw})
        assert response.status == 200, (raw, await response.text())
        body = await response.json()
        assert body["number"]["key"] == "+86" + raw and body["verdict"]


async def test_a_body_that_is_not_json_is_400_malformed_json(client: Any) -> None:
    response = await client.post("/api/v1/verify", data=b'{"number": ', headers={"Content-Type": "application/json"})
    assert (await assert_problem(response, 400))["type"].endswith("/malformed-json")


async def test_a_schema_violation_is_422_naming_the_field(client: Any) -> None:
    await assert_problem(await client.post("/api/v1/verify", json={"number": 95588}), 422, "number")  # wrong type
    await assert_problem(await client.post("/api/v1/verify", json={"claimed_org": "工商银行"}), 422, "number")  # missing
    await assert_problem(await client.get("/api/v1/verify"), 422, "number")
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588", "lang": "fr"}), 422, "lang")
    await assert_problem(await client.post("/api/v1/verify/batch", json={"items": {"number": "95588"}}), 422, "items")


async def test_a_body_over_its_size_or_a_list_over_its_item_limit_is_413(make_client: Any) -> None:
    client = await make_client(max_body_bytes=2048, batch_max_items=5)
    body = await assert_problem(await client.post("/api/v1/verify", json={"number": "95588", "claimed_org": "x" * 4000}),
                                413)
    assert body["type"].endswith("/request-too-large")
    body = await assert_problem(await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 6}),
                                413)
    assert body["type"].endswith("/batch-too-large") and "5" in body["detail"]


async def test_a_batch_over_the_default_limit_of_1000_is_413_not_422(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=5000)
    body = await assert_problem(await client.post("/api/v1/verify/batch", json={"items": [{"number": "1"}] * 1001}),
                                413)
    assert body["type"].endswith("/batch-too-large") and "1000" in body["detail"]


async def test_a_limit_reached_is_429_with_retry_after(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=2)
    for _ in range(2):
        assert (await client.get("/api/v1/verify", params={"number": "95588"})).status == 200
    response = await client.get("/api/v1/verify", params={"number": "95566"})
    body = await assert_problem(response, 429)
    assert body["type"].endswith("/rate-limited") and int(response.headers["Retry-After"]) >= 1


def _raw_request(base: str, head: bytes) -> tuple[int, dict[str, str], bytes]:
    """Sends `head` as it is (no client would send it) and reads the whole answer."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:  # closed with the rest of our request unread: the answer came first
            pass
    header_block, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = header_block.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_an_over_long_request_line_is_414_and_over_long_headers_431_as_problem_json(tmp_path: Path) -> None:
    secret = "13912345678"
    with serving(tmp_path / "verifier.sqlite3") as server:
        line = f"GET /api/v1/verify?number={secret}&claimed_org={'x' * 9000} HTTP/1.1\r\nHost: x\r\n\r\n"
        status, headers, body = _raw_request(server.base, line.encode())
        assert status == 414 and headers["content-type"] == "application/problem+json", (status, body[:300])
        problem = json.loads(body)
        assert problem["status"] == 414 and problem["type"].endswith("/request-line-too-long")
        assert "8192" in problem["detail"] and secret not in body.decode()
        assert headers["x-content-type-options"] == "nosniff"

        head = f"GET /api/v1/verify?number=95588 HTTP/1.1\r\nHost: x\r\nX-Big: {secret}{'y' * 9000}\r\n\r\n"
        status, headers, body = _raw_request(server.base, head.encode())
        assert status == 431 and headers["content-type"] == "application/problem+json", (status, body[:300])
        assert json.loads(body)["type"].endswith("/request-headers-too-large")

        many = "".join(f"X-H{i}: 1\r\n" for i in range(200))
        status, _, body = _raw_request(server.base, f"GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n".encode())
        assert status == 431, body[:300]

        head = "GET /api/v1/verify?number=95588 HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n"
        status, headers, body = _raw_request(server.base, head.encode())
        assert status == 400 and headers["content-type"] == "application/problem+json", (status, body[:300])
        assert json.loads(body)["type"].endswith("/bad-request")

        with urllib.request.urlopen(f"{server.base}/healthz", timeout=10) as ok:
            assert ok.status == 200  # still serving
    log = server.log.read_text()
    refusals = [line for line in log.splitlines() if "refused by the HTTP parser" in line]
    assert len(refusals) == 4 and "414" in refusals[0] and "431" in refusals[1], log[-3000:]
    assert secret not in log and "Traceback" not in log, log[-3000:]

"""Strict-Transport-Security: on every response when the service is served over HTTPS
(VERIFIER_COOKIE_SECURE=true), on none otherwise: the API, pages, static files, redirects,
errors, and the HTTP parser's own refusals under `verifier serve`."""

from __future__ import annotations

import socket
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from tests.servers import running_server

HSTS = "max-age=31536000; includeSubDomains"


async def _responses(client: Any) -> dict[str, Any]:
    return {
        "api": await client.get("/api/v1/verify", params={"number": "95588"}),
        "api problem": await client.get("/api/v1/verify"),
        "api 404": await client.get("/api/v1/no-such-thing"),
        "api 405": await client.delete("/api/v1/verify"),
        "api 401": await client.get("/api/v1/moderation/reports"),
        "malformed json": await client.post("/api/v1/reports", data=b"{", headers={"Content-Type": "application/json"}),
        "page": await client.get("/"),
        "page 404": await client.get("/no-such-page"),
        "redirect": await client.get("/moderation", allow_redirects=False),
        "static": await client.get("/static/app.css"),
        "health": await client.get("/healthz"),
    }


async def test_every_response_carries_hsts_when_cookies_are_secure(make_client: Any) -> None:
    client = await make_client(cookie_secure=True)
    for what, response in (await _responses(client)).items():
        assert response.headers.getall("Strict-Transport-Security", []) == [HSTS], (what, response.status)


async def test_no_response_carries_hsts_over_plain_http(make_client: Any) -> None:
    client = await make_client()
    for what, response in (await _responses(client)).items():
        assert "Strict-Transport-Security" not in response.headers, (what, response.status)


def _raw_request(base: str, header_bytes: int) -> bytes:
    url = urllib.parse.urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(b"GET /api/v1/verify?number=95588 HTTP/1.1\r\nHost: x\r\n"
                     b"X-Long: " + b"a" * header_bytes + b"\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize("secure", [True, False], ids=["https", "http"])
def test_the_parsers_refusals_carry_hsts_only_over_https(tmp_path: Path, secure: bool) -> None:
    env = {"VERIFIER_COOKIE_SECURE": "true"} if secure else {}
    with running_server(tmp_path / "verifier.sqlite3", env=env) as base:
        refused = _raw_request(base, 10_000)
        served = _raw_request(base, 10)
    assert refused.split(b" ", 2)[1] == b"431", refused[:200]
    assert served.split(b" ", 2)[1] == b"200", served[:200]
    for response in (refused, served):
        head = response.split(b"\r\n\r\n", 1)[0].lower()
        assert (b"strict-transport-security: " + HSTS.lower().encode() in head) == secure, head

"""Issue 16, item 7, against a real `verifier serve`: one address holding many slow connections
(a header line a second, slowloris) gets no more than its cap, every slow request is closed once
its time is up, and a client on another 127.x address is served normally all along."""

from __future__ import annotations

import socket
import time
import urllib.parse
from pathlib import Path

import aiohttp

from tests.reliability.procs import serving

CAP, HEADER_SECONDS, BODY_SECONDS = 20, 3, 3
ENV = {"VERIFIER_MAX_CONNECTIONS_PER_ADDRESS": str(CAP), "VERIFIER_HEADER_TIMEOUT_SECONDS": str(HEADER_SECONDS),
       "VERIFIER_BODY_TIMEOUT_SECONDS": str(BODY_SECONDS)}


def _connect(base: str, source: str) -> socket.socket:
    url = urllib.parse.urlsplit(base)
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect((url.hostname, url.port))
    sock.setblocking(False)
    return sock


def _closed(sock: socket.socket) -> bool:
    """The server closed (or reset) it: a read finds the end, not 'nothing yet'."""
    try:
        return sock.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _trickle(sock: socket.socket, line: bytes) -> bool:
    """Send one more line; False once the server has closed the connection."""
    if _closed(sock):
        return False
    try:
        sock.send(line)
        return True
    except OSError:
        return False


async def _served_promptly(http: aiohttp.ClientSession, base: str) -> None:
    for path in ("/readyz", "/api/v1/verify?number=95588"):
        started = time.monotonic()
        async with http.get(base + path) as response:
            assert response.status == 200, (path, await response.text())
        assert time.monotonic() - started < 2.0, path


async def test_slow_connections_beyond_the_cap_are_refused_and_the_rest_time_out_while_others_are_served(
        tmp_path: Path) -> None:
    with serving(tmp_path / "verifier.sqlite3", env=ENV) as server:
        slow = [_connect(server.base, "127.0.0.2") for _ in range(CAP + 10)]
        for sock in slow:
            sock.send(b"GET /api/v1/verify?number=13912345678 HTTP/1.1\r\nHost: x\r\n")
        body_slow = _connect(server.base, "127.0.0.4")
        body_slow.send(b"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 100\r\n\r\n{")
        time.sleep(0.5)
        held = [sock for sock in slow if not _closed(sock)]
        assert len(held) == CAP, len(held)  # the ones beyond the cap were closed at once

        connector = aiohttp.TCPConnector(local_addr=("127.0.0.3", 0))
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=5)) as http:
            started = time.monotonic()
            while held and time.monotonic() - started < HEADER_SECONDS + 4:
                await _served_promptly(http, server.base)
                held = [sock for sock in held if _trickle(sock, b"X-Slow: 1\r\n")]
                _trickle(body_slow, b" ")
                time.sleep(1)
            assert not held, f"{len(held)} slow connections still open after {time.monotonic() - started:.1f} s"
            assert time.monotonic() - started >= HEADER_SECONDS - 1  # closed by the timeout, not at once
            assert _closed(body_slow) or not _trickle(body_slow, b" ")  # the slow body too
            # the address is free again once its slow connections are gone
            fresh = [_connect(server.base, "127.0.0.2") for _ in range(CAP)]
            time.sleep(0.3)
            assert not any(_closed(sock) for sock in fresh)
            for sock in fresh:
                sock.close()
            await _served_promptly(http, server.base)
        for sock in [*slow, body_slow]:
            sock.close()
    log = server.log.read_text()
    assert "Traceback" not in log and "127.0.0.2" not in log and "13912345678" not in log, log[-3000:]

"""Issue 16, item 8, against a real `verifier serve`: requests the HTTP parser refuses (a request
line over 8 KB, a header with a control character, too many headers) and bodies that break
off or are malformed are answered with problem+json and logged as one line with the request
id and the reason: no traceback, no client address, no request text, no phone number."""

from __future__ import annotations

import json
import socket
import urllib.parse
from pathlib import Path

from tests.reliability.procs import serving

SECRET = "13912345678"
SOURCE = "127.0.0.2"


def _raw(base: str, data: bytes, *, close_early: bool = False) -> bytes:
    url = urllib.parse.urlsplit(base)
    with socket.socket() as sock:
        sock.bind((SOURCE, 0))
        sock.settimeout(10)
        sock.connect((url.hostname, url.port))
        sock.sendall(data)
        if close_early:
            return b""
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
        return received


def _answer(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_refused_requests_are_logged_as_one_line_with_the_request_id_and_the_reason_only(tmp_path: Path) -> None:
    refused = {
        414: f"GET /api/v1/verify?number={SECRET}&x={'1' * 9000} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        400: f"GET /api/v1/verify?number={SECRET} HTTP/1.1\r\nHost: x\r\nX-Note: {SECRET}\x01\r\n\r\n".encode(),
        431: f"GET /api/v1/verify?number={SECRET} HTTP/1.1\r\nHost: x\r\nCookie: n={SECRET}{'y' * 9000}\r\n\r\n".encode(),
    }
    with serving(tmp_path / "verifier.sqlite3", env={"VERIFIER_LOG_LEVEL": "INFO"}) as server:
        ids = []
        for status, request in refused.items():
            got, headers, body = _answer(_raw(server.base, request))
            assert got == status and headers["content-type"] == "application/problem+json", (status, body[:200])
            assert SECRET not in body.decode() and json.loads(body)["status"] == status
            ids.append(headers["x-request-id"])
        # a chunked body with a broken chunk, and a body that breaks off: no traceback either
        broken = (f"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Transfer-Encoding: chunked\r\n\r\nzz\r\n{{\"number\": \"{SECRET}\"}}\r\n0\r\n\r\n").encode()
        status, headers, _ = _answer(_raw(server.base, broken))
        assert status == 400
        ids.append(headers["x-request-id"])
        _raw(server.base, (f"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           f"Content-Length: 100\r\n\r\n{{\"number\": \"{SECRET}").encode(), close_early=True)
        assert _answer(_raw(server.base, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))[0] == 200
    log = server.log.read_text()
    assert "Traceback" not in log and "exc_info" not in log and "ERROR" not in log, log[-3000:]
    assert SECRET not in log and SOURCE not in log, log[-3000:]
    lines = [json.loads(line) for line in log.splitlines() if "refused by the HTTP parser" in line]
    assert [line["request_id"] for line in lines] == ids, lines  # one line each, found by the answer's id
    for line, status in zip(lines, [*refused, 400], strict=True):
        assert set(line) == {"time", "level", "logger", "message", "request_id"}
        assert line["message"].startswith(f"refused by the HTTP parser: {status} ")

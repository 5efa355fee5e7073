"""Structured JSON logs (python-json-logger), each line carrying the request's id.

The id comes from a sane incoming ``X-Request-Id`` or is made here, and is returned in the
response's ``X-Request-Id``. One access line per request names the route pattern, status and
duration: never the path or query (they carry phone numbers), never an address or reporter.

Access lines are written by `AccessLog`, not through `logging`: a LogRecord, a filter and a
formatter per request cost a sixth of a cached verify's CPU in the profile
(docs/performance.md). It keeps each request's facts, builds the same JSON lines from a byte
template when it writes them, every FLUSH_SECONDS (and at shutdown). It still obeys the
``verifier.requests`` logger's level (asked once per write, not per request), so
``VERIFIER_LOG_LEVEL=WARNING`` turns access lines off.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import logging
import re
import secrets
import sys
import time
from collections.abc import AsyncIterator
from typing import IO

import orjson
from aiohttp import web
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
requests_log = logging.getLogger("verifier.requests")
FLUSH_SECONDS = 0.5
FLUSH_LINES = 512


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}{request_id}", style="{",
                                       rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


_PROCESS = secrets.token_hex(4)  # ids are unique across processes without a syscall per request
_SEQUENCE = itertools.count(1)


def request_id_for(incoming: str | None) -> str:
    """The caller's id when it is sane, else a new one."""
    if incoming and _SANE_ID.match(incoming):
        return incoming
    return f"{_PROCESS}-{next(_SEQUENCE):x}"


_LINE = ('{"time":"%s,%03d","level":"INFO","logger":"verifier.requests","message":"request",'
         '"request_id":"%s"%s,"status":%d,"ms":%.2f}')


class AccessLog:
    """One JSON line per request, in the same shape python-json-logger gives other lines.

    A request only records its facts (a tuple); the lines are built when the buffer is
    written, in one loop: built one at a time between requests, each line cost several times
    as much (the formatting code and its data had left the processor's caches)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream
        self._pending: list[tuple[float, str, str, str, int, float]] = []
        self._second = -1
        self._stamp = ""
        self._fields: dict[tuple[str, str], str] = {}

    def request(self, request_id: str, route: str, method: str, status: int, seconds: float) -> None:
        self._pending.append((time.time(), request_id, route, method, status, seconds))
        if len(self._pending) >= FLUSH_LINES:
            self.flush()

    def _text(self, pending: list[tuple[float, str, str, str, int, float]]) -> str:
        """The lines for `pending`, built in one loop."""
        lines: list[str] = []
        append, fields_of = lines.append, self._fields
        seen, stamp = self._second, self._stamp
        for now, request_id, route, method, status, seconds in pending:
            second = int(now)
            if second != seen:
                seen, stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
            fields = fields_of.get((route, method))
            if fields is None:
                fields = f',"route":{orjson.dumps(route).decode()},"method":{orjson.dumps(method).decode()}'
                if len(fields_of) < 1000:  # routes are few; methods are whatever a client sends
                    fields_of[(route, method)] = fields
            # request ids are [A-Za-z0-9._-] (logs.request_id_for), so they need no escaping
            append(_LINE % (stamp, int((now - second) * 1000), request_id, fields, status, seconds * 1000))
        self._second, self._stamp = seen, stamp
        append("")
        return "\n".join(lines)

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        if not requests_log.isEnabledFor(logging.INFO):  # the level is obeyed here, once per write
            return
        text = self._text(pending)
        stream = self.stream or sys.stderr
        try:
            raw = getattr(stream, "buffer", None)  # a text stream's bytes underneath, when it has them
            if raw is not None:
                stream.flush()
                raw.write(text.encode())
                raw.flush()
            else:
                stream.write(text)
                stream.flush()
        except (OSError, ValueError):  # a closed or broken stream must not break serving
            pass

    async def flushing(self, app: web.Application) -> AsyncIterator[None]:
        """For app.cleanup_ctx: writes buffered lines every FLUSH_SECONDS, and the rest at shutdown."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                self.flush()

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        self.flush()


ACCESS_LOG = web.AppKey("access_log", AccessLog)

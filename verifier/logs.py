"""Structured JSON logs (python-json-logger), each line carrying the request's id.

The id comes from a sane incoming ``X-Request-Id`` or is made here, and is returned in the
response's ``X-Request-Id``. One line per request names the route pattern, status and
duration: never the path or query (they carry phone numbers), never an address or reporter.
"""

from __future__ import annotations

import contextvars
import logging
import re
import secrets
import sys
import time

from aiohttp import web
from pythonjsonlogger.json import JsonFormatter

from verifier.api.io import Handler
from verifier.metrics import route_of

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
requests_log = logging.getLogger("verifier.requests")


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


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    incoming = request.headers.get("X-Request-Id", "")
    request_id = incoming if _SANE_ID.match(incoming) else secrets.token_hex(8)
    token = REQUEST_ID.set(request_id)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-Id"] = request_id
        return response
    except web.HTTPException as exc:
        status = exc.status
        exc.headers["X-Request-Id"] = request_id
        raise
    finally:
        if requests_log.isEnabledFor(logging.INFO):
            requests_log.info("request", extra={"route": route_of(request), "method": request.method,
                                                "status": status,
                                                "ms": round((time.perf_counter() - started) * 1000, 2)})
        REQUEST_ID.reset(token)

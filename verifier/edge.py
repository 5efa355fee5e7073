"""The edge every request passes: its id, who is calling, the mapping of whatever a handler
raised to a problem response, the security headers, and its metrics and access line.

`edge(handler)` wraps each handler where it is registered (verifier.routing), rather than
running as an aiohttp middleware or five: each middleware layer and signal is another
coroutine per request, and aiohttp's middleware chain itself (building it, and its own
current-app layer) cost a few per cent of a cached verify (docs/performance.md). Requests
that match no route reach it too, through the router's fallback route. What each step does
lives in its own module: ids and access lines in verifier.logs, callers and their limits in
verifier.access, the error shape in verifier.problems, headers and cookies in
verifier.web.headers, counting in verifier.metrics.
"""

from __future__ import annotations

import functools
import time

from aiohttp import web

from verifier.access import identify
from verifier.api.io import Handler
from verifier.logs import ACCESS_LOG, REQUEST_ID, request_id_for
from verifier.metrics import METRICS, route_of
from verifier.problems import response_for
from verifier.web.headers import secure


def edge(handler: Handler) -> Handler:
    """`handler` with the edge around it; keeps the handler's name and its operation record."""

    @functools.wraps(handler)
    async def edged(request: web.Request) -> web.StreamResponse:
        request_id = request_id_for(request.headers.get("X-Request-Id"))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            try:
                pending = identify(request)
                if pending is not None:
                    await pending
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status >= 400:
                    response = response_for(request, exc)
                else:  # redirects travel as exceptions
                    status = exc.status
                    secure(request, exc)
                    exc.headers["X-Request-Id"] = request_id
                    raise
            except Exception as exc:
                response = response_for(request, exc)
            status = response.status
            secure(request, response)
            response.headers["X-Request-Id"] = request_id
            return response
        finally:
            elapsed = time.perf_counter() - started
            app = request.app
            route = route_of(request)
            app[METRICS].request(route, request.method, status, elapsed)
            access = app[ACCESS_LOG]
            if access.enabled():
                access.request(request_id, route, request.method, status, elapsed)
            REQUEST_ID.reset(token)

    return edged

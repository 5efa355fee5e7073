"""The one middleware every request passes: its id, who is calling, the mapping of whatever a
handler raised to a problem response, the security headers, and its metrics and access line.

One middleware (and no on_response_prepare signal) rather than five layers: each aiohttp
middleware and signal is another coroutine per request, and together they cost about as much
as a bare hello-world request (docs/performance.md). What each step does lives in its own
module: ids and access lines in verifier.logs, callers and their limits in verifier.access,
the error shape in verifier.problems, headers and cookies in verifier.web.headers, counting in
verifier.metrics.
"""

from __future__ import annotations

import time

from aiohttp import web

from verifier.access import identify
from verifier.api.io import Handler
from verifier.logs import ACCESS_LOG, REQUEST_ID, request_id_for
from verifier.metrics import METRICS, route_of
from verifier.problems import response_for
from verifier.web.headers import secure


@web.middleware
async def edge_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
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

"""The edge every request passes: its id, who is calling, the mapping of whatever a handler
raised to a problem response, the security headers, and its metrics and access line.

`edge(handler, label, app)` wraps each handler where it is registered (verifier.http.routing),
rather than running as an aiohttp middleware or five: each middleware layer and signal is
another coroutine per request, and aiohttp's middleware chain itself (building it, and its
own current-app layer) cost a few per cent of a cached verify (docs/performance.md). What a
route never changes is worked out once, at registration: its metrics label, its operation
record, whether it is the JSON API, and the app's metrics and access log. Requests that
match no route reach it too, through the router's fallback route.

What each step does lives in its own module: ids and access lines in verifier.ops.logs,
callers and their limits in verifier.http.callers, the error shape in verifier.http.problems,
headers and cookies in verifier.http.headers, counting in verifier.ops.metrics.

**Maybe awaitable** (the one place this protocol is described; the others point here). A
step that usually has nothing to wait for is a plain function, not a coroutine function: it
returns its result, or None when it is done, and an awaitable only when it must wait, and its
caller awaits only what it gets back. Every coroutine is one more object made, started and
finished per request, on a path whose work is counted bytecode by bytecode (bench/opcount.py).

- Handlers: one that never waits may be a plain function returning its response (the cached
  verify, verifier.api.verify.verify_get). `edge` decides once, at registration, whether to
  await it (`waits` below).
- `identify` (verifier.http.callers) returns None for public routes and for API keys looked
  up lately, and an awaitable only when it must ask the store (a login session, an API key not
  seen lately). It asks verifier.state.service's `Service.cached_api_key` first, which answers
  at once: the key, None (no such key), or MISSING (ask the store: `Service.api_key`).
- Change notifications from other processes: `Service._on_change` returns None for a message
  it ignores and an awaitable for one to act on; the database's listener runs that as a task
  (registry/db.py, `listen`).
"""

from __future__ import annotations

import functools
import inspect
import time

from aiohttp import web

from verifier.http.app_keys import SETTINGS
from verifier.http.callers import identify
from verifier.http.headers import secure
from verifier.http.io import AnyHandler, Handler, operation_of
from verifier.http.problems import response_for
from verifier.ops.logs import ACCESS_LOG, REQUEST_ID, request_id_for
from verifier.ops.metrics import METRICS


def edge(handler: AnyHandler, label: str, app: web.Application, api: bool | None) -> Handler:
    """`handler` with the edge around it, counted and logged as `label` (its route's pattern);
    keeps the handler's name and its operation record. `api`: whether it answers for the JSON
    API (None: decided per request from the path, for the fallback route)."""
    op = operation_of(handler)
    waits = inspect.iscoroutinefunction(handler)
    counts, access = app[METRICS].route(label), app[ACCESS_LOG]
    https = bool(getattr(app.get(SETTINGS), "cookie_secure", False))  # HSTS on every response (verifier.http.headers)
    perf_counter = time.perf_counter

    @functools.wraps(handler)
    async def edged(request: web.Request) -> web.StreamResponse:
        request_id = request_id_for(request.headers.get("X-Request-Id"))
        token = REQUEST_ID.set(request_id)
        started = perf_counter()
        status = 500
        try:
            try:
                pending = identify(request, op, app)
                if pending is not None:
                    await pending
                response = await handler(request) if waits else handler(request)  # type: ignore[misc]
            except web.HTTPException as exc:
                if exc.status >= 400:
                    response = response_for(request, exc)
                else:  # redirects travel as exceptions
                    status = exc.status
                    secure(request, exc, api, https)
                    exc.headers["X-Request-Id"] = request_id
                    raise
            except Exception as exc:
                response = response_for(request, exc)
            status = response.status
            secure(request, response, api, https)
            response.headers["X-Request-Id"] = request_id
            return response  # type: ignore[return-value]
        finally:
            elapsed = perf_counter() - started
            method = request.method
            counts.count(method, status, elapsed)
            access.request(request_id, label, method, status, elapsed)
            REQUEST_ID.reset(token)

    return edged

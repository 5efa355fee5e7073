"""Running an aiohttp app: on uvloop when it is installed, without aiohttp's access log (the
service logs its own requests), with the garbage collector tuned for a server, in one place for
both the service and the benchmark's baselines, so they are served the same way.

A request aiohttp's HTTP parser refuses never reaches the application: its request line or a
header is too long, or it is not HTTP. aiohttp answers those itself with a text/plain 400 and
logs the offending text with a traceback. `ProblemRequestHandler` answers them as the rest of
the service does, with problem+json (414, 431 or 400; docs/errors.md), and logs one line
without the request's text, which holds phone numbers: the status, the reason and a request id,
which the answer's X-Request-Id repeats.

The same handler holds connections to the limits of verifier.ops.connections: so many per
client address, and so long for a request's headers and body to arrive (slowloris).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage, HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler

from verifier.http.app_keys import SETTINGS
from verifier.http.headers import API_SECURITY_HEADERS, transport_headers
from verifier.http.problems import PROBLEM_TYPE, ProblemError, problem_body, say
from verifier.ops.connections import KEEPALIVE_SECONDS, ConnectionGuard, guard_for, raise_descriptor_limit
from verifier.ops.logs import REQUEST_ID, request_id_for

refused_log = logging.getLogger("verifier.http.refused")

# The parser's limits. A request line and a header have different limits (one byte apart is
# enough) so that a LineTooLong, which does not say which it was, tells by its limit: 414 or 431.
MAX_REQUEST_LINE_BYTES = 8192
MAX_HEADER_BYTES = 8190  # aiohttp's default, name and value together
MAX_HEADERS = 128  # aiohttp's default
PARSER_LIMITS = {"max_line_size": MAX_REQUEST_LINE_BYTES, "max_field_size": MAX_HEADER_BYTES,
                 "max_headers": MAX_HEADERS}


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


GC_THRESHOLDS = (50_000, 20, 20)  # see run()


def refusal(exc: BaseException | None) -> ProblemError | None:
    """The problem for what the HTTP parser refused, None for anything else."""
    if isinstance(exc, LineTooLong):
        if exc.args[1:2] == (MAX_REQUEST_LINE_BYTES,):
            return ProblemError(414, say("request-line-too-long", limit=MAX_REQUEST_LINE_BYTES),
                                kind="request-line-too-long")
        return ProblemError(431, say("headers-too-large", limit=MAX_HEADER_BYTES), kind="request-headers-too-large")
    if isinstance(exc, BadHttpMessage) and "Too many headers" in exc.message:
        return ProblemError(431, say("headers-too-large", limit=MAX_HEADER_BYTES), kind="request-headers-too-large")
    if isinstance(exc, HttpProcessingError):
        return ProblemError(400, say("bad-http"), kind="bad-request")
    return None


class ProblemRequestHandler(RequestHandler):
    """aiohttp's connection handler, answering the parser's refusals with problem+json, and
    holding connections to the limits of its server's ConnectionGuard (verifier.ops.connections):
    per client address, and on how long a request may take to arrive."""

    __slots__ = ("_guard", "_peer", "_deadline", "_body")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        guard: ConnectionGuard | None = getattr(self._manager, "guard", None)
        peer = transport.get_extra_info("peername")
        self._guard, self._peer, self._deadline, self._body = guard, None, None, None
        if guard is not None and isinstance(peer, tuple) and peer:
            if not guard.admit(peer[0]):
                transport.abort()  # over the cap: closed at once, before anything is read
                return
            self._peer = peer[0]
        super().connection_made(transport)
        if guard is not None:
            self._arm(guard.header_timeout)  # the first request's line and headers, from the opening

    def data_received(self, data: bytes) -> None:
        guard = self._guard
        if guard is None:
            return super().data_received(data)
        if self._deadline is None:  # the first byte of a request: its line and headers have a deadline
            self._arm(guard.header_timeout)
        requests = self._request_count
        super().data_received(data)
        if self._request_count != requests:  # headers complete: now the body, if it is still coming
            body = self._messages[-1][1] if self._messages else None
            if body is not None and not body.is_eof():
                self._body = body
                self._arm(guard.body_timeout)
            else:
                self._disarm()
        elif self._body is not None and self._body.is_eof():
            self._disarm()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._disarm()
        if self._peer is not None and self._guard is not None:
            self._guard.release(self._peer)
            self._peer = None
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self._loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._body = None, None

    def _too_slow(self) -> None:
        """The request did not arrive in time: the connection is closed (and counted, not logged
        one by one: a slow-connection attack would flood the log)."""
        self._deadline = None
        if self._guard is not None:
            self._guard.timed_out += 1
        self.force_close()

    def handle_error(self, request: web.BaseRequest, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        problem = refusal(exc)
        if problem is None or request.writer.output_size > 0:
            return super().handle_error(request, status, exc, message)
        # the request's text is neither logged nor echoed: no route has read it, and it holds numbers;
        # the line and the answer share a request id, so a client's report finds the line
        request_id = request_id_for(None)
        token = REQUEST_ID.set(request_id)
        try:
            refused_log.warning("refused by the HTTP parser: %d %s", problem.status, problem.kind)
        finally:
            REQUEST_ID.reset(token)
        body = problem_body(problem, "", "en")  # in English: the request's headers were never read
        del body["instance"]  # no route was chosen: the address is unknown or not to be trusted
        response = web.Response(status=problem.status, body=orjson.dumps(body), content_type=PROBLEM_TYPE,
                                headers={**getattr(self._manager, "refusal_headers", API_SECURITY_HEADERS),
                                         "X-Request-Id": request_id})
        response.force_close()
        return response


class ProblemServer(web.Server):
    """aiohttp's low-level server, its connections handled by ProblemRequestHandler."""

    refusal_headers: dict[str, str] = API_SECURITY_HEADERS  # and HSTS when served over HTTPS (ServiceRunner)

    def __call__(self) -> RequestHandler:
        return ProblemRequestHandler(self, loop=self._loop, **self._kwargs)


class ServiceRunner(web.AppRunner):
    """aiohttp's app runner, serving through ProblemServer."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = ProblemServer  # the same object and state; only how it makes connections differs
        server.guard = guard_for(self.app.get(SETTINGS))  # type: ignore[attr-defined]
        https = bool(getattr(self.app.get(SETTINGS), "cookie_secure", False))
        server.refusal_headers = {**API_SECURITY_HEADERS, **transport_headers(https)}  # type: ignore[attr-defined]
        return server


def run(app: web.Application, *, host: str, port: int, announce: Callable[[str], None] | None = None,
        reuse_port: bool = False) -> None:
    """Serve `app` until SIGINT or SIGTERM (as aiohttp's web.run_app, with ServiceRunner)."""
    # Young collections every 50,000 new objects instead of 700: each request allocates a few
    # hundred short-lived objects, and the long-lived state is frozen out of collections at
    # start-up (Service.start), so a collection finds little either way; measured 3-5% less CPU
    # per cached verify (docs/performance.md).
    gc.set_threshold(*GC_THRESHOLDS)
    loop = new_loop()
    asyncio.set_event_loop(loop)
    raise_descriptor_limit()  # each connection is a descriptor (verifier.ops.connections)
    runner = ServiceRunner(app, access_log=None, handle_signals=True, keepalive_timeout=KEEPALIVE_SECONDS,
                           **PARSER_LIMITS)
    main = loop.create_task(_serve(runner, host, port, announce, reuse_port))
    try:
        loop.run_until_complete(main)
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    finally:
        main.cancel()
        with contextlib.suppress(asyncio.CancelledError, web.GracefulExit):
            loop.run_until_complete(main)
        _cancel_all(loop)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


async def _serve(runner: web.AppRunner, host: str, port: int, announce: Callable[[str], None] | None,
                 reuse_port: bool) -> None:
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, reuse_port=reuse_port or None)
        await site.start()
        if announce is not None:
            announce(f"======== Running on {site.name} ========\n(Press CTRL+C to quit)")
        while True:
            await asyncio.sleep(3600)
    finally:
        await runner.cleanup()


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    tasks: set[asyncio.Task[Any]] = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
def supervise(command: list[str], workers: int) -> int:
    """Run `workers` copies of `command` (each binding the same port with SO_REUSEPORT, so the
    kernel spreads connections over them); stop them all when one dies or on SIGTERM/SIGINT."""
    import signal
    import subprocess
    import time

    children = [subprocess.Popen(command) for _ in range(workers)]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    code, stopping = child.returncode or 1, True
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return code

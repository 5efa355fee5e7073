"""Running an aiohttp app: on uvloop when it is installed, without an access log (the service
logs its own requests), in one place for both the service and the benchmark's baselines, so
they are served the same way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiohttp import web


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run(app: web.Application, *, host: str, port: int, announce: Callable[[str], None] | None = None) -> None:
    web.run_app(app, host=host, port=port, access_log=None, print=announce, loop=new_loop())

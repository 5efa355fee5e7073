"""Running an aiohttp app: on uvloop when it is installed, without aiohttp's access log (the
service logs its own requests), with the garbage collector tuned for a server, in one place for
both the service and the benchmark's baselines, so they are served the same way."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from aiohttp import web


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


GC_THRESHOLDS = (50_000, 20, 20)  # see run()


def run(app: web.Application, *, host: str, port: int, announce: Callable[[str], None] | None = None,
        reuse_port: bool = False) -> None:
    # Young collections every 50,000 new objects instead of 700: each request allocates a few
    # hundred short-lived objects, and the long-lived state is frozen out of collections at
    # start-up (Service.start), so a collection finds little either way; measured 3-5% less CPU
    # per cached verify (docs/performance.md).
    gc.set_threshold(*GC_THRESHOLDS)
    web.run_app(app, host=host, port=port, access_log=None, print=announce, loop=new_loop(),
                reuse_port=reuse_port or None)


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

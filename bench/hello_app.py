"""The baseline: a bare aiohttp hello-world handler, served the way `verifier serve` serves."""

from __future__ import annotations

import sys

from aiohttp import web

from verifier.ops.serving import run


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="Hello, world")


def main() -> None:
    app = web.Application()
    app.router.add_get("/", hello)
    run(app, host="127.0.0.1", port=int(sys.argv[1]))


if __name__ == "__main__":
    main()

"""Registering routes with the edge around every handler (verifier.edge), static files among
them, and a fallback route last, so a request for an address or method nothing serves gets
the same 404 or 405 problem, headers, metrics and access line as any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from verifier.api.io import Handler
from verifier.edge import edge
from verifier.metrics import UNMATCHED, label_route


class EdgeRouter:
    """The parts of aiohttp's router the service uses, each handler registered inside the edge."""

    def __init__(self, router: web.UrlDispatcher) -> None:
        self.router = router

    def add_get(self, path: str, handler: Handler, **kwargs: Any) -> web.AbstractRoute:
        return self.router.add_get(path, edge(handler), **kwargs)  # (and HEAD)

    def add_post(self, path: str, handler: Handler, **kwargs: Any) -> web.AbstractRoute:
        return self.router.add_post(path, edge(handler), **kwargs)

    def add_put(self, path: str, handler: Handler, **kwargs: Any) -> web.AbstractRoute:
        return self.router.add_put(path, edge(handler), **kwargs)

    def add_patch(self, path: str, handler: Handler, **kwargs: Any) -> web.AbstractRoute:
        return self.router.add_patch(path, edge(handler), **kwargs)

    def add_delete(self, path: str, handler: Handler, **kwargs: Any) -> web.AbstractRoute:
        return self.router.add_delete(path, edge(handler), **kwargs)

    def add_static_files(self, prefix: str, directory: Path) -> web.AbstractRoute:
        """Serve the files directly in `directory` (no listing, no subfolders, no symlinks out)
        under `prefix` + their name; aiohttp's FileResponse does types, ETags and ranges."""
        files = {path.name: path for path in directory.iterdir() if path.is_file() and not path.is_symlink()}

        async def static_file(request: web.Request) -> web.StreamResponse:
            path = files.get(request.match_info["name"])
            if path is None:
                raise web.HTTPNotFound()
            return web.FileResponse(path)

        return self.add_get(prefix.rstrip("/") + "/{name}", static_file)

    def add_fallback(self) -> web.AbstractRoute:
        """The last route: whatever nothing else matched (call it after every other route)."""
        route = self.router.add_route("*", "/{tail:.*}", edge(_unmatched))
        label_route(route, UNMATCHED)
        return route


async def _unmatched(request: web.Request) -> web.StreamResponse:
    """404, or 405 with Allow when another route serves this address with other methods."""
    fallback = request.match_info.route.resource
    allowed: set[str] = set()
    for resource in request.app.router.resources():
        if resource is not fallback:
            _, methods = await resource.resolve(request)
            allowed |= methods
    if allowed:
        raise web.HTTPMethodNotAllowed(request.method, allowed)
    raise web.HTTPNotFound()

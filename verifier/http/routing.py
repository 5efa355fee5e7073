"""Registering routes with the edge around every handler (verifier.http.edge), static files among
them, and a fallback route last, so a request for an address or method nothing serves gets
the same 404 or 405 problem, headers, metrics and access line as any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import hdrs, web

from verifier.http.edge import edge
from verifier.http.headers import API_PREFIX
from verifier.http.io import AnyHandler
from verifier.ops.metrics import UNMATCHED


class EdgeRouter:
    """The parts of aiohttp's router the service uses, each handler registered inside the edge,
    counted and logged under its route's pattern."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.router = app.router

    def _add(self, methods: tuple[str, ...], path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        resource = self.router.add_resource(path)
        edged = edge(handler, resource.canonical, self.app, api=path.startswith(API_PREFIX))
        routes = [resource.add_route(method, edged, **kwargs) for method in methods]
        return routes[-1]

    def add_get(self, path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        return self._add((hdrs.METH_HEAD, hdrs.METH_GET), path, handler, **kwargs)  # as aiohttp's add_get

    def add_post(self, path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        return self._add((hdrs.METH_POST,), path, handler, **kwargs)

    def add_put(self, path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        return self._add((hdrs.METH_PUT,), path, handler, **kwargs)

    def add_patch(self, path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        return self._add((hdrs.METH_PATCH,), path, handler, **kwargs)

    def add_delete(self, path: str, handler: AnyHandler, **kwargs: Any) -> web.AbstractRoute:
        return self._add((hdrs.METH_DELETE,), path, handler, **kwargs)

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
        """The last route: whatever nothing else matched (call it after every other route).
        Counted as "unmatched": the path of a request nothing serves is the caller's text."""
        return self.router.add_route("*", "/{tail:.*}", edge(_unmatched, UNMATCHED, self.app, api=None))


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

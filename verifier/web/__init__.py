"""Server-rendered pages for people and moderators (Jinja2 via aiohttp-jinja2)."""

from __future__ import annotations

from aiohttp import web


def setup_web(app: web.Application) -> None:
    """Register the pages, templates and static files."""

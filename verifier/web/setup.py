"""Wiring the pages: templates, their filters, and the HTML error page (verifier.http.edge adds
the security headers from verifier.http.headers). The pages' routes are in verifier.http.routes
with every other route."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from verifier.http.problems import ERROR_PAGE
from verifier.web.render import FILTERS, error_page

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def setup_web(app: web.Application) -> None:
    """Set up the templates and the HTML error page."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped; no template marks user data |safe
        trim_blocks=True,
        lstrip_blocks=True,
        default_helpers=False,
    )
    env.filters.update(FILTERS)
    app[ERROR_PAGE] = error_page

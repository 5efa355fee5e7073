"""Server-rendered pages for people and moderators (Jinja2 via aiohttp-jinja2).

One module per job: setup (wiring), i18n (every UI string), headers (security headers),
cookies, csrf, sessions, render (layout and error pages), forms, checks (the public
verdict view), public, console and admin_pages (the handlers). See docs/web.md.
"""

from __future__ import annotations

from verifier.web.setup import setup_web

__all__ = ["setup_web"]

"""Wiring: templates, static files, the pages' routes and the HTML error page (verifier.edge adds
the security headers from verifier.web.headers)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp_jinja2
import jinja2
from aiohttp import web

from verifier.problems import ERROR_PAGE
from verifier.web import admin_pages, console, public
from verifier.web.render import FILTERS, error_page

if TYPE_CHECKING:
    from verifier.routing import EdgeRouter

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def setup_web(app: web.Application, router: EdgeRouter) -> None:
    """Register the pages, templates and static files."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped; no template marks user data |safe
        trim_blocks=True,
        lstrip_blocks=True,
        default_helpers=False,
    )
    env.filters.update(FILTERS)
    add_routes(router)
    app[ERROR_PAGE] = error_page


def add_routes(router: EdgeRouter) -> None:
    router.add_static_files("/static/", STATIC)

    router.add_get("/", public.home)
    router.add_get("/report", public.report_form)
    router.add_post("/report", public.report_submit)
    router.add_get("/report/done", public.report_done)
    router.add_get("/appeal", public.appeal_form)
    router.add_post("/appeal", public.appeal_submit)
    router.add_get("/appeal/done", public.appeal_done)
    router.add_get("/orgs", public.org_search)
    router.add_get("/org/{org_id}", public.org_detail)

    router.add_get("/moderation", console.queue)
    router.add_get("/moderation/login", console.login_form)
    router.add_post("/moderation/login", console.login_submit)
    router.add_post("/moderation/logout", console.logout)
    router.add_get("/moderation/reports/{report_id}", console.report_page)
    router.add_post("/moderation/reports/{report_id}/decision", console.decide_report)
    router.add_post("/moderation/numbers/decision", console.decide_number)
    router.add_get("/moderation/appeals", console.appeals)
    router.add_post("/moderation/appeals/{appeal_id}/decision", console.decide_appeal)
    router.add_get("/moderation/audit", console.audit)

    router.add_get("/moderation/registry", admin_pages.registry)
    router.add_post("/moderation/registry", admin_pages.create_org)
    router.add_get("/moderation/registry/{org_id}", admin_pages.org_edit)
    router.add_post("/moderation/registry/{org_id}", admin_pages.org_update)
    router.add_post("/moderation/registry/{org_id}/numbers", admin_pages.number_add)
    router.add_post("/moderation/registry/{org_id}/numbers/{key}", admin_pages.number_update)
    router.add_post("/moderation/registry/{org_id}/numbers/{key}/delete", admin_pages.number_delete)

"""Every route of the service, in one place."""

from __future__ import annotations

from aiohttp import web

from verifier.api import health, organizations, verify
from verifier.api.openapi import cache_openapi, openapi_json

API = "/api/v1"


def setup_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/healthz", health.healthz)
    router.add_get("/openapi.json", openapi_json)
    router.add_get(f"{API}/verify", verify.verify_get)
    router.add_post(f"{API}/verify", verify.verify_post)
    router.add_post(f"{API}/verify/batch", verify.verify_batch)
    router.add_post(f"{API}/verify/text", verify.verify_text)
    router.add_get(f"{API}/organizations", organizations.list_organizations)
    router.add_get(f"{API}/organizations/{{org_id}}", organizations.get_organization)
    app.on_startup.append(cache_openapi)

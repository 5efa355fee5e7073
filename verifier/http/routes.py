"""Every route of the service, in one table: the JSON API, the pages, the static files."""

from __future__ import annotations

from aiohttp import web

from verifier.api import admin, auth, feeds, health, moderation, organizations, reports, verify
from verifier.api.openapi import cache_openapi, openapi_json
from verifier.http.routing import EdgeRouter
from verifier.ops.metrics import metrics_endpoint
from verifier.web import admin_pages, console, public
from verifier.web.setup import STATIC

API = "/api/v1"


def setup_routes(app: web.Application, router: EdgeRouter) -> None:
    router.add_get("/healthz", health.healthz)
    router.add_get("/readyz", health.readyz)
    router.add_get("/metrics", metrics_endpoint)
    router.add_get("/openapi.json", openapi_json)

    router.add_get(f"{API}/verify", verify.verify_get)
    router.add_post(f"{API}/verify", verify.verify_post)
    router.add_post(f"{API}/verify/batch", verify.verify_batch)
    router.add_post(f"{API}/verify/text", verify.verify_text)
    router.add_get(f"{API}/verify/prefix/{{prefix}}", feeds.verify_prefix)
    router.add_get(f"{API}/blocklist", feeds.blocklist)
    router.add_get(f"{API}/organizations", organizations.list_organizations)
    router.add_get(f"{API}/organizations/{{org_id}}", organizations.get_organization)

    router.add_post(f"{API}/reports", reports.post_report)
    router.add_post(f"{API}/appeals", reports.post_appeal)

    router.add_post(f"{API}/auth/login", auth.login)
    router.add_post(f"{API}/auth/logout", auth.logout)

    router.add_get(f"{API}/moderation/reports", moderation.report_queue)
    router.add_get(f"{API}/moderation/reports/{{report_id}}", moderation.report_detail)
    router.add_post(f"{API}/moderation/reports/{{report_id}}/decision", moderation.decide_report)
    router.add_post(f"{API}/moderation/numbers/decision", moderation.decide_number)
    router.add_get(f"{API}/moderation/appeals", moderation.appeal_queue)
    router.add_post(f"{API}/moderation/appeals/{{appeal_id}}/decision", moderation.decide_appeal)
    router.add_get(f"{API}/moderation/audit", moderation.audit_log)

    router.add_post(f"{API}/admin/organizations", admin.create_organization)
    router.add_patch(f"{API}/admin/organizations/{{org_id}}", admin.update_organization)
    router.add_post(f"{API}/admin/organizations/{{org_id}}/numbers", admin.add_number)
    router.add_put(f"{API}/admin/organizations/{{org_id}}/numbers/{{key}}", admin.update_number)
    router.add_delete(f"{API}/admin/organizations/{{org_id}}/numbers/{{key}}", admin.delete_number)

    app.on_startup.append(cache_openapi)

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

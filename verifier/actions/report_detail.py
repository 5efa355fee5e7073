"""One report's page, shared by the JSON API and the console: the report, its number's whole
history and appeals, and the number's verdict now."""

from __future__ import annotations

from aiohttp import web

from registry.records import Page
from verifier.actions.verify import verify
from verifier.http.app_keys import service_of
from verifier.schemas.moderation import AppealOut, ReportDetail, ReportOut


async def report_detail_for(request: web.Request, report_id: int) -> ReportDetail:
    service = service_of(request)
    report = await service.store.get_report(report_id)
    history = await service.store.reports_for_number(report.number_key)
    appeals = await service.store.list_appeals(Page(size=50), status=None, number_key=report.number_key)
    verdict = verify(service.knowledge, report.number, region=report.region)
    return ReportDetail(report=ReportOut.of(report), history=[ReportOut.of(r) for r in history],
                        appeals=[AppealOut.of(a) for a in appeals], verdict=verdict)

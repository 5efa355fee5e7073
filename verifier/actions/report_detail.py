"""One report's page, shared by the JSON API and the console: the report, its number's whole
history and appeals, and the number's verdict now."""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from registry.records import Page
from verifier.actions.verify import verify
from verifier.http.app_keys import contacts_of, service_of
from verifier.schemas.moderation import AppealOut, ReportDetail, ReportOut


async def report_detail_for(request: web.Request, report_id: int) -> ReportDetail:
    service = service_of(request)
    report = await service.store.get_report(report_id)
    history = await service.store.reports_for_number(report.number_key)
    appeals = await service.store.list_appeals(Page(size=50), status=None, number_key=report.number_key)
    verdict = verify(service.knowledge, report.number, region=report.region)
    names = await service.store.api_key_names() if any(r.api_key_id is not None for r in history) else {}
    burst = None  # a burst from one key is one source: how many reports it sent in the last hour
    if report.api_key_id is not None:
        since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        burst = await service.store.key_reports_since(report.api_key_id, since)
    return ReportDetail(report=ReportOut.of(report, names), key_reports_last_hour=burst,
                        history=[ReportOut.of(r, names) for r in history],
                        appeals=[AppealOut.of(a, contacts_of(request).open(a.contact)) for a in appeals],
                        verdict=verdict)

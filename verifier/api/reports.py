"""/api/v1/reports and /api/v1/appeals: what the public sends in."""

from __future__ import annotations

from aiohttp import web

from verifier.actions.reports import file_appeal, file_report
from verifier.http.io import json_bytes, json_response, operation, read_json
from verifier.schemas.moderation import Accepted, AppealRequest, ReportRequest


@operation("Report a number; acknowledged once stored", body=ReportRequest, response=Accepted, status=202,
           tags=("reports",), errors=(400, 401, 422, 429))
async def post_report(request: web.Request) -> web.Response:
    body = await read_json(request, ReportRequest)
    report_id = await file_report(request, body)  # never the web page's reporter cookie: the address is the reporter
    return json_bytes(b'{"id":%d,"status":"pending"}' % report_id, status=202)  # Accepted, without pydantic


@operation("Dispute a scam verdict as the number's owner", body=AppealRequest, response=Accepted, status=202,
           tags=("reports",), errors=(400, 401, 422, 429))
async def post_appeal(request: web.Request) -> web.Response:
    body = await read_json(request, AppealRequest)
    appeal = await file_appeal(request, body)
    return json_response(Accepted(id=appeal.id, status=appeal.status.value), status=202)

"""/api/v1/moderation: the report queue, decisions, appeals and the audit log."""

from __future__ import annotations

from aiohttp import web

from registry.records import Page
from verifier.actions.report_detail import report_detail_for
from verifier.actions.reports import read_number
from verifier.http.app_keys import contacts_of, service_of
from verifier.http.callers import moderator_name
from verifier.http.io import json_bytes, json_response, operation, read_json, read_query
from verifier.http.problems import ProblemError, say
from verifier.schemas.moderation import (
    AppealDecisionRequest,
    AppealDecisionResponse,
    AppealList,
    AppealOut,
    AppealQuery,
    AuditList,
    AuditQuery,
    DecisionRequest,
    DecisionResponse,
    NumberDecisionRequest,
    QueueQuery,
    QueueResponse,
    ReportDetail,
    ReportOut,
)
from verifier.state.queue import queue_of

MODERATOR = {"tags": ("moderation",), "auth": "moderator"}
ID = {"type": "string", "pattern": "^[0-9]{1,18}$", "examples": ["1"]}


def _int_id(request: web.Request, name: str) -> int:
    value = request.match_info[name]
    if not value.isdigit() or len(value) > 18:
        raise ProblemError(404, say("no-such-item", what=name.removesuffix("_id"), value=value), kind="not-found")
    return int(value)


@operation("The report queue: against official numbers first, then by the number's pending voices (counted"
           " as the verdict counts them), then oldest; a number's reports together", query=QueueQuery,
           response=QueueResponse, **MODERATOR)
async def report_queue(request: web.Request) -> web.Response:
    query = read_query(request, QueueQuery)
    service = service_of(request)
    queue = queue_of(service)
    cached = queue.pages.get(service, request.query_string)  # a queue at rest: the page as sent before
    if cached is not None:
        return json_bytes(cached)
    stamp = queue.pages.stamp(service)
    key = read_number(query.number, query.region, "number", "query").key if query.number else None
    page = Page(number=query.page, size=query.page_size)
    items = await queue.page(page, status=query.status, number_key=key, category=query.category)
    names = await service.store.api_key_names() if any(r.api_key_id for r in items) else {}
    answer = QueueResponse(items=[ReportOut.of(r, names) for r in items], page=query.page, page_size=query.page_size)
    body = answer.__pydantic_serializer__.to_json(answer)
    queue.pages.put(stamp, request.query_string, body)
    return json_bytes(body)


@operation("One report with its number's whole history and current verdict", response=ReportDetail,
           errors=(404,), path={"report_id": ID}, **MODERATOR)
async def report_detail(request: web.Request) -> web.Response:
    return json_response(await report_detail_for(request, _int_id(request, "report_id")))


@operation("Approve or reject one report", body=DecisionRequest, response=ReportOut, errors=(404, 409, 422),
           path={"report_id": ID}, **MODERATOR)
async def decide_report(request: web.Request) -> web.Response:
    body = await read_json(request, DecisionRequest)
    report = await service_of(request).decide_report(_int_id(request, "report_id"), body.decision,
                                                     actor=moderator_name(request), note=body.note)
    return json_response(ReportOut.of(report))


@operation("Approve or reject every pending report of one number", body=NumberDecisionRequest,
           response=DecisionResponse, errors=(400, 404, 422), **MODERATOR)
async def decide_number(request: web.Request) -> web.Response:
    body = await read_json(request, NumberDecisionRequest)
    key = read_number(body.number, body.region).key
    reports = await service_of(request).decide_number(key, body.decision, actor=moderator_name(request),
                                                      note=body.note)
    return json_response(DecisionResponse(decided=len(reports), reports=[ReportOut.of(r) for r in reports]))


@operation("Appeals from number owners", query=AppealQuery, response=AppealList, **MODERATOR)
async def appeal_queue(request: web.Request) -> web.Response:
    query = read_query(request, AppealQuery)
    appeals = await service_of(request).store.list_appeals(Page(number=query.page, size=query.page_size),
                                                           status=query.status)
    sealer = contacts_of(request)
    return json_response(AppealList(items=[AppealOut.of(a, sealer.open(a.contact)) for a in appeals]))


@operation("Uphold an appeal's scam verdict, or lift it (overturning the approved reports)",
           body=AppealDecisionRequest, response=AppealDecisionResponse, errors=(404, 409, 422), path={"appeal_id": ID},
           **MODERATOR)
async def decide_appeal(request: web.Request) -> web.Response:
    body = await read_json(request, AppealDecisionRequest)
    appeal, overturned = await service_of(request).decide_appeal(
        _int_id(request, "appeal_id"), body.decision, actor=moderator_name(request), note=body.note)
    return json_response(AppealDecisionResponse(appeal=AppealOut.of(appeal, contacts_of(request).open(appeal.contact)),
                                                overturned_reports=overturned))


@operation("The audit log, newest first", query=AuditQuery, response=AuditList, **MODERATOR)
async def audit_log(request: web.Request) -> web.Response:
    query = read_query(request, AuditQuery)
    entries = await service_of(request).store.list_audit(
        Page(number=query.page, size=query.page_size), actor=query.actor, action=query.action,
        target_type=query.target_type, target_id=query.target_id)
    return json_response(AuditList(items=entries))

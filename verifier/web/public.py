"""The public pages: check a number or a text, report a number, appeal, the organisation registry."""

from __future__ import annotations

import datetime as dt
import secrets

from aiohttp import web
from pydantic import ValidationError

from registry.records import ReportCategory, ReportChannel
from verifier.actions.reports import file_appeal, file_report
from verifier.core.signals import Context
from verifier.http import cookies
from verifier.http.app_keys import service_of
from verifier.http.callers import REPORTER_COOKIE, VISITOR_COOKIE, charge_page_check
from verifier.http.problems import ProblemError
from verifier.schemas.moderation import AppealRequest, ReportRequest
from verifier.web import checks, csrf, forms
from verifier.web.i18n import Translator, lang_of, translate
from verifier.web.render import BEIJING, page, redirect

REPORT_FIELDS = ("number", "category", "channel", "claimed_org", "description", "occurred_at")
APPEAL_FIELDS = ("number", "statement", "contact")


def _context(value: str | None) -> Context | None:
    try:
        return Context(value) if value else None
    except ValueError:
        return None


def _visitor(request: web.Request) -> str:
    """The browser's hv_visitor cookie (random, no meaning but "the same browser"); a new one if
    it has none or a malformed one."""
    cookie = request.cookies.get(VISITOR_COOKIE, "")
    if not 16 <= len(cookie) <= 64 or not cookie.replace("-", "").replace("_", "").isalnum() or not cookie.isascii():
        cookie = secrets.token_urlsafe(24)
        cookies.queue(request, VISITOR_COOKIE, cookie, max_age=cookies.YEAR, samesite="Lax")
    return cookie


async def home(request: web.Request) -> web.Response:
    lang = lang_of(request)
    q = request.query.get("q", "").strip()
    org = request.query.get("org", "").strip()[:100]
    context = _context(request.query.get("context"))
    check = None
    visitor = _visitor(request)
    if q:
        # the page's own budget, not the API's (verifier.limits.page): one check before any reading;
        # a pasted text, what it costs (one per number and link it checks) once they are counted
        charge_page_check(request, visitor)

        def charge(cost: int) -> None:
            if cost > 1:
                charge_page_check(request, visitor, cost - 1)

        check = checks.check(request, q, org, context, lang, charge)
    kb = service_of(request).knowledge
    return page(request, "home.html", {
        "check": check, "q": q[: checks.MAX_TEXT], "org": org, "context": context.value if context else "",
        "contexts": [c.value for c in Context], "org_names": checks.org_names(kb, lang),
    }, status=check.status if check else 200, section="check")


# -- reports ----------------------------------------------------------------------------------
def _report_page(request: web.Request, values: dict[str, str], errors: dict[str, str],
                 status: int = 200) -> web.Response:
    t = Translator(lang_of(request))
    kb = service_of(request).knowledge
    return page(request, "report.html", {
        "values": values, "errors": errors, "csrf_token": csrf.public_token(request),
        "categories": [(c.value, t.label("category", c.value)) for c in ReportCategory],
        "channels": [(c.value, t.label("channel", c.value)) for c in ReportChannel],
        "org_names": checks.org_names(kb, t.lang),
        "max_time": dt.datetime.now(BEIJING).strftime("%Y-%m-%dT%H:%M"),
    }, status=status, section="report")


async def report_form(request: web.Request) -> web.Response:
    query = request.query
    channel = query.get("channel", "")
    values = {
        "number": query.get("number", "")[:200],
        "category": query.get("category", "") if query.get("category", "") in ReportCategory.__members__ else "",
        "channel": channel if channel in ReportChannel.__members__ else ReportChannel.incoming_call.value,
        "claimed_org": query.get("org", "")[:100],
        "description": "",
        "occurred_at": "",
    }
    return _report_page(request, values, {})


async def report_submit(request: web.Request) -> web.Response:
    form = await forms.read(request)
    csrf.check_public(request, form)
    lang = lang_of(request)
    values = {name: forms.text(form, name) for name in REPORT_FIELDS}
    errors: dict[str, str] = {}
    if not values["number"].strip():
        errors["number"] = translate("err_required", lang)
    occurred_at = None
    try:
        occurred_at = forms.local_datetime(values["occurred_at"])
    except ValueError:
        errors["occurred_at"] = translate("err_date", lang)
    body = None
    try:
        body = ReportRequest(number=values["number"], category=values["category"], channel=values["channel"],
                             claimed_org=values["claimed_org"].strip() or None,
                             description=values["description"].strip(), occurred_at=occurred_at)
    except ValidationError as exc:
        for field, message in forms.field_errors(exc, lang).items():
            errors.setdefault(field, message)
    if body is not None and not errors:
        cookie = request.cookies.get(REPORTER_COOKIE)
        if not cookie or len(cookie) > 128:
            cookie = secrets.token_urlsafe(32)
            cookies.queue(request, REPORTER_COOKIE, cookie, max_age=cookies.YEAR * 2, samesite="Strict")
        try:
            report_id = await file_report(request, body, cookie=cookie)
        except ProblemError as problem:
            if problem.status != 400:  # 429 and friends: the error page says when to try again
                raise
            errors["number"] = translate("err_not_a_number", lang)
        else:
            return redirect(f"/report/done?id={report_id}")
    return _report_page(request, values, errors, status=422)


async def report_done(request: web.Request) -> web.Response:
    report_id = request.query.get("id", "")
    return page(request, "report_done.html", {"report_id": report_id if report_id.isdigit() else ""},
                section="report")


# -- appeals ----------------------------------------------------------------------------------
def _appeal_page(request: web.Request, values: dict[str, str], errors: dict[str, str],
                 status: int = 200) -> web.Response:
    return page(request, "appeal.html", {"values": values, "errors": errors,
                                         "csrf_token": csrf.public_token(request)}, status=status)


async def appeal_form(request: web.Request) -> web.Response:
    return _appeal_page(request, {"number": request.query.get("number", "")[:200], "statement": "", "contact": ""},
                        {})


async def appeal_submit(request: web.Request) -> web.Response:
    form = await forms.read(request)
    csrf.check_public(request, form)
    lang = lang_of(request)
    values = {name: forms.text(form, name) for name in APPEAL_FIELDS}
    errors: dict[str, str] = {}
    if not values["number"].strip():
        errors["number"] = translate("err_required", lang)
    body = None
    try:
        body = AppealRequest(number=values["number"], statement=values["statement"], contact=values["contact"])
    except ValidationError as exc:
        for field, message in forms.field_errors(exc, lang).items():
            errors.setdefault(field, message)
    if body is not None and not errors:
        try:
            appeal = await file_appeal(request, body)
        except ProblemError as problem:
            if problem.status != 400:
                raise
            errors["number"] = translate("err_not_a_number", lang)
        else:
            return redirect(f"/appeal/done?id={appeal.id}")
    return _appeal_page(request, values, errors, status=422)


async def appeal_done(request: web.Request) -> web.Response:
    appeal_id = request.query.get("id", "")
    return page(request, "appeal_done.html", {"appeal_id": appeal_id if appeal_id.isdigit() else ""})


# -- the registry -------------------------------------------------------------------------------
async def org_search(request: web.Request) -> web.Response:
    lang = lang_of(request)
    q = request.query.get("q", "").strip()[:100]
    kb = service_of(request).knowledge
    orgs = kb.names.search(q, 500) if q else kb.names.ranked()  # most relevant first (core.names.relevance_key)
    return page(request, "orgs.html", {"q": q, "orgs": orgs, "org_names": checks.org_names(kb, lang)},
                section="orgs")


async def org_detail(request: web.Request) -> web.Response:
    kb = service_of(request).knowledge
    org = kb.organizations.get(request.match_info["org_id"])
    if org is None:
        raise ProblemError(404, translate("no_such_org", lang_of(request)), kind="not-found")
    numbers = checks.official_numbers(kb, org.id)
    return page(request, "org.html", {"org": org, "numbers": numbers, "groups": checks.channel_groups(numbers)},
                section="orgs")

"""The moderator console: log in and out, the report queue, a report's page, decisions,
appeals and the audit log. Every decision goes through the service, as the logged-in user."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from registry.records import AppealDecision, AppealStatus, AuditEntry, Decision, Page, ReportCategory, ReportStatus
from registry.store.errors import Conflict, NotFound
from verifier.actions.login import check_login
from verifier.actions.report_detail import report_detail_for
from verifier.actions.reports import read_number
from verifier.actions.verify import verify
from verifier.core.numbers.reading import NotANumber
from verifier.http.app_keys import contacts_of, service_of
from verifier.http.problems import ProblemError
from verifier.schemas.moderation import ReportOut
from verifier.state.queue import queue_of
from verifier.web import audit_view, checks, csrf, forms, sessions
from verifier.web.i18n import STRINGS, Translator, lang_of, translate
from verifier.web.render import page, redirect

PAGE_SIZE = 50


def _done(request: web.Request) -> str:
    key = f"done_{request.query.get('done', '')}"
    return translate(key, lang_of(request)) if key in STRINGS else ""


def _page_number(request: web.Request) -> int:
    value = request.query.get("page", "1")
    return min(int(value), 100_000) if value.isdigit() and int(value) >= 1 else 1


def _int_id(request: web.Request, name: str) -> int:
    value = request.match_info[name]
    if not value.isdigit() or len(value) > 18:
        raise ProblemError(404, translate("not_found_text", lang_of(request)), kind="not-found")
    return int(value)


def _choice(enum: type, value: str, request: web.Request):  # type: ignore[no-untyped-def]
    try:
        return enum(value)
    except ValueError:
        raise ProblemError(422, translate("err_choose", lang_of(request)), kind="invalid-input") from None


def _note(form: forms.Form) -> str | None:
    return forms.text(form, "note").strip()[:2000] or None


# -- login and logout -----------------------------------------------------------------------------
def _login_page(request: web.Request, *, username: str = "", error: str = "", status: int = 200,
                next_url: str | None = None) -> web.Response:
    return page(request, "console_login.html", {
        "csrf_token": csrf.public_token(request), "username": username, "error": error,
        "next": sessions.safe_next(next_url if next_url is not None else request.query.get("next")),
        "bye": request.query.get("bye") == "1",
    }, status=status, section="login")


async def login_form(request: web.Request) -> web.Response:
    return _login_page(request)  # also when logged in: logging in again (maybe as someone else) starts afresh


async def login_submit(request: web.Request) -> web.Response:
    form = await forms.read(request)
    csrf.check_public(request, form)
    lang = lang_of(request)
    username = forms.text(form, "username").strip()[:64]
    password = forms.text(form, "password")[:1024]
    next_url = forms.text(form, "next")
    if not username or not password:
        return _login_page(request, username=username, error=translate("login_missing", lang), status=422,
                           next_url=next_url)
    try:
        user = await check_login(request, username, password)
    except ProblemError as problem:
        if problem.status != 401:  # throttled: the error page says when to try again
            raise
        return _login_page(request, username=username, error=translate("login_failed", lang), status=401,
                           next_url=next_url)
    await sessions.start(request, user)
    return redirect(sessions.safe_next(next_url))


async def logout(request: web.Request) -> web.Response:
    form = await forms.read(request)
    found = await sessions.require(request)
    csrf.check_session(request, found.csrf_token, form)
    await sessions.end(request, found)
    return redirect(f"{sessions.LOGIN_PATH}?bye=1")


async def _checked_post(request: web.Request) -> tuple[sessions.WebSession, forms.Form]:
    form = await forms.read(request)
    found = await sessions.require(request)
    csrf.check_session(request, found.csrf_token, form)
    return found, form


# -- the queue and a report ---------------------------------------------------------------------
async def queue(request: web.Request) -> web.Response:
    found = await sessions.require(request)
    t = Translator(lang_of(request))
    query = request.query
    status_value = query.get("status", ReportStatus.pending.value)
    status = ReportStatus(status_value) if status_value in ReportStatus.__members__ else ReportStatus.pending
    category_value = query.get("category", "")
    category = ReportCategory(category_value) if category_value in ReportCategory.__members__ else None
    number = query.get("number", "").strip()[:200]
    errors: dict[str, str] = {}
    key = None
    if number:
        try:
            key = read_number(number, None).key
        except ProblemError:
            errors["number"] = t("err_not_a_number")
    page_number = _page_number(request)
    reports: list[ReportOut] = []
    if not errors:
        service = service_of(request)
        queued = await queue_of(service).page(
            Page(number=page_number, size=PAGE_SIZE + 1), status=status, number_key=key, category=category)
        # which API key each came through, by name: a burst from one key reads as one source
        names = await service.store.api_key_names() if any(r.api_key_id is not None for r in queued) else {}
        reports = [ReportOut.of(r, names) for r in queued]
    filters = {"status": status.value, "number": number, "category": category.value if category else ""}
    return page(request, "console_queue.html", {
        "reports": reports[:PAGE_SIZE], "has_next": len(reports) > PAGE_SIZE, "page": page_number,
        "base_query": urlencode(filters), "filters": filters, "errors": errors, "done": _done(request),
        "statuses": [(s.value, t.label("report_status", s.value)) for s in ReportStatus],
        "categories": [(c.value, t.label("category", c.value)) for c in ReportCategory],
    }, section="queue", console=found)


async def report_page(request: web.Request) -> web.Response:
    found = await sessions.require(request)
    lang = lang_of(request)
    detail = await report_detail_for(request, _int_id(request, "report_id"))
    verdict = verify(service_of(request).knowledge, detail.report.number, region=detail.report.region, lang=lang)
    pending = sum(1 for r in detail.history if r.status is ReportStatus.pending)
    return page(request, "console_report.html", {
        "report": detail.report, "history": detail.history, "appeals": detail.appeals, "verdict": verdict,
        "org_line": checks.org_line(verdict, lang), "pending_for_number": pending if pending > 1 else 0,
        "key_reports_last_hour": detail.key_reports_last_hour, "done": _done(request),
    }, section="queue", console=found)


async def decide_report(request: web.Request) -> web.Response:
    found, form = await _checked_post(request)
    report_id = _int_id(request, "report_id")
    decision = _choice(Decision, forms.text(form, "decision"), request)
    try:
        await service_of(request).decide_report(report_id, decision, actor=found.username, note=_note(form))
    except Conflict:
        raise ProblemError(409, translate("already_decided", lang_of(request)), kind="conflict") from None
    return redirect(f"/moderation/reports/{report_id}?done={decision.value}")


async def decide_number(request: web.Request) -> web.Response:
    found, form = await _checked_post(request)
    decision = _choice(Decision, forms.text(form, "decision"), request)
    region = forms.text(form, "region").strip().upper() or None
    key = read_number(forms.text(form, "number"), region if region and len(region) == 2 else None).key
    try:
        reports = await service_of(request).decide_number(key, decision, actor=found.username, note=_note(form))
    except NotFound:
        raise ProblemError(409, translate("nothing_pending", lang_of(request)), kind="conflict") from None
    back = forms.text(form, "back")
    done = f"{decision.value}_all"
    if back.isdigit():
        return redirect(f"/moderation/reports/{back}?done={done}")
    return redirect(f"/moderation?done={done}&n={len(reports)}")


# -- appeals and the audit log --------------------------------------------------------------------
async def appeals(request: web.Request) -> web.Response:
    found = await sessions.require(request)
    lang = lang_of(request)
    t = Translator(lang)
    value = request.query.get("status", AppealStatus.pending.value)
    status = AppealStatus(value) if value in AppealStatus.__members__ else None  # "all" and anything else: all
    page_number = _page_number(request)
    service = service_of(request)
    items = await service.store.list_appeals(Page(number=page_number, size=PAGE_SIZE + 1), status=status)
    rows, sealer = [], contacts_of(request)  # contacts are stored sealed: opened for this page only
    for appeal in items[:PAGE_SIZE]:
        try:
            verdict = verify(service.knowledge, appeal.number, lang=lang).verdict.value
        except NotANumber:
            verdict = "invalid"
        rows.append({"appeal": appeal, "verdict": verdict, "contact": sealer.open(appeal.contact)})
    return page(request, "console_appeals.html", {
        "appeals": rows, "status": status.value if status else "all", "page": page_number,
        "has_next": len(items) > PAGE_SIZE, "base_query": urlencode({"status": status.value if status else "all"}),
        "statuses": [(s.value, t.label("appeal_status", s.value)) for s in AppealStatus] + [("all", t("all"))],
        "done": _done(request),
    }, section="appeals", console=found)


async def decide_appeal(request: web.Request) -> web.Response:
    found, form = await _checked_post(request)
    appeal_id = _int_id(request, "appeal_id")
    decision = _choice(AppealDecision, forms.text(form, "decision"), request)
    try:
        await service_of(request).decide_appeal(appeal_id, decision, actor=found.username, note=_note(form))
    except Conflict:
        raise ProblemError(409, translate("already_decided", lang_of(request)), kind="conflict") from None
    return redirect(f"/moderation/appeals?done={decision.value}")


AUDIT_FILTERS = {"actor": 64, "action": 64, "target_type": 64, "target_id": 200}
AUDIT_CHUNK = 200  # entries read at a time (the store's largest page)
AUDIT_MAX_SCAN = 10_000  # entries read for one page at most: a larger registry load continues on the next


def _id_param(request: web.Request, name: str) -> int | None:
    value = request.query.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 18 else None


async def audit(request: web.Request) -> web.Response:
    """Newest first, filtered by actor, action, kind (target type) and target id; each entry's
    changed fields only; registry loads collapsed into one line each (verifier.web.audit_view).
    Paged by id: `until` (the newest id shown), `since` (the oldest listed, for one load's entries)."""
    found = await sessions.require(request)
    filters = {name: request.query.get(name, "").strip()[:limit] for name, limit in AUDIT_FILTERS.items()}
    # one action or one target asked for: every entry of it, as it is
    raw = request.query.get("collapse") == "0"
    collapse = not raw and not filters["action"] and not filters["target_id"]
    until, since = _id_param(request, "until"), _id_param(request, "since")
    store = service_of(request).store
    entries: list[AuditEntry] = []
    cursor, exhausted = until, False
    while True:
        chunk = await store.list_audit(Page(size=AUDIT_CHUNK), max_id=cursor, min_id=since,
                                       **{name: value or None for name, value in filters.items()})
        entries += chunk
        if len(chunk) < AUDIT_CHUNK:
            exhausted = True
            break
        cursor = chunk[-1].id - 1
        if len(entries) >= AUDIT_MAX_SCAN or len(audit_view.lines(entries, collapse=collapse)) > PAGE_SIZE:
            break
    built = audit_view.lines(entries, collapse=collapse)
    shown = built[:PAGE_SIZE]
    kept = {k: v for k, v in filters.items() if v} | ({"since": str(since)} if since is not None else {}) \
        | ({"collapse": "0"} if raw else {})
    older = urlencode(kept | {"until": str(shown[-1].first.id - 1)}) if shown and (
        len(built) > PAGE_SIZE or not exhausted) else ""
    return page(request, "console_audit.html", {
        "lines": shown, "filters": filters, "older": older, "newest": urlencode(kept) if until is not None else None,
        "suggestions": await store.audit_values(), "collapse": collapse,
        "expand": lambda line: urlencode({"actor": line.first.actor, "since": line.first.id,
                                          "until": line.last.id, "collapse": "0"}),
    }, section="audit", console=found)

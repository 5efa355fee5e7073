"""RFC 9457 problem responses: the one error shape of the whole service.

Handlers raise `ProblemError` (or let a `ValidationError`/store error through); the
edge (verifier.http.edge) turns every failure into ``application/problem+json`` with a field-level
``errors`` list where it has one. Nothing a client sends can produce a bare 500.

Which status for what is one table, docs/errors.md. A problem's ``title``, ``detail`` and
``errors[].message`` follow the request's language (`problem_lang`); its sentences are in
verifier.http.problem_text, its machine codes (``type``, ``errors[].code``) are the same in both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from pydantic import ValidationError

from registry.store.errors import Conflict, NotFound, StoreUnavailable
from verifier.core.messages import Lang
from verifier.core.numbers.model import NotANumber
from verifier.core.numbers.text import MAX_INPUT_CHARS
from verifier.http import problem_text
from verifier.http.problem_text import DETAILS, Sentence, field_error, say, title

log = logging.getLogger("verifier.http.problems")
PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://hotline-verifier.invalid/problems/"  # stable identifiers, not fetched
TITLES = {status: sentences["en"] for status, sentences in problem_text.TITLES.items()}  # English, by status

BODY_LANG = web.RequestKey("body_lang", str)
"""The ``lang`` a JSON body asked for (set by verifier.http.io.read_json): problems follow it."""


class ProblemError(Exception):
    """A problem to answer. `detail` is a `Sentence` (both languages, from verifier.http.problem_text)
    or a plain string, said as it is in either language (the pages' own, already translated)."""

    def __init__(
        self,
        status: int,
        detail: str | Sentence,
        *,
        kind: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(str(detail))
        self.status = status
        self.sentence = detail if isinstance(detail, Sentence) else Sentence(detail, detail)
        self.kind = kind or TITLES.get(status, "error").lower().replace(" ", "-")
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    @property
    def detail(self) -> str:
        return self.sentence.en


def problem_lang(request: web.Request) -> Lang:
    """The language of a problem: ``lang`` of the query or the JSON body, else the one of zh and
    en the Accept-Language header ranks first, else English. (Only on the error path.)"""
    asked = request.get(BODY_LANG) or request.query.get("lang")
    if asked == "zh" or asked == "en":
        return asked
    return accept_language(request.headers.get("Accept-Language", ""))


def accept_language(header: str) -> Lang:
    """"zh" when Accept-Language ranks a Chinese tag above any English one, else "en"."""
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if quality <= 0:
            continue
        candidate = (-quality, position, "zh" if primary == "zh" else "en")
        if best is None or candidate < best:
            best = candidate  # type: ignore[assignment]
    return best[2] if best is not None else "en"


def _say(text: Any, lang: Lang) -> Any:
    return text.in_lang(lang) if isinstance(text, Sentence) else text


def problem_body(problem: ProblemError, instance: str, lang: Lang = "en") -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.kind,
        "title": title(problem.status, lang),
        "status": problem.status,
        "detail": problem.sentence.in_lang(lang),
        "instance": instance,
    }
    if problem.errors:
        body["errors"] = [{name: _say(value, lang) for name, value in error.items()} for error in problem.errors]
    body.update(problem.extra)
    return body


ErrorPage = Callable[[web.Request, int, str, dict[str, str]], web.Response]
ERROR_PAGE = web.AppKey("error_page", ErrorPage)
"""Renders a problem as an HTML page for browsers (set by verifier.web); the API keeps problem+json."""
JSON_PREFIXES = ("/api/", "/openapi.json", "/healthz", "/readyz", "/metrics")


def problem_response(request: web.Request, problem: ProblemError) -> web.Response:
    page = request.app.get(ERROR_PAGE)
    if page is not None and not request.path.startswith(JSON_PREFIXES):
        return page(request, problem.status, problem.detail, problem.headers)
    body = problem_body(problem, request.path, problem_lang(request))
    return web.Response(
        status=problem.status,
        body=orjson.dumps(body),
        content_type=PROBLEM_TYPE,
        headers=problem.headers,
    )


def not_a_number(exc: NotANumber, field: str, location: str) -> ProblemError:
    """400 not-a-number: the text is no phone number at all (docs/errors.md)."""
    sentence = problem_text.not_a_number(exc.code, str(exc), MAX_INPUT_CHARS)
    return ProblemError(400, sentence, kind="not-a-number",
                        errors=[{"field": field, "in": location, "message": sentence, "code": exc.code}])


def validation_errors(exc: ValidationError, location: str, prefix: str = "") -> list[dict[str, Any]]:
    """Pydantic errors as [{"field": "items.3.number", "in": "body", "message": ..., "code": ...}];
    `prefix` goes before each field (a batch item's "items.3")."""
    errors = []
    for error in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in (*((prefix,) if prefix else ()), *error["loc"])) or "(body)"
        message = field_error(error["type"], error["msg"], error.get("ctx"))
        errors.append({"field": field, "in": location, "message": message, "code": error["type"]})
    return errors


def from_validation(exc: ValidationError, location: str, prefix: str = "") -> ProblemError:
    errors = validation_errors(exc, location, prefix)
    first = errors[0] if errors else {"field": "-", "message": Sentence("invalid", "无效")}
    template, message = DETAILS["field-problem"], first["message"]
    detail = Sentence(template["en"].format(field=first["field"], message=message.en),
                      template["zh"].format(field=first["field"], message=message.zh))
    return ProblemError(422, detail, kind="invalid-input", errors=errors)


def _from_http(exc: web.HTTPException) -> ProblemError:
    detail: str | Sentence = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
    if exc.status == 413:
        detail = say("body-too-large")
    elif exc.status == 404:
        detail = say("nothing-here")
    elif exc.status == 405:
        detail = say("method-not-allowed", method=getattr(exc, "method", None) or "this method")
    headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after", "www-authenticate")}
    return ProblemError(exc.status, detail, headers=headers)


def response_for(request: web.Request, exc: Exception) -> web.Response:
    """The problem response for anything a handler raised: nothing reaches the client as a bare 500."""
    if isinstance(exc, ProblemError):
        return problem_response(request, exc)
    if isinstance(exc, ValidationError):
        return problem_response(request, from_validation(exc, "body"))
    if isinstance(exc, NotFound):
        return problem_response(request, ProblemError(404, say("not-found", what=str(exc) or "Not found.")))
    if isinstance(exc, Conflict):
        return problem_response(request, ProblemError(409, say("conflict", what=str(exc) or "Conflict.")))
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable for writes", exc_info=exc)
        return problem_response(
            request,
            ProblemError(503, say("store-unavailable"), kind="store-unavailable", headers={"Retry-After": "5"}),
        )
    if isinstance(exc, web.HTTPException) and exc.status >= 400:
        return problem_response(request, _from_http(exc))
    if isinstance(exc, (ConnectionResetError, HttpProcessingError)):
        # the body broke off (the client went, or was too slow: verifier.ops.connections) or its
        # framing is broken (a bad chunk): one line with the reason, never the request's text
        log.info("request body refused: %s", type(exc).__name__)
        return problem_response(request, ProblemError(400, say("bad-http"), kind="bad-request"))
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(request, ProblemError(500, say("internal"), kind="internal"))

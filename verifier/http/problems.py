"""RFC 9457 problem responses: the one error shape of the whole service.

Handlers raise `ProblemError` (or let a `ValidationError`/store error through); the
edge (verifier.http.edge) turns every failure into ``application/problem+json`` with a field-level
``errors`` list where it has one. Nothing a client sends can produce a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web
from pydantic import ValidationError

from registry.store.errors import Conflict, NotFound, StoreUnavailable

log = logging.getLogger("verifier.http.problems")
PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://hotline-verifier.invalid/problems/"  # stable identifiers, not fetched

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or TITLES.get(status, "error").lower().replace(" ", "-")
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def problem_body(status: int, detail: str, kind: str, instance: str, errors: list[dict[str, Any]] | None = None,
                 **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


ErrorPage = Callable[[web.Request, int, str, dict[str, str]], web.Response]
ERROR_PAGE = web.AppKey("error_page", ErrorPage)
"""Renders a problem as an HTML page for browsers (set by verifier.web); the API keeps problem+json."""
JSON_PREFIXES = ("/api/", "/openapi.json", "/healthz", "/readyz", "/metrics")


def problem_response(request: web.Request, problem: ProblemError) -> web.Response:
    page = request.app.get(ERROR_PAGE)
    if page is not None and not request.path.startswith(JSON_PREFIXES):
        return page(request, problem.status, problem.detail, problem.headers)
    body = problem_body(problem.status, problem.detail, problem.kind, request.path, problem.errors, **problem.extra)
    return web.Response(
        status=problem.status,
        body=orjson.dumps(body),
        content_type=PROBLEM_TYPE,
        headers=problem.headers,
    )


def validation_errors(exc: ValidationError, location: str) -> list[dict[str, Any]]:
    """Pydantic errors as [{"field": "items.3.number", "in": "body", "message": ...}]."""
    errors = []
    for error in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in error["loc"]) or "(body)"
        errors.append({"field": field, "in": location, "message": error["msg"], "code": error["type"]})
    return errors


def from_validation(exc: ValidationError, location: str) -> ProblemError:
    errors = validation_errors(exc, location)
    first = errors[0] if errors else {"field": "-", "message": "invalid"}
    return ProblemError(422, f"{first['field']}: {first['message']}", kind="invalid-input", errors=errors)


def _from_http(exc: web.HTTPException) -> ProblemError:
    detail = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
    if exc.status == 413:
        detail = "The request body is larger than this endpoint accepts."
    elif exc.status == 404:
        detail = "There is nothing at this address."
    elif exc.status == 405:
        detail = f"This address does not accept {exc.method if hasattr(exc, 'method') else 'this method'}."
    headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after", "www-authenticate")}
    return ProblemError(exc.status, detail, headers=headers)


def response_for(request: web.Request, exc: Exception) -> web.Response:
    """The problem response for anything a handler raised: nothing reaches the client as a bare 500."""
    if isinstance(exc, ProblemError):
        return problem_response(request, exc)
    if isinstance(exc, ValidationError):
        return problem_response(request, from_validation(exc, "body"))
    if isinstance(exc, NotFound):
        return problem_response(request, ProblemError(404, str(exc) or "Not found."))
    if isinstance(exc, Conflict):
        return problem_response(request, ProblemError(409, str(exc) or "Conflict."))
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable for writes", exc_info=exc)
        return problem_response(
            request,
            ProblemError(503, "The database cannot take writes right now; nothing was stored. Try again later.",
                         kind="store-unavailable", headers={"Retry-After": "5"}),
        )
    if isinstance(exc, web.HTTPException) and exc.status >= 400:
        return problem_response(request, _from_http(exc))
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(request, ProblemError(500, "Something went wrong on our side.", kind="internal"))

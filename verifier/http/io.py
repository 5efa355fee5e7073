"""Reading requests into pydantic models and writing models as JSON, with one error shape.

`operation(...)` records on a handler what it reads and returns; the OpenAPI document
(verifier.api.openapi) is generated from exactly these records.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from verifier.http.problems import ProblemError, from_validation

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
AnyHandler = Callable[[web.Request], Awaitable[web.StreamResponse] | web.StreamResponse]  # (one that never waits may be plain)


@dataclass(frozen=True, slots=True)
class Operation:
    summary: str
    response: type[BaseModel] | None = None
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    tags: tuple[str, ...] = ()
    auth: str | None = None  # None (public), "moderator", "admin"
    errors: tuple[int, ...] = (400, 422)
    extra_responses: dict[int, str] = field(default_factory=dict)
    path: dict[str, dict[str, Any]] = field(default_factory=dict)  # JSON Schema of path parameters (default: string)


def operation(summary: str, **kwargs: Any) -> Callable[[AnyHandler], AnyHandler]:
    def mark(handler: AnyHandler) -> AnyHandler:
        handler.__operation__ = Operation(summary, **kwargs)  # type: ignore[attr-defined]
        return handler

    return mark


def operation_of(handler: Any) -> Operation | None:
    return getattr(handler, "__operation__", None)


async def read_json(request: web.Request, model: type[M]) -> M:
    """The JSON body as `model`; 415 for another content type, 400 for broken JSON, 422 for bad fields."""
    if request.headers.get("Content-Type") != "application/json" and request.content_type != "application/json":
        raise ProblemError(
            415,
            f"Send the body as application/json (got {request.content_type or 'no content type'}).",
            kind="unsupported-media-type",
        )
    raw = await _body(request)
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ProblemError(400, f"The body is not valid JSON: {exc}", kind="malformed-json") from exc
    if not isinstance(payload, dict):
        raise ProblemError(422, "The body must be a JSON object.", kind="invalid-input",
                           errors=[{"field": "(body)", "in": "body", "message": "expected an object"}])
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise from_validation(exc, "body") from exc


async def _body(request: web.Request) -> bytes:
    """request.read(), without its read loop when the whole body has already arrived (a small
    JSON body usually comes in the same packet as the headers)."""
    content = request.content
    if content.is_eof():
        body = content.read_nowait()
        if len(body) > request.client_max_size:
            raise web.HTTPRequestEntityTooLarge(max_size=request.client_max_size, actual_size=len(body))
        if body:  # (empty: nothing sent, or already read(), which keeps it)
            return body
    return await request.read()


def read_query(request: web.Request, model: type[M]) -> M:
    """The query string as `model`: unknown or repeated parameters are refused."""
    query = request.query
    repeated = sorted({key for key in query if len(query.getall(key)) > 1})
    if repeated:
        raise ProblemError(422, f"Give each parameter once ({', '.join(repeated)} repeated).", kind="invalid-input",
                           errors=[{"field": key, "in": "query", "message": "repeated"} for key in repeated])
    values = {key: value for key, value in query.items() if value != ""}
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise from_validation(exc, "query") from exc


def json_response(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=model.__pydantic_serializer__.to_json(model),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def json_bytes(payload: bytes, status: int = 200) -> web.Response:
    return web.Response(body=payload, status=status, content_type="application/json")

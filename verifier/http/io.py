"""Reading requests into pydantic models and writing models as JSON, with one error shape.

`operation(...)` records on a handler what it reads and returns; the OpenAPI document
(verifier.api.openapi) is generated from exactly these records.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import unquote

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from verifier.http.problem_text import Sentence, say
from verifier.http.problems import BODY_LANG, ProblemError, from_validation

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
        raise ProblemError(415, say("unsupported-media-type", got=request.content_type or "no content type"),
                           kind="unsupported-media-type")
    raw = await _body(request)
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ProblemError(400, say("malformed-json", error=exc), kind="malformed-json") from exc
    if not isinstance(payload, dict):
        raise ProblemError(422, say("body-not-an-object"), kind="invalid-input",
                           errors=[{"field": "(body)", "in": "body", "message": Sentence("expected an object", "应为对象"),
                                    "code": "expected_object"}])
    lang = payload.get("lang")
    if lang is not None and isinstance(lang, str):  # problems follow it (verifier.http.problems.problem_lang)
        request[BODY_LANG] = lang
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
    """The query string as `model`: unknown or repeated parameters are refused. An empty value
    counts as not given, except for a required parameter: ``number=`` is an empty number (400
    not-a-number, docs/errors.md), not a missing one."""
    query = request.query
    repeated = sorted({key for key in query if len(query.getall(key)) > 1})
    if repeated:
        raise ProblemError(422, say("repeated-parameters", names=", ".join(repeated)), kind="invalid-input",
                           errors=[{"field": key, "in": "query", "message": Sentence("repeated", "重复"),
                                    "code": "repeated"} for key in repeated])
    values = {key: value for key, value in query.items() if value != ""}
    if len(values) != len(query):  # an empty value: given as it is for a required parameter
        fields = model.model_fields
        values.update((key, "") for key, value in query.items()
                      if value == "" and key in fields and fields[key].is_required())
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise from_validation(exc, "query") from exc


def read_query_string(query: str, model: type[M]) -> M | None:
    """The raw query string as `model` when it plainly is one: each parameter once, none empty,
    all valid; None otherwise (read_query then says what is wrong). Decoded as request.query
    decodes it (yarl: parse_qsl's rules), without building the URL's query at all: the miss
    path of GET /api/v1/verify. tests/http/test_query_string.py proves it equal to read_query."""
    pairs = query_pairs(query)
    if "%" in query and any("\ufffd" in value for _, value in pairs):  # not UTF-8: yarl and parse_qsl differ there
        return None
    values = dict(pairs)
    if len(values) != len(pairs) or "" in values.values():
        return None
    try:
        return model.model_validate(values)
    except ValidationError:
        return None


def query_pairs(query: str) -> list[tuple[str, str]]:
    """parse_qsl(query, keep_blank_values=True): the (name, value) pairs of a query string, in
    order, decoded (tests/http/test_query_string.py proves them equal)."""
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            name = _decoded_kept(name)
            pairs.append((name, _decoded(value) if name == "number" else _decoded_kept(value)))
    return pairs


def _decoded(text: str) -> str:
    """One name or value of a query string as parse_qsl decodes it: "+" is a space, then %XX
    escapes as UTF-8 (a byte sequence that is not UTF-8 becomes U+FFFD). query_pairs, which
    decodes with it, is proven equal to parse_qsl (tests/http/test_query_string.py)."""
    if "+" in text:
        text = text.replace("+", " ")
    return unquote(text) if "%" in text else text


_decoded_kept = lru_cache(maxsize=4096)(_decoded)
"""`_decoded`, kept for the names and the values other than the number's: a few organisations'
names, contexts and languages, asked over and over ("claimed_org=%E5%B7%A5%E5%95%86..." costs
3 us to decode each time). Bounded: a flood of made-up names only turns it over."""


def number_only(query: str) -> str | None:
    """The number of a query string that is ``number=`` and a number alone (most questions apps
    ask: "number=13612345678", "number=%2B44%2020%207946%200958"), decoded as read_query_string
    decodes it: its reading as VerifyRequest(number=...), without a model (any text is a
    number to the model; an empty one, or one that is no UTF-8, is left to read_query_string)."""
    if query[:7] != "number=" or "&" in query:
        return None
    value = _decoded(query[7:])
    if "\ufffd" in value and "%" in query:  # not UTF-8: left to read_query_string (it declines too)
        return None
    return value or None


def json_response(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=model.__pydantic_serializer__.to_json(model),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def json_bytes(payload: bytes, status: int = 200) -> web.Response:
    return web.Response(body=payload, status=status, content_type="application/json")

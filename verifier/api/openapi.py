"""The OpenAPI 3.1 document, generated from the routes and the pydantic models that serve them."""

from __future__ import annotations

import re
from typing import Any

import orjson
from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from verifier import __version__
from verifier.http.io import Operation, json_bytes, operation_of
from verifier.schemas.answers import ProblemOut

REF = "#/components/schemas/{model}"
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "string", "pattern": "^[0-9]+$"}}
_PATH_PARAM = re.compile(r"{(\w+)(?::[^}]*)?}")


def build_openapi(app: web.Application) -> dict[str, Any]:
    operations: list[tuple[str, str, Operation]] = []
    for route in app.router.routes():
        op = operation_of(route.handler)
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if op is None or path is None or route.method == "HEAD":
            continue
        operations.append((_PATH_PARAM.sub(r"{\1}", path), route.method.lower(), op))

    wanted: set[tuple[type[BaseModel], str]] = {(ProblemOut, "serialization")}
    for _, _, op in operations:
        if op.response is not None:
            wanted.add((op.response, "serialization"))
        if op.body is not None:
            wanted.add((op.body, "validation"))
    keys, top = models_json_schema(
        sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1])),  # type: ignore[arg-type]
        ref_template=REF,
    )
    schemas: dict[str, Any] = top.get("$defs", {})

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return keys[(model, mode)]

    paths: dict[str, dict[str, Any]] = {}
    for path, method, op in sorted(operations):
        item: dict[str, Any] = {"summary": op.summary, "operationId": f"{method}_{_slug(path)}", "tags": list(op.tags)}
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": op.path.get(name, {"type": "string"})}
            for name in _PATH_PARAM.findall(path)
        ]
        if op.query is not None:
            query_schema = op.query.model_json_schema(ref_template=REF)
            required = set(query_schema.get("required", []))
            for name, prop in query_schema.get("properties", {}).items():
                parameters.append({"name": name, "in": "query", "required": name in required,
                                   "schema": _query_schema(prop, name in required)})
            schemas.update(query_schema.get("$defs", {}))
        if parameters:
            item["parameters"] = parameters
        if op.body is not None:
            item["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(op.body, "validation")}},
            }
        responses: dict[str, Any] = {}
        if op.response is not None:
            responses[str(op.status)] = {
                "description": "OK",
                "content": {"application/json": {"schema": ref(op.response, "serialization")}},
            }
        else:
            responses[str(op.status)] = {"description": "OK"}
        problem = {"application/problem+json": {"schema": ref(ProblemOut, "serialization")}}
        # 401 everywhere: the edge (verifier.http.callers.identify) refuses an unknown or revoked credential on any operation.
        # A body can be malformed JSON (400), too large (413) or not JSON (415); a write (every POST,
        # PUT, PATCH and DELETE but the verify ones) can meet a database that takes no writes (503).
        writes = method != "get" and "verify" not in op.tags
        for status in sorted({*op.errors, *op.extra_responses, 401, *((403,) if op.auth else ()),
                              *((400, 413, 415) if op.body else ()), *((503,) if writes else ())}):
            responses[str(status)] = {"description": op.extra_responses.get(status, "Problem"), "content": problem}
            if status in (429, 503):
                responses[str(status)]["headers"] = {"Retry-After": RETRY_AFTER}
        item["responses"] = responses
        # moderators and admins: a login token; everyone else: anonymous, or an API key (optional)
        item["security"] = [{"bearer": []}] if op.auth else [{}, {"apiKey": []}]
        paths.setdefault(path, {})[method] = item

    return {
        "openapi": "3.1.0",
        "info": {"title": "hotline-verifier", "version": __version__,
                 "description": "Is this phone number really who it claims to be?"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A moderator's or administrator's token from /api/v1/auth/login."},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                           "description": "An app's API key (hvk_...); also accepted as Authorization: Bearer."},
            },
        },
    }


def _query_schema(prop: dict[str, Any], required: bool) -> dict[str, Any]:
    """A query parameter's schema as verifier.http.io.read_query reads it: an empty optional one
    counts as not given (so it may be empty), an empty required one is read as it is (``number=``:
    400 not-a-number), and never null."""
    if required:
        return prop
    annotations = ("title", "description", "default")
    notes = {key: prop[key] for key in annotations if prop.get(key) is not None}
    options = prop.get("anyOf") or [{key: value for key, value in prop.items() if key not in annotations}]
    return {**notes, "anyOf": [*(o for o in options if o.get("type") != "null"), {"const": ""}]}


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_")


OPENAPI_CACHE = web.AppKey("openapi", bytes)


async def cache_openapi(app: web.Application) -> None:
    """on_startup: render the document once, when every route is known."""
    app[OPENAPI_CACHE] = orjson.dumps(build_openapi(app))


async def openapi_json(request: web.Request) -> web.Response:
    return json_bytes(request.app[OPENAPI_CACHE])

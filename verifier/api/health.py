"""Liveness."""

from __future__ import annotations

from aiohttp import web

from verifier.http.app_keys import service_of
from verifier.http.io import json_response, operation
from verifier.http.problems import ProblemError, say
from verifier.schemas.answers import Health


@operation("The service is alive", response=Health, tags=("operations",), errors=())
async def healthz(request: web.Request) -> web.Response:
    return json_response(Health(status="ok", registry_numbers=service_of(request).knowledge.size))


@operation("The service can answer: database reachable, registry loaded", response=Health,
           tags=("operations",), errors=(503,))
async def readyz(request: web.Request) -> web.Response:
    service = service_of(request)
    try:
        await service.store.ping()
    except Exception as exc:
        raise ProblemError(503, say("database-unreachable"), kind="not-ready") from exc
    if service.knowledge.size == 0:
        raise ProblemError(503, say("registry-not-loaded"), kind="not-ready")
    return json_response(Health(status="ok", registry_numbers=service.knowledge.size))

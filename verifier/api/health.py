"""Liveness."""

from __future__ import annotations

from aiohttp import web

from verifier.api.io import json_response, operation
from verifier.api.schemas import Health
from verifier.keys import service_of


@operation("The service is alive", response=Health, tags=("operations",), errors=())
async def healthz(request: web.Request) -> web.Response:
    return json_response(Health(status="ok", registry_numbers=service_of(request).knowledge.size))

"""/api/v1/auth: moderator login and logout (bearer tokens)."""

from __future__ import annotations

from aiohttp import web

from verifier.actions.login import check_login
from verifier.http.app_keys import SETTINGS, service_of
from verifier.http.callers import caller_of, expiry
from verifier.http.io import json_response, operation, read_json
from verifier.ops.crypto import (
    SESSION_PREFIX,
    new_token,
    token_digest,
)
from verifier.schemas.moderation import LoginRequest, LoginResponse


@operation("Log in as a moderator; returns a bearer token", body=LoginRequest, response=LoginResponse,
           tags=("auth",), errors=(401, 422, 429))
async def login(request: web.Request) -> web.Response:
    body = await read_json(request, LoginRequest)
    user = await check_login(request, body.username, body.password)
    token = new_token(SESSION_PREFIX)
    expires_at = expiry(request.app[SETTINGS].session_hours)
    await service_of(request).store.add_session(token_digest(token), user.id, "api", expires_at)
    return json_response(LoginResponse(token=token, expires_at=expires_at, username=user.username, role=user.role))


@operation("Log out: the token stops working", status=204, tags=("auth",), auth="moderator", errors=())
async def logout(request: web.Request) -> web.Response:
    token = caller_of(request).session_token
    if token:
        await service_of(request).store.delete_session(token_digest(token))
    return web.Response(status=204)

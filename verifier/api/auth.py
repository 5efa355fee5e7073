"""/api/v1/auth: moderator login and logout (bearer tokens)."""

from __future__ import annotations

from aiohttp import web

from registry.records import User
from verifier.access import LOGIN_WINDOW, caller_of, expiry
from verifier.api.io import json_response, operation, read_json
from verifier.api.schemas_moderation import LoginRequest, LoginResponse
from verifier.keys import SETTINGS, SHARED_LIMITER, hasher_of, service_of
from verifier.problems import ProblemError
from verifier.secrets import (
    DUMMY_HASH,
    SESSION_PREFIX,
    check_password,
    hash_password,
    new_token,
    password_needs_rehash,
    token_digest,
)


async def check_login(request: web.Request, username: str, password: str) -> User:
    """The user, if the password is right; throttled per username and per address."""
    limiter, settings = request.app[SHARED_LIMITER], request.app[SETTINGS]
    limit = settings.login_failures_allowed
    subjects = (("login-user", hasher_of(request).hash("login", username.casefold())),
                ("login-address", caller_of(request).address_hash))
    for bucket, subject in subjects:
        retry = await limiter.would_allow(bucket, subject, limit, LOGIN_WINDOW)
        if retry is not None:
            raise ProblemError(429, "Too many failed logins; wait before trying again.", kind="login-throttled",
                               headers={"Retry-After": str(int(retry))}, retry_after=int(retry))
    store = service_of(request).store
    found = await store.user_credentials(username)
    stored_hash = found[1] if found else DUMMY_HASH
    if not check_password(stored_hash, password) or found is None or found[0].disabled:
        for bucket, subject in subjects:
            await limiter.hit(bucket, subject, limit, LOGIN_WINDOW)
        raise ProblemError(401, "Wrong username or password.", kind="login-failed")
    user, _ = found
    if password_needs_rehash(stored_hash):
        await store.set_password_hash(user.id, hash_password(password))
    return user


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

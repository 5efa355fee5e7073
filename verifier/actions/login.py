"""Logging a moderator in, shared by the JSON API and the console: the password checked,
failures throttled per username and per address (verifier.limits.login)."""

from __future__ import annotations

from aiohttp import web

from registry.records import User
from verifier.http.app_keys import LOGIN_THROTTLE, hasher_of, service_of
from verifier.http.callers import caller_of
from verifier.http.problems import ProblemError, say
from verifier.ops.crypto import DUMMY_HASH, check_password, hash_password, password_needs_rehash


async def check_login(request: web.Request, username: str, password: str) -> User:
    """The user, if the password is right; throttled per username and per address."""
    throttle = request.app[LOGIN_THROTTLE]
    user_subject = hasher_of(request).hash("login", username.casefold())
    address_subject = caller_of(request).address_hash
    retry = await throttle.wait_before_trying(user_subject, address_subject)
    if retry is not None:
        raise ProblemError(429, say("login-throttled"), kind="login-throttled",
                           headers={"Retry-After": str(int(retry))}, retry_after=int(retry))
    store = service_of(request).store
    found = await store.user_credentials(username)
    stored_hash = found[1] if found else DUMMY_HASH
    if not check_password(stored_hash, password) or found is None or found[0].disabled:
        await throttle.failed(user_subject, address_subject)
        raise ProblemError(401, say("login-failed"), kind="login-failed")
    user, _ = found
    if password_needs_rehash(stored_hash):
        await store.set_password_hash(user.id, hash_password(password))
    return user

"""Logging a moderator in, shared by the JSON API and the console: the password checked,
failures throttled per username and per address (verifier.limits)."""

from __future__ import annotations

from aiohttp import web

from registry.records import User
from verifier.http.app_keys import SETTINGS, SHARED_LIMITER, hasher_of, service_of
from verifier.http.callers import LOGIN_WINDOW, caller_of
from verifier.http.problems import ProblemError
from verifier.ops.crypto import DUMMY_HASH, check_password, hash_password, password_needs_rehash


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

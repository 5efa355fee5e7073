"""Moderator logins in the browser: an HttpOnly, SameSite=Strict session cookie.

The cookie holds a random token (only its SHA-256 digest is stored, kind "web", with the
session's CSRF token). Every login makes a new token and ends the one the browser had, so a
session id planted before login is worthless; logout deletes the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web

from registry.records import Role, Session, User
from verifier.http import cookies
from verifier.http.app_keys import SETTINGS, service_of
from verifier.http.callers import SESSION_COOKIE, expiry
from verifier.http.problems import ProblemError
from verifier.ops.crypto import SESSION_PREFIX, new_token, token_digest
from verifier.web import csrf
from verifier.web.i18n import lang_of, translate

KIND = "web"
LOGIN_PATH = "/moderation/login"


@dataclass(frozen=True, slots=True)
class WebSession:
    session: Session
    token: str

    @property
    def user(self) -> User:
        return self.session.user

    @property
    def username(self) -> str:
        return self.session.user.username

    @property
    def is_admin(self) -> bool:
        return self.session.user.role is Role.admin

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token or ""


_CURRENT = web.RequestKey("web_session", WebSession)


async def current(request: web.Request) -> WebSession | None:
    """The browser's live web session, or None."""
    if _CURRENT in request:
        return request[_CURRENT]
    token = request.cookies.get(SESSION_COOKIE)
    if not token or not token.startswith(SESSION_PREFIX) or len(token) > 128:
        return None
    session = await service_of(request).store.get_session(token_digest(token))
    if session is None or session.kind != KIND or not session.csrf_token:
        return None
    request[_CURRENT] = found = WebSession(session, token)
    return found


def login_url(request: web.Request) -> str:
    target = request.path_qs if request.method == "GET" else "/moderation"
    return f"{LOGIN_PATH}?{urlencode({'next': target})}"


async def require(request: web.Request) -> WebSession:
    """The moderator's session; a GET without one is sent to the login page, a POST refused."""
    found = await current(request)
    if found is None:
        if request.method in ("GET", "HEAD"):
            raise web.HTTPSeeOther(login_url(request))
        raise ProblemError(403, translate("login_expired", lang_of(request)), kind="forbidden")
    return found


async def require_admin(request: web.Request) -> WebSession:
    found = await require(request)
    if not found.is_admin:
        raise ProblemError(403, translate("admin_only", lang_of(request)), kind="forbidden")
    return found


async def start(request: web.Request, user: User) -> str:
    """Log `user` in: a new session (ending the browser's old one); returns the new token."""
    store = service_of(request).store
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await store.delete_session(token_digest(old))
    token = new_token(SESSION_PREFIX)
    hours = request.app[SETTINGS].session_hours
    await store.add_session(token_digest(token), user.id, KIND, expiry(hours), csrf_token=csrf.new_secret())
    cookies.queue(request, SESSION_COOKIE, token, max_age=int(hours * 3600), samesite="Strict")
    return token


async def end(request: web.Request, found: WebSession) -> None:
    await service_of(request).store.delete_session(token_digest(found.token))
    cookies.expire(request, SESSION_COOKIE)


def safe_next(value: str | None) -> str:
    """Only a path inside the console: never another host (no open redirect)."""
    if (value and value.startswith("/moderation") and not value.startswith("//") and "\\" not in value
            and not any(ord(c) < 32 for c in value)):
        return value
    return "/moderation"

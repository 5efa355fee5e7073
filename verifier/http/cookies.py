"""Cookies a page wants set, queued on the request and written when the response is prepared.

Queuing (rather than setting them on one response object) means a cookie also reaches the
browser when the handler ends in a redirect or an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie

from aiohttp import web

from verifier.http.app_keys import SETTINGS

YEAR = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Cookie:
    name: str
    value: str
    max_age: int | None  # None: a session cookie; 0: delete it
    samesite: str
    httponly: bool = True


_PENDING = web.RequestKey("web_pending_cookies", list)


def secure_cookies(request: web.Request) -> bool:
    """`Secure` on every cookie when the service is served over HTTPS (setting `cookie_secure`)."""
    return bool(getattr(request.app[SETTINGS], "cookie_secure", False))


def queue(request: web.Request, name: str, value: str, *, max_age: int | None = YEAR,
          samesite: str = "Strict", httponly: bool = True) -> None:
    """For pages: responses under /api/ never carry queued cookies (verifier.http.headers)."""
    pending: list[Cookie] = request.setdefault(_PENDING, [])  # type: ignore[arg-type]
    pending[:] = [c for c in pending if c.name != name]
    pending.append(Cookie(name, value, max_age, samesite, httponly))


def expire(request: web.Request, name: str) -> None:
    queue(request, name, "", max_age=0)


def header_value(cookie: Cookie, secure: bool) -> str:
    jar: SimpleCookie = SimpleCookie()
    jar[cookie.name] = cookie.value
    morsel = jar[cookie.name]
    morsel["path"] = "/"
    if cookie.max_age is not None:
        morsel["max-age"] = str(cookie.max_age)
        if cookie.max_age == 0:
            morsel["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
    morsel["httponly"] = cookie.httponly
    morsel["samesite"] = cookie.samesite
    morsel["secure"] = secure
    return morsel.OutputString()


def apply(request: web.Request, response: web.StreamResponse) -> None:
    """Adds the queued cookies as Set-Cookie headers (called by verifier.http.headers.secure)."""
    for cookie in request.get(_PENDING, ()):
        response.headers.add("Set-Cookie", header_value(cookie, secure_cookies(request)))

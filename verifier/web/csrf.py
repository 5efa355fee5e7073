"""CSRF tokens: one on every form, checked on every POST (403 without a valid one).

- Logged-in forms (the moderator console): a synchronizer token, random per login, stored
  with the session in the database (`sessions.csrf_token`).
- Public forms (report, appeal, login): there is no session, so a *signed double-submit*
  token: a random `hv_csrf` cookie, and in the form the keyed HMAC of that cookie
  (`hasher.hash("csrf", cookie)`). Another site can neither read the cookie nor compute the
  HMAC without the service key.
"""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web
from multidict import MultiDictProxy

from verifier.http import cookies
from verifier.http.app_keys import hasher_of
from verifier.http.problems import ProblemError
from verifier.web.i18n import lang_of, translate

CSRF_COOKIE = "hv_csrf"
FIELD = "csrf_token"
_ISSUED = web.RequestKey("web_csrf_cookie", str)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def public_token(request: web.Request) -> str:
    """The token for a public form; gives the browser a `hv_csrf` cookie if it has none."""
    cookie = request.get(_ISSUED) or request.cookies.get(CSRF_COOKIE)
    if not cookie or len(cookie) > 128:
        cookie = new_secret()
        request[_ISSUED] = cookie
        # Lax, not Strict: a person arriving from a link (an SMS, a chat) keeps the same cookie,
        # so a form opened earlier in another tab still submits. The token, not the cookie, is the proof.
        cookies.queue(request, CSRF_COOKIE, cookie, max_age=cookies.YEAR, samesite="Lax")
    return hasher_of(request).hash("csrf", cookie)


def refused(request: web.Request) -> ProblemError:
    return ProblemError(403, translate("csrf_refused", lang_of(request)), kind="csrf")


def check_public(request: web.Request, form: MultiDictProxy[str | bytes | object]) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form.get(FIELD)
    if not cookie or not isinstance(sent, str) or not sent:
        raise refused(request)
    if not hmac.compare_digest(sent.encode(), hasher_of(request).hash("csrf", cookie).encode()):
        raise refused(request)


def check_session(request: web.Request, expected: str | None, form: MultiDictProxy[str | bytes | object]) -> None:
    sent = form.get(FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise refused(request)

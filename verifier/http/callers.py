"""Who is calling, and may they: client addresses, API keys, moderator logins, rate limits.

`identify` (called by verifier.http.edge) identifies every API caller once (address, API key, moderator session) and
enforces the route's declared `auth` ("moderator" or "admin"); handlers charge their own
rate limits (`charge_verify`, `charge_shared`: the limiters of verifier.limits), since a batch
costs one unit per number. `identify` may return an awaitable: the "maybe awaitable" protocol,
described once in verifier.http.edge's docstring.

The caller also carries the application: `caller_of(request).app` is how handlers on the hot
path reach it, because `request.app` is a property that takes two more property lookups (the
request's match info, then its current app), asserting on each, every time it is read.
"""

from __future__ import annotations

import datetime as dt
import hmac
import weakref
from collections.abc import Awaitable
from typing import NoReturn

from aiohttp import web

from registry.records import ApiKey, Role, Session
from verifier.http.app_keys import KEYED, SERVICE, SETTINGS, STRICT_LIMITER, VERIFY_LIMITER, service_of
from verifier.http.io import Operation
from verifier.http.problems import ProblemError, Sentence, say
from verifier.limits import page
from verifier.ops.crypto import API_KEY_PREFIX, SESSION_PREFIX, token_digest
from verifier.ops.metrics import METRICS
from verifier.ops.settings import Settings
from verifier.state.service import MISSING

SESSION_COOKIE = "hv_session"
CSRF_HEADER = "X-CSRF-Token"  # with the session cookie, an API write carries the login's CSRF token here
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REPORTER_COOKIE = "hv_reporter"
VISITOR_COOKIE = "hv_visitor"  # one browser, for the page's own check budget (charge_page_check)
MINUTE, HOUR = 60.0, 3600.0


class Caller:
    """Who is calling: identified once per request by `identify`, kept on the request."""

    api_key: ApiKey | None = None
    api_key_subject: str = ""  # str(api_key.id), the key's rate-limit subject
    session: Session | None = None
    session_token: str | None = None
    _address: str | None = None
    _address_hash: str | None = None

    def __init__(self, request: web.Request, app: web.Application) -> None:
        # Weakly: the request keeps its caller, and a strong reference back would make every
        # request a reference cycle, left for the garbage collector instead of freed at once.
        self._request = weakref.ref(request)
        self.app = app  # the application the request came to: request.app without its property lookups

    @property
    def address(self) -> str:
        """The raw client address, worked out when first needed (an API key's verify never
        needs it): used for hashing and limits only, never stored or logged."""
        if self._address is None:
            request = self._request()
            if request is None:
                raise RuntimeError("the caller's request has ended")
            self._address = client_address(request, self.app[SETTINGS])
        return self._address

    @property
    def address_hash(self) -> str:
        """The address as limits and stored reports know it (a keyed hash), made when first needed."""
        if self._address_hash is None:
            self._address_hash = self.app[KEYED].hash_cached("address", self.address)
        return self._address_hash


CALLER = web.RequestKey("caller", Caller)


def client_address(request: web.Request, settings: Settings | None = None) -> str:
    if (settings or request.app[SETTINGS]).trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.remote or "unknown"


def caller_of(request: web.Request) -> Caller:
    """The request's caller, as `identify` found it. `caller_of(request).app` is the fast way to
    the application: a plain attribute, not request.app's property lookups (the module docstring)."""
    return request[CALLER]


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def _unauthorized(detail: Sentence) -> ProblemError:
    return ProblemError(401, detail, kind="unauthorized", headers={"WWW-Authenticate": 'Bearer realm="hotline-verifier"'})


def identify(request: web.Request, op: Operation | None, app: web.Application) -> Awaitable[None] | None:
    """Who is calling, and may they use this route (`op`, its handler's operation record):
    called by verifier.http.edge before every handler. Synchronous where it can be (public routes,
    API keys looked up recently): returns an awaitable only when it has to ask the store (a
    login session, an API key not seen lately): the "maybe awaitable" protocol of verifier.http.edge."""
    caller = request[CALLER] = Caller(request, app)
    if op is None:  # pages and static files: verifier.web checks its own sessions
        return None
    headers = request.headers
    authorization = headers.get("Authorization")
    token = (_bearer(authorization) if authorization else None) or headers.get("X-API-Key")
    if op.auth is not None:
        return _identify_moderator(request, caller, op, token)
    if token:
        if not token.startswith(API_KEY_PREFIX):
            raise _unauthorized(say("not-an-api-key"))
        key = app[SERVICE].cached_api_key(token)
        if key is MISSING:
            return _identify_key(request, caller, token)
        _take_key(caller, key)  # type: ignore[arg-type]
    return None


async def _identify_key(request: web.Request, caller: Caller, token: str) -> None:
    _take_key(caller, await service_of(request).api_key(token))


def _take_key(caller: Caller, key: ApiKey | None) -> None:
    if key is None:
        raise _unauthorized(say("unknown-api-key"))
    caller.api_key, caller.api_key_subject = key, str(key.id)


async def _identify_moderator(request: web.Request, caller: Caller, op: Operation, token: str | None) -> None:
    bearer = token if token and token.startswith(SESSION_PREFIX) else None
    session_token = bearer or request.cookies.get(SESSION_COOKIE)
    if not session_token:
        raise _unauthorized(say("log-in-first"))
    session = await service_of(request).store.get_session(token_digest(session_token))
    if session is None:
        raise _unauthorized(say("login-expired"))
    if bearer is None and request.method not in SAFE_METHODS:
        _check_csrf_header(request, session)
    if op.auth == Role.admin.value and session.user.role is not Role.admin:
        raise ProblemError(403, say("admin-only"), kind="forbidden")
    caller.session, caller.session_token = session, session_token


def _check_csrf_header(request: web.Request, session: Session) -> None:
    """The console's cookie authorises an API write only with the login's CSRF token (the
    synchronizer token its forms carry) in CSRF_HEADER: a page on another site can make the
    browser send the cookie, never read the token. A bearer token needs none."""
    sent, expected = request.headers.get(CSRF_HEADER, ""), session.csrf_token
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ProblemError(403, say("csrf-token-needed", header=CSRF_HEADER), kind="csrf")


Limit = tuple[str, str, int, float]  # bucket, subject, limit, period in seconds


def _refuse(request: web.Request, bucket: str, limit: int, period: float, retry: float) -> NoReturn:
    request.app[METRICS].refusal(bucket)
    raise ProblemError(429, say("rate-limited", limit=limit, period=int(period)),
                       kind="rate-limited", headers={"Retry-After": str(int(retry))}, retry_after=int(retry))


async def charge_shared(request: web.Request, limits: list[Limit], cost: float = 1.0) -> None:
    """Count against every limit, or (if any is used up) against none: a 429 with Retry-After.
    For limits every server process shares exactly (reports, appeals: verifier.limits.strict)."""
    shared = request.app[STRICT_LIMITER]
    local = shared.local_only
    if local is not None:  # one process: the same checks, without a coroutine each
        for bucket, subject, limit, period in limits:
            retry = local.would_allow(bucket, subject, limit, period, cost)
            if retry is not None:
                _refuse(request, bucket, limit, period, retry)
        for bucket, subject, limit, period in limits:
            local.hit(bucket, subject, limit, period, cost)
        return
    for bucket, subject, limit, period in limits:
        retry = await shared.would_allow(bucket, subject, limit, period, cost)
        if retry is not None:
            _refuse(request, bucket, limit, period, retry)
    for bucket, subject, limit, period in limits:
        await shared.hit(bucket, subject, limit, period, cost)


async def take_shared(request: web.Request, limit: Limit) -> bool:
    """Count one against `limit` if it has room and say so; never refuses (a budget, not a limit:
    what is over it is still served, differently)."""
    bucket, subject, allowed, period = limit
    if allowed <= 0:
        return False
    shared = request.app[STRICT_LIMITER]
    local = shared.local_only
    if local is not None:
        return local.hit(bucket, subject, allowed, period) is None
    if await shared.would_allow(bucket, subject, allowed, period) is not None:
        return False
    await shared.hit(bucket, subject, allowed, period)
    return True


def charge_verify(request: web.Request, cost: int = 1) -> None:
    """Verify-type requests: per API key at its own rate, or per address (stricter) without one.
    (The hot path: one limiter call, which counts only when it allows: verifier.limits.local,
    or .synced with several processes.)"""
    caller: Caller = request[CALLER]
    app = caller.app
    key = caller.api_key
    if key is not None:
        bucket, subject, limit = "key", caller.api_key_subject, key.rate_limit
    else:
        bucket, subject, limit = "anonymous", caller.address_hash, app[SETTINGS].anonymous_requests_per_minute
    retry = app[VERIFY_LIMITER].hit(bucket, subject, limit, MINUTE, cost)
    if retry is not None:
        _refuse(request, bucket, limit, MINUTE, retry)
    if key is not None:
        app[SERVICE].count_usage(key, cost)


def charge_page_check(request: web.Request, visitor: str, cost: int = 1) -> None:
    """A check on the home page, `cost` units (a pasted text: one per number and link it checks):
    the page's own budget (verifier.limits.page), per browser (`visitor`, its hv_visitor cookie)
    within a generous cap per client address; never the API's."""
    caller: Caller = request[CALLER]
    app = caller.app
    settings = app[SETTINGS]
    refused = page.charge_page_check(app[VERIFY_LIMITER], app[KEYED].hash("visitor", visitor),
                                     caller.address_hash, settings.page_checks_per_cookie_per_minute,
                                     settings.page_checks_per_address_per_minute, cost)
    if refused is not None:
        bucket, limit, retry = refused
        _refuse(request, bucket, limit, MINUTE, retry)


def moderator_name(request: web.Request) -> str:
    session = caller_of(request).session
    assert session is not None, "route without auth asked for its moderator"
    return session.user.username


def expiry(hours: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)

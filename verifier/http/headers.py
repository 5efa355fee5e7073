"""Security headers on every response (pages and static files; a shorter set on the JSON API), and the
cookies pages queued. Applied by the edge (verifier.http.edge) rather than an
on_response_prepare signal: a signal is another coroutine per response."""

from __future__ import annotations

from aiohttp import web

from verifier.http import cookies

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# The JSON API's answers are never documents: they load nothing and are never framed. The
# page policy above, X-Frame-Options (superseded by frame-ancestors) and Referrer-Policy (a
# JSON answer has no links to follow) would only be more bytes on the hot path.
API_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
# Served over HTTPS (VERIFIER_COOKIE_SECURE=true): browsers are told to use nothing else for a year,
# on every response (the API, pages, static files, errors, the HTTP parser's refusals).
STRICT_TRANSPORT_SECURITY = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
API_PREFIX = "/api/"
PRIVATE_PREFIXES = ("/moderation", "/report", "/appeal")  # never cached: sessions, tokens, what people typed


def transport_headers(https: bool) -> dict[str, str]:
    """What every response carries for the transport: HSTS when served over HTTPS (cookie_secure)."""
    return STRICT_TRANSPORT_SECURITY if https else {}


def secure(request: web.Request, response: web.StreamResponse, api: bool | None = None,
           https: bool = False) -> None:
    """Called by verifier.http.edge on every response (and redirect) before it is sent. `api`: the
    route answers for the JSON API (known when it was registered); None: judged by the path.
    `https`: served over HTTPS (the cookie_secure setting, read once per route): HSTS too."""
    headers = response.headers
    if https:
        headers.extend(STRICT_TRANSPORT_SECURITY)
    if api is None:
        api = request.raw_path.startswith(API_PREFIX)
    if api:  # the JSON API sets no cookies (pages queue them)
        headers.extend(API_SECURITY_HEADERS)
        return
    headers.extend(SECURITY_HEADERS)
    if request.path.startswith(PRIVATE_PREFIXES):  # decoded, as routing matched it
        headers["Cache-Control"] = "no-store"
    cookies.apply(request, response)

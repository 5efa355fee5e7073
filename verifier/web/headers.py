"""Security headers on every response (pages, static files and the API alike), and the
cookies pages queued. Applied by the edge middleware (verifier.edge) rather than an
on_response_prepare signal: a signal is another coroutine per response."""

from __future__ import annotations

from aiohttp import web

from verifier.web import cookies

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
API_PREFIX = "/api/"
PRIVATE_PREFIXES = ("/moderation", "/report", "/appeal")  # never cached: sessions, tokens, what people typed


def secure(request: web.Request, response: web.StreamResponse) -> None:
    """Called by verifier.edge on every response (and redirect) before it is sent."""
    headers = response.headers
    headers.extend(SECURITY_HEADERS)
    if request.raw_path.startswith(API_PREFIX):  # the JSON API sets no cookies (pages queue them)
        return
    if request.path.startswith(PRIVATE_PREFIXES):  # decoded, as routing matched it
        headers["Cache-Control"] = "no-store"
    cookies.apply(request, response)

"""Typed application state (aiohttp AppKeys), in one place."""

from __future__ import annotations

from aiohttp import web

from verifier.limits.local import RateLimiter
from verifier.limits.login import LoginThrottle
from verifier.limits.strict import StrictLimiter
from verifier.ops.crypto import Keyed, Sealer
from verifier.ops.settings import Settings
from verifier.state.service import Service

SETTINGS = web.AppKey("settings", Settings)
SERVICE = web.AppKey("service", Service)
KEYED = web.AppKey("keyed", Keyed)
CONTACTS = web.AppKey("contacts", Sealer)  # seals appeal contacts at rest; opened only for moderators
# rate limits (verifier.limits): verify and batch (the hot path: local, or synced with PostgreSQL),
# and what every process must share exactly (reports, appeals; logins through LOGIN_THROTTLE)
VERIFY_LIMITER = web.AppKey("verify_limiter", RateLimiter)
STRICT_LIMITER = web.AppKey("strict_limiter", StrictLimiter)
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)


def service_of(request: web.Request) -> Service:
    return request.app[SERVICE]


def hasher_of(request: web.Request) -> Keyed:
    return request.app[KEYED]


def contacts_of(request: web.Request) -> Sealer:
    return request.app[CONTACTS]

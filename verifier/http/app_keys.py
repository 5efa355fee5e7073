"""Typed application state (aiohttp AppKeys), in one place."""

from __future__ import annotations

from aiohttp import web

from verifier.limits.local import RateLimiter
from verifier.limits.strict import SharedLimiter
from verifier.ops.crypto import Keyed
from verifier.ops.settings import Settings
from verifier.state.service import Service

SETTINGS = web.AppKey("settings", Settings)
SERVICE = web.AppKey("service", Service)
KEYED = web.AppKey("keyed", Keyed)
LIMITER = web.AppKey("limiter", RateLimiter)
SHARED_LIMITER = web.AppKey("shared_limiter", SharedLimiter)


def service_of(request: web.Request) -> Service:
    return request.app[SERVICE]


def hasher_of(request: web.Request) -> Keyed:
    return request.app[KEYED]

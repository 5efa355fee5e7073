"""Typed application state (aiohttp AppKeys), in one place."""

from __future__ import annotations

from aiohttp import web

from verifier.limits import RateLimiter
from verifier.secrets import Keyed
from verifier.service import Service
from verifier.settings import Settings
from verifier.shared_limits import SharedLimiter

SETTINGS = web.AppKey("settings", Settings)
SERVICE = web.AppKey("service", Service)
KEYED = web.AppKey("keyed", Keyed)
LIMITER = web.AppKey("limiter", RateLimiter)
SHARED_LIMITER = web.AppKey("shared_limiter", SharedLimiter)


def service_of(request: web.Request) -> Service:
    return request.app[SERVICE]


def hasher_of(request: web.Request) -> Keyed:
    return request.app[KEYED]

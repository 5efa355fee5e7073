"""Typed application state (aiohttp AppKeys), in one place."""

from __future__ import annotations

from aiohttp import web

from verifier.service import Service
from verifier.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SERVICE = web.AppKey("service", Service)


def service_of(request: web.Request) -> Service:
    return request.app[SERVICE]

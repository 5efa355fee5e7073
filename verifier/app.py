"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from registry.backends import open_store
from verifier.keys import SERVICE, SETTINGS
from verifier.problems import problem_middleware
from verifier.routes import setup_routes
from verifier.service import Service
from verifier.settings import Settings


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    app = web.Application(middlewares=[problem_middleware], client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_service_lifetime)
    setup_routes(app)
    return app


async def _service_lifetime(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    service = Service(open_store(settings.database), load_default_registry=settings.load_default_registry)
    await service.start()
    app[SERVICE] = service
    yield
    await service.stop()

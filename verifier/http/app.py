"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from registry.backends import open_store
from verifier.http.app_keys import CONTACTS, KEYED, LOGIN_THROTTLE, SERVICE, SETTINGS, STRICT_LIMITER, VERIFY_LIMITER
from verifier.http.routes import setup_routes
from verifier.http.routing import EdgeRouter
from verifier.limits.local import RateLimiter
from verifier.limits.login import LoginThrottle
from verifier.limits.strict import StrictLimiter
from verifier.limits.synced import SyncedRateLimiter
from verifier.ops.crypto import Keyed, Sealer, load_or_create_key
from verifier.ops.logs import ACCESS_LOG, AccessLog
from verifier.ops.metrics import METRICS, Metrics
from verifier.ops.settings import Settings
from verifier.state.service import Service
from verifier.web import setup_web

log = logging.getLogger("verifier.http.app")
USAGE_FLUSH_SECONDS = 10.0


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    app = web.Application(client_max_size=settings.max_body_bytes)  # no middleware: verifier.http.edge wraps each handler
    app[SETTINGS] = settings
    app[METRICS] = Metrics()
    app[ACCESS_LOG] = AccessLog()
    secret = load_or_create_key(settings.secret_key, None if settings.is_postgresql() else settings.key_file())
    app[KEYED] = Keyed(secret)
    app[CONTACTS] = Sealer(secret, "appeal contacts")
    # verify limits: exact in memory with one process (SQLite); synced through the database when several
    # processes serve one PostgreSQL (_verify_limit_sync)
    app[VERIFY_LIMITER] = SyncedRateLimiter() if settings.is_postgresql() else RateLimiter()
    app.cleanup_ctx.append(_service_lifetime)
    app.cleanup_ctx.append(_verify_limit_sync)
    app.cleanup_ctx.append(_usage_flusher)
    app.cleanup_ctx.append(app[ACCESS_LOG].flushing)
    router = EdgeRouter(app)  # every handler inside verifier.http.edge
    setup_routes(app, router)
    setup_web(app)
    router.add_fallback()  # last: what nothing else serves
    return app


async def _service_lifetime(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    service = Service(open_store(settings.database), load_default_registry=settings.load_default_registry,
                      imported_source_max_voices=settings.imported_source_max_voices, follow=True)
    await service.start()
    app[SERVICE] = service
    sealed = await service.store.seal_appeal_contacts(app[CONTACTS].seal, Sealer.PREFIX)  # rows from before sealing
    if sealed:
        log.info("sealed %d appeal contact(s) stored in the clear", sealed)
    # logins, reports, appeals: in the database with several processes, else the exact local limiter
    app[STRICT_LIMITER] = StrictLimiter(service.store if service.store.backend != "sqlite" else None,
                                        app[VERIFY_LIMITER])
    app[LOGIN_THROTTLE] = LoginThrottle(app[STRICT_LIMITER], settings.login_failures_allowed,
                                        store=service.store if service.store.backend != "sqlite" else None)
    app[METRICS].watch(lambda: {"registry_numbers": service.knowledge.size,
                                "reports": service.knowledge.reports.counts()})
    yield
    await service.stop()


async def _verify_limit_sync(app: web.Application) -> AsyncIterator[None]:
    """Shares the verify limits with the other server processes (verifier.limits.synced)."""
    limiter, store = app[VERIFY_LIMITER], app[SERVICE].store
    if not isinstance(limiter, SyncedRateLimiter) or store.backend == "sqlite":
        yield
        return
    async with limiter.syncing(store):
        yield


async def _usage_flusher(app: web.Application) -> AsyncIterator[None]:
    """Writes API-key usage counts every few seconds (and once more at shutdown)."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(USAGE_FLUSH_SECONDS)
            try:
                await app[SERVICE].flush_usage()
            except Exception:  # a failed flush keeps the counts for the next one
                log.warning("could not write API key usage", exc_info=True)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

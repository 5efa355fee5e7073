"""The running service's state: the store, and the knowledge snapshot derived from it."""

from __future__ import annotations

import logging

from registry.default import load_default_registry
from registry.models import Organization
from registry.store import ImportResult, Store
from verifier.knowledge import Knowledge, official_key

log = logging.getLogger("verifier.service")


class Service:
    def __init__(self, store: Store, *, load_default_registry: bool = True) -> None:
        self.store = store
        self.knowledge = Knowledge.build([])
        self._load_default = load_default_registry

    async def start(self) -> None:
        await self.store.open()
        if self._load_default and await self.store.registry_is_empty():
            result = await self.store.import_registry(load_default_registry(official_key), official_key)
            log.info("loaded the shipped default registry: %s", result)
        await self.reload()

    async def stop(self) -> None:
        await self.store.close()

    async def reload(self) -> None:
        """Rebuild the knowledge snapshot from the store's facts."""
        organizations = await self.store.load_organizations()
        self.knowledge = Knowledge.build(organizations, version=self.knowledge.version + 1)

    async def import_registry(self, organizations: list[Organization], *, actor: str) -> ImportResult:
        result = await self.store.import_registry(organizations, official_key, actor=actor)
        if result.changed:
            await self.reload()
        return result

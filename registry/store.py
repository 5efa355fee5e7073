"""The storage interface: every fact the service keeps goes through one of these methods.

Implementations: `registry.sqlite.SqliteStore` (the embedded default). No SQL lives
outside the implementations. Errors a caller can act on are the exceptions below.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass

from registry.models import OfficialNumber, Organization


class StoreError(Exception):
    """Base class for errors from the store."""


class NotFound(StoreError):
    """The thing asked for does not exist."""


class Conflict(StoreError):
    """The write contradicts what is stored (a duplicate, a stale state)."""


class StoreUnavailable(StoreError):
    """The database cannot take writes right now (read-only, disk full, locked)."""


KeyFunc = Callable[[OfficialNumber], str]
"""Computes the canonical number key of an official number (see verifier.numbers)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    organizations_created: int = 0
    organizations_updated: int = 0
    numbers_created: int = 0
    numbers_updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.organizations_created
            or self.organizations_updated
            or self.numbers_created
            or self.numbers_updated
        )


class Store(abc.ABC):
    """What every storage backend provides."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and bring the schema up to date (migrations)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def applied_migrations(self) -> list[str]: ...

    # -- the official registry ---------------------------------------------------------
    @abc.abstractmethod
    async def registry_is_empty(self) -> bool: ...

    @abc.abstractmethod
    async def load_organizations(self) -> list[Organization]:
        """Every organisation with its official numbers, ordered by id."""

    @abc.abstractmethod
    async def import_registry(
        self, organizations: list[Organization], key_of: KeyFunc, *, actor: str = "system"
    ) -> ImportResult:
        """Upsert organisations and their numbers in one transaction.

        Idempotent: importing the same records twice changes nothing the second time.
        Additive: organisations and numbers not named are left as they are.
        """

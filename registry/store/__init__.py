"""The store: every fact the service keeps goes through one of its methods.

SQL is written once, in the topic modules beside this file, against the small adapter in
registry.db; `open_store` picks the backend. No SQL lives outside this package and the
adapters.
"""

from __future__ import annotations

from registry.db import Database
from registry.migrations import migrations_for
from registry.store.accounts import AccountQueries
from registry.store.appeals import AppealQueries
from registry.store.audit import AuditQueries
from registry.store.blocklist import BlocklistQueries
from registry.store.clock import now_text
from registry.store.errors import Conflict, NotFound, StoreError, StoreUnavailable
from registry.store.limits import LimitQueries
from registry.store.official import ImportResult, KeyFunc, OfficialQueries
from registry.store.rekey import RawKeyFunc, RekeyQueries, RekeyResult
from registry.store.reports import ReportQueries
from registry.store.snapshots import SnapshotQueries

__all__ = ["Conflict", "ImportResult", "KeyFunc", "NotFound", "RawKeyFunc", "RekeyResult", "Store", "StoreError",
           "StoreUnavailable"]


class Store(OfficialQueries, ReportQueries, AppealQueries, AccountQueries, AuditQueries, BlocklistQueries,
            LimitQueries, SnapshotQueries, RekeyQueries):
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def backend(self) -> str:
        return self.db.backend

    async def open(self) -> None:
        """Connect and bring the schema up to date."""
        await self.db.connect()
        await self._migrate()

    async def close(self) -> None:
        await self.db.close()

    async def _migrate(self) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for migration in migrations_for(self.db.backend):
            # checked inside the transaction: several processes may open an empty database at once,
            # and the writer lock lets only one apply each migration
            async with self.db.transaction() as tx:
                if await tx.fetchone("SELECT name FROM schema_migrations WHERE name = ?", (migration.name,)):
                    continue
                await self.db.run_script(tx, migration.sql)
                await tx.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                                 (migration.name, now_text()))

    async def ping(self) -> None:
        """Raises when the database cannot be reached."""
        await self.db.fetchone("SELECT 1 AS one")

    async def applied_migrations(self) -> list[str]:
        return [row["name"] for row in await self.db.fetchall("SELECT name FROM schema_migrations ORDER BY name")]

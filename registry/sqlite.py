"""The embedded default store: SQLite through aiosqlite.

The database runs in WAL mode with ``synchronous=FULL``: a write is acknowledged only
once it is durably committed. Every write happens inside ``self._transaction()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

from registry.migrations import migrations_for
from registry.models import OfficialNumber, Organization
from registry.store import Conflict, ImportResult, KeyFunc, Store, StoreUnavailable

_UNAVAILABLE_MARKERS = ("readonly", "read-only", "disk is full", "disk i/o", "locked", "unable to open")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _map_error(exc: sqlite3.Error) -> Exception:
    text = str(exc).lower()
    if isinstance(exc, sqlite3.IntegrityError):
        return Conflict(str(exc))
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        marker in text for marker in _UNAVAILABLE_MARKERS
    ):
        return StoreUnavailable(str(exc))
    return exc


_ORG_COLUMNS = ("name", "name_en", "aliases", "category", "domains")
_NUMBER_COLUMNS = (
    "number",
    "region",
    "channel",
    "direction",
    "label",
    "variants",
    "shown_with_area_code",
    "source_url",
    "source_note",
    "verified_at",
    "confidence",
)


def _org_row(org: Organization) -> dict[str, Any]:
    return {
        "name": org.name,
        "name_en": org.name_en,
        "aliases": json.dumps(org.aliases, ensure_ascii=False),
        "category": org.category.value,
        "domains": json.dumps(org.domains),
    }


def _number_row(number: OfficialNumber) -> dict[str, Any]:
    return {
        "number": number.number,
        "region": number.region,
        "channel": number.channel.value,
        "direction": number.direction.value,
        "label": number.label,
        "variants": json.dumps(number.variants, ensure_ascii=False),
        "shown_with_area_code": int(number.shown_with_area_code),
        "source_url": number.source_url,
        "source_note": number.source_note,
        "verified_at": number.verified_at.isoformat() if number.verified_at else None,
        "confidence": number.confidence.value,
    }


class SqliteStore(Store):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None

    # -- lifetime ----------------------------------------------------------------------
    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
        ):
            await self._db.execute(pragma)
        await self._migrate()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        db = self.db
        try:
            await db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _map_error(exc) from exc
        try:
            yield db
            await db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                await db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _map_error(exc) from exc
            raise

    async def _migrate(self) -> None:
        await self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = set(await self.applied_migrations())
        for migration in migrations_for("sqlite"):
            if migration.name in done:
                continue
            async with self._transaction() as db:
                for statement in _statements(migration.sql):
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    (migration.name, _now()),
                )

    async def applied_migrations(self) -> list[str]:
        async with self.db.execute("SELECT name FROM schema_migrations ORDER BY name") as cur:
            return [row[0] for row in await cur.fetchall()]

    # -- registry ------------------------------------------------------------------------
    async def registry_is_empty(self) -> bool:
        async with self.db.execute("SELECT 1 FROM organizations LIMIT 1") as cur:
            return await cur.fetchone() is None

    async def load_organizations(self) -> list[Organization]:
        async with self.db.execute("SELECT * FROM organizations ORDER BY id") as cur:
            org_rows = await cur.fetchall()
        async with self.db.execute("SELECT * FROM official_numbers ORDER BY org_id, id") as cur:
            number_rows = await cur.fetchall()
        numbers: dict[str, list[OfficialNumber]] = {}
        for row in number_rows:
            numbers.setdefault(row["org_id"], []).append(_number_from_row(row))
        return [
            Organization(
                id=row["id"],
                name=row["name"],
                name_en=row["name_en"],
                aliases=json.loads(row["aliases"]),
                category=row["category"],
                domains=json.loads(row["domains"]),
                numbers=numbers.get(row["id"], []),
            )
            for row in org_rows
        ]

    async def import_registry(
        self, organizations: list[Organization], key_of: KeyFunc, *, actor: str = "system"
    ) -> ImportResult:
        counts = dict.fromkeys(
            ("organizations_created", "organizations_updated", "numbers_created", "numbers_updated", "unchanged"),
            0,
        )
        now = _now()
        async with self._transaction() as db:
            for org in organizations:
                outcome = await _upsert(db, "organizations", {"id": org.id}, _org_row(org), now)
                counts[_count_name("organizations", outcome)] += 1
                for number in org.numbers:
                    outcome = await _upsert(
                        db,
                        "official_numbers",
                        {"org_id": org.id, "number_key": key_of(number)},
                        _number_row(number),
                        now,
                    )
                    counts[_count_name("numbers", outcome)] += 1
        return ImportResult(**counts)


def _count_name(kind: str, outcome: str) -> str:
    return "unchanged" if outcome == "unchanged" else f"{kind}_{outcome}"


async def _upsert(
    db: aiosqlite.Connection, table: str, ident: dict[str, Any], values: dict[str, Any], now: str
) -> str:
    """Insert or update one row; returns "created", "updated" or "unchanged"."""
    where = " AND ".join(f"{column} = ?" for column in ident)
    columns = list(values)
    async with db.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", tuple(ident.values())
    ) as cur:
        existing = await cur.fetchone()
    if existing is None:
        row = {**ident, **values, "created_at": now, "updated_at": now}
        await db.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        return "created"
    if all(existing[column] == values[column] for column in columns):
        return "unchanged"
    assignments = ", ".join(f"{column} = ?" for column in columns)
    await db.execute(
        f"UPDATE {table} SET {assignments}, updated_at = ? WHERE {where}",
        (*values.values(), now, *ident.values()),
    )
    return "updated"


def _number_from_row(row: sqlite3.Row) -> OfficialNumber:
    return OfficialNumber(
        number=row["number"],
        region=row["region"],
        channel=row["channel"],
        direction=row["direction"],
        label=row["label"],
        variants=json.loads(row["variants"]),
        shown_with_area_code=bool(row["shown_with_area_code"]),
        source_url=row["source_url"],
        source_note=row["source_note"],
        verified_at=row["verified_at"],
        confidence=row["confidence"],
    )


def _statements(script: str) -> Iterable[str]:
    """Split a migration file into statements (our files keep one ';' per statement end)."""
    buffer: list[str] = []
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        buffer.append(line)
        statement = "\n".join(buffer)
        if stripped.endswith(";") and sqlite3.complete_statement(statement):
            buffer = []
            yield statement.strip()
    if buffer:
        yield "\n".join(buffer)

"""Snapshots of the in-memory state, and what a start needs to catch up from one.

The tables (migration 0005): ``memory_snapshots`` holds one row per part (``reports``,
``registry``) with the bytes and a JSON ``covers`` saying what they hold; ``report_changes``
is a log of every change to a stored report after its insert, written by triggers (no write
path can skip it); ``change_counters`` holds the registry's change counter (bumped by
triggers on the registry tables) and how far the change log was pruned. What the bytes mean
is verifier/state/snapshots.py's business; this module only stores and reads them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from registry.db import Database
from registry.store.clock import now_text
from registry.store.reports import FACT_COLUMNS

_KEYS_PER_QUERY = 500  # numbers per `IN (...)` when re-reading changed numbers


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    format: int
    covers: dict[str, Any]
    data: bytes | None  # None when only the covers were read


@dataclass(frozen=True, slots=True)
class ChangeMarks:
    """How far the database has got: the highest report id, the highest report change seq,
    the registry's change counter, the highest seq that may have been pruned; and the
    database's random id (a copy of the database has the same one)."""

    report_id: int
    change_seq: int
    registry: int
    pruned: int
    database: int


@dataclass(frozen=True, slots=True)
class ReportChanges:
    """The numbers whose reports changed after some seq, up to `last_seq`."""

    keys: set[str]
    last_seq: int
    deleted: bool  # a report was deleted (or the table truncated): a snapshot cannot be patched
    pruned: int  # the highest seq that may have been pruned: the log is complete only after it


class SnapshotQueries:
    db: Database

    async def read_snapshot(self, name: str, *, with_data: bool = True) -> StoredSnapshot | None:
        columns = "format, covers, data" if with_data else "format, covers"
        row = await self.db.fetchone(f"SELECT {columns} FROM memory_snapshots WHERE name = ?", (name,))
        if row is None:
            return None
        return StoredSnapshot(row["format"], json.loads(row["covers"]), bytes(row["data"]) if with_data else None)

    async def write_snapshot(self, name: str, format: int, covers: dict[str, Any], data: bytes, *,
                             not_behind: Sequence[str] = (), prune_changes_before: int | None = None) -> bool:
        """Store a snapshot in place of the one held, unless the one held has the same format
        and is further on in any of the `not_behind` covers (several processes may write:
        the newest wins, whoever writes last). With `prune_changes_before`, the change-log
        rows before that seq go in the same transaction (the newest row always stays, so a
        seq is never handed out twice). Returns whether it was written."""
        async with self.db.transaction() as tx:
            held = await tx.fetchone("SELECT format, covers FROM memory_snapshots WHERE name = ?", (name,))
            if held is not None and held["format"] == format:
                before = json.loads(held["covers"])
                if any(isinstance(before.get(key), int) and before[key] > covers[key] for key in not_behind):
                    return False
            await tx.execute(
                "INSERT INTO memory_snapshots (name, format, covers, data, written_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET format = excluded.format, covers = excluded.covers,"
                " data = excluded.data, written_at = excluded.written_at",
                (name, format, json.dumps(covers, sort_keys=True), data, now_text()))
            if prune_changes_before is not None and prune_changes_before > 1:
                await tx.execute("UPDATE change_counters SET value = ? WHERE name = 'report_changes_pruned' AND value < ?",
                                 (prune_changes_before - 1, prune_changes_before - 1))
                await tx.execute("DELETE FROM report_changes WHERE seq < ?", (prune_changes_before,))
        return True

    async def drop_snapshot(self, name: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM memory_snapshots WHERE name = ?", (name,))

    async def change_marks(self) -> ChangeMarks:
        row = await self.db.fetchone(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM reports) AS report_id,"
            " (SELECT COALESCE(MAX(seq), 0) FROM report_changes) AS change_seq,"
            " (SELECT value FROM change_counters WHERE name = 'registry') AS registry,"
            " (SELECT value FROM change_counters WHERE name = 'report_changes_pruned') AS pruned,"
            " (SELECT value FROM change_counters WHERE name = 'database') AS database")
        assert row is not None
        database = row["database"]
        if database is None:  # a database migrated by an early build of 0005, before the id was drawn there
            async with self.db.transaction() as tx:
                await tx.execute("INSERT INTO change_counters (name, value) VALUES ('database', ?)"
                                 " ON CONFLICT (name) DO NOTHING", (secrets.randbits(53),))
                database = await tx.fetchval("SELECT value FROM change_counters WHERE name = 'database'")
        return ChangeMarks(int(row["report_id"]), int(row["change_seq"]), int(row["registry"]), int(row["pruned"]),
                           int(database))

    async def registry_change_count(self) -> int:
        """Bumped by every change to the registry tables (read it before reading the registry)."""
        return int(await self.db.fetchval("SELECT value FROM change_counters WHERE name = 'registry'"))

    async def report_changes_since(self, seq: int) -> ReportChanges:
        """The numbers whose reports changed after `seq` (read the log, then how far it was
        pruned: a prune that could have hidden a row shows in `pruned`)."""
        rows = await self.db.fetchall(
            "SELECT number_key, MAX(seq) AS seq, MAX(deleted) AS deleted FROM report_changes WHERE seq > ?"
            " GROUP BY number_key", (seq,))
        pruned = int(await self.db.fetchval("SELECT value FROM change_counters WHERE name = 'report_changes_pruned'"))
        return ReportChanges({row["number_key"] for row in rows}, max((int(row["seq"]) for row in rows), default=seq),
                             any(row["deleted"] for row in rows), pruned)

    async def report_identity(self, report_id: int) -> tuple[str, str] | None:
        """(number_key, created_at) of one report: tells whether a snapshot was taken of this database."""
        row = await self.db.fetchone("SELECT number_key, created_at FROM reports WHERE id = ?", (report_id,))
        return None if row is None else (row["number_key"], row["created_at"])

    async def numbers_facts(self, number_keys: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
        """number_facts() of many numbers: key → its report facts in id order (absent: none)."""
        facts: dict[str, list[tuple[Any, ...]]] = {}
        keys = sorted(set(number_keys))
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start:start + _KEYS_PER_QUERY]
            rows = await self.db.fetchall(
                f"SELECT {FACT_COLUMNS} FROM reports WHERE number_key IN ({', '.join('?' * len(chunk))})"
                " ORDER BY number_key, id", chunk)
            for row in rows:
                facts.setdefault(row[1], []).append(row)  # type: ignore[arg-type]
        return facts

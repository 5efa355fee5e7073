"""The scam blocklist: the current set, and every addition and removal with a version number,
so call blockers can sync incrementally."""

from __future__ import annotations

from collections.abc import Iterable

from registry.db import Database
from registry.store.clock import now_text


class BlocklistQueries:
    db: Database

    async def blocklist_keys(self) -> set[str]:
        return {row["number_key"] for row in await self.db.fetchall("SELECT number_key FROM blocklist")}

    async def blocklisted(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` are on the blocklist now."""
        wanted = sorted(set(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = await self.db.fetchall(
                f"SELECT number_key FROM blocklist WHERE number_key IN ({', '.join('?' * len(chunk))})", chunk)
            found |= {row["number_key"] for row in rows}
        return found

    async def blocklist_version(self) -> int:
        value = await self.db.fetchval("SELECT MAX(version) AS v FROM blocklist_changes")
        return int(value or 0)

    async def apply_blocklist(self, added: Iterable[str], removed: Iterable[str]) -> int:
        """Record additions and removals in one transaction; returns the new version."""
        added, removed = sorted(set(added)), sorted(set(removed))
        at = now_text()
        async with self.db.transaction() as tx:
            for key in removed:
                if await tx.execute("DELETE FROM blocklist WHERE number_key = ?", (key,)):
                    await tx.execute("INSERT INTO blocklist_changes (number_key, action, at) VALUES (?, 'remove', ?)",
                                     (key, at))
            for key in added:
                if await tx.fetchone("SELECT 1 AS one FROM blocklist WHERE number_key = ?", (key,)) is None:
                    row = await tx.fetchone(
                        "INSERT INTO blocklist_changes (number_key, action, at) VALUES (?, 'add', ?) RETURNING version",
                        (key, at))
                    assert row is not None
                    await tx.execute("INSERT INTO blocklist (number_key, added_version) VALUES (?, ?)",
                                     (key, row["version"]))
            value = await tx.fetchval("SELECT MAX(version) AS v FROM blocklist_changes")
        return int(value or 0)

    async def blocklist_entries(self, after_key: str = "", limit: int = 10_000) -> list[tuple[str, int]]:
        """The current blocklist, ordered by key, a page at a time."""
        rows = await self.db.fetchall(
            "SELECT number_key, added_version FROM blocklist WHERE number_key > ? ORDER BY number_key LIMIT ?",
            (after_key, limit))
        return [(row["number_key"], row["added_version"]) for row in rows]

    async def blocklist_changes(self, since: int, limit: int = 10_000) -> list[tuple[int, str, str]]:
        """(version, number_key, action) after `since`, oldest first."""
        rows = await self.db.fetchall(
            "SELECT version, number_key, action FROM blocklist_changes WHERE version > ? ORDER BY version LIMIT ?",
            (since, limit))
        return [(row["version"], row["number_key"], row["action"]) for row in rows]

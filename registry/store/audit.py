"""The append-only audit log: written inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from registry.db import Executor
from registry.records import AuditEntry, Page
from registry.store.clock import now_text


async def record(tx: Executor, actor: str, action: str, target_type: str, target_id: str | int,
                 before: Any = None, after: Any = None) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, actor, action, target_type, target_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now_text(), actor, action, target_type, str(target_id), _json(before), _json(after)),
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditQueries:
    db: Executor

    async def list_audit(self, page: Page, *, actor: str | None = None, action: str | None = None,
                         target_type: str | None = None, target_id: str | None = None,
                         max_id: int | None = None, min_id: int | None = None) -> list[AuditEntry]:
        """Newest first. `max_id`, `min_id` (inclusive) bound the ids: a cursor to page on, or one
        import's entries."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("actor", actor), ("action", action), ("target_type", target_type),
                              ("target_id", target_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        for condition, value in (("id <= ?", max_id), ("id >= ?", min_id)):
            if value is not None:
                where.append(condition)
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = await self.db.fetchall(
            f"SELECT * FROM audit_log {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, page.size, page.offset),
        )
        return [
            AuditEntry(**{**dict(row), "before": json.loads(row["before"]) if row["before"] else None,
                          "after": json.loads(row["after"]) if row["after"] else None})
            for row in rows
        ]

    async def audit_values(self) -> dict[str, list[str]]:
        """Every actor, action and target type the log holds (the console's filter suggestions)."""
        found: dict[str, list[str]] = {}
        for column in ("actor", "action", "target_type"):
            rows = await self.db.fetchall(f"SELECT DISTINCT {column} AS v FROM audit_log ORDER BY v LIMIT 500")
            found[column] = [row["v"] for row in rows]
        return found

"""Appeals from number owners against a scam verdict; lifting one overturns the approved reports."""

from __future__ import annotations

from collections.abc import Callable

from registry.db import Database, Row
from registry.records import Appeal, AppealDecision, AppealStatus, NewAppeal, Page, ReportStatus
from registry.store import audit
from registry.store.clock import now_text
from registry.store.errors import Conflict, NotFound


def appeal_from_row(row: Row) -> Appeal:
    return Appeal.model_validate(dict(row))


class AppealQueries:
    db: Database

    async def add_appeal(self, appeal: NewAppeal) -> Appeal:
        created_at = now_text()
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "INSERT INTO appeals (number_key, number, statement, contact, client_hash, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
                (appeal.number_key, appeal.number, appeal.statement, appeal.contact, appeal.client_hash, created_at),
            )
            assert row is not None
        return Appeal(**appeal.model_dump(), id=row["id"], status=AppealStatus.pending, created_at=created_at)

    async def seal_appeal_contacts(self, seal: Callable[[str], str], prefix: str) -> int:
        """Seal every contact still stored in the clear (not starting with `prefix`, what `seal`
        gives); returns how many. Idempotent, and safe while other processes do the same: a row
        is changed only if it still holds the clear value read."""
        rows = await self.db.fetchall("SELECT id, contact FROM appeals WHERE substr(contact, 1, ?) <> ?",
                                      (len(prefix), prefix))
        if not rows:
            return 0
        async with self.db.transaction() as tx:
            for row in rows:
                await tx.execute("UPDATE appeals SET contact = ? WHERE id = ? AND contact = ?",
                                 (seal(row["contact"]), row["id"], row["contact"]))
        return len(rows)

    async def get_appeal(self, appeal_id: int) -> Appeal:
        row = await self.db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        if row is None:
            raise NotFound(f"no appeal has the id {appeal_id}")
        return appeal_from_row(row)

    async def list_appeals(self, page: Page, *, status: AppealStatus | None = AppealStatus.pending,
                           number_key: str | None = None) -> list[Appeal]:
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(status.value)
        if number_key is not None:
            where.append("number_key = ?")
            params.append(number_key)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = await self.db.fetchall(f"SELECT * FROM appeals {clause} ORDER BY created_at, id LIMIT ? OFFSET ?",
                                      (*params, page.size, page.offset))
        return [appeal_from_row(row) for row in rows]

    async def decide_appeal(self, appeal_id: int, decision: AppealDecision, *, actor: str,
                            note: str | None) -> tuple[Appeal, list[int]]:
        """Uphold or lift; lifting marks the number's approved reports overturned. Returns the
        appeal and the ids of the reports it overturned."""
        status = AppealStatus.lifted if decision is AppealDecision.lift else AppealStatus.upheld
        decided_at = now_text()
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
            if row is None:
                raise NotFound(f"no appeal has the id {appeal_id}")
            if row["status"] != AppealStatus.pending.value:
                raise Conflict(f"appeal {appeal_id} was already decided ({row['status']})")
            await tx.execute(
                "UPDATE appeals SET status = ?, decided_at = ?, decided_by = ?, decision_note = ? WHERE id = ?",
                (status.value, decided_at, actor, note, appeal_id))
            overturned: list[int] = []
            if status is AppealStatus.lifted:
                rows = await tx.fetchall("SELECT id FROM reports WHERE number_key = ? AND status = ?",
                                         (row["number_key"], ReportStatus.approved.value))
                overturned = [r["id"] for r in rows]
                await tx.execute(
                    "UPDATE reports SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?"
                    " WHERE number_key = ? AND status = ?",
                    (ReportStatus.overturned.value, decided_at, actor, f"appeal {appeal_id} lifted",
                     row["number_key"], ReportStatus.approved.value))
            await audit.record(tx, actor, f"appeal.{decision.value}", "appeal", appeal_id,
                               before={"status": row["status"]},
                               after={"status": status.value, "note": note, "overturned_reports": overturned})
        appeal = appeal_from_row({**dict(row), "status": status.value, "decided_at": decided_at,
                                  "decided_by": actor, "decision_note": note})
        return appeal, overturned

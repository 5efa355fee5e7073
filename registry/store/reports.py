"""Crowd reports: stored on arrival, decided by moderators, every decision audited."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from registry.db import Database, Executor, Row
from registry.records import (
    Decision,
    NewReport,
    Page,
    Report,
    ReportCategory,
    ReportStatus,
)
from registry.store import audit
from registry.store.clock import as_text, now, now_text
from registry.store.errors import Conflict, NotFound

_NEW_COLUMNS = tuple(NewReport.model_fields)
_INSERT = (
    f"INSERT INTO reports ({', '.join(_NEW_COLUMNS)}, status, created_at)"
    f" VALUES ({', '.join('?' * len(_NEW_COLUMNS))}, 'pending', ?) RETURNING id, created_at"
)


# What the in-memory report book needs of a report (report_facts, number_facts, and the
# snapshot catch-up in registry/store/snapshots.py): its voice and origin as
# verifier/core/voices.py decides them (voice_of, origin_of), in SQL.
FACT_COLUMNS = ("id, number_key, reporter_hash,"
                " COALESCE(voice_hash, CASE WHEN api_key_id IS NOT NULL OR source <> 'user' THEN reporter_hash"
                " ELSE client_hash END) AS voice,"
                " CASE WHEN api_key_id IS NOT NULL THEN 'key:' || CAST(api_key_id AS TEXT)"
                " WHEN source <> 'user' THEN reporter_hash ELSE client_hash END AS origin,"
                " category, status, created_at, source_weight")

_ROWS_PER_INSERT = 500  # 500 × 16 parameters stays far below both backends' limits


@functools.lru_cache(maxsize=_ROWS_PER_INSERT)
def _insert_rows(count: int) -> str:
    """One INSERT of `count` reports, returning their ids."""
    values = f"({', '.join('?' * len(_NEW_COLUMNS))}, 'pending', ?)"
    return (f"INSERT INTO reports ({', '.join(_NEW_COLUMNS)}, status, created_at)"
            f" VALUES {', '.join([values] * count)} RETURNING id")


_NEW_VALUES = operator.attrgetter(*_NEW_COLUMNS)  # one C call for all the fields
_CONVERTED = tuple(_NEW_COLUMNS.index(column) for column in ("category", "channel", "occurred_at"))  # enums, datetime


def _insert_params(report: NewReport, created_at: str) -> list[object]:
    values = list(_NEW_VALUES(report))
    for index in _CONVERTED:
        values[index] = _db_value(values[index])
    values.append(created_at)
    return values


def _insert_statement(reports: Sequence[NewReport], created_at: str) -> tuple[str, list[object]]:
    return _insert_rows(len(reports)), [value for report in reports for value in _insert_params(report, created_at)]


def _ids(rows: Sequence[Row], reports: Sequence[NewReport]) -> list[int]:
    assert len(rows) == len(reports)
    return sorted(row["id"] for row in rows)  # assigned in VALUES order on both backends


def _db_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return as_text(value)
    return value


def report_from_row(row: Row) -> Report:
    return Report.model_validate(dict(row))


@dataclass(frozen=True, slots=True)
class Reweighed:
    """A report imported before whose source weight a re-import changed."""

    id: int
    number_key: str
    source: str
    before: float
    after: float


@dataclass(frozen=True, slots=True)
class EvidenceImport:
    """What an import of outside evidence did: the rows new to the store, and of the rows it
    already held (same source, same row digest), how many there were and whose weight changed."""

    stored: list[Report] = field(default_factory=list)
    already: int = 0
    reweighed: list[Reweighed] = field(default_factory=list)


class ReportQueries:
    db: Database

    async def insert_reports(self, reports: Sequence[NewReport]) -> tuple[list[int], dt.datetime]:
        """Store reports atomically, one statement per 500: up to 500 (the group commit's batch)
        as one statement on its own, one round trip to the database however many there are (a
        report costs neither a thread hand-off nor a network round trip of its own); more in one
        transaction. They exist (durably) once this returns. Returns their ids, in the order of
        `reports`, and the time they were stored (pending, all of them)."""
        moment = now()
        if not reports:
            return [], moment
        created_at = as_text(moment)
        if len(reports) <= _ROWS_PER_INSERT:
            return _ids(await self.db.write_returning(*_insert_statement(reports, created_at)), reports), moment
        ids: list[int] = []
        async with self.db.transaction() as tx:
            for start in range(0, len(reports), _ROWS_PER_INSERT):
                chunk = reports[start:start + _ROWS_PER_INSERT]
                ids.extend(_ids(await tx.fetchall(*_insert_statement(chunk, created_at)), chunk))
        return ids, moment

    async def add_reports(self, reports: Sequence[NewReport]) -> list[Report]:
        """insert_reports(), returning the stored reports."""
        ids, moment = await self.insert_reports(reports)
        return [Report.model_construct(**dict(report), id=report_id, status=ReportStatus.pending, created_at=moment,
                                       decided_at=None, decided_by=None, decision_note=None)
                for report, report_id in zip(reports, ids, strict=True)]

    async def import_reports(self, reports: Sequence[NewReport]) -> list[Report]:
        """import_evidence(), returning only what was new."""
        return (await self.import_evidence(reports)).stored

    async def import_evidence(self, reports: Sequence[NewReport], *, reweigh: bool = True,
                              actor: str = "import") -> EvidenceImport:
        """Store imported evidence in one transaction. A row already imported (same source and
        source_ref) is not stored again; with `reweigh` it takes the new row's source weight
        when that differs (an update: logged in report_changes like any other, and audited)."""
        stored, held = [], []
        sql = _INSERT.replace(" RETURNING", " ON CONFLICT (source, source_ref) DO NOTHING RETURNING")
        async with self.db.transaction() as tx:
            for report in reports:
                row = await tx.fetchone(sql, _insert_params(report, now_text()))
                if row is None:
                    held.append(report)
                else:
                    stored.append(Report(**report.model_dump(), id=row["id"], status=ReportStatus.pending,
                                         created_at=row["created_at"]))
            reweighed: list[Reweighed] = []
            by_weight: dict[tuple[str, float], list[str]] = {}
            for report in held if reweigh else ():
                by_weight.setdefault((report.source, report.source_weight), []).append(report.source_ref or "")
            for (source, weight), refs in by_weight.items():
                changed: list[Reweighed] = []
                for start in range(0, len(refs), _ROWS_PER_INSERT):
                    chunk = refs[start:start + _ROWS_PER_INSERT]
                    marks = ", ".join("?" * len(chunk))
                    rows = await tx.fetchall(
                        "SELECT id, number_key, source_weight FROM reports"
                        f" WHERE source = ? AND source_ref IN ({marks}) AND source_weight <> ? ORDER BY id",
                        (source, *chunk, weight))
                    if rows:
                        ids = ", ".join("?" * len(rows))
                        await tx.execute(f"UPDATE reports SET source_weight = ? WHERE id IN ({ids})",
                                         (weight, *(row["id"] for row in rows)))
                    changed += [Reweighed(row["id"], row["number_key"], source, row["source_weight"], weight)
                                for row in rows]
                if changed:
                    before: dict[str, int] = {}
                    for change in changed:
                        before[f"{change.before:g}"] = before.get(f"{change.before:g}", 0) + 1
                    await audit.record(tx, actor, "import.reweigh", "import_source", source,
                                       before={"weights": before}, after={"weight": weight, "reports": len(changed)})
                    reweighed += changed
        return EvidenceImport(stored, len(held), reweighed)

    async def get_report(self, report_id: int) -> Report:
        row = await self.db.fetchone("SELECT * FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFound(f"no report has the id {report_id}")
        return report_from_row(row)

    async def reports_for_number(self, number_key: str, limit: int = 500) -> list[Report]:
        rows = await self.db.fetchall(
            "SELECT * FROM reports WHERE number_key = ? ORDER BY id DESC LIMIT ?", (number_key, limit))
        return [report_from_row(row) for row in rows]

    async def reports_by_ids(self, ids: Sequence[int]) -> list[Report]:
        """The reports with these ids, in the order given (ids the store does not hold are left
        out): one query, however the ids were chosen (the moderation queue's page:
        verifier/state/queue.py)."""
        if not ids:
            return []
        found: dict[int, Report] = {}
        for start in range(0, len(ids), _ROWS_PER_INSERT):
            chunk = list(ids[start:start + _ROWS_PER_INSERT])
            rows = await self.db.fetchall(f"SELECT * FROM reports WHERE id IN ({', '.join('?' * len(chunk))})",
                                          chunk)
            found.update((row["id"], report_from_row(row)) for row in rows)
        return [found[report_id] for report_id in ids if report_id in found]

    async def decided_reports(self, page: Page, *, status: ReportStatus, number_key: str | None = None,
                              category: ReportCategory | None = None) -> list[Report]:
        """Reports in one status, newest first (the queue of decided reports; the pending queue
        is ranked in memory: verifier/state/queue.py)."""
        where, params = ["status = ?"], [status.value]
        if number_key is not None:
            where.append("number_key = ?")
            params.append(number_key)
        if category is not None:
            where.append("category = ?")
            params.append(category.value)
        rows = await self.db.fetchall(
            f"SELECT * FROM reports WHERE {' AND '.join(where)} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            (*params, page.size, page.offset))
        return [report_from_row(row) for row in rows]

    async def decide_report(self, report_id: int, decision: Decision, *, actor: str, note: str | None) -> Report:
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM reports WHERE id = ?", (report_id,))
            if row is None:
                raise NotFound(f"no report has the id {report_id}")
            if row["status"] != ReportStatus.pending.value:
                raise Conflict(f"report {report_id} was already decided ({row['status']})")
            return await _decide(tx, row, decision, actor, note)

    async def decide_number(self, number_key: str, decision: Decision, *, actor: str,
                            note: str | None) -> list[Report]:
        """Decide every pending report of one number at once."""
        async with self.db.transaction() as tx:
            rows = await tx.fetchall("SELECT * FROM reports WHERE number_key = ? AND status = 'pending' ORDER BY id",
                                     (number_key,))
            if not rows:
                raise NotFound(f"no pending reports for {number_key}")
            return [await _decide(tx, row, decision, actor, note) for row in rows]

    async def report_facts(self, after_id: int = 0, limit: int = 50_000) -> list[tuple[Any, ...]]:
        """What the in-memory aggregates need of each report, as plain tuples in id order, a page
        at a time (a million reports load without building a million row objects at once):
        (id, number_key, reporter_hash, voice, origin, category, status, created_at ISO text,
        source_weight). (Parsing the dates in Python is ten times faster than SQLite's
        strftime.)"""
        rows = await self.db.fetchall(
            f"SELECT {FACT_COLUMNS} FROM reports WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))
        return rows  # type: ignore[return-value]  (rows unpack like tuples)

    async def number_facts(self, number_key: str) -> list[tuple[Any, ...]]:
        """report_facts() of one number (to refresh it after another process changed it)."""
        return await self.db.fetchall(  # type: ignore[return-value]
            f"SELECT {FACT_COLUMNS} FROM reports WHERE number_key = ? ORDER BY id", (number_key,))

    async def key_reports_since(self, api_key_id: int, since: dt.datetime) -> int:
        """How many reports came through one API key since `since` (a burst, as moderators see it)."""
        row = await self.db.fetchone("SELECT COUNT(*) AS n FROM reports WHERE api_key_id = ? AND created_at >= ?",
                                     (api_key_id, as_text(since)))
        return int(row["n"]) if row is not None else 0

    async def report_counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) AS n FROM reports GROUP BY status")
        return {row["status"]: row["n"] for row in rows}


async def _decide(tx: Executor, row: Row, decision: Decision, actor: str, note: str | None) -> Report:
    status = ReportStatus.approved if decision is Decision.approve else ReportStatus.rejected
    decided_at = now_text()
    await tx.execute(
        "UPDATE reports SET status = ?, decided_at = ?, decided_by = ?, decision_note = ? WHERE id = ?",
        (status.value, decided_at, actor, note, row["id"]),
    )
    await audit.record(tx, actor, f"report.{decision.value}", "report", row["id"],
                       before={"status": row["status"]}, after={"status": status.value, "note": note})
    return report_from_row({**dict(row), "status": status.value, "decided_at": decided_at, "decided_by": actor,
                            "decision_note": note})

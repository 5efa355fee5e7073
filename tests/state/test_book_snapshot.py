"""Snapshots on real SQLite files: written at shutdown and in the background, used at the next
start, and ignored (the full load is used instead) whenever they do not fit the database."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from registry.records import Decision
from tests.store.conftest import new_report
from tests.store.test_snapshots import A, B, C, Start, assert_agrees_with_the_database, crash
from tests.store.test_snapshots import start as start  # noqa: PLC0414  (the fixture)
from verifier.state import service as service_module
from verifier.state.service import Service


async def prepared(start: Start, path: Path) -> list[Any]:
    """A database with reports, decisions and both snapshots; returns the reports."""
    service = await start(str(path))
    reports = await service.submit_reports([new_report(key, f"reporter-{n}") for n, key in enumerate((A, A, B, C))])
    await service.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    await service.decide_report(reports[2].id, Decision.reject, actor="mod", note=None)
    await service.stop()
    assert service.snapshots_written == 2
    return reports


def sql(path: Path, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with sqlite3.connect(path) as db:
        return db.execute(statement, params).fetchall()


async def start_expecting(start: Start, path: Path, reports: str, registry: str, reason: str | None = None) -> Service:
    service = await start(str(path))
    assert (service.started_from["reports"], service.started_from["registry"]) == (reports, registry), \
        service.started_from
    if reason is not None:
        assert any(reason in fallback for fallback in service.started_from["fallbacks"]), service.started_from
    await assert_agrees_with_the_database(service)
    return service


async def test_a_snapshot_is_written_at_shutdown_and_used_at_the_next_start(start: Start, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    await prepared(start, path)
    assert {row[0] for row in sql(path, "SELECT name FROM memory_snapshots")} == {"reports", "registry"}
    service = await start_expecting(start, path, "snapshot", "snapshot")
    assert service.started_from["fallbacks"] == []
    await service.stop()


@pytest.mark.parametrize(("damage", "reason"), [
    ("UPDATE memory_snapshots SET format = format + 1 WHERE name = 'reports'", "another format"),
    ("UPDATE memory_snapshots SET data = x'00' WHERE name = 'reports'", "not a report book snapshot"),
    ("UPDATE memory_snapshots SET covers = json_set(covers, '$.report_id', 99) WHERE name = 'reports'", "ahead"),
    ("UPDATE memory_snapshots SET covers = json_set(covers, '$.change_seq', 99) WHERE name = 'reports'", "ahead"),
    ("UPDATE memory_snapshots SET covers = json_set(covers, '$.report_at', '2001-01-01') WHERE name = 'reports'",
     "another database"),
    ("UPDATE memory_snapshots SET covers = '{}' WHERE name = 'reports'", "unreadable"),
    ("DELETE FROM reports WHERE id = (SELECT MIN(id) FROM reports)", "cannot be replayed"),
    # another process wrote a newer snapshot and pruned the log, then an older one was put back
    ("UPDATE reports SET status = 'rejected' WHERE id = (SELECT MAX(id) FROM reports);"
     " UPDATE change_counters SET value = (SELECT MAX(seq) FROM report_changes) WHERE name = 'report_changes_pruned'",
     "cannot be replayed"),
    ("UPDATE memory_snapshots SET covers = json_set(covers, '$.database', 7) WHERE name = 'reports'",
     "another database"),
])
async def test_a_report_snapshot_that_does_not_fit_is_ignored(start: Start, tmp_path: Path, damage: str, reason: str) -> None:
    path = tmp_path / "db.sqlite3"
    await prepared(start, path)
    with sqlite3.connect(path) as db:
        db.executescript(damage)
    service = await start_expecting(start, path, "full", "snapshot", reason)
    await service.stop()
    # and the next start has a good one again (unless the reports themselves are gone)
    again = await start(str(path))
    assert again.started_from["reports"] == "snapshot"
    await again.stop()


@pytest.mark.parametrize(("damage", "reason"), [
    ("UPDATE memory_snapshots SET format = format + 1 WHERE name = 'registry'", "another format"),
    ("UPDATE memory_snapshots SET data = x'80' WHERE name = 'registry'", "unreadable"),
    ("UPDATE organizations SET name_en = 'changed by hand' WHERE id = (SELECT MIN(id) FROM organizations)",
     "changed since"),
    ("UPDATE memory_snapshots SET covers = json_set(covers, '$.database', 7) WHERE name = 'registry'",
     "another database"),
])
async def test_a_registry_snapshot_that_does_not_fit_is_ignored(start: Start, tmp_path: Path, damage: str, reason: str) -> None:
    path = tmp_path / "db.sqlite3"
    await prepared(start, path)
    sql(path, damage)
    service = await start_expecting(start, path, "snapshot", "full", reason)
    if "changed by hand" in damage:
        [(org_id,)] = sql(path, "SELECT MIN(id) FROM organizations")
        assert service.knowledge.organizations[org_id].name_en == "changed by hand"
    await service.stop()


async def test_a_snapshot_from_another_database_is_ignored(start: Start, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.sqlite3", tmp_path / "theirs.sqlite3"
    await prepared(start, ours)
    await prepared(start, theirs)  # the same shape, other reports (other times, other reporters)
    sql(ours, "UPDATE reports SET reporter_hash = 'someone else' WHERE id = 1")
    with sqlite3.connect(ours) as db:
        db.execute("ATTACH DATABASE ? AS theirs", (str(theirs),))
        db.execute("DELETE FROM memory_snapshots")
        db.execute("INSERT INTO memory_snapshots SELECT * FROM theirs.memory_snapshots")
    service = await start_expecting(start, ours, "full", "full")
    await service.stop()


async def test_a_copy_of_the_database_brings_its_own_snapshot_along(start: Start, tmp_path: Path) -> None:
    path, copy = tmp_path / "db.sqlite3", tmp_path / "restored.sqlite3"
    reports = await prepared(start, path)
    shutil.copy(path, copy)  # a backup, restored elsewhere after the original went on
    service = await start(str(path))
    await service.decide_report(reports[1].id, Decision.reject, actor="mod", note=None)
    await service.submit_reports([new_report(C)])
    await service.stop()
    restored = await start_expecting(start, copy, "snapshot", "snapshot")
    await restored.stop()


async def test_snapshots_are_written_in_the_background_and_survive_a_crash(start: Start, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "SNAPSHOT_CHECK_SECONDS", 0.05)
    monkeypatch.setattr(service_module, "SNAPSHOT_AFTER_WRITES", 3)
    monkeypatch.setattr(service_module, "SNAPSHOT_MIN_SECONDS", 0.0)
    path = tmp_path / "db.sqlite3"
    service = await start(str(path))
    for _ in range(100):  # a first start from every row: a snapshot is due, after SNAPSHOT_EVERY_SECONDS
        await asyncio.sleep(0.05)
    assert service.snapshots_written == 0
    reports = await service.submit_reports([new_report(key) for key in (A, A, B)])
    await service.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    for _ in range(100):
        if service.snapshots_written:
            break
        await asyncio.sleep(0.05)
    assert service.snapshots_written == 2
    covers = json.loads(sql(path, "SELECT covers FROM memory_snapshots WHERE name = 'reports'")[0][0])
    assert covers["report_id"] == reports[-1].id
    await service.submit_reports([new_report(C)])  # after the snapshot: caught up at the next start
    await crash(service)
    again = await start_expecting(start, path, "snapshot", "snapshot")
    assert again.started_from["caught_up_reports"] == 1
    await again.stop()


async def test_no_snapshots_when_turned_off(start: Start, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    service = await start(str(path), snapshots=False)
    await service.submit_reports([new_report(A)])
    await service.stop()
    assert sql(path, "SELECT COUNT(*) FROM memory_snapshots") == [(0,)]
    assert service._snapshot_task is None

"""A server follows what other processes write: on SQLite by looking at the store's change marks
(Service.follow_store, verifier/state/sync.py), on PostgreSQL by hearing the announcements.
Each process here is a Service on the same real database; the "CLI" one exits like the command
line does (writing its snapshot as it goes)."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

from registry.models import Category, Confidence, OfficialNumber, Organization
from registry.records import Decision
from tests.store.conftest import new_report
from tests.store.test_snapshots import A, B, C, Start, assert_agrees_with_the_database
from tests.store.test_snapshots import start as start  # noqa: PLC0414  (the fixture)
from verifier.core.prefix_index import key_hash
from verifier.state.service import Service


def imported(key: str, weight: float, ref: str | None = None) -> Any:
    return new_report(key, "police-voice", client_hash="police-voice", source="police", source_weight=weight,
                      source_ref=ref or f"row-{key}")


def summary(service: Service, key: str) -> Any:
    return service.knowledge.reports.summary(key, time.time())


def sql(path: Path, statement: str, params: tuple[Any, ...] = ()) -> None:
    """A write by hand, from another connection (as another process would)."""
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(statement, params)
    finally:
        db.close()


async def test_a_server_on_sqlite_catches_up_with_an_import_from_another_process(start: Start, tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite3")
    server = await start(path, load_default_registry=False)
    assert await server.follow_store() is False  # nothing moved: one read of the marks, nothing else
    server.bucket("0000")  # the private lookup's index is built: new numbers must join it
    cli = await start(path, load_default_registry=False)
    await cli.import_evidence([imported(A, 0.5), imported(B, 0.5)])
    await cli.stop()  # writes its snapshot, as the command line does when it exits
    assert summary(server, A) is None
    assert await server.follow_store() is True
    assert summary(server, A).pending == 1 and summary(server, B).weight == 0.5
    assert (key_hash(A), A) in server.bucket(key_hash(A)[:5])
    assert await server.follow_store() is False
    await assert_agrees_with_the_database(server)

    again = await start(path, load_default_registry=False)  # the same rows, heavier: a change, not new rows
    result = await again.import_evidence([imported(A, 3.0), imported(B, 3.0), imported(C, 3.0)])
    assert (len(result.stored), result.already, len(result.reweighed)) == (1, 2, 2)
    await again.stop()
    knowledge = server.knowledge
    assert await server.follow_store() is True
    assert server.knowledge is knowledge  # caught up, not reloaded: the exiting CLI's snapshot pruned no change it needs
    assert [summary(server, key).weight for key in (A, B, C)] == [3.0, 3.0, 3.0]
    assert summary(server, A).pending_voices == 3.0
    await assert_agrees_with_the_database(server)


async def test_following_its_own_writes_counts_nothing_twice(start: Start, tmp_path: Path) -> None:
    server = await start(str(tmp_path / "db.sqlite3"), load_default_registry=False)
    reports = await server.submit_reports([new_report(A), new_report(A), new_report(B)])
    held = len(server.knowledge.reports)
    assert await server.follow_store() is True  # its own reports moved the marks: read back, none added
    assert len(server.knowledge.reports) == held == 3
    await server.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    assert await server.follow_store() is True and await server.follow_store() is False
    await assert_agrees_with_the_database(server)


async def test_a_change_it_cannot_replay_makes_it_read_everything_again(start: Start, tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    server = await start(str(path), load_default_registry=False)
    await server.submit_reports([new_report(A), new_report(B)])
    assert await server.follow_store() is True
    sql(path, "DELETE FROM reports WHERE number_key = ?", (A,))  # by hand: nothing in the service deletes
    assert await server.follow_store() is True
    assert summary(server, A) is None and summary(server, B).pending == 1
    await assert_agrees_with_the_database(server)


async def test_a_registry_change_from_another_process_is_followed_too(start: Start, tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite3")
    server = await start(path, load_default_registry=False)
    cli = await start(path, load_default_registry=False)
    org = Organization(id="demo-bank", name="示例银行", category=Category.bank,
                       numbers=[OfficialNumber(number="95588", source_url="https://example.org/demo",
                                               verified_at=dt.date(2026, 8, 21), confidence=Confidence.official_page)])
    await cli.create_organization(org, actor="cli")
    await cli.stop()
    assert "demo-bank" not in server.knowledge.organizations
    assert await server.follow_store() is True
    assert "demo-bank" in server.knowledge.organizations


async def test_a_following_server_catches_up_by_itself_within_seconds(start: Start, tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite3")
    server = await start(path, load_default_registry=False, follow=True)
    cli = await start(path, load_default_registry=False)
    await cli.import_evidence([imported(A, 3.0)])
    await cli.stop()
    deadline = time.monotonic() + 10
    while summary(server, A) is None:
        assert time.monotonic() < deadline, "the import never showed"
        await asyncio.sleep(0.05)
    await server.stop()
    assert server._follow_task is None


async def test_on_postgresql_a_reweighing_is_announced_and_the_numbers_re_read(start: Start,
                                                                              postgres_url: str) -> None:
    listener = await start(postgres_url, load_default_registry=False)
    importer = await start(postgres_url, load_default_registry=False)
    await importer.import_evidence([imported(A, 0.5)])
    await importer.import_evidence([imported(A, 3.0)])
    deadline = time.monotonic() + 10
    while summary(listener, A) is None or summary(listener, A).weight != 3.0:
        assert time.monotonic() < deadline, summary(listener, A)
        await asyncio.sleep(0.05)

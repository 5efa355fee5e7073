"""Snapshots of the in-memory state, on every backend: the change log and counters the catch-up
relies on, the snapshot rows, and a service that starts from a snapshot and catches up to
exactly what a full load builds, across reports, decisions, appeals, imports, registry changes
and restarts (clean and not)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from registry.backends import open_store
from registry.models import Confidence, OfficialNumber
from registry.records import AppealDecision, Decision, NewAppeal, Page
from registry.store import Store
from tests.store.conftest import new_report
from verifier.core.knowledge import official_key
from verifier.core.report_book import APPROVED, REJECTED, ReportBook
from verifier.state.service import Service
from verifier.state.snapshots import load_reports

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp()
A, B, C, D, E = (f"+86139123400{n:02d}" for n in range(1, 6))


# -- the store's part ----------------------------------------------------------------------------

async def test_every_change_to_a_stored_report_is_logged_by_number_and_inserts_are_not(store: Store) -> None:
    start = (await store.change_marks()).change_seq
    reports = await store.add_reports([new_report(A), new_report(A), new_report(B), new_report(C)])
    await store.import_reports([new_report(D, source="partner", source_ref="row-1")])
    assert (await store.report_changes_since(start)).keys == set()
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    assert (await store.report_changes_since(start)).keys == {A}
    seq = (await store.change_marks()).change_seq
    await store.decide_number(B, Decision.reject, actor="mod", note=None)
    appeal = await store.add_appeal(NewAppeal(number_key=A, number=A, statement="mine", contact="x", client_hash="c"))
    await store.decide_appeal(appeal.id, AppealDecision.lift, actor="mod", note=None)
    await store.db.execute("UPDATE reports SET decision_note = 'by hand' WHERE number_key = ?", (C,))
    changes = await store.report_changes_since(seq)
    assert changes.keys == {A, B, C} and not changes.deleted and changes.last_seq > seq
    assert (await store.report_changes_since(changes.last_seq)).keys == set()
    await store.db.execute("DELETE FROM reports WHERE number_key = ?", (D,))
    deleted = await store.report_changes_since(changes.last_seq)
    assert deleted.keys == {D} and deleted.deleted


async def test_the_registry_counter_moves_with_every_registry_change_and_nothing_else(store: Store,
                                                                                    registry_orgs: list[Any]) -> None:
    seen = [await store.registry_change_count()]

    async def moved() -> None:
        seen.append(await store.registry_change_count())
        assert seen[-1] > seen[-2]

    await store.import_registry([org.model_copy(deep=True) for org in registry_orgs[:3]], official_key, actor="t")
    await moved()
    org = registry_orgs[0]
    await store.update_organization(org.id, {"name_en": "Renamed"}, actor="t")
    await moved()
    number = OfficialNumber(number="4001234567", confidence=Confidence.official_page, source_note="t")
    await store.put_number(org.id, number, official_key(number), actor="t")
    await moved()
    await store.delete_number(org.id, official_key(number), actor="t")
    await moved()
    reports = await store.add_reports([new_report(A)])
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    assert await store.registry_change_count() == seen[-1]


async def test_a_snapshot_keeps_its_bytes_and_only_a_newer_one_replaces_it(store: Store) -> None:
    assert await store.read_snapshot("reports") is None
    data = bytes(range(256)) * 4000
    assert await store.write_snapshot("reports", 7, {"report_id": 10, "change_seq": 3}, data,
                                      not_behind=("report_id", "change_seq"))
    held = await store.read_snapshot("reports")
    assert held is not None and (held.format, held.covers, held.data) == (7, {"report_id": 10, "change_seq": 3}, data)
    assert (await store.read_snapshot("reports", with_data=False)).data is None  # type: ignore[union-attr]
    # behind the stored one (another process got further): not written
    assert not await store.write_snapshot("reports", 7, {"report_id": 9, "change_seq": 5}, b"older",
                                          not_behind=("report_id", "change_seq"))
    assert (await store.read_snapshot("reports")).data == data  # type: ignore[union-attr]
    # another format (another version of the code) is replaced whatever it covers
    assert await store.write_snapshot("reports", 8, {"report_id": 1, "change_seq": 0}, b"new",
                                      not_behind=("report_id", "change_seq"))
    assert (await store.read_snapshot("reports")).data == b"new"  # type: ignore[union-attr]
    await store.drop_snapshot("reports")
    assert await store.read_snapshot("reports") is None


async def test_pruning_the_change_log_keeps_the_newest_row_and_says_how_far_it_went(store: Store) -> None:
    reports = await store.add_reports([new_report(A) for _ in range(5)])
    for report in reports:
        await store.decide_report(report.id, Decision.approve, actor="mod", note=None)
    marks = await store.change_marks()
    first = marks.change_seq - 4
    assert marks.pruned == 0 and (await store.report_changes_since(first - 1)).last_seq == marks.change_seq
    assert await store.write_snapshot("reports", 1, {"change_seq": marks.change_seq}, b"x",
                                      prune_changes_before=marks.change_seq)
    after = await store.change_marks()
    assert after.change_seq == marks.change_seq and after.pruned == marks.change_seq - 1
    assert (await store.report_changes_since(first)).pruned > first  # a catch-up from `first` would miss rows
    more = await store.add_reports([new_report(B)])
    await store.decide_report(more[0].id, Decision.reject, actor="mod", note=None)
    assert (await store.change_marks()).change_seq == marks.change_seq + 1  # a seq is never handed out twice


async def test_facts_of_many_numbers_are_each_numbers_facts(store: Store) -> None:
    await store.add_reports([new_report(key) for key in (A, B, A, C, A)])
    facts = await store.numbers_facts([A, C, E])
    assert set(facts) == {A, C}
    for key in (A, C):
        assert [tuple(f) for f in facts[key]] == [tuple(f) for f in await store.number_facts(key)]
    marks = await store.change_marks()
    last = (await store.report_facts())[-1]
    assert marks.report_id == last[0] and await store.report_identity(last[0]) == (last[1], last[7])


# -- a service starting from a snapshot builds what a full load builds --------------------------

def book_state(book: ReportBook) -> dict[str, Any]:
    """Everything a verify can observe of a book (numbers unpacked on the way)."""
    keys = sorted(book.keys())
    reporters = {rec.reporter for key in keys for rec in book.records(key)}
    return {"records": {key: sorted(book.records(key)) for key in keys}, "counts": book.counts(), "len": len(book),
            "approved": sorted(book.approved_keys()), "trust": {r: book.trust(r) for r in sorted(reporters)},
            "summaries": {key: book.summary(key, NOW) for key in keys}}


async def assert_agrees_with_the_database(service: Service) -> None:
    """The service's book is what a full load of the store builds, and the stored blocklist is
    what that book and the registry say it must be."""
    full = await load_reports(service.store)
    assert book_state(service.knowledge.reports) == book_state(full)
    kb = service.knowledge
    should = {key for key in full.approved_keys() if not kb.official_entries(key)}
    assert await service.store.blocklist_keys() == should


Start = Callable[..., Awaitable[Service]]


async def crash(service: Service) -> None:
    """Gone without a clean stop: no snapshot written, nothing drained beyond what was committed."""
    if service._snapshot_task is not None:
        service._snapshot_task.cancel()
    await service.store.close()


@pytest.fixture
async def start() -> AsyncIterator[Start]:
    """Starts services (each standing for one process); whatever a failed test left open is closed."""
    services: list[Service] = []

    async def make(url: str, **options: Any) -> Service:
        service = Service(open_store(url), **options)
        services.append(service)
        await service.start()
        return service

    yield make
    for service in services:
        await crash(service)


async def some_reports(service: Service, tag: str, keys: tuple[str, ...]) -> list[Any]:
    stored = await service.submit_reports([new_report(key, f"{tag}-reporter-{n % 3}", api_key_id=1 if n % 4 == 0 else None)
                                           for n, key in enumerate(keys)])
    stored += await service.import_reports([new_report(key, source="partner", source_ref=f"{tag}-{key}",
                                                       source_weight=0.5) for key in keys[:2]])
    return stored


async def test_a_book_from_a_snapshot_and_a_catch_up_equals_a_full_load(database_url: str, start: Start) -> None:
    first = await start(database_url)
    assert first.started_from["reports"] == "full" and first.started_from["registry"] == "full"
    official = next(key for key in first.knowledge.by_key if key.startswith("+86"))
    stored = await some_reports(first, "one", (A, A, B, B, C, C, D, official))
    await first.decide_report(stored[0].id, Decision.approve, actor="mod", note=None)
    await first.decide_report(stored[2].id, Decision.reject, actor="mod", note=None)
    await first.decide_number(C, Decision.approve, actor="mod", note=None)
    await first.decide_number(official, Decision.approve, actor="mod", note=None)
    appeal = await first.submit_appeal(NewAppeal(number_key=C, number=C, statement="mine", contact="x",
                                                 client_hash="c"))
    await first.decide_appeal(appeal.id, AppealDecision.lift, actor="mod", note=None)
    await first.stop()
    assert first.snapshots_written == 2

    # a clean restart: everything from the snapshots, nothing to catch up
    second = await start(database_url)
    assert second.started_from == {**second.started_from, "reports": "snapshot", "registry": "snapshot",
                                   "caught_up_reports": 0, "caught_up_numbers": 0}
    await assert_agrees_with_the_database(second)
    more = await some_reports(second, "two", (A, B, E, E))
    await second.decide_report(more[2].id, Decision.approve, actor="mod", note=None)
    await second.decide_number(B, Decision.approve, actor="mod", note=None)
    await crash(second)  # no snapshot of what it did

    # another process (a CLI run, another worker) changes reports and the registry meanwhile
    third = await start(database_url, snapshots=False)
    await third.decide_number(E, Decision.reject, actor="mod", note=None)
    later = await some_reports(third, "three", (D, D))
    await third.decide_number(D, Decision.approve, actor="mod", note=None)
    org = next(iter(third.knowledge.organizations))
    await third.put_number(org, OfficialNumber(number=D.removeprefix("+86"), confidence=Confidence.official_page,
                                               source_note="now official"), actor="admin")
    await third.stop()
    assert third.snapshots_written == 0

    # the snapshot written by the first, caught up with everything since
    fourth = await start(database_url)
    assert fourth.started_from["reports"] == "snapshot" and fourth.started_from["registry"] == "full"
    assert fourth.started_from["caught_up_reports"] == len(more) + len(later)  # the second's and the third's
    assert fourth.started_from["caught_up_numbers"] >= 3
    assert fourth.knowledge.official_entries(D) and D not in await fourth.store.blocklist_keys()
    await assert_agrees_with_the_database(fourth)
    await fourth.stop()
    assert fourth.snapshots_written == 2

    fifth = await start(database_url)
    assert (fifth.started_from["reports"], fifth.started_from["registry"]) == ("snapshot", "snapshot")
    assert fifth.started_from["caught_up_reports"] == fifth.started_from["caught_up_numbers"] == 0
    await assert_agrees_with_the_database(fifth)
    page = await fifth.store.list_audit(Page(size=5))
    assert page  # the store is still the store: audit and all
    await fifth.stop()
    assert fifth.snapshots_written == 0  # nothing changed: nothing rewritten


async def test_a_snapshot_taken_while_serving_is_caught_up_with_what_changed_during_the_read(
        database_url: str, start: Start) -> None:
    service = await start(database_url)
    reports = await service.submit_reports([new_report(A), new_report(A, "other")])
    await service.save_snapshots()
    await service.store.decide_report(reports[0].id, Decision.approve, actor="elsewhere", note=None)  # not told
    real = service.store.numbers_facts
    raced = []

    async def racing(keys: Any) -> Any:
        facts = await real(keys)
        if not raced:  # this process decides the other report after the store was read
            raced.append(await service.decide_report(reports[1].id, Decision.reject, actor="mod", note=None))
        return facts

    service.store.numbers_facts = racing  # type: ignore[method-assign]
    assert await service.save_snapshots() == 1
    assert raced
    await assert_agrees_with_the_database(service)  # the decision made meanwhile was not undone
    statuses = sorted(rec.status for rec in service.knowledge.reports.records(A))
    assert statuses == sorted([APPROVED, REJECTED])
    await service.stop()

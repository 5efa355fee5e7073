"""registry/store/rekey.py: stored number keys recomputed once when the key rules change.

A store written under key scheme 1 holds every city's 96511 under "CN:96511"; scheme 2 keys a
local 96 code with its area code ("CN:0731-96511"). Real databases on both backends: the
rows are written as the old code wrote them (the store takes keys as given), then re-keyed.
"""

from __future__ import annotations

from pathlib import Path

from registry.backends import open_store
from registry.models import Category, Channel, Confidence, OfficialNumber, Organization
from registry.records import Decision, NewAppeal, Page
from registry.store import Store
from tests.store.conftest import MakeStore, new_report
from verifier.core.knowledge import official_key
from verifier.core.numbers.reading import KEY_SCHEME, number_key
from verifier.state.service import Service

OLD_KEYS = {"0731-96511": "CN:96511", "+86 731 96511": "CN:96511", "12580": "+8612580",
            "1065795555": "+861065795555"}


def _org(numbers: list[str]) -> Organization:
    return Organization(id="bank-of-changsha", name="长沙银行", category=Category.bank, numbers=[
        OfficialNumber(number=number, channel=Channel.hotline, confidence=Confidence.single_source,
                       source_note="test") for number in numbers])


async def _old_store(store: Store) -> dict[str, int]:
    """Rows as scheme 1 wrote them; returns report ids by number as written."""
    ids = {}
    for written, key in (("0731-96511", "CN:96511"), ("028-96511", "CN:96511"), ("025-96110", "CN:96110"),
                         ("+95588", "+95588"), ("12580", "+8612580")):
        region = "MM" if written == "+95588" else "CN"
        [report] = await store.add_reports([new_report(key, number=written, region=region)])
        ids[written] = report.id
    await store.add_appeal(NewAppeal(number_key="CN:96511", number="0731-96511", statement="our bank's line",
                                     contact="ops@example.org", client_hash="client-1"))
    await store.import_registry([_org(["0731-96511"])], lambda number: OLD_KEYS[number.number])
    return ids


async def test_a_store_of_old_keys_is_rekeyed_from_the_numbers_as_written(store: Store) -> None:
    ids = await _old_store(store)
    assert await store.key_scheme() == 1

    result = await store.rekey(number_key, official_key, KEY_SCHEME)

    assert (result.scheme_before, result.scheme, result.ran) == (1, KEY_SCHEME, True)
    assert (result.reports, result.appeals, result.official_numbers) == (3, 1, 1)
    assert (await store.get_report(ids["0731-96511"])).number_key == "CN:0731-96511"
    assert (await store.get_report(ids["028-96511"])).number_key == "CN:028-96511"  # another city's 96511
    assert (await store.get_report(ids["025-96110"])).number_key == "CN:96110"  # the same service everywhere
    assert (await store.get_report(ids["+95588"])).number_key == "+95588"
    assert (await store.get_report(ids["12580"])).number_key == "CN:12580"  # a family phonenumbers misses
    [appeal] = await store.list_appeals(Page(size=10), status=None)
    assert appeal.number_key == "CN:0731-96511"
    assert await store.official_keys() == {"CN:0731-96511"}
    assert await store.key_scheme() == KEY_SCHEME


async def test_rekeying_twice_or_after_reopening_changes_nothing(store: Store, make_store: MakeStore) -> None:
    await _old_store(store)
    await store.rekey(number_key, official_key, KEY_SCHEME)
    audit_before = await store.db.fetchval("SELECT COUNT(*) AS n FROM audit_log")
    changes_before = await store.db.fetchval("SELECT COUNT(*) AS n FROM report_changes")

    again = await store.rekey(number_key, official_key, KEY_SCHEME)
    reopened = await make_store()
    third = await reopened.rekey(number_key, official_key, KEY_SCHEME)

    assert not again.ran and not third.ran and again.changed == third.changed == 0
    assert await store.db.fetchval("SELECT COUNT(*) AS n FROM audit_log") == audit_before
    assert await store.db.fetchval("SELECT COUNT(*) AS n FROM report_changes") == changes_before


async def test_the_rekey_is_audited_with_each_official_number_it_moved(store: Store) -> None:
    await _old_store(store)
    await store.rekey(number_key, official_key, KEY_SCHEME, actor="system:rekey")
    row = await store.db.fetchone("SELECT actor, target_id, after FROM audit_log WHERE action = 'registry.rekey'")
    assert row is not None and row["actor"] == "system:rekey" and row["target_id"] == f"scheme-{KEY_SCHEME}"
    assert '"before": "CN:96511"' in row["after"] and '"after": "CN:0731-96511"' in row["after"]


async def test_a_stored_number_that_no_longer_reads_keeps_its_key(store: Store) -> None:
    [report] = await store.add_reports([new_report("CN:96511", number="not a number")])
    result = await store.rekey(number_key, official_key, KEY_SCHEME)
    assert result.unreadable == 1 and result.reports == 0
    assert (await store.get_report(report.id)).number_key == "CN:96511"


async def test_a_new_store_starts_at_the_first_scheme_and_an_empty_one_is_rekeyed_at_once(store: Store) -> None:
    assert await store.key_scheme() == 1
    result = await store.rekey(number_key, official_key, KEY_SCHEME)
    assert result.ran and result.changed == 0 and await store.key_scheme() == KEY_SCHEME


async def test_two_stores_on_one_database_rekey_it_once(store: Store, make_store: MakeStore) -> None:
    await _old_store(store)
    other = await make_store()
    first, second = await store.rekey(number_key, official_key, KEY_SCHEME), \
        await other.rekey(number_key, official_key, KEY_SCHEME)
    assert first.ran and not second.ran


async def test_a_service_started_on_an_old_sqlite_file_rekeys_it_and_moves_the_blocklist_entry(
        tmp_path: Path) -> None:
    path = str(tmp_path / "old.sqlite3")
    store = open_store(path)
    await store.open()
    [report] = await store.add_reports([new_report("CN:96511", number="0731-96511")])
    await store.decide_report(report.id, Decision.approve, actor="mod", note=None)
    old_version = await store.apply_blocklist(["CN:96511"], [])
    await store.close()

    service = Service(open_store(path), load_default_registry=False, snapshots=False)
    await service.start()
    try:
        assert (await service.store.get_report(report.id)).number_key == "CN:0731-96511"
        assert await service.store.blocklist_keys() == {"CN:0731-96511"}
        changes = await service.store.blocklist_changes(old_version)
        assert sorted((key, action) for _, key, action in changes) == [("CN:0731-96511", "add"),
                                                                       ("CN:96511", "remove")]
        assert service.knowledge.reports.has_approved("CN:0731-96511")
    finally:
        await service.stop()

    again = Service(open_store(path), load_default_registry=False, snapshots=False)
    await again.start()
    try:
        assert await again.store.blocklist_changes(old_version + 2) == []  # a second start changes nothing
    finally:
        await again.stop()

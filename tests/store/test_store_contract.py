"""The store's contract, the same on every backend: each test runs on SQLite and on a real PostgreSQL.

What one backend does, the other must do too: the store's SQL is written once, and the app
must not be able to tell which database it runs on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from registry.backends import open_store
from registry.formats import dump_csv, dump_json, read_registry
from registry.migrations import migrations_for
from registry.models import Category, Confidence, OfficialNumber, Organization
from registry.records import (
    AppealDecision,
    AppealStatus,
    Decision,
    NewAppeal,
    NewReport,
    Page,
    ReportCategory,
    ReportStatus,
    Role,
)
from registry.store import Conflict, NotFound, Store
from registry.store.clock import as_text
from tests.store.conftest import MakeStore, new_report
from verifier.core.knowledge import official_key

ALL = Page(number=1, size=200)


async def count(store: Store, sql: str, params: tuple[object, ...] = ()) -> int:
    """`sql` selects one number named n."""
    row = await store.db.fetchone(sql, params)
    assert row is not None
    return int(row["n"])


def demo_org(org_id: str = "demo-bank", *numbers: str) -> Organization:
    return Organization(
        id=org_id, name="示例银行", name_en="Demo Bank", aliases=["示例"], category=Category.bank,
        domains=["demo-bank.example.com"],
        numbers=[OfficialNumber(number=n, confidence=Confidence.official_page, source_note="test") for n in numbers],
    )


# -- migrations ----------------------------------------------------------------------------------

async def test_opening_a_new_database_applies_and_records_every_migration(store: Store, backend: str) -> None:
    names = [m.name for m in migrations_for(backend)]
    assert names[:2] == ["0001_registry", "0002_reports_moderation"] and names == sorted(names)
    assert await store.applied_migrations() == names
    assert await count(store, "SELECT COUNT(*) AS n FROM schema_migrations") == len(names)
    assert await store.registry_is_empty()


async def test_reopening_applies_nothing_twice(make_store: MakeStore) -> None:
    first = await make_store()
    recorded = await first.db.fetchall("SELECT name, applied_at FROM schema_migrations ORDER BY name")
    await first.close()
    again = await make_store()
    assert [dict(r) for r in await again.db.fetchall("SELECT name, applied_at FROM schema_migrations ORDER BY name")] \
        == [dict(r) for r in recorded]


def test_every_backend_has_the_same_migrations() -> None:
    assert [m.name for m in migrations_for("sqlite")] == [m.name for m in migrations_for("postgresql")]


async def test_both_schemas_have_the_same_tables_columns_constraints_and_indexes(tmp_path: Path, postgres_url: str) -> None:
    lite, pg = open_store(str(tmp_path / "schema.sqlite3")), open_store(postgres_url)
    await lite.open()
    await pg.open()
    try:
        kinds = {"INTEGER": "integer", "bigint": "integer", "TEXT": "text", "REAL": "real",
                 "double precision": "real", "BLOB": "bytes", "bytea": "bytes"}  # SQLite's INTEGER is 64-bit: INTEGER or BIGINT on PostgreSQL
        lite_columns: dict[str, dict[str, tuple[str, bool]]] = {}
        for row in await lite.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
            info = await lite.db.fetchall(f"PRAGMA table_info({row['name']})")
            lite_columns[row["name"]] = {c["name"]: (kinds[c["type"]], bool(c["notnull"] or c["pk"])) for c in info}
        pg_columns: dict[str, dict[str, tuple[str, bool]]] = {}
        for row in await pg.db.fetchall(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
                " WHERE table_schema = 'public'"):
            pg_columns.setdefault(row["table_name"], {})[row["column_name"]] = (
                kinds.get(row["data_type"], row["data_type"]), row["is_nullable"] == "NO")
        assert pg_columns == lite_columns

        lite_indexes = {r["name"] for r in await lite.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        pg_indexes = {r["indexname"] for r in await pg.db.fetchall(
            "SELECT indexname FROM pg_indexes i WHERE schemaname = 'public'"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")}
        assert pg_indexes == lite_indexes

        lite_unique, lite_references = set(), set()
        for table in lite_columns:
            for index in await lite.db.fetchall(f"PRAGMA index_list({table})"):
                if index["origin"] == "u":
                    columns = [c["name"] for c in await lite.db.fetchall(f"PRAGMA index_info({index['name']})")]
                    lite_unique.add((table, ",".join(columns)))
            for key in await lite.db.fetchall(f"PRAGMA foreign_key_list({table})"):
                lite_references.add((table, key["from"], key["table"], key["to"], key["on_delete"]))
        pg_unique = {(r["tbl"], r["cols"]) for r in await pg.db.fetchall(
            "SELECT c.conrelid::regclass::text AS tbl, array_to_string(ARRAY("
            "  SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o)"
            "  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS cols"
            " FROM pg_constraint c WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace")}
        pg_references = {(r["tbl"], r["col"], r["ref"], r["refcol"], r["ondelete"]) for r in await pg.db.fetchall(
            "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS ref,"
            " f.attname AS refcol, CASE c.confdeltype WHEN 'c' THEN 'CASCADE' ELSE 'NO ACTION' END AS ondelete"
            " FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace")}
        assert pg_unique == lite_unique and lite_unique
        assert pg_references == lite_references and lite_references
    finally:
        await lite.close()
        await pg.close()


# -- the adapter beneath the store ------------------------------------------------------------------

async def test_rows_read_like_mappings(store: Store) -> None:
    await store.add_user("ada", "hash", Role.admin, actor="test")
    row = await store.db.fetchone("SELECT id, username, disabled FROM users WHERE username = ?", ("ada",))
    assert row is not None
    assert row["username"] == "ada"
    assert dict(row) == {"id": row["id"], "username": "ada", "disabled": 0}
    assert await store.db.fetchone("SELECT id FROM users WHERE username = ?", ("nobody",)) is None
    flags = await store.db.fetchone("SELECT EXISTS (SELECT 1 FROM users) AS any_user, COUNT(*) AS n FROM users")
    assert flags is not None and bool(flags["any_user"]) is True and flags["n"] == 1


async def test_execute_returns_the_number_of_rows_changed(store: Store) -> None:
    for name in ("a", "b", "c"):
        await store.add_user(name, "hash", Role.moderator, actor="test")
    assert await store.db.execute("UPDATE users SET role = ? WHERE username <> ?", ("admin", "a")) == 2
    assert await store.db.execute("DELETE FROM users WHERE username = ?", ("nobody",)) == 0
    async with store.db.transaction() as tx:
        assert await tx.execute("UPDATE users SET disabled = 1") == 3


async def test_a_failing_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.db.transaction() as tx:
            await tx.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                             ("ghost", "hash", "admin", "2024-01-01T00:00:00+00:00"))
            seen = await tx.fetchone("SELECT COUNT(*) AS n FROM users")
            assert seen is not None and seen["n"] == 1  # its own writes are visible
            raise RuntimeError("boom")
    assert await count(store, "SELECT COUNT(*) AS n FROM users") == 0


async def test_reads_outside_a_transaction_never_see_its_uncommitted_writes(store: Store) -> None:
    async with store.db.transaction() as tx:
        await tx.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                         ("eve", "hash", "admin", "2024-01-01T00:00:00+00:00"))
        assert await store.user_credentials("eve") is None
    assert await store.user_credentials("eve") is not None


async def test_constraint_violations_are_conflicts(store: Store) -> None:
    user = await store.add_user("ada", "hash", Role.admin, actor="test")
    insert_user = "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
    with pytest.raises(Conflict):  # unique
        await store.db.execute(insert_user, ("ada", "hash", "admin", "2024-01-01T00:00:00+00:00"))
    with pytest.raises(Conflict):  # not null
        await store.db.execute(insert_user, ("bob", None, "admin", "2024-01-01T00:00:00+00:00"))
    with pytest.raises(Conflict):  # foreign key
        await store.add_session("token", user.id + 1000, "api", dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    with pytest.raises(Conflict):  # check
        async with store.db.transaction() as tx:
            await tx.execute("CREATE TABLE checked (n INTEGER NOT NULL CHECK (n > 0))")
            await tx.execute("INSERT INTO checked (n) VALUES (?)", (-1,))
    assert [u.username for u in await store.list_users()] == ["ada"]


async def test_executemany_outside_a_transaction_is_all_or_nothing(store: Store) -> None:
    key = await store.add_api_key("partner", "hash-1", "hv_1", 60, actor="test")
    with pytest.raises(Conflict):
        await store.db.executemany("INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at)"
                                   " VALUES (?, ?, ?, ?, ?)",
                                   [("second", "hash-2", "hv_2", 60, "2024-01-01T00:00:00+00:00"),
                                    ("third", "hash-1", "hv_3", 60, "2024-01-01T00:00:00+00:00")])
    assert [k.id for k in await store.list_api_keys()] == [key.id]


async def test_a_lone_write_with_returning_is_all_or_nothing_and_returns_its_rows(store: Store) -> None:
    insert = ("INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at)"
              " VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) RETURNING id, name")
    when = "2024-01-01T00:00:00+00:00"
    rows = await store.db.write_returning(insert, ("a", "hash-a", "hv_a", 60, when, "b", "hash-b", "hv_b", 60, when))
    assert [row["name"] for row in rows] == ["a", "b"]
    with pytest.raises(Conflict):  # the second row clashes with "a": neither is kept
        await store.db.write_returning(insert, ("c", "hash-c", "hv_c", 60, when, "d", "hash-a", "hv_d", 60, when))
    assert sorted(k.name for k in await store.list_api_keys()) == ["a", "b"]


async def test_a_lone_write_waits_for_a_transaction_in_flight_and_is_not_rolled_back_with_it(store: Store) -> None:
    inside = asyncio.Event()
    insert = "INSERT INTO api_keys (name, key_hash, prefix, rate_limit, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"

    async def failing_transaction() -> None:
        async with store.db.transaction() as tx:
            await tx.execute(insert.removesuffix(" RETURNING id"), ("doomed", "hash-x", "hv_x", 60, "2024-01-01"))
            inside.set()
            await asyncio.sleep(0.05)  # the lone write is waiting now
            raise RuntimeError("boom")

    transaction = asyncio.create_task(failing_transaction())
    await inside.wait()
    rows = await store.db.write_returning(insert, ("kept", "hash-k", "hv_k", 60, "2024-01-01"))
    with pytest.raises(RuntimeError):
        await transaction
    assert len(rows) == 1
    assert [k.name for k in await store.list_api_keys()] == ["kept"]


async def test_a_batch_of_reports_is_stored_all_or_nothing(store: Store) -> None:
    good = new_report("CN:13800000001")
    broken = new_report("CN:13800000002").model_copy(update={"reporter_hash": None})  # NOT NULL
    for size in (2, 600):  # one statement on its own; several in one transaction
        with pytest.raises(Conflict):
            await store.insert_reports([good] * (size - 1) + [broken])
    assert await store.report_counts() == {}
    ids, _ = await store.insert_reports([good] * 600)
    assert len(set(ids)) == 600 and ids == sorted(ids)
    assert await store.report_counts() == {"pending": 600}


async def test_notify_and_listen_can_be_called_on_every_backend(store: Store) -> None:
    """SQLite is served by one process, so its notifications go nowhere; PostgreSQL delivers them
    (tests/store/test_postgres_adapter.py)."""
    await store.db.listen("registry_changed", lambda payload: None)
    await store.db.notify("registry_changed", "demo-bank")
    async with store.db.transaction() as tx:
        await store.db.notify("registry_changed", "demo-bank", tx=tx)


async def test_a_notify_from_one_process_reaches_a_listener_in_another(postgres_url: str) -> None:
    sender, receiver = open_store(postgres_url), open_store(postgres_url)
    await sender.open()
    await receiver.open()
    try:
        arrived: asyncio.Queue[str] = asyncio.Queue()
        await receiver.db.listen("registry_changed", arrived.put_nowait)
        await sender.db.notify("registry_changed", "demo-bank")
        assert await asyncio.wait_for(arrived.get(), 1.0) == "demo-bank"
    finally:
        await sender.close()
        await receiver.close()


# -- the official registry -------------------------------------------------------------------------

async def test_importing_the_same_registry_twice_changes_nothing_the_second_time(
        store: Store, registry_orgs: list[Organization]) -> None:
    first = await store.import_registry(registry_orgs, official_key)
    assert first.organizations_created == len(registry_orgs)
    assert first.numbers_created == sum(len(o.numbers) for o in registry_orgs)
    second = await store.import_registry(registry_orgs, official_key)
    assert not second.changed
    assert second.unchanged == first.organizations_created + first.numbers_created


async def test_an_import_is_audited_once_per_created_record(store: Store, registry_orgs: list[Organization]) -> None:
    orgs = registry_orgs[:5]
    await store.import_registry(orgs, official_key, actor="importer")
    await store.import_registry(orgs, official_key, actor="importer")
    created = await store.list_audit(ALL, actor="importer")
    assert sorted(e.action for e in created) == sorted(
        ["registry.organization.create"] * len(orgs)
        + ["registry.official_number.create"] * sum(len(o.numbers) for o in orgs))
    first = next(e for e in created if e.target_id == orgs[0].id and e.target_type == "organization")
    assert first.after is not None and first.after["name"] == orgs[0].name and first.before is None


async def test_an_import_that_fails_midway_leaves_nothing_behind(
        store: Store, registry_orgs: list[Organization]) -> None:
    seen = 0

    def failing_key(number: OfficialNumber) -> str:
        nonlocal seen
        seen += 1
        if seen == 10:
            raise RuntimeError("disk went away")
        return official_key(number)

    with pytest.raises(RuntimeError):
        await store.import_registry(registry_orgs, failing_key)
    assert await store.registry_is_empty()
    assert await store.list_audit(ALL) == []


async def test_an_import_adds_to_what_is_stored_and_removes_nothing(
        store: Store, registry_orgs: list[Organization]) -> None:
    first, second = registry_orgs[:5], registry_orgs[5:10]
    await store.import_registry(first, official_key)
    trimmed = first[0].model_copy(update={"numbers": []})
    result = await store.import_registry([trimmed, *second], official_key)
    assert result.organizations_created == len(second)
    loaded = {o.id: o for o in await store.load_organizations()}
    assert set(loaded) == {o.id for o in first + second}
    assert loaded[first[0].id].numbers == first[0].numbers  # numbers not named are kept


async def test_changed_records_are_updated_in_place(store: Store, registry_orgs: list[Organization]) -> None:
    orgs = registry_orgs[:3]
    await store.import_registry(orgs, official_key)
    changed = orgs[0].model_copy(update={"name_en": "Renamed"})
    result = await store.import_registry([changed], official_key)
    assert result.organizations_updated == 1 and result.numbers_updated == 0
    loaded = {o.id: o for o in await store.load_organizations()}
    assert loaded[orgs[0].id].name_en == "Renamed"
    [entry] = await store.list_audit(ALL, action="registry.organization.update")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name_en"], entry.after["name_en"]) == (orgs[0].name_en, "Renamed")


async def test_the_registry_loads_back_exactly_as_imported(store: Store, registry_orgs: list[Organization]) -> None:
    await store.import_registry(registry_orgs, official_key)
    assert await store.load_organizations() == sorted(registry_orgs, key=lambda o: o.id)
    organizations, keys = await store.load_registry()
    assert organizations == sorted(registry_orgs, key=lambda o: o.id)
    assert keys == [[official_key(n) for n in o.numbers] for o in organizations]
    assert await store.official_keys() == {official_key(n) for o in registry_orgs for n in o.numbers}
    assert not await store.registry_is_empty()


async def test_json_export_reads_back_to_the_same_registry(
        store: Store, registry_orgs: list[Organization], tmp_path: Path) -> None:
    await store.import_registry(registry_orgs, official_key)
    exported = tmp_path / "export.json"
    exported.write_text(dump_json(await store.load_organizations()), encoding="utf-8")
    assert read_registry(exported, official_key) == sorted(registry_orgs, key=lambda o: o.id)


async def test_csv_export_reads_back_to_the_same_registry(
        store: Store, registry_orgs: list[Organization], tmp_path: Path) -> None:
    await store.import_registry(registry_orgs, official_key)
    exported = tmp_path / "export.csv"
    exported.write_text(dump_csv(await store.load_organizations()), encoding="utf-8")
    back = read_registry(exported, official_key)
    assert [o.model_dump() for o in back] == [o.model_dump() for o in sorted(registry_orgs, key=lambda o: o.id)]


async def test_creating_an_organisation_stores_it_with_its_numbers_once(store: Store) -> None:
    org = demo_org("demo-bank", "95588", "4006695588")
    await store.create_organization(org, official_key, actor="admin")
    assert await store.load_organizations() == [org]
    assert len(await store.list_audit(ALL, actor="admin")) == 3
    with pytest.raises(Conflict):
        await store.create_organization(demo_org("demo-bank"), official_key, actor="admin")
    assert await store.load_organizations() == [org]


async def test_updating_an_organisation_changes_only_its_own_fields(store: Store) -> None:
    org = demo_org("demo-bank", "95588")
    await store.create_organization(org, official_key, actor="admin")
    await store.update_organization("demo-bank", {"name_en": "Example Bank", "aliases": ["示例", "例行"]}, actor="admin")
    [loaded] = await store.load_organizations()
    assert (loaded.name_en, loaded.aliases, loaded.name, loaded.numbers) == (
        "Example Bank", ["示例", "例行"], org.name, org.numbers)
    [entry] = await store.list_audit(ALL, action="registry.organization.update")
    assert entry.target_id == "demo-bank" and entry.after is not None and entry.after["name_en"] == "Example Bank"
    with pytest.raises(NotFound):
        await store.update_organization("no-such-org", {"name_en": "x"}, actor="admin")


async def test_putting_a_number_creates_updates_or_leaves_it(store: Store) -> None:
    await store.create_organization(demo_org("demo-bank"), official_key, actor="admin")
    number = OfficialNumber(number="95588", confidence=Confidence.single_source, source_note="a")
    key = official_key(number)
    assert await store.put_number("demo-bank", number, key, actor="admin") == "created"
    assert await store.put_number("demo-bank", number, key, actor="admin") == "unchanged"
    better = number.model_copy(update={"confidence": Confidence.official_page, "label": "客服热线"})
    assert await store.put_number("demo-bank", better, key, actor="admin", must_exist=True) == "updated"
    [org] = await store.load_organizations()
    assert org.numbers == [better]
    assert await store.official_keys() == {key}


async def test_putting_a_number_refuses_what_contradicts_the_request(store: Store) -> None:
    await store.create_organization(demo_org("demo-bank", "95588"), official_key, actor="admin")
    existing = OfficialNumber(number="95588", confidence=Confidence.official_page, source_note="test")
    other = OfficialNumber(number="4006695588", confidence=Confidence.official_page)
    with pytest.raises(Conflict):
        await store.put_number("demo-bank", existing, official_key(existing), actor="admin", must_exist=False)
    with pytest.raises(NotFound):
        await store.put_number("demo-bank", other, official_key(other), actor="admin", must_exist=True)
    with pytest.raises(NotFound):
        await store.put_number("no-such-org", other, official_key(other), actor="admin")
    [org] = await store.load_organizations()
    assert org.numbers == [existing]


async def test_deleting_a_number_removes_it_and_audits_what_it_was(store: Store) -> None:
    await store.create_organization(demo_org("demo-bank", "95588", "4006695588"), official_key, actor="admin")
    gone = OfficialNumber(number="95588", confidence=Confidence.official_page, source_note="test")
    await store.delete_number("demo-bank", official_key(gone), actor="admin")
    [org] = await store.load_organizations()
    assert [n.number for n in org.numbers] == ["4006695588"]
    [entry] = await store.list_audit(ALL, action="registry.number.delete")
    assert entry.target_id == f"demo-bank/{official_key(gone)}"
    assert entry.before is not None and entry.before["number"] == "95588"
    with pytest.raises(NotFound):
        await store.delete_number("demo-bank", official_key(gone), actor="admin")


# -- reports -------------------------------------------------------------------------------------------

async def test_stored_reports_read_back_as_they_were_sent(store: Store) -> None:
    sent = new_report("CN:13800000001", occurred_at=dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC),
                      evidence_url="https://example.com/shot.png", api_key_id=7, source="partner",
                      source_weight=0.5, claimed_org="demo-bank")
    [stored] = await store.add_reports([sent])
    assert stored.status is ReportStatus.pending and stored.id > 0
    assert stored.model_dump(include=set(type(sent).model_fields)) == sent.model_dump()
    assert await store.get_report(stored.id) == stored
    with pytest.raises(NotFound):
        await store.get_report(stored.id + 1000)


async def test_reports_of_one_number_come_newest_first(store: Store) -> None:
    ids = [r.id for r in await store.add_reports([new_report("CN:13800000001") for _ in range(3)])]
    await store.add_reports([new_report("CN:13800000002")])
    assert [r.id for r in await store.reports_for_number("CN:13800000001")] == ids[::-1]
    assert [r.id for r in await store.reports_for_number("CN:13800000001", limit=2)] == ids[:0:-1]


async def test_the_queue_puts_official_numbers_first_then_many_reporters_then_the_oldest(
        store: Store) -> None:
    await store.create_organization(demo_org("demo-bank", "95588"), official_key, actor="admin")
    [official] = await store.official_keys()
    [old] = await store.add_reports([new_report("CN:13800000001")])
    crowd = await store.add_reports([new_report("CN:13800000002") for _ in range(3)])
    same = await store.add_reports([new_report("CN:13800000003", "one-reporter") for _ in range(2)])
    [against] = await store.add_reports([new_report(official)])

    queue = await store.report_queue(ALL)
    assert [r.id for r in queue] == [against.id, *(r.id for r in crowd), old.id, *(r.id for r in same)]
    assert [(r.against_official, r.pending_reporters) for r in queue] == [
        (True, 1), (False, 3), (False, 3), (False, 3), (False, 1), (False, 1), (False, 1)]


async def test_the_queue_filters_and_pages(store: Store) -> None:
    reports = await store.add_reports([new_report("CN:13800000001") for _ in range(3)]
                                      + [new_report("CN:13800000002", category=ReportCategory.loan_scam)])
    assert [r.id for r in await store.report_queue(ALL, number_key="CN:13800000002")] == [reports[3].id]
    assert [r.id for r in await store.report_queue(ALL, category=ReportCategory.loan_scam)] == [reports[3].id]
    assert [r.id for r in await store.report_queue(Page(number=2, size=2))] == [reports[2].id, reports[3].id]
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    assert [r.id for r in await store.report_queue(ALL, status=ReportStatus.approved)] == [reports[0].id]
    assert {r.pending_reporters for r in await store.report_queue(ALL, number_key="CN:13800000001")} == {2}


async def test_a_report_is_decided_once_and_the_decision_audited(store: Store) -> None:
    [report] = await store.add_reports([new_report("CN:13800000001")])
    decided = await store.decide_report(report.id, Decision.approve, actor="mod", note="clear case")
    assert (decided.status, decided.decided_by, decided.decision_note) == (ReportStatus.approved, "mod", "clear case")
    assert await store.get_report(report.id) == decided
    with pytest.raises(Conflict, match="already decided"):
        await store.decide_report(report.id, Decision.reject, actor="other", note=None)
    with pytest.raises(NotFound):
        await store.decide_report(report.id + 1000, Decision.reject, actor="mod", note=None)
    [entry] = await store.list_audit(ALL, action="report.approve")
    assert (entry.actor, entry.target_id, entry.before, entry.after) == (
        "mod", str(report.id), {"status": "pending"}, {"status": "approved", "note": "clear case"})


async def test_deciding_a_number_decides_all_its_pending_reports(store: Store) -> None:
    reports = await store.add_reports([new_report("CN:13800000001") for _ in range(3)])
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    decided = await store.decide_number("CN:13800000001", Decision.reject, actor="mod", note="spam wave")
    assert [r.id for r in decided] == [reports[1].id, reports[2].id]
    assert [(await store.get_report(r.id)).status for r in reports] == [
        ReportStatus.approved, ReportStatus.rejected, ReportStatus.rejected]
    with pytest.raises(NotFound):
        await store.decide_number("CN:13800000001", Decision.reject, actor="mod", note=None)


async def test_report_facts_page_through_every_report_in_id_order(store: Store) -> None:
    reports = await store.add_reports([new_report("CN:13800000001", api_key_id=3), new_report("CN:13800000001"),
                                       new_report("CN:13800000002", source="partner", source_weight=0.5)])
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    await store.decide_report(reports[1].id, Decision.reject, actor="mod", note=None)
    facts = [tuple(fact) for fact in await store.report_facts()]
    assert [f[:7] + f[8:] for f in facts] == [
        (r.id, r.number_key, r.reporter_hash, "client-1", voice, "refund_scam", status, weight)
        for r, voice, status, weight in zip(reports, (1, 0, 1), ("approved", "rejected", "pending"), (1.0, 1.0, 0.5), strict=True)]
    assert [dt.datetime.fromisoformat(f[7]) for f in facts] == [r.created_at for r in reports]
    assert [tuple(f) for f in await store.report_facts(after_id=reports[0].id, limit=1)] == [facts[1]]
    assert await store.report_facts(after_id=reports[2].id) == []
    assert await store.report_counts() == {"approved": 1, "rejected": 1, "pending": 1}


async def test_imported_evidence_is_stored_once_per_source_row(store: Store) -> None:
    def imported(ref: str) -> NewReport:
        return new_report("CN:13800000001", source="partner-feed", source_weight=0.5, source_ref=ref)

    first = await store.import_reports([imported("row-1"), imported("row-2")])
    assert [r.source_ref for r in first] == ["row-1", "row-2"]
    again = await store.import_reports([imported("row-2"), imported("row-3")])
    assert [r.source_ref for r in again] == ["row-3"]
    assert await store.get_report(again[0].id) == again[0]
    await store.add_reports([new_report("CN:13800000001"), new_report("CN:13800000001")])  # no source_ref: no clash
    assert await store.report_counts() == {"pending": 5}


async def test_the_blocklist_keeps_a_versioned_feed_of_its_changes(store: Store) -> None:
    assert (await store.blocklist_keys(), await store.blocklist_version()) == (set(), 0)
    assert await store.apply_blocklist(["CN:2", "CN:1"], []) == 2
    assert await store.apply_blocklist(["CN:2", "CN:3"], ["CN:1", "CN:9"]) == 4  # known and unknown keys
    assert await store.apply_blocklist(["CN:3"], []) == 4  # nothing new: same version
    assert await store.blocklist_keys() == {"CN:2", "CN:3"}
    assert await store.blocklist_version() == 4
    assert await store.blocklist_changes(0) == [(1, "CN:1", "add"), (2, "CN:2", "add"), (3, "CN:1", "remove"),
                                                (4, "CN:3", "add")]
    assert await store.blocklist_changes(2, limit=1) == [(3, "CN:1", "remove")]
    assert await store.blocklist_entries() == [("CN:2", 2), ("CN:3", 4)]
    assert await store.blocklist_entries(after_key="CN:2") == [("CN:3", 4)]


async def test_a_reachable_database_answers_a_ping(store: Store) -> None:
    await store.ping()


# -- appeals ---------------------------------------------------------------------------------------------

def appeal_for(number_key: str) -> NewAppeal:
    return NewAppeal(number_key=number_key, number=number_key.split(":")[-1], statement="这是我们的正规客服号码",
                     contact="ops@example.com", client_hash="client-9")


async def test_appeals_are_listed_by_status_and_number_oldest_first(store: Store) -> None:
    first = await store.add_appeal(appeal_for("CN:13800000001"))
    second = await store.add_appeal(appeal_for("CN:13800000002"))
    assert await store.get_appeal(first.id) == first
    assert [a.id for a in await store.list_appeals(ALL)] == [first.id, second.id]
    assert [a.id for a in await store.list_appeals(ALL, number_key="CN:13800000002")] == [second.id]
    await store.decide_appeal(first.id, AppealDecision.uphold, actor="mod", note=None)
    assert [a.id for a in await store.list_appeals(ALL)] == [second.id]
    assert [a.id for a in await store.list_appeals(ALL, status=AppealStatus.upheld)] == [first.id]
    assert [a.id for a in await store.list_appeals(ALL, status=None)] == [first.id, second.id]
    with pytest.raises(NotFound):
        await store.get_appeal(second.id + 1000)


async def test_lifting_an_appeal_overturns_only_the_approved_reports(store: Store) -> None:
    approved, rejected, pending = await store.add_reports([new_report("CN:13800000001") for _ in range(3)])
    [elsewhere] = await store.add_reports([new_report("CN:13800000002")])
    await store.decide_report(approved.id, Decision.approve, actor="mod", note=None)
    await store.decide_report(rejected.id, Decision.reject, actor="mod", note=None)
    await store.decide_report(elsewhere.id, Decision.approve, actor="mod", note=None)
    appeal = await store.add_appeal(appeal_for("CN:13800000001"))

    lifted, overturned = await store.decide_appeal(appeal.id, AppealDecision.lift, actor="admin", note="verified")
    assert overturned == [approved.id]
    assert (lifted.status, lifted.decided_by, lifted.decision_note) == (AppealStatus.lifted, "admin", "verified")
    assert await store.get_appeal(appeal.id) == lifted
    now_approved = await store.get_report(approved.id)
    assert (now_approved.status, now_approved.decision_note) == (ReportStatus.overturned, f"appeal {appeal.id} lifted")
    assert [(await store.get_report(r.id)).status for r in (rejected, pending, elsewhere)] == [
        ReportStatus.rejected, ReportStatus.pending, ReportStatus.approved]
    [entry] = await store.list_audit(ALL, action="appeal.lift")
    assert entry.after is not None and entry.after["overturned_reports"] == [approved.id]


async def test_an_appeal_is_decided_once(store: Store) -> None:
    [report] = await store.add_reports([new_report("CN:13800000001")])
    await store.decide_report(report.id, Decision.approve, actor="mod", note=None)
    appeal = await store.add_appeal(appeal_for("CN:13800000001"))
    upheld, overturned = await store.decide_appeal(appeal.id, AppealDecision.uphold, actor="mod", note=None)
    assert (upheld.status, overturned) == (AppealStatus.upheld, [])
    assert (await store.get_report(report.id)).status is ReportStatus.approved
    with pytest.raises(Conflict, match="already decided"):
        await store.decide_appeal(appeal.id, AppealDecision.lift, actor="mod", note=None)
    with pytest.raises(NotFound):
        await store.decide_appeal(appeal.id + 1000, AppealDecision.lift, actor="mod", note=None)


# -- users, sessions, API keys -------------------------------------------------------------------------

async def test_users_are_created_once_and_listed_in_byte_order(store: Store) -> None:
    ada = await store.add_user("ada", "hash-1", Role.admin, actor="root")
    assert (ada.username, ada.role, ada.disabled) == ("ada", Role.admin, False)
    await store.add_user("Zed", "hash-2", Role.moderator, actor="root")
    await store.add_user("bob", "hash-3", Role.moderator, actor="root")
    with pytest.raises(Conflict):
        await store.add_user("ada", "hash-4", Role.moderator, actor="root")
    assert [u.username for u in await store.list_users()] == ["Zed", "ada", "bob"]  # like sorted(): byte order
    assert await store.user_credentials("ada") == (ada, "hash-1")
    assert await store.user_credentials("nobody") is None
    await store.set_password_hash(ada.id, "stronger")
    assert await store.user_credentials("ada") == (ada, "stronger")
    assert [e.target_id for e in await store.list_audit(ALL, action="user.add")] == ["bob", "Zed", "ada"]


async def test_a_session_lives_until_it_expires_or_is_deleted(store: Store) -> None:
    user = await store.add_user("ada", "hash", Role.admin, actor="root")
    now = dt.datetime.now(dt.UTC)
    later = now + dt.timedelta(hours=8)
    await store.add_session("live", user.id, "web", later, csrf_token="csrf-1")
    session = await store.get_session("live")
    assert session is not None
    assert (session.user, session.kind, session.csrf_token, session.expires_at) == (user, "web", "csrf-1", later)
    await store.db.execute(
        "INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        ("old", user.id, "api", as_text(now - dt.timedelta(hours=9)), as_text(now - dt.timedelta(hours=1))))
    assert await store.get_session("old") is None  # expired: never returned...
    await store.add_session("next", user.id, "api", later)  # ...and swept when the next session is added
    assert await count(store, "SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?", ("old",)) == 0
    await store.delete_session("live")
    assert await store.get_session("live") is None
    assert await store.get_session("next") is not None


async def test_disabling_a_user_ends_their_sessions(store: Store) -> None:
    user = await store.add_user("ada", "hash", Role.moderator, actor="root")
    await store.add_session("token", user.id, "api", dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    await store.disable_user("ada", actor="root")
    assert await store.get_session("token") is None
    assert await count(store, "SELECT COUNT(*) AS n FROM sessions") == 0
    found = await store.user_credentials("ada")
    assert found is not None and found[0].disabled
    [entry] = await store.list_audit(ALL, action="user.disable")
    assert (entry.before, entry.after) == ({"disabled": False}, {"disabled": True})
    with pytest.raises(NotFound):
        await store.disable_user("nobody", actor="root")


async def test_api_keys_are_unique_counted_and_revoked(store: Store) -> None:
    key = await store.add_api_key("partner", "hash-1", "hv_1", 600, actor="admin")
    assert (key.name, key.prefix, key.rate_limit, key.usage_count, key.revoked_at) == ("partner", "hv_1", 600, 0, None)
    with pytest.raises(Conflict):
        await store.add_api_key("partner", "hash-2", "hv_2", 600, actor="admin")
    with pytest.raises(Conflict):  # the same secret under another name
        await store.add_api_key("copycat", "hash-1", "hv_1", 600, actor="admin")
    other = await store.add_api_key("bank", "hash-3", "hv_3", 60, actor="admin")
    assert await store.api_key_by_hash("hash-1") == key
    assert await store.api_key_by_hash("nope") is None
    assert [k.name for k in await store.list_api_keys()] == ["bank", "partner"]

    await store.add_api_key_usage({key.id: 3, other.id: 1})
    await store.add_api_key_usage({key.id: 2})
    await store.add_api_key_usage({})
    assert {k.name: k.usage_count for k in await store.list_api_keys()} == {"bank": 1, "partner": 5}

    await store.revoke_api_key("partner", actor="admin")
    revoked = await store.api_key_by_hash("hash-1")
    assert revoked is not None and revoked.revoked_at is not None
    with pytest.raises(NotFound):
        await store.revoke_api_key("nobody", actor="admin")
    assert [e.action for e in await store.list_audit(ALL, target_type="api_key", target_id="partner")] == [
        "apikey.revoke", "apikey.create"]


# -- the audit log ------------------------------------------------------------------------------------------

async def test_the_audit_log_filters_newest_first_and_pages(store: Store) -> None:
    for name in ("a", "b", "c"):
        await store.add_user(name, "hash", Role.moderator, actor="root")
    await store.add_api_key("partner", "hash-1", "hv_1", 60, actor="admin")
    everything = await store.list_audit(ALL)
    assert [e.target_id for e in everything] == ["partner", "c", "b", "a"]
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert [e.target_id for e in await store.list_audit(ALL, actor="root")] == ["c", "b", "a"]
    assert [e.target_id for e in await store.list_audit(ALL, target_type="user", target_id="b")] == ["b"]
    assert [e.target_id for e in await store.list_audit(Page(number=2, size=3))] == ["a"]
    assert everything[0].at <= dt.datetime.now(dt.UTC)


async def test_the_audit_log_refuses_changes_and_deletions(store: Store) -> None:
    await store.add_user("ada", "hash", Role.admin, actor="root")
    before = await store.list_audit(ALL)
    with pytest.raises(Conflict, match="append-only"):
        await store.db.execute("UPDATE audit_log SET actor = ?", ("someone else",))
    with pytest.raises(Conflict, match="append-only"):
        await store.db.execute("DELETE FROM audit_log")
    with pytest.raises(Conflict, match="append-only"):
        async with store.db.transaction() as tx:
            await tx.execute("DELETE FROM audit_log WHERE actor = ?", ("root",))
    assert await store.list_audit(ALL) == before


# -- several writers at once (several server processes) -------------------------------------------------------

async def test_many_concurrent_report_batches_all_land(store: Store) -> None:
    batches = [[new_report(f"CN:1380000{i:04d}"), new_report(f"CN:1380000{i:04d}")] for i in range(40)]
    stored = await asyncio.gather(*(store.add_reports(batch) for batch in batches))
    ids = [r.id for batch in stored for r in batch]
    assert len(set(ids)) == 80
    assert await store.report_counts() == {"pending": 80}
    assert sorted(tuple(f)[0] for f in await store.report_facts()) == sorted(ids)


async def test_two_processes_deciding_one_report_at_once_cannot_both_win(make_store: MakeStore) -> None:
    one, two = await make_store(), await make_store()
    for _ in range(5):
        [report] = await one.add_reports([new_report("CN:13800000001")])
        outcomes = await asyncio.gather(one.decide_report(report.id, Decision.approve, actor="mod-1", note=None),
                                        two.decide_report(report.id, Decision.reject, actor="mod-2", note=None),
                                        return_exceptions=True)
        assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Report"], outcomes
        assert len(await one.list_audit(ALL, target_type="report", target_id=str(report.id))) == 1


async def test_two_processes_importing_at_once_store_the_registry_once(
        make_store: MakeStore, registry_orgs: list[Organization]) -> None:
    one, two = await make_store(), await make_store()
    orgs = registry_orgs[:20]
    results = await asyncio.gather(one.import_registry(orgs, official_key), two.import_registry(orgs, official_key))
    assert sorted(r.organizations_created for r in results) == [0, len(orgs)]
    assert await two.load_organizations() == sorted(orgs, key=lambda o: o.id)
    assert await count(one, "SELECT COUNT(*) AS n FROM audit_log WHERE action = ?",
                       ("registry.organization.create",)) == len(orgs)


async def test_concurrent_edits_of_one_organisation_both_survive(make_store: MakeStore) -> None:
    one, two = await make_store(), await make_store()
    await one.create_organization(demo_org("demo-bank"), official_key, actor="admin")
    for round_ in range(5):
        await asyncio.gather(one.update_organization("demo-bank", {"name_en": f"Bank {round_}"}, actor="a"),
                             two.update_organization("demo-bank", {"aliases": [f"别名{round_}"]}, actor="b"))
        [org] = await one.load_organizations()
        assert (org.name_en, org.aliases) == (f"Bank {round_}", [f"别名{round_}"])


# -- SQLite specifics that the contract relies on ------------------------------------------------------------

async def test_a_sqlite_database_is_one_file_that_other_tools_can_read(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"
    store = open_store(f"sqlite:///{path}")
    await store.open()
    await store.close()
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [m.name for m in migrations_for("sqlite")]

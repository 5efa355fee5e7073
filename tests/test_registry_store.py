"""The registry in a real SQLite file: migrations, idempotent and atomic import, export round trips."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from registry.default import default_registry_path, load_default_registry
from registry.formats import RegistryFormatError, dump_csv, dump_json, read_registry
from registry.migrations import migrations_for
from registry.models import OfficialNumber
from registry.sqlite_db import SqliteDatabase
from registry.store import Store
from verifier.knowledge import official_key


@pytest.fixture
async def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store(SqliteDatabase(tmp_path / "registry.sqlite3"))
    await s.open()
    yield s
    await s.close()


async def test_opening_a_new_database_applies_and_records_every_migration(store: Store) -> None:
    assert await store.applied_migrations() == [m.name for m in migrations_for("sqlite")]
    assert await store.registry_is_empty()


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    for _ in range(2):
        s = Store(SqliteDatabase(tmp_path / "again.sqlite3"))
        await s.open()
        await s.close()
    with sqlite3.connect(tmp_path / "again.sqlite3") as db:
        names = [row[0] for row in db.execute("SELECT name FROM schema_migrations")]
    assert names == [m.name for m in migrations_for("sqlite")]


async def test_importing_the_same_registry_twice_changes_nothing_the_second_time(store: Store) -> None:
    orgs = load_default_registry(official_key)
    first = await store.import_registry(orgs, official_key)
    assert first.organizations_created == len(orgs)
    assert first.numbers_created == sum(len(o.numbers) for o in orgs)
    second = await store.import_registry(orgs, official_key)
    assert not second.changed
    assert second.unchanged == first.organizations_created + first.numbers_created


async def test_an_import_that_fails_midway_leaves_nothing_behind(store: Store) -> None:
    orgs = load_default_registry(official_key)
    seen = 0

    def failing_key(number: OfficialNumber) -> str:
        nonlocal seen
        seen += 1
        if seen == 10:
            raise RuntimeError("disk went away")
        return official_key(number)

    with pytest.raises(RuntimeError):
        await store.import_registry(orgs, failing_key)
    assert await store.registry_is_empty()


async def test_changed_records_are_updated_in_place(store: Store) -> None:
    orgs = load_default_registry(official_key)[:3]
    await store.import_registry(orgs, official_key)
    changed = orgs[0].model_copy(update={"name_en": "Renamed"})
    result = await store.import_registry([changed], official_key)
    assert result.organizations_updated == 1 and result.numbers_updated == 0
    loaded = {o.id: o for o in await store.load_organizations()}
    assert loaded[orgs[0].id].name_en == "Renamed"


async def test_json_export_reads_back_to_the_same_registry(store: Store, tmp_path: Path) -> None:
    orgs = load_default_registry(official_key)
    await store.import_registry(orgs, official_key)
    exported = tmp_path / "export.json"
    exported.write_text(dump_json(await store.load_organizations()), encoding="utf-8")
    assert read_registry(exported, official_key) == sorted(orgs, key=lambda o: o.id)


async def test_csv_export_reads_back_to_the_same_registry(store: Store, tmp_path: Path) -> None:
    orgs = load_default_registry(official_key)
    await store.import_registry(orgs, official_key)
    exported = tmp_path / "export.csv"
    exported.write_text(dump_csv(await store.load_organizations()), encoding="utf-8")
    back = read_registry(exported, official_key)
    assert [o.model_dump() for o in back] == [o.model_dump() for o in sorted(orgs, key=lambda o: o.id)]


def _document(numbers: list[dict[str, object]]) -> dict[str, object]:
    return {"format": "hotline-verifier-registry", "version": 1,
            "organizations": [{"id": "demo", "name": "示例银行", "category": "bank", "numbers": numbers}]}


def test_a_bad_json_field_is_named_with_file_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document([
        {"number": "95588", "confidence": "official_page", "source_note": "x"},
        {"number": "95589", "confidence": "very_sure", "source_note": "x"},
    ])), encoding="utf-8")
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("bad.json", "organizations[0].numbers[1]", "confidence")
    assert "bad.json: row organizations[0].numbers[1]: field 'confidence'" in str(caught.value)


def test_a_number_that_is_no_number_rejects_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document([{"number": "call us", "confidence": "official_page"}])), encoding="utf-8")
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    assert caught.value.problems[0].field == "number"


def test_a_bad_csv_cell_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "org_id,org_name,org_category,number,channel,confidence\n"
        "demo,示例银行,bank,95588,hotline,official_page\n"
        "demo,示例银行,bank,95589,carrier_pigeon,official_page\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("bad.csv", "3", "channel")


def test_csv_rows_of_one_organisation_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "org_id,org_name,number,confidence\n"
        "demo,示例银行,95588,official_page\n"
        "demo,另一个名字,95589,official_page\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    assert caught.value.problems[0].field == "org_name"


def test_the_same_number_twice_for_one_organisation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(_document([
        {"number": "95588", "confidence": "official_page"},
        {"number": "955-88", "confidence": "official_page"},
    ])), encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="repeats"):
        read_registry(path, official_key)


def test_the_shipped_registry_reads_without_problems() -> None:
    assert read_registry(default_registry_path(), official_key)

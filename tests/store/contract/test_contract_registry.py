"""The store's contract, the official registry: imports (idempotent, audited, atomic, additive),
exports that read back, and editing organisations and their numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.formats import dump_csv, dump_json, read_registry
from registry.models import Confidence, OfficialNumber, Organization
from registry.store import Conflict, NotFound, Store
from tests.store.contract.conftest import ALL, demo_org
from verifier.core.knowledge import official_key


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
    # what is compared holds every channel and main hotlines (issue 19), not only defaults
    assert {n.channel.value for o in registry_orgs for n in o.numbers} == {
        "hotline", "credit_card", "overseas", "sms_sender", "outbound"}
    assert any(n.main for o in registry_orgs for n in o.numbers)
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

"""The store's contract with several writers at once (several server processes on one database):
every write lands, a decision is taken once, concurrent edits of one organisation both survive."""

from __future__ import annotations

import asyncio

from registry.models import Organization
from registry.records import Decision
from registry.store import Store
from tests.store.conftest import MakeStore, new_report
from tests.store.contract.conftest import ALL, count, demo_org
from verifier.core.knowledge import official_key


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

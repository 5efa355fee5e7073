"""The store's contract, appeals: listed by status and number, decided once, lifting overturns
only the approved reports."""

from __future__ import annotations

import pytest

from registry.records import AppealDecision, AppealStatus, Decision, NewAppeal, ReportStatus
from registry.store import Conflict, NotFound, Store
from tests.store.conftest import new_report
from tests.store.contract.conftest import ALL, count


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


async def test_contacts_in_the_clear_are_sealed_once_and_sealed_ones_are_left_alone(store: Store) -> None:
    from verifier.ops.crypto import Sealer  # the service's sealer; the store only takes its function

    sealer = Sealer(b"a test secret key of 32 bytes!!!", "appeal contacts")
    clear = await store.add_appeal(appeal_for("CN:13800000001"))
    already = await store.add_appeal(appeal_for("CN:13800000002").model_copy(
        update={"contact": sealer.seal("13812349876")}))
    assert await store.seal_appeal_contacts(sealer.seal, Sealer.PREFIX) == 1
    sealed = (await store.get_appeal(clear.id)).contact
    assert Sealer.is_sealed(sealed) and sealer.open(sealed) == "ops@example.com"
    assert (await store.get_appeal(already.id)).contact == already.contact
    assert await store.seal_appeal_contacts(sealer.seal, Sealer.PREFIX) == 0  # idempotent
    assert (await store.get_appeal(clear.id)).contact == sealed
    assert await count(store, "SELECT COUNT(*) AS n FROM appeals WHERE contact LIKE ?", ("%example.com%",)) == 0

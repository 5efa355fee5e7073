"""The store's contract, reports: stored as sent, the moderation queue, decisions, the facts the
in-memory book is built from, imported evidence and the blocklist feed."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.records import Decision, NewReport, Page, ReportCategory, ReportStatus
from registry.store import Conflict, NotFound, Store
from tests.store.conftest import new_report
from tests.store.contract.conftest import ALL


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


async def test_reports_are_read_by_id_in_the_order_asked(store: Store) -> None:
    """The moderation queue's page: ranked in memory (verifier/state/queue.py), read by id."""
    reports = await store.add_reports([new_report(f"CN:1380000000{n % 3}") for n in range(7)])
    wanted = [reports[5].id, reports[0].id, reports[3].id + 1000, reports[2].id]
    assert [r.id for r in await store.reports_by_ids(wanted)] == [reports[5].id, reports[0].id, reports[2].id]
    assert await store.reports_by_ids([]) == []
    many = await store.add_reports([new_report("CN:13800000009") for _ in range(600)])
    assert [r.id for r in await store.reports_by_ids([r.id for r in many][::-1])] == [r.id for r in many][::-1]


async def test_decided_reports_come_newest_first_and_filter(store: Store) -> None:
    reports = await store.add_reports([new_report("CN:13800000001") for _ in range(3)]
                                      + [new_report("CN:13800000002", category=ReportCategory.loan_scam)])
    for report in reports:
        await store.decide_report(report.id, Decision.approve if report.id != reports[1].id else Decision.reject,
                                  actor="mod", note=None)
    approved = await store.decided_reports(ALL, status=ReportStatus.approved)
    assert [r.id for r in approved] == [reports[3].id, reports[2].id, reports[0].id]
    assert [r.id for r in await store.decided_reports(ALL, status=ReportStatus.approved,
                                                      number_key="CN:13800000001")] == [reports[2].id, reports[0].id]
    assert [r.id for r in await store.decided_reports(ALL, status=ReportStatus.approved,
                                                      category=ReportCategory.loan_scam)] == [reports[3].id]
    assert [r.id for r in await store.decided_reports(Page(number=2, size=2), status=ReportStatus.approved)] == [
        reports[0].id]
    assert [r.id for r in await store.decided_reports(ALL, status=ReportStatus.rejected)] == [reports[1].id]


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
                                       new_report("CN:13800000002", source="partner", source_weight=0.5),
                                       new_report("CN:13800000002", api_key_id=3, voice_hash="key-voice")])
    await store.decide_report(reports[0].id, Decision.approve, actor="mod", note=None)
    await store.decide_report(reports[1].id, Decision.reject, actor="mod", note=None)
    facts = [tuple(fact) for fact in await store.report_facts()]
    # each report's voice and origin, as verifier/core/voices.py decides them
    voices = (reports[0].reporter_hash, "client-1", reports[2].reporter_hash, "key-voice")
    origins = ("key:3", "client-1", reports[2].reporter_hash, "key:3")
    assert [f[:7] + f[8:] for f in facts] == [
        (r.id, r.number_key, r.reporter_hash, voice, origin, "refund_scam", status, weight)
        for r, voice, origin, status, weight in zip(reports, voices, origins,
                                                    ("approved", "rejected", "pending", "pending"),
                                                    (1.0, 1.0, 0.5, 1.0), strict=True)]
    assert [dt.datetime.fromisoformat(f[7]) for f in facts] == [r.created_at for r in reports]
    assert [tuple(f) for f in await store.report_facts(after_id=reports[0].id, limit=1)] == [facts[1]]
    assert await store.report_facts(after_id=reports[3].id) == []
    assert await store.report_counts() == {"approved": 1, "rejected": 1, "pending": 2}


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


async def test_importing_rows_again_with_another_weight_changes_it_logged_and_audited(store: Store) -> None:
    def imported(ref: str, weight: float, source: str = "police") -> NewReport:
        return new_report(f"CN:1380000000{ref[-1]}", source=source, source_weight=weight, source_ref=ref)

    first = await store.import_evidence([imported("row-1", 0.5), imported("row-2", 0.5), imported("row-2", 3, "other")])
    assert (len(first.stored), first.already, first.reweighed) == (3, 0, [])
    seq = (await store.change_marks()).change_seq
    same = await store.import_evidence([imported("row-1", 0.5), imported("row-2", 0.5)])
    assert (same.stored, same.already, same.reweighed) == ([], 2, [])
    kept = await store.import_evidence([imported("row-1", 3.0)], reweigh=False)
    assert (kept.already, kept.reweighed) == (1, [])
    again = await store.import_evidence([imported("row-1", 3.0), imported("row-2", 3.0), imported("row-3", 3.0)],
                                        actor="cli")
    assert [r.source_ref for r in again.stored] == ["row-3"] and again.already == 2
    assert [(c.id, c.number_key, c.source, c.before, c.after) for c in again.reweighed] == [
        (first.stored[0].id, "CN:13800000001", "police", 0.5, 3.0), (first.stored[1].id, "CN:13800000002", "police", 0.5, 3.0)]
    assert [(await store.get_report(r.id)).source_weight for r in first.stored] == [3.0, 3.0, 3.0]
    assert (await store.report_changes_since(seq)).keys == {"CN:13800000001", "CN:13800000002"}  # a catch-up sees it
    [entry] = await store.list_audit(Page(size=10), action="import.reweigh")
    assert (entry.actor, entry.target_type, entry.target_id) == ("cli", "import_source", "police")
    assert (entry.before, entry.after) == ({"weights": {"0.5": 2}}, {"weight": 3.0, "reports": 2})


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

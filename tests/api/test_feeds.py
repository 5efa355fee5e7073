"""The blocklist feed for call blockers, and the k-anonymity private lookup."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from registry.backends import open_store
from tests.conftest import assert_problem, from_address, login_as
from verifier.core.numbers.reading import normalise
from verifier.state.service import Service


async def _report(client: Any, number: str, address: str = "198.51.100.1") -> int:
    response = await client.post("/api/v1/reports", json={"number": number, "category": "refund_scam"},
                                 headers=from_address(address))
    return (await response.json())["id"]


async def test_blocklist_full_export_then_incremental_changes_with_removals(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    empty = await (await client.get("/api/v1/blocklist")).json()
    assert empty["full"] is True and empty["numbers"] == [] and empty["version"] == 0

    first, second = await _report(client, "13911112222"), await _report(client, "13933334444")
    for report_id in (first, second):
        await client.post(f"/api/v1/moderation/reports/{report_id}/decision", json={"decision": "approve"},
                          headers=moderator)
    full = await (await client.get("/api/v1/blocklist")).json()
    assert sorted(n["key"] for n in full["numbers"]) == ["+8613911112222", "+8613933334444"]
    assert full["more"] is False and full["next_since"] == full["version"] == 2

    appeal = await client.post("/api/v1/appeals", json={"number": "13911112222", "statement": "my own mobile, really",
                                                        "contact": "me@example.org"})
    appeal_id = (await appeal.json())["id"]
    await client.post(f"/api/v1/moderation/appeals/{appeal_id}/decision", json={"decision": "lift"}, headers=moderator)
    third = await _report(client, "13955556666")
    await client.post(f"/api/v1/moderation/reports/{third}/decision", json={"decision": "approve"}, headers=moderator)

    changes = await (await client.get("/api/v1/blocklist", params={"since": full["version"]})).json()
    assert changes["full"] is False
    assert [n["key"] for n in changes["added"]] == ["+8613955556666"]
    assert changes["removed"] == ["+8613911112222"]
    assert changes["version"] == changes["next_since"] == 4
    nothing = await (await client.get("/api/v1/blocklist", params={"since": changes["version"]})).json()
    assert nothing["added"] == [] and nothing["removed"] == []


async def test_blocklist_full_export_pages_by_key(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    for number in ("13900000001", "13900000002", "13900000003"):
        await _report(client, number)
        await client.post("/api/v1/moderation/numbers/decision", json={"number": number, "decision": "approve"},
                          headers=moderator)
    page1 = await (await client.get("/api/v1/blocklist", params={"limit": 2})).json()
    assert len(page1["numbers"]) == 2 and page1["more"] is True
    page2 = await (await client.get("/api/v1/blocklist", params={"limit": 2, "after": page1["next_after"]})).json()
    assert [n["key"] for n in page1["numbers"] + page2["numbers"]] == [
        "+8613900000001", "+8613900000002", "+8613900000003"]
    assert page2["more"] is False


async def test_an_official_number_never_enters_the_blocklist(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    await _report(client, "95588")
    await client.post("/api/v1/moderation/numbers/decision", json={"number": "95588", "decision": "approve"},
                      headers=moderator)
    assert (await (await client.get("/api/v1/blocklist")).json())["numbers"] == []


async def test_a_client_side_private_lookup_agrees_with_verify(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    report_id = await _report(client, "13977778888")
    await client.post(f"/api/v1/moderation/reports/{report_id}/decision", json={"decision": "approve"},
                      headers=moderator)
    for raw in ("95588", "13977778888", "400-820-5555", "956186"):
        key = normalise(raw).key  # what a client computes, with the same library
        digest = hashlib.sha256(key.encode()).hexdigest()
        bucket = await (await client.get(f"/api/v1/verify/prefix/{digest[:5]}")).json()
        entry = next(e for e in bucket["entries"] if e["hash"] == digest)
        verified = await (await client.get("/api/v1/verify", params={"number": raw})).json()
        assert entry["verdict"] == verified["verdict"], raw
        assert entry["risk_score"] == verified["risk_score"]
        assert all(e["hash"].startswith(digest[:5]) for e in bucket["entries"])
        assert "key" not in entry  # only hashes go back


async def test_a_number_nobody_knows_is_absent_from_its_bucket(client: Any) -> None:
    digest = hashlib.sha256(b"+8613012345678").hexdigest()
    bucket = await (await client.get(f"/api/v1/verify/prefix/{digest[:6]}")).json()
    assert digest not in [e["hash"] for e in bucket["entries"]]


async def test_a_bad_prefix_is_refused(client: Any) -> None:
    for bad in ("abc", "abcdefg", "zzzz", "12%2034"):
        await assert_problem(await client.get(f"/api/v1/verify/prefix/{bad}"), 422)


def _digest(raw: str) -> str:
    return hashlib.sha256(normalise(raw).key.encode()).hexdigest()


async def _in_bucket(client: Any, raw: str) -> bool:
    digest = _digest(raw)
    bucket = await (await client.get(f"/api/v1/verify/prefix/{digest[:6]}")).json()
    return digest in [entry["hash"] for entry in bucket["entries"]]


async def test_a_number_whose_reports_were_all_rejected_or_overturned_leaves_its_bucket(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    first = await _report(client, "13922223333", "198.51.100.1")
    second = await _report(client, "13922223333", "198.51.100.2")
    assert await _in_bucket(client, "13922223333")  # the index is built, with the pending reports
    await client.post(f"/api/v1/moderation/reports/{first}/decision", json={"decision": "reject"}, headers=moderator)
    assert await _in_bucket(client, "13922223333")  # one live report left
    await client.post(f"/api/v1/moderation/reports/{second}/decision", json={"decision": "reject"}, headers=moderator)
    assert not await _in_bucket(client, "13922223333")
    await _report(client, "13922223333", "198.51.100.3")  # fresh live evidence brings it back
    assert await _in_bucket(client, "13922223333")

    approved = await _report(client, "13944445555")
    await client.post(f"/api/v1/moderation/reports/{approved}/decision", json={"decision": "approve"},
                      headers=moderator)
    assert await _in_bucket(client, "13944445555")
    appeal = await client.post("/api/v1/appeals", json={"number": "13944445555", "statement": "my own mobile, really",
                                                        "contact": "me@example.org"})
    await client.post(f"/api/v1/moderation/appeals/{(await appeal.json())['id']}/decision", json={"decision": "lift"},
                      headers=moderator)
    assert not await _in_bucket(client, "13944445555")  # overturned: no live evidence

    await _report(client, "95588")  # an official number stays, whatever happens to its reports
    await client.post("/api/v1/moderation/numbers/decision", json={"number": "95588", "decision": "reject"},
                      headers=moderator)
    assert await _in_bucket(client, "95588")


async def test_a_number_with_only_rejected_reports_is_absent_after_a_restart(make_client: Any, tmp_path: Path) -> None:
    client = await make_client(trust_forwarded_for=True)
    moderator = await login_as(client, "moderator")
    await _report(client, "13966667777")
    await client.post("/api/v1/moderation/numbers/decision", json={"number": "13966667777", "decision": "reject"},
                      headers=moderator)
    await _report(client, "13988889999")  # pending: stays
    await client.close()  # writes the snapshots: the next start restores the book packed from them

    for snapshots in (True, False):  # from the snapshot (numbers packed), then from every row
        service = Service(open_store(str(tmp_path / "verifier.sqlite3")), snapshots=snapshots)
        await service.start()
        try:
            assert (service.started_from["reports"] == "snapshot") == snapshots
            keys = {key for _, key in service.bucket(_digest("13966667777")[:6])}
            assert normalise("13966667777").key not in keys, snapshots
            keys = {key for _, key in service.bucket(_digest("13988889999")[:6])}
            assert normalise("13988889999").key in keys, snapshots
        finally:
            await service.stop()

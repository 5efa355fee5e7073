"""The store's contract, the audit log: filtered newest first, paged, append-only."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.records import Page, Role
from registry.store import Conflict, Store
from tests.store.contract.conftest import ALL


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

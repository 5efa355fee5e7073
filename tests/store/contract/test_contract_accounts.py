"""The store's contract, accounts: users, sessions and API keys."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.records import Role
from registry.store import Conflict, NotFound, Store
from registry.store.clock import as_text
from tests.store.contract.conftest import ALL, count


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

"""Who may do what: the route permission walk, logins, tokens and API keys (rate limits as callers
meet them: tests/limits/test_limits_over_http.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.records import Role
from tests.conftest import assert_problem, login_as
from verifier.http.app_keys import SERVICE
from verifier.http.io import operation_of
from verifier.ops.crypto import API_KEY_PREFIX, SESSION_PREFIX, Keyed, hash_password, new_token, token_digest


def protected_routes(app: Any) -> list[tuple[str, str, str]]:
    routes = []
    for route in app.router.routes():
        op = operation_of(route.handler)
        if op is None or op.auth is None or route.method == "HEAD":
            continue
        info = route.resource.get_info()
        path = re.sub(r"{(\w+)}", lambda m: "1" if m.group(1).endswith("_id") and m.group(1) != "org_id"
                      else "icbc" if m.group(1) == "org_id" else "CN:95588", info.get("formatter") or info["path"])
        routes.append((route.method, path, op.auth))
    return routes


async def _call(client: Any, method: str, path: str, headers: dict[str, str]) -> Any:
    return await client.request(method, path, json={}, headers=headers)


async def test_every_moderation_and_admin_route_refuses_strangers_and_moderators_get_no_admin(client: Any) -> None:
    routes = protected_routes(client.app)
    assert len(routes) >= 12
    assert {auth for _, _, auth in routes} == {"moderator", "admin"}
    store = client.app[SERVICE].store
    user = await store.add_user("expired-mod", hash_password("x" * 20), Role.moderator, actor="test")
    expired = new_token(SESSION_PREFIX)
    await store.add_session(token_digest(expired), user.id, "api", dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    for method, path, auth in routes:
        moderator = await login_as(client, "moderator")  # afresh: one of the routes is logout
        await assert_problem(await _call(client, method, path, {}), 401)
        wrong = {"Authorization": "Bearer " + new_token(SESSION_PREFIX)}
        await assert_problem(await _call(client, method, path, wrong), 401)
        await assert_problem(await _call(client, method, path, {"Authorization": f"Bearer {expired}"}), 401)
        if auth == "admin":
            await assert_problem(await _call(client, method, path, moderator), 403)
        else:
            response = await _call(client, method, path, moderator)
            assert response.status not in (401, 403), (method, path)


async def test_the_permission_walk_covers_every_moderation_and_admin_path(client: Any) -> None:
    paths = {path for _, path, _ in protected_routes(client.app)}
    for route in client.app.router.routes():
        info = route.resource.get_info()
        path = info.get("formatter") or info.get("path", "")
        if path.startswith("/api/") and ("/moderation/" in path or "/admin/" in path):
            assert operation_of(route.handler).auth is not None, path
    assert any("/admin/" in p for p in paths) and any("/moderation/" in p for p in paths)


async def test_logout_ends_the_token(client: Any) -> None:
    headers = await login_as(client, "moderator")
    assert (await client.get("/api/v1/moderation/reports", headers=headers)).status == 200
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status == 204
    await assert_problem(await client.get("/api/v1/moderation/reports", headers=headers), 401)


async def test_a_disabled_user_is_locked_out_at_once(client: Any) -> None:
    headers = await login_as(client, "moderator", "leaving")
    await client.app[SERVICE].store.disable_user("leaving", actor="test")
    await assert_problem(await client.get("/api/v1/moderation/reports", headers=headers), 401)
    refused = await client.post("/api/v1/auth/login", json={"username": "leaving", "password": "correct horse moderator battery"})
    await assert_problem(refused, 401)


async def test_login_token_is_random_and_stored_only_hashed(client: Any, tmp_path: Any) -> None:
    headers = await login_as(client, "moderator")
    token = headers["Authorization"].removeprefix("Bearer ")
    assert token.startswith(SESSION_PREFIX) and len(token) > 40
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("verifier.sqlite3"))
    assert token.encode() not in stored
    assert b"correct horse moderator battery" not in stored


async def test_passwords_are_hashed_with_argon2id(client: Any) -> None:
    await login_as(client, "moderator", "hash-check")
    _, stored_hash = await client.app[SERVICE].store.user_credentials("hash-check")
    assert stored_hash.startswith("$argon2id$") and "m=65536,t=3,p=4" in stored_hash


@pytest.fixture
async def api_key(client: Any) -> str:
    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key("wallet-app", token_digest(key), key[:10], 3, actor="test")
    return key


async def test_api_keys_work_in_either_header_with_their_own_limit(client: Any, api_key: str) -> None:
    assert (await client.get("/api/v1/verify", params={"number": "95588"},
                             headers={"Authorization": f"Bearer {api_key}"})).status == 200
    assert (await client.get("/api/v1/verify", params={"number": "95588"}, headers={"X-API-Key": api_key})).status == 200
    assert (await client.get("/api/v1/verify", params={"number": "95588"}, headers={"X-API-Key": api_key})).status == 200
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"},
                                          headers={"X-API-Key": api_key}), 429)
    assert (await client.get("/api/v1/verify", params={"number": "95588"})).status == 200  # anonymous still served


async def test_api_key_usage_is_counted(client: Any, api_key: str) -> None:
    await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 2}, headers={"X-API-Key": api_key})
    service = client.app[SERVICE]
    await service.flush_usage()
    [key] = await service.store.list_api_keys()
    assert key.usage_count == 2


async def test_unknown_and_revoked_api_keys_are_refused(client: Any) -> None:
    key = new_token(API_KEY_PREFIX)
    store = client.app[SERVICE].store
    await store.add_api_key("old-app", token_digest(key), key[:10], 100, actor="test")
    await store.revoke_api_key("old-app", actor="test")
    for token in (key, new_token(API_KEY_PREFIX), "not-a-key"):
        await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"},
                                              headers={"X-API-Key": token}), 401)


async def test_the_audit_log_refuses_changes(client: Any) -> None:
    from registry.store.errors import Conflict, StoreError

    store = client.app[SERVICE].store
    await store.add_user("someone", hash_password("y" * 20), Role.moderator, actor="test")
    with pytest.raises((Conflict, StoreError, Exception), match="append-only"):
        async with store.db.transaction() as tx:
            await tx.execute("UPDATE audit_log SET actor = 'nobody'")
    with pytest.raises(Exception, match="append-only"):
        async with store.db.transaction() as tx:
            await tx.execute("DELETE FROM audit_log")


@settings(max_examples=300, deadline=None)
@given(key=st.binary(min_size=16, max_size=200), domain=st.text(max_size=20), parts=st.lists(st.text(max_size=80), max_size=3))
def test_keyed_hashes_are_hmac_sha256_of_the_joined_parts(key: bytes, domain: str, parts: list[str]) -> None:
    message = "\x1f".join((domain, *parts)).encode("utf-8")
    assert Keyed(key).hash(domain, *parts) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_keyed_hashes_depend_on_the_key_and_keep_no_state_between_calls() -> None:
    one, other = Keyed(b"k" * 32), Keyed(b"K" * 32)
    first = one.hash("address", "203.0.113.9")
    assert one.hash("address", "203.0.113.9") == first != other.hash("address", "203.0.113.9")
    assert one.hash("address", "203.0.113.90") != first

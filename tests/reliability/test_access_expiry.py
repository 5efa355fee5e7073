"""Access that ends: logins that run out by time, API keys revoked while in use, and credentials
of one kind refused where another is needed. (The route permission walk, login throttling,
argon2 parameters and logout are in tests/test_access.py.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from registry.records import Role
from tests.conftest import assert_problem, login_as
from verifier.http.app_keys import SERVICE
from verifier.ops.crypto import API_KEY_PREFIX, hash_password, new_token, token_digest
from verifier.state import service as service_module

SESSION_HOURS = 0.0004  # 1.44 seconds


async def test_a_login_token_stops_working_when_its_time_is_up(make_client: Any) -> None:
    client = await make_client(session_hours=SESSION_HOURS)
    admin = await login_as(client, "admin")
    assert (await client.get("/api/v1/moderation/reports", headers=admin)).status == 200
    assert (await client.get("/api/v1/moderation/audit", headers=admin)).status == 200
    await asyncio.sleep(SESSION_HOURS * 3600 + 0.3)
    for method, path in (("GET", "/api/v1/moderation/reports"), ("GET", "/api/v1/moderation/audit"),
                         ("PATCH", "/api/v1/admin/organizations/icbc"), ("POST", "/api/v1/auth/logout")):
        problem = await assert_problem(await client.request(method, path, json={}, headers=admin), 401)
        assert "expired" in problem["detail"], (method, path)
    # logging in again works, and clears the ended sessions out of the store
    fresh = await login_as(client, "admin")
    assert (await client.get("/api/v1/moderation/reports", headers=fresh)).status == 200
    rows = await client.app[SERVICE].store.db.fetchall("SELECT expires_at FROM sessions")
    assert len(rows) == 1


async def test_an_api_key_in_use_stops_working_soon_after_it_is_revoked(client: Any, monkeypatch: Any) -> None:
    """Keys are looked up at most every API_KEY_CACHE_SECONDS (30 s); shortened here to wait less."""
    assert service_module.API_KEY_CACHE_SECONDS <= 30
    monkeypatch.setattr(service_module, "API_KEY_CACHE_SECONDS", 0.5)
    key = new_token(API_KEY_PREFIX)
    store = client.app[SERVICE].store
    await store.add_api_key("leaving-app", token_digest(key), key[:10], 1000, actor="test")
    for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        assert (await client.get("/api/v1/verify", params={"number": "95588"}, headers=headers)).status == 200
    report = await client.post("/api/v1/reports", json={"number": "13912345678", "category": "other",
                                                        "reporter_id": "u1"}, headers={"X-API-Key": key})
    assert report.status == 202
    await store.revoke_api_key("leaving-app", actor="test")
    await asyncio.sleep(0.6)
    for method, path, body in (("GET", "/api/v1/verify?number=95588", None),
                               ("POST", "/api/v1/verify/batch", {"items": [{"number": "95588"}]}),
                               ("POST", "/api/v1/reports", {"number": "13912345678", "category": "other"}),
                               ("GET", "/api/v1/blocklist", None)):
        for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
            problem = await assert_problem(await client.request(method, path, json=body, headers=headers), 401)
            assert "revoked" in problem["detail"]
    assert (await client.get("/api/v1/verify", params={"number": "95588"})).status == 200  # anonymous still served


async def test_an_api_key_is_not_a_login_and_a_login_is_not_an_api_key(client: Any) -> None:
    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key("an-app", token_digest(key), key[:10], 1000, actor="test")
    admin = await login_as(client, "admin")
    session_token = admin["Authorization"].removeprefix("Bearer ")
    for headers, cookies in (({"Authorization": f"Bearer {key}"}, {}), ({"X-API-Key": key}, {}),
                             ({}, {"hv_session": key})):
        await assert_problem(await client.get("/api/v1/moderation/reports", headers=headers, cookies=cookies), 401)
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"},
                                          headers={"X-API-Key": session_token}), 401)
    # nor as a bearer token on public operations, which take API keys only
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"}, headers=admin), 401)


async def test_a_forged_token_with_the_right_prefix_and_length_is_refused(client: Any) -> None:
    await login_as(client, "admin")
    for forged in (new_token("hvs_"), "hvs_" + "A" * 43, "hvs_", "hvs_' OR '1'='1"):
        await assert_problem(await client.get("/api/v1/moderation/reports",
                                              headers={"Authorization": f"Bearer {forged}"}), 401)
    for forged in (new_token("hvk_"), "hvk_" + "A" * 43, "hvk_' OR '1'='1"):
        await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"},
                                              headers={"X-API-Key": forged}), 401)


async def test_an_unknown_username_costs_the_same_password_check_as_a_wrong_password(
        make_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No telling which usernames exist by timing: an unknown user is checked against a dummy
    Argon2id hash made with the same parameters as real ones, not refused at once. (Checked by
    recording what Argon2 verified, not by a stopwatch: timings on a shared machine are noise.)"""
    from argon2 import PasswordHasher, extract_parameters

    from verifier.ops import crypto as secrets

    checked: list[str] = []

    class Recording(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 (argon2's name)
            checked.append(hash if isinstance(hash, str) else hash.decode())
            return super().verify(hash, password)

    monkeypatch.setattr(secrets, "_hasher", Recording.from_parameters(extract_parameters(secrets.DUMMY_HASH)))
    client = await make_client(login_failures_allowed=1000)
    real_hash = hash_password("the right password")
    await client.app[SERVICE].store.add_user("real-user", real_hash, Role.moderator, actor="test")

    for username in ("real-user", "nobody-by-this-name"):
        response = await client.post("/api/v1/auth/login", json={"username": username, "password": "wrong guess"})
        await assert_problem(response, 401)
    assert checked == [real_hash, secrets.DUMMY_HASH]
    assert extract_parameters(secrets.DUMMY_HASH) == extract_parameters(real_hash)

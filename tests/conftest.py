"""Shared fixtures: a real app on a real temporary SQLite file, and the one problem-check helper."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from registry.default import load_default_registry
from verifier.core.knowledge import Knowledge, official_key
from verifier.core.report_book import ReportBook
from verifier.http.app import create_app
from verifier.ops.settings import Settings


@pytest.fixture(scope="session")
def default_registry_knowledge() -> Knowledge:
    """The shipped default registry's part of a knowledge snapshot, built once per session
    (about 0.1 s). Take `default_knowledge` instead: this one's report book is shared."""
    return Knowledge.build(load_default_registry(official_key))


@pytest.fixture
def default_knowledge(default_registry_knowledge: Knowledge) -> Knowledge:
    """The knowledge snapshot of the shipped default registry, with a report book of its own:
    what one test records in it never reaches another."""
    return dataclasses.replace(default_registry_knowledge, reports=ReportBook())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=str(tmp_path / "verifier.sqlite3"))


@pytest.fixture
def make_client(aiohttp_client: Callable[..., Any], tmp_path: Path) -> Callable[..., Any]:
    async def make(**overrides: Any) -> TestClient[web.Request, web.Application]:
        overrides.setdefault("database", str(tmp_path / "verifier.sqlite3"))
        return await aiohttp_client(create_app(Settings(**overrides)))

    return make


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> TestClient[web.Request, web.Application]:
    return await make_client()


async def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The one check of the error shape: RFC 9457 problem+json naming the problem."""
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json(content_type=None)
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    if field is not None:
        fields = [error["field"] for error in body.get("errors", [])]
        assert any(f == field or f.startswith(field + ".") for f in fields), (field, body)
    return body


async def login_as(client: Any, role: str, username: str | None = None) -> dict[str, str]:
    """Create an account of `role` in the app's store, log in through the API, return auth headers."""
    from registry.records import Role
    from verifier.http.app_keys import SERVICE
    from verifier.ops.crypto import hash_password

    username = username or f"{role}-user"
    password = f"correct horse {role} battery"
    store = client.app[SERVICE].store
    if await store.user_credentials(username) is None:
        await store.add_user(username, hash_password(password), Role(role), actor="test")
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status == 200, await response.text()
    return {"Authorization": f"Bearer {(await response.json())['token']}"}


def from_address(address: str) -> dict[str, str]:
    """Headers that make a request come from `address` (the app must trust X-Forwarded-For)."""
    return {"X-Forwarded-For": address}

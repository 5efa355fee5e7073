"""The store contract suite's fixtures: the same tests on every backend.

`backend` is parametrized over ``sqlite`` (a temporary file) and ``postgresql`` (a fresh
database in the session's real, throwaway cluster: tests/pg.py). `database_url` is what a
deployment would put in VERIFIER_DATABASE, and stores are opened through
`registry.backends.open_store`, as the app does.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from registry.backends import open_store
from registry.default import load_default_registry
from registry.models import Organization
from registry.records import NewReport, ReportCategory, ReportChannel
from registry.store import Store
from tests.pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures)
from verifier.core.knowledge import official_key

BACKENDS = ("sqlite", "postgresql")

MakeStore = Callable[..., Awaitable[Store]]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of `backend`, as a VERIFIER_DATABASE setting."""
    if backend == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def make_store(database_url: str) -> AsyncIterator[MakeStore]:
    """Opens stores on the test's database (several stand for several server processes);
    closes them all at the end."""
    opened: list[Store] = []

    async def make(url: str | None = None) -> Store:
        store = open_store(url or database_url)
        await store.open()
        opened.append(store)
        return store

    yield make
    for store in reversed(opened):
        await store.close()


@pytest.fixture
async def store(make_store: MakeStore) -> Store:
    return await make_store()


@pytest.fixture(scope="session")
def registry_orgs() -> list[Organization]:
    """The shipped default registry (read once; tests copy before changing anything)."""
    return load_default_registry(official_key)


_reporters = itertools.count(1)


def new_report(number_key: str, reporter: str | None = None, *, category: ReportCategory = ReportCategory.refund_scam,
               **values: Any) -> NewReport:
    """A valid report against `number_key` (a fresh reporter unless one is named)."""
    return NewReport(**{
        "number_key": number_key,
        "number": number_key.split(":")[-1],
        "region": "CN",
        "category": category,
        "channel": ReportChannel.incoming_call,
        "description": "说是退款客服，让我下载会议软件",
        "reporter_hash": reporter or f"reporter-{next(_reporters)}",
        "client_hash": "client-1",
        **values,
    })

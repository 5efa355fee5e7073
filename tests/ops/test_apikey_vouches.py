"""`verifier apikeys create NAME --vouches N`: how far a key vouches for its users, stored on
the key and shown by `apikeys list` (docs/reports.md, "Voices and weights")."""

from __future__ import annotations

from pathlib import Path

from registry.backends import open_store
from tests.servers import run_cli


async def test_a_keys_vouches_are_stored_listed_and_checked(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert run_cli("apikeys", "create", "bank-app", "--vouches", "300", "--database", str(database)).returncode == 0
    assert run_cli("apikeys", "create", "wallet", "--database", str(database)).returncode == 0
    created = run_cli("apikeys", "create", "scraper", "--vouches", "0", "--database", str(database))
    assert "vouches for no one" in created.stdout, created.stdout
    refused = run_cli("apikeys", "create", "odd", "--vouches", "-1", "--database", str(database))
    assert refused.returncode == 1 and "--vouches" in refused.stderr
    listed = {line.split("\t")[0]: line for line in run_cli("apikeys", "list", "--database", str(database)).stdout
              .splitlines()}
    assert "vouches for 300 reports/hour" in listed["bank-app"]
    assert "vouches for 9 reports/hour (the default)" in listed["wallet"]
    assert "vouches for no one" in listed["scraper"] and "odd" not in listed
    store = open_store(str(database))
    await store.open()
    try:
        assert {key.name: key.vouches for key in await store.list_api_keys()} == {"bank-app": 300, "wallet": None,
                                                                                   "scraper": 0}
    finally:
        await store.close()

"""The `verifier` command: a real server process on 127.0.0.1, and registry import/export."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from tests.servers import run_cli, running_server


async def test_serve_answers_the_readme_examples_on_a_fresh_database(tmp_path: Path) -> None:
    with running_server(tmp_path / "fresh" / "verifier.sqlite3") as base:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/api/v1/verify", params={"number": "95588"}) as response:
                official = await response.json()
            async with session.get(f"{base}/api/v1/verify", params={"number": "+95588"}) as response:
                spoof = await response.json()
    assert official["verdict"] == "official" and official["organization"]["name"] == "中国工商银行"
    assert official["official_number"]["source_url"]
    assert spoof["verdict"] == "suspicious"
    assert "foreign_prefix_impersonation" in [r["code"] for r in spoof["reasons"]]


def test_serve_help_lists_every_setting() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for name in ("VERIFIER_DATABASE", "VERIFIER_PORT", "VERIFIER_MAX_BODY_BYTES"):
        assert name in result.stdout


def test_registry_export_then_import_into_another_database_is_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    exported = tmp_path / "registry.json"
    assert run_cli("registry", "export", "--database", str(first), "--output", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "hotline-verifier-registry" and len(document["organizations"]) > 100

    env = {"VERIFIER_LOAD_DEFAULT_REGISTRY": "false"}
    imported = run_cli("registry", "import", str(exported), "--database", str(second), env=env)
    assert imported.returncode == 0, imported.stderr
    again = run_cli("registry", "import", str(exported), "--database", str(second), env=env)
    assert "0 new, 0 updated; numbers 0 new, 0 updated" in again.stdout

    csv_a = run_cli("registry", "export", "--format", "csv", "--database", str(first)).stdout
    csv_b = run_cli("registry", "export", "--format", "csv", "--database", str(second)).stdout
    assert csv_a == csv_b and csv_a.startswith("org_id,")


def test_importing_a_broken_file_names_the_problem_and_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    broken = tmp_path / "broken.csv"
    broken.write_text("org_id,org_name,number,confidence\nnew-org,新机构,95588,sure\n", encoding="utf-8")
    before = run_cli("registry", "export", "--database", str(database)).stdout
    result = run_cli("registry", "import", str(broken), "--database", str(database))
    assert result.returncode == 1
    assert "broken.csv: row 2: field 'confidence'" in result.stderr
    assert run_cli("registry", "export", "--database", str(database)).stdout == before


def test_users_add_prints_a_password_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    added = run_cli("users", "add", "ann", "--role", "moderator", "--database", str(database))
    assert added.returncode == 0
    password = added.stdout.rsplit(": ", 1)[1].strip()
    assert len(password) >= 16
    assert password.encode() not in database.read_bytes() + _wal(database)
    listed = run_cli("users", "list", "--database", str(database)).stdout
    assert listed.startswith("ann\tmoderator\tactive")
    assert run_cli("users", "add", "ann", "--role", "admin", "--database", str(database)).returncode == 1


def test_users_add_reads_a_password_from_stdin_and_disable_locks_the_account(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert run_cli("users", "add", "bob", "--role", "admin", "--password-stdin", "--database", str(database),
                   input="short\n").returncode == 1
    result = run_cli("users", "add", "bob", "--role", "admin", "--password-stdin", "--database", str(database),
                     input="a long enough passphrase\n")
    assert result.returncode == 0 and "passphrase" not in result.stdout
    assert run_cli("users", "disable", "bob", "--database", str(database)).returncode == 0
    assert "bob\tadmin\tdisabled" in run_cli("users", "list", "--database", str(database)).stdout
    assert run_cli("users", "disable", "nobody", "--database", str(database)).returncode == 1


async def test_apikeys_create_list_revoke_against_a_running_server(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    created = run_cli("apikeys", "create", "wallet", "--rate-limit", "100", "--database", str(database))
    key = created.stdout.rsplit(": ", 1)[1].strip()
    assert key.startswith("hvk_") and key.encode() not in database.read_bytes() + _wal(database)
    with running_server(database) as base:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/api/v1/verify", params={"number": "95588"},
                                   headers={"X-API-Key": key}) as response:
                assert response.status == 200
            assert run_cli("apikeys", "revoke", "wallet", "--database", str(database)).returncode == 0
            async with session.get(f"{base}/api/v1/verify", params={"number": "95588"},
                                   headers={"X-API-Key": "hvk_" + "x" * 43}) as response:
                assert response.status == 401
    listed = run_cli("apikeys", "list", "--database", str(database)).stdout
    assert listed.startswith("wallet\thvk_") and "revoked" in listed and "1 requests" in listed


def _wal(database: Path) -> bytes:
    wal = database.with_name(database.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_registry_import_lists_conflicts_and_strict_refuses_them(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    clash = tmp_path / "clash.csv"
    clash.write_text(
        "org_id,org_name,org_category,number,source_name,confidence\n"
        "fake-kefu,某某客服中心,other,95588,某网页,single_source\n"      # ICBC's 95588 under an unrelated org
        "icbc,工商银行股份,bank,4006695588,中国工商银行官网,official_page\n",  # icbc renamed
        encoding="utf-8",
    )
    before = run_cli("registry", "export", "--database", str(database)).stdout
    strict = run_cli("registry", "import", str(clash), "--strict", "--database", str(database))
    assert strict.returncode == 2
    assert "CN:95588 is listed under unrelated organisations (fake-kefu / icbc" in strict.stderr
    assert "organisation icbc is stored as '中国工商银行'" in strict.stderr
    assert run_cli("registry", "export", "--database", str(database)).stdout == before  # nothing written

    relaxed = run_cli("registry", "import", str(clash), "--database", str(database))
    assert relaxed.returncode == 0
    assert "conflict: CN:95588 is listed under unrelated organisations" in relaxed.stderr
    assert "2 conflict(s)" in relaxed.stdout


def test_the_shipped_registry_imports_strictly_into_an_empty_database(tmp_path: Path) -> None:
    """Its known shared numbers (95188, 95511, 95118) name each other: no conflict with itself."""
    exported = tmp_path / "registry.json"
    first = tmp_path / "first.sqlite3"
    assert run_cli("registry", "export", "--database", str(first), "--output", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    shared = {(o["id"], n["number"]) for o in document["organizations"] for n in o["numbers"] if n["shared_with"]}
    assert ("alipay", "95188") in shared and ("mybank", "95188") in shared
    kept = [o for o in document["organizations"] if o["id"] in {"alipay", "mybank", "ping-an", "ping-an-bank"}]
    subset = tmp_path / "subset.json"
    subset.write_text(json.dumps({**document, "organizations": kept}, ensure_ascii=False), encoding="utf-8")
    env = {"VERIFIER_LOAD_DEFAULT_REGISTRY": "false"}
    result = run_cli("registry", "import", str(subset), "--strict", "--database", str(tmp_path / "empty.sqlite3"),
                     env=env)
    assert result.returncode == 0, result.stderr
    assert "0 conflict(s)" in result.stdout

"""The store's contract, migrations and schema: both backends apply the same migrations into the
same tables, columns, constraints and indexes, and a SQLite database stays one plain file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from registry.backends import open_store
from registry.migrations import migrations_for
from registry.store import Store
from tests.store.conftest import MakeStore
from tests.store.contract.conftest import count


async def test_opening_a_new_database_applies_and_records_every_migration(store: Store, backend: str) -> None:
    names = [m.name for m in migrations_for(backend)]
    assert names[:2] == ["0001_registry", "0002_reports_moderation"] and names == sorted(names)
    assert await store.applied_migrations() == names
    assert await count(store, "SELECT COUNT(*) AS n FROM schema_migrations") == len(names)
    assert await store.registry_is_empty()


async def test_reopening_applies_nothing_twice(make_store: MakeStore) -> None:
    first = await make_store()
    recorded = await first.db.fetchall("SELECT name, applied_at FROM schema_migrations ORDER BY name")
    await first.close()
    again = await make_store()
    assert [dict(r) for r in await again.db.fetchall("SELECT name, applied_at FROM schema_migrations ORDER BY name")] \
        == [dict(r) for r in recorded]


def test_every_backend_has_the_same_migrations() -> None:
    assert [m.name for m in migrations_for("sqlite")] == [m.name for m in migrations_for("postgresql")]


async def test_both_schemas_have_the_same_tables_columns_constraints_and_indexes(tmp_path: Path, postgres_url: str) -> None:
    lite, pg = open_store(str(tmp_path / "schema.sqlite3")), open_store(postgres_url)
    await lite.open()
    await pg.open()
    try:
        kinds = {"INTEGER": "integer", "bigint": "integer", "TEXT": "text", "REAL": "real",
                 "double precision": "real", "BLOB": "bytes", "bytea": "bytes"}  # SQLite's INTEGER is 64-bit: INTEGER or BIGINT on PostgreSQL
        lite_columns: dict[str, dict[str, tuple[str, bool]]] = {}
        for row in await lite.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
            info = await lite.db.fetchall(f"PRAGMA table_info({row['name']})")
            lite_columns[row["name"]] = {c["name"]: (kinds[c["type"]], bool(c["notnull"] or c["pk"])) for c in info}
        pg_columns: dict[str, dict[str, tuple[str, bool]]] = {}
        for row in await pg.db.fetchall(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
                " WHERE table_schema = 'public'"):
            pg_columns.setdefault(row["table_name"], {})[row["column_name"]] = (
                kinds.get(row["data_type"], row["data_type"]), row["is_nullable"] == "NO")
        assert pg_columns == lite_columns

        lite_indexes = {r["name"] for r in await lite.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        pg_indexes = {r["indexname"] for r in await pg.db.fetchall(
            "SELECT indexname FROM pg_indexes i WHERE schemaname = 'public'"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")}
        assert pg_indexes == lite_indexes

        lite_unique, lite_references = set(), set()
        for table in lite_columns:
            for index in await lite.db.fetchall(f"PRAGMA index_list({table})"):
                if index["origin"] == "u":
                    columns = [c["name"] for c in await lite.db.fetchall(f"PRAGMA index_info({index['name']})")]
                    lite_unique.add((table, ",".join(columns)))
            for key in await lite.db.fetchall(f"PRAGMA foreign_key_list({table})"):
                lite_references.add((table, key["from"], key["table"], key["to"], key["on_delete"]))
        pg_unique = {(r["tbl"], r["cols"]) for r in await pg.db.fetchall(
            "SELECT c.conrelid::regclass::text AS tbl, array_to_string(ARRAY("
            "  SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o)"
            "  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS cols"
            " FROM pg_constraint c WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace")}
        pg_references = {(r["tbl"], r["col"], r["ref"], r["refcol"], r["ondelete"]) for r in await pg.db.fetchall(
            "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS ref,"
            " f.attname AS refcol, CASE c.confdeltype WHEN 'c' THEN 'CASCADE' ELSE 'NO ACTION' END AS ondelete"
            " FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace")}
        assert pg_unique == lite_unique and lite_unique
        assert pg_references == lite_references and lite_references
    finally:
        await lite.close()
        await pg.close()


async def test_a_sqlite_database_is_one_file_that_other_tools_can_read(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"
    store = open_store(f"sqlite:///{path}")
    await store.open()
    await store.close()
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [m.name for m in migrations_for("sqlite")]

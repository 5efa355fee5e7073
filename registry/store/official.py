"""The official registry's tables: organisations and official numbers, every change audited."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from registry.conflicts import RegistryConflict, RegistryConflictError, find_conflicts
from registry.db import Database, Executor, Row
from registry.models import Category, Channel, Confidence, Direction, OfficialNumber, Organization
from registry.store import audit
from registry.store.clock import now_text
from registry.store.errors import Conflict, NotFound

KeyFunc = Callable[[OfficialNumber], str]
"""Computes the canonical number key of an official number (see verifier.core.numbers.reading)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    organizations_created: int = 0
    organizations_updated: int = 0
    numbers_created: int = 0
    numbers_updated: int = 0
    unchanged: int = 0
    conflicts: tuple[RegistryConflict, ...] = ()  # listed, not resolved (registry/conflicts.py)

    @property
    def changed(self) -> bool:
        return bool(self.organizations_created or self.organizations_updated or self.numbers_created
                    or self.numbers_updated)


def org_values(org: Organization) -> dict[str, Any]:
    return {
        "name": org.name,
        "name_en": org.name_en,
        "aliases": json.dumps(org.aliases, ensure_ascii=False),
        "category": org.category.value,
        "domains": json.dumps(org.domains),
        "numbers_complete": int(org.numbers_complete),
        "numbers_complete_source": org.numbers_complete_source,
        "home_area_code": org.home_area_code,
    }


def number_values(number: OfficialNumber) -> dict[str, Any]:
    return {
        "number": number.number,
        "region": number.region,
        "channel": number.channel.value,
        "main": int(number.main),
        "direction": number.direction.value,
        "label": number.label,
        "variants": json.dumps(number.variants, ensure_ascii=False),
        "shown_with_area_code": int(number.shown_with_area_code),
        "source_url": number.source_url,
        "source_name": number.source_name,
        "source_note": number.source_note,
        "shared_with": json.dumps(number.shared_with),
        "verified_at": number.verified_at.isoformat() if number.verified_at else None,
        "confidence": number.confidence.value,
    }


_CHANNELS, _DIRECTIONS, _CONFIDENCES = ({e.value: e for e in kind} for kind in (Channel, Direction, Confidence))
_NUMBER_COLUMNS = ("number, region, channel, main, direction, label, variants, shown_with_area_code, source_url,"
                   " source_name, source_note, shared_with, verified_at, confidence")
_N = 14  # how many columns _NUMBER_COLUMNS names


_NUMBER_FIELDS = ("number", "region", "channel", "main", "direction", "label", "variants", "shown_with_area_code",
                  "source_url", "source_name", "source_note", "shared_with", "verified_at", "confidence")
# model_construct() given every field of a plain model (no aliases, extras, private attributes or
# post-init) sets __dict__ and the fields set and nothing else; doing that directly skips its
# per-field loop, a third of the time a large registry takes to load. Checked, not assumed:
# should the model grow anything model_construct() would handle, model_construct() is used.
_PLAIN_NUMBER = (tuple(OfficialNumber.model_fields) == _NUMBER_FIELDS
                 and not OfficialNumber.__pydantic_post_init__ and not OfficialNumber.__private_attributes__
                 and OfficialNumber.model_config.get("extra") != "allow"
                 and all(f.alias is None and f.validation_alias is None for f in OfficialNumber.model_fields.values()))
_set = object.__setattr__


def number_from_row(row: Row) -> OfficialNumber:
    """Rows were validated on the way in: construct without validating again (a registry of
    100,000 numbers loads in about half a second). `row` holds _NUMBER_COLUMNS in that order."""
    number, region, channel, main, direction, label, variants, area, url, name, note, shared, verified, confidence = \
        row[:_N]
    values = {"number": number, "region": region, "channel": _CHANNELS[channel], "main": bool(main),
              "direction": _DIRECTIONS[direction],
              "label": label, "variants": [] if variants == "[]" else json.loads(variants),
              "shown_with_area_code": bool(area), "source_url": url, "source_name": name, "source_note": note,
              "shared_with": [] if shared == "[]" else json.loads(shared),
              "verified_at": dt.date.fromisoformat(verified) if verified else None,
              "confidence": _CONFIDENCES[confidence]}
    if not _PLAIN_NUMBER:
        return OfficialNumber.model_construct(**values)
    made = OfficialNumber.__new__(OfficialNumber)
    _set(made, "__dict__", values)
    _set(made, "__pydantic_fields_set__", set(_NUMBER_FIELDS))
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


def org_from_row(row: Row, numbers: list[OfficialNumber]) -> Organization:
    return Organization.model_construct(
        id=row["id"], name=row["name"], name_en=row["name_en"], aliases=json.loads(row["aliases"]),
        category=Category(row["category"]), domains=json.loads(row["domains"]), numbers=numbers,
        numbers_complete=bool(row["numbers_complete"]), numbers_complete_source=row["numbers_complete_source"],
        home_area_code=row["home_area_code"],
    )


class OfficialQueries:
    db: Database

    async def registry_is_empty(self) -> bool:
        return await self.db.fetchone("SELECT 1 AS one FROM organizations LIMIT 1") is None

    async def load_organizations(self) -> list[Organization]:
        """Every organisation with its official numbers, ordered by id."""
        return (await self.load_registry())[0]

    async def load_registry(self) -> tuple[list[Organization], list[list[str]]]:
        """Every organisation (ordered by id) and, aligned with each one's numbers, their stored keys."""
        org_rows = await self.db.fetchall("SELECT * FROM organizations ORDER BY id")
        number_rows = await self.db.fetchall(
            f"SELECT {_NUMBER_COLUMNS}, org_id, number_key FROM official_numbers ORDER BY org_id, id")
        numbers: dict[str, list[OfficialNumber]] = {}
        keys: dict[str, list[str]] = {}
        for row in number_rows:
            org_id = row[_N]
            held = numbers.get(org_id)
            if held is None:
                numbers[org_id], keys[org_id] = [number_from_row(row)], [row[_N + 1]]
            else:
                held.append(number_from_row(row))
                keys[org_id].append(row[_N + 1])
        organizations = [org_from_row(row, numbers.get(row["id"], [])) for row in org_rows]
        return organizations, [keys.get(org.id, []) for org in organizations]

    async def official_keys(self) -> set[str]:
        return {row["number_key"] for row in await self.db.fetchall("SELECT DISTINCT number_key FROM official_numbers")}

    async def import_registry(self, organizations: list[Organization], key_of: KeyFunc, *,
                              actor: str = "system", strict: bool = False) -> ImportResult:
        """Upsert organisations and their numbers in one transaction.

        Idempotent (the same records twice change nothing the second time) and additive
        (organisations and numbers not named are left as they are). Conflicts with the file
        itself and with what is stored (a number under unrelated organisations, a renamed
        organisation) are returned in the result; with `strict`, any conflict raises
        RegistryConflictError and nothing is written.
        """
        counts = {"organizations_created": 0, "organizations_updated": 0, "numbers_created": 0,
                  "numbers_updated": 0, "unchanged": 0}
        async with self.db.transaction() as tx:
            names = {row["id"]: row["name"] for row in await tx.fetchall("SELECT id, name FROM organizations")}
            stored = [(row["org_id"], row["number_key"], json.loads(row["shared_with"]))
                      for row in await tx.fetchall("SELECT org_id, number_key, shared_with FROM official_numbers")]
            conflicts = find_conflicts(organizations, key_of, existing_names=names, existing_numbers=stored)
            if strict and conflicts:
                raise RegistryConflictError(conflicts)
            for org in organizations:
                outcome = await _upsert(tx, actor, "organizations", {"id": org.id}, org_values(org))
                counts["unchanged" if outcome == "unchanged" else f"organizations_{outcome}"] += 1
                for number in org.numbers:
                    ident = {"org_id": org.id, "number_key": key_of(number)}
                    outcome = await _upsert(tx, actor, "official_numbers", ident, number_values(number))
                    counts["unchanged" if outcome == "unchanged" else f"numbers_{outcome}"] += 1
        return ImportResult(**counts, conflicts=tuple(conflicts))

    async def create_organization(self, org: Organization, key_of: KeyFunc, *, actor: str) -> None:
        async with self.db.transaction() as tx:
            if await tx.fetchone("SELECT id FROM organizations WHERE id = ?", (org.id,)):
                raise Conflict(f"an organisation with the id {org.id!r} exists already")
            await _upsert(tx, actor, "organizations", {"id": org.id}, org_values(org))
            for number in org.numbers:
                await _upsert(tx, actor, "official_numbers", {"org_id": org.id, "number_key": key_of(number)},
                              number_values(number))

    async def update_organization(self, org_id: str, values: dict[str, Any], *, actor: str) -> None:
        """Change an organisation's own fields (not its numbers)."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM organizations WHERE id = ?", (org_id,))
            if row is None:
                raise NotFound(f"no organisation has the id {org_id!r}")
            current = org_from_row(row, [])
            updated = Organization.model_validate({**current.model_dump(), **values, "id": org_id, "numbers": []})
            await _upsert(tx, actor, "organizations", {"id": org_id}, org_values(updated))

    async def put_number(self, org_id: str, number: OfficialNumber, key: str, *, actor: str,
                         must_exist: bool | None = None) -> str:
        """Create or update one official number of an organisation; returns the outcome."""
        async with self.db.transaction() as tx:
            if await tx.fetchone("SELECT id FROM organizations WHERE id = ?", (org_id,)) is None:
                raise NotFound(f"no organisation has the id {org_id!r}")
            exists = await tx.fetchone(
                "SELECT id FROM official_numbers WHERE org_id = ? AND number_key = ?", (org_id, key)) is not None
            if must_exist is True and not exists:
                raise NotFound(f"{org_id!r} has no official number {key!r}")
            if must_exist is False and exists:
                raise Conflict(f"{org_id!r} already has the official number {key!r}")
            return await _upsert(tx, actor, "official_numbers", {"org_id": org_id, "number_key": key},
                                 number_values(number))

    async def delete_number(self, org_id: str, key: str, *, actor: str) -> None:
        async with self.db.transaction() as tx:
            row = await tx.fetchone(f"SELECT {_NUMBER_COLUMNS}, id FROM official_numbers"
                                    " WHERE org_id = ? AND number_key = ?", (org_id, key))
            if row is None:
                raise NotFound(f"{org_id!r} has no official number {key!r}")
            await tx.execute("DELETE FROM official_numbers WHERE id = ?", (row["id"],))
            await audit.record(tx, actor, "registry.number.delete", "official_number", f"{org_id}/{key}",
                               before=number_from_row(row).model_dump(mode="json"))


async def _upsert(tx: Executor, actor: str, table: str, ident: dict[str, Any], values: dict[str, Any]) -> str:
    """Insert or update one row, auditing the change; returns "created", "updated" or "unchanged"."""
    where = " AND ".join(f"{column} = ?" for column in ident)
    columns = list(values)
    existing = await tx.fetchone(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", tuple(ident.values()))
    target_type = "organization" if table == "organizations" else "official_number"
    target_id = "/".join(str(v) for v in ident.values())
    now = now_text()
    if existing is None:
        row = {**ident, **values, "created_at": now, "updated_at": now}
        await tx.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))
        await audit.record(tx, actor, f"registry.{target_type}.create", target_type, target_id, after=values)
        return "created"
    before = {column: existing[column] for column in columns}
    if before == values:
        return "unchanged"
    assignments = ", ".join(f"{column} = ?" for column in columns)
    await tx.execute(f"UPDATE {table} SET {assignments}, updated_at = ? WHERE {where}",
                     (*values.values(), now, *ident.values()))
    await audit.record(tx, actor, f"registry.{target_type}.update", target_type, target_id, before=before,
                       after=values)
    return "updated"

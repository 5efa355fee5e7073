"""Recompute stored number keys when the canonical key rules change (a new key scheme).

Every table keeps the canonical key (verifier.core.numbers.reading) of each number it holds, computed when
the row was written. When the rules change (verifier.core.numbers.reading.KEY_SCHEME: area-qualified local
96xxx keys, codes phonenumbers' metadata misses, 106 SMS senders), rows written before would
no longer be found by the key a verify computes now. `rekey` recomputes them from what the
row holds as written, with the current normaliser, passed in (the store never imports the
verifier):

- ``reports.number_key`` from ``number`` and ``region``;
- ``appeals.number_key`` from ``number`` (appeals keep no region: only China keys,
  ``CN:…`` and ``+86…``, are recomputed, read in CN);
- ``official_numbers.number_key`` with the same key function as a registry import
  (`KeyFunc`, from the whole official number).

A row whose number no longer reads (the key function raises ValueError) keeps its key. An
official number whose new key another number of its organisation already has keeps its old
key too (counted in `RekeyResult.conflicts`): nothing is deleted or merged.

One transaction, recorded: ``change_counters`` row ``key_scheme`` (migration 0008; 1 = the
keys written before it) is set to the new scheme in the same transaction, so the step runs
once per scheme, however many processes start at once (the first UPDATE of that row takes
its lock: a second process waits, then sees the new scheme and does nothing). Whoever opens
the store for the service (verifier.state.service) runs it before loading anything.

What follows from the changed rows needs nothing more: the triggers on ``reports`` log the
old and the new key in ``report_changes`` and those on ``official_numbers`` bump the
registry counter, so in-memory snapshots are caught up or rebuilt (verifier/state/snapshots.py);
the blocklist is derived state, reconciled by the service at start-up, which removes the old
keys and adds the new ones as ordinary feed changes (a call blocker that synced the old key
is told to drop it); the k-anonymity index is built from the keys in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from registry.db import Database, Executor
from registry.store import audit
from registry.store.official import _NUMBER_COLUMNS, KeyFunc, number_from_row

RawKeyFunc = Callable[[str, str], str]
"""(number as written, region) → canonical key; raises ValueError when it is no number."""

SCHEME_COUNTER = "key_scheme"
PAGE = 5_000  # rows read at a time (all inside the one transaction)


@dataclass(frozen=True, slots=True)
class RekeyResult:
    scheme_before: int
    scheme: int
    reports: int = 0  # rows whose key changed
    appeals: int = 0
    official_numbers: int = 0
    unreadable: int = 0  # rows kept as they were: their number does not read any more
    conflicts: int = 0  # official numbers kept: their new key is another number's of the same organisation

    @property
    def ran(self) -> bool:
        return self.scheme != self.scheme_before

    @property
    def changed(self) -> int:
        return self.reports + self.appeals + self.official_numbers


class RekeyQueries:
    db: Database

    async def key_scheme(self) -> int:
        """The key scheme the stored keys were computed with."""
        value = await self.db.fetchval(f"SELECT value FROM change_counters WHERE name = '{SCHEME_COUNTER}'")
        return int(value) if value is not None else 1

    async def rekey(self, key_of: RawKeyFunc, official_key_of: KeyFunc, scheme: int, *,
                    actor: str = "system:rekey") -> RekeyResult:
        """Recompute every stored key with the current rules, once per `scheme` (see the
        module docstring). Idempotent: a store already at `scheme` (or later) is left alone."""
        async with self.db.transaction() as tx:
            # the UPDATE takes the row's lock first: concurrent starts run this one at a time
            locked = await tx.execute(f"UPDATE change_counters SET value = value WHERE name = '{SCHEME_COUNTER}'")
            if not locked:
                await tx.execute(f"INSERT INTO change_counters (name, value) VALUES ('{SCHEME_COUNTER}', 1)")
            before = int(await tx.fetchval(f"SELECT value FROM change_counters WHERE name = '{SCHEME_COUNTER}'"))
            if before >= scheme:
                return RekeyResult(before, before)
            counts: Counter[str] = Counter()
            counts["reports"] = await _rekey_rows(tx, "reports", "number, region", key_of, counts)
            counts["appeals"] = await _rekey_rows(tx, "appeals", "number", key_of, counts)
            changes = await _rekey_official(tx, official_key_of, counts)
            counts["official_numbers"] = len(changes)
            await tx.execute(f"UPDATE change_counters SET value = ? WHERE name = '{SCHEME_COUNTER}'", (scheme,))
            result = RekeyResult(before, scheme, **counts)
            await audit.record(tx, actor, "registry.rekey", "number_keys", f"scheme-{scheme}",
                               before={"scheme": before},
                               after={"scheme": scheme, "reports": result.reports, "appeals": result.appeals,
                                      "official_numbers": changes, "unreadable": result.unreadable,
                                      "conflicts": result.conflicts})
        return result


def _is_china_key(key: str) -> bool:
    return key.startswith(("CN:", "+86"))


async def _rekey_rows(tx: Executor, table: str, columns: str, key_of: RawKeyFunc, counts: Counter[str]) -> int:
    """Recompute `table`'s keys a page at a time; returns how many changed."""
    changed, last = 0, 0
    while rows := await tx.fetchall(f"SELECT id, number_key, {columns} FROM {table} WHERE id > ? ORDER BY id LIMIT ?",
                                    (last, PAGE)):
        last = rows[-1]["id"]
        updates: list[tuple[str, int]] = []
        for row in rows:
            old = row["number_key"]
            if "region" in columns:
                region = row["region"] or "CN"
            elif _is_china_key(old):
                region = "CN"
            else:
                continue
            try:
                new = key_of(row["number"], region)
            except ValueError:
                counts["unreadable"] += 1
                continue
            if new != old:
                updates.append((new, row["id"]))
        if updates:
            await tx.executemany(f"UPDATE {table} SET number_key = ? WHERE id = ?", updates)
            changed += len(updates)
    return changed


async def _rekey_official(tx: Executor, key_of: KeyFunc, counts: Counter[str]) -> list[dict[str, Any]]:
    """Recompute the official numbers' keys; returns the changes made (for the audit log)."""
    rows = await tx.fetchall(f"SELECT {_NUMBER_COLUMNS}, id, org_id, number_key FROM official_numbers ORDER BY id")
    final: dict[int, tuple[str, str, str]] = {}  # id → (org, old key, new key)
    for row in rows:
        try:
            new = key_of(number_from_row(row))
        except ValueError:
            counts["unreadable"] += 1
            new = row["number_key"]
        final[row["id"]] = (row["org_id"], row["number_key"], new)
    while True:  # a new key another number of the organisation holds (or gets): keep the old one
        held = Counter((org, new) for org, _, new in final.values())
        clashing = [ident for ident, (org, old, new) in final.items() if new != old and held[(org, new)] > 1]
        if not clashing:
            break
        for ident in clashing:
            org, old, _ = final[ident]
            final[ident] = (org, old, old)
            counts["conflicts"] += 1
    moved = {ident: value for ident, value in final.items() if value[1] != value[2]}
    if moved:  # two steps, so that swapping keys never meets the UNIQUE (org_id, number_key) half way
        await tx.executemany("UPDATE official_numbers SET number_key = ? WHERE id = ?",
                             [(f"rekey:{ident}", ident) for ident in moved])
        await tx.executemany("UPDATE official_numbers SET number_key = ? WHERE id = ?",
                             [(new, ident) for ident, (_, _, new) in moved.items()])
    return [{"org_id": org, "before": old, "after": new} for org, old, new in moved.values()]

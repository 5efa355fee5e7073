"""The audit log as moderators read it: one line per change with only what changed (old → new),
and each registry load collapsed into one line.

Display only: the stored log keeps one entry per change (registry.store.audit), and the API
(GET /api/v1/moderation/audit) returns them as stored. A registry load (the shipped registry on
an empty database, `verifier registry import`) writes hundreds of entries in one transaction;
here a run of at least LOAD_MIN_ENTRIES registry creations and updates by the same actor, each
written within LOAD_GAP_SECONDS of the one before, with nothing else between them, is one line
with its counts and a link to its entries one by one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from registry.records import AuditEntry

LOAD_ACTIONS = ("registry.organization.create", "registry.organization.update",
                "registry.official_number.create", "registry.official_number.update")
LOAD_MIN_ENTRIES = 10  # fewer is an administrator's edit (an organisation and its numbers): shown entry by entry
LOAD_GAP_SECONDS = 2.0
VALUE_SHOWN = 200  # characters of a value shown before "show all"
EMPTY = (None, "", "[]", "{}")


@dataclass(frozen=True, slots=True)
class Change:
    """One field: its old and new value as text ("" for none: created or removed)."""

    field: str
    old: str
    new: str


@dataclass
class Line:
    """One row of the page: a single entry (`entry`, with its `changes`), or a registry load
    (`load`: counts by action; `first`, `last`: its oldest and newest entries)."""

    first: AuditEntry
    last: AuditEntry
    entry: AuditEntry | None = None
    changes: list[Change] = field(default_factory=list)
    load: Counter[str] | None = None

    @property
    def size(self) -> int:
        return sum(self.load.values()) if self.load is not None else 1

    def load_counts(self) -> dict[str, int]:
        counts = self.load or Counter()
        return {"changes": self.size,
                "orgs_new": counts["registry.organization.create"],
                "orgs_changed": counts["registry.organization.update"],
                "numbers_new": counts["registry.official_number.create"],
                "numbers_changed": counts["registry.official_number.update"]}


def shown(value: Any) -> str:
    """A value as text: JSON (strings quoted, so "" and null differ), JSON kept in a text column
    (aliases, domains) decoded first."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def changes(before: Any, after: Any) -> list[Change]:
    """What changed: for an update the fields whose values differ; for a creation every field
    set; for a removal every field that was set."""
    if isinstance(before, dict) or isinstance(after, dict):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        names = list(new) + [name for name in old if name not in new]
        found = []
        for name in names:
            was, now = old.get(name), new.get(name)
            if was == now or (was in EMPTY and now in EMPTY):  # the same, or unset on both sides
                continue
            found.append(Change(name, shown(was) if name in old else "", shown(now) if name in new else ""))
        return found
    if before is None and after is None:
        return []
    return [Change("", "" if before is None else shown(before), "" if after is None else shown(after))]


def _loads(entry: AuditEntry) -> bool:
    return entry.action in LOAD_ACTIONS


def _continues(run: list[AuditEntry], entry: AuditEntry) -> bool:
    """`entry` (older) continues the run of load entries ending with run[-1]."""
    newer = run[-1]
    return (_loads(entry) and entry.actor == newer.actor
            and abs((newer.at - entry.at).total_seconds()) <= LOAD_GAP_SECONDS)


def lines(entries: Sequence[AuditEntry], *, collapse: bool = True) -> list[Line]:
    """The page's lines for `entries` (newest first, as listed). A run still open at the end of
    `entries` may continue in the entries after them: the caller reads on until it closes."""
    found: list[Line] = []
    run: list[AuditEntry] = []

    def close() -> None:
        if len(run) >= LOAD_MIN_ENTRIES:
            found.append(Line(first=run[-1], last=run[0], load=Counter(e.action for e in run)))
        else:
            found.extend(Line(first=e, last=e, entry=e, changes=changes(e.before, e.after)) for e in run)
        run.clear()

    for entry in entries:
        if collapse and _loads(entry):
            if run and not _continues(run, entry):
                close()
            run.append(entry)
            continue
        close()
        found.append(Line(first=entry, last=entry, entry=entry, changes=changes(entry.before, entry.after)))
    close()
    return found


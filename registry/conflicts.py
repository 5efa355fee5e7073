"""Conflicts in the registry: listed, never silently resolved (docs/registry-format.md).

- ``shared_number``: one number (canonical key) held by organisations that do not name each
  other in ``shared_with`` (a group's genuinely shared line, e.g. 95188 alipay / mybank, is
  configured with its source; anything else is a disagreement between sources, or a fraud).
- ``renamed``: an organisation id already known under another name.

The build tool (tools/build_default_registry.py) and ``verifier registry import`` both list
them; with ``--strict`` they refuse to write anything while there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from registry.models import OfficialNumber, Organization


@dataclass(frozen=True, slots=True)
class RegistryConflict:
    kind: str  # "shared_number" | "renamed" | "renamed_source" (build only)
    subject: str  # the number key, or the organisation id
    org_ids: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "subject": self.subject, "org_ids": list(self.org_ids), "message": self.message}


class RegistryConflictError(ValueError):
    """Raised by a strict import: nothing was written."""

    def __init__(self, conflicts: list[RegistryConflict]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"  {c}" for c in conflicts)
        super().__init__(f"{len(conflicts)} conflict(s) in the registry, nothing written:\n{lines}")


def shared_number_conflicts(holders: dict[str, dict[str, set[str]]],
                            touched: set[str] | None = None) -> list[RegistryConflict]:
    """`holders`: number key -> {org id: the ids its entry names in shared_with}. A key held by
    two organisations of which neither names the other is a conflict. Only keys in `touched`
    are looked at when it is given."""
    conflicts = []
    for key in sorted(holders if touched is None else touched & holders.keys()):
        orgs = holders[key]
        if len(orgs) < 2:
            continue
        ids = sorted(orgs)
        unrelated = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
                     if b not in orgs[a] and a not in orgs[b]]
        if unrelated:
            pairs = ", ".join(f"{a} / {b}" for a, b in unrelated)
            conflicts.append(RegistryConflict(
                "shared_number", key, tuple(ids),
                f"{key} is listed under unrelated organisations ({pairs}); neither names the other in shared_with"))
    return conflicts


def find_conflicts(incoming: list[Organization], key_of: Callable[[OfficialNumber], str], *,
                   existing_names: dict[str, str] | None = None,
                   existing_numbers: Iterable[tuple[str, str, Iterable[str]]] = ()) -> list[RegistryConflict]:
    """Conflicts an import of `incoming` would bring: with itself, and with what is stored
    (`existing_names`: id -> name; `existing_numbers`: (org id, number key, shared_with))."""
    conflicts: list[RegistryConflict] = []
    for org in incoming:
        before = (existing_names or {}).get(org.id)
        if before is not None and before != org.name:
            conflicts.append(RegistryConflict(
                "renamed", org.id, (org.id,),
                f"organisation {org.id} is stored as {before!r} and the file names it {org.name!r} (renamed?)"))
    holders: dict[str, dict[str, set[str]]] = {}
    for org_id, key, shared in existing_numbers:
        holders.setdefault(key, {})[org_id] = set(shared)
    touched: set[str] = set()
    for org in incoming:
        for number in org.numbers:
            key = key_of(number)
            touched.add(key)
            holders.setdefault(key, {})[org.id] = set(number.shared_with)
    return conflicts + shared_number_conflicts(holders, touched)

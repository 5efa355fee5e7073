"""Conflicts between sources: shared numbers (step 8) and organisations renamed since the last build.

A number held by several organisations is a ``shared_number`` conflict unless ``config.KNOWN_SHARED``
names it as a known share, in which case each holder's entry says whom it shares it with.
``renamed_since`` compares the build with the registry built before: an id must keep its
meaning, so one whose name changed is a ``renamed`` conflict. (The xdtianyu step adds the
``renamed_source`` conflicts.) ``--strict`` refuses to write when there is any.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry.models import RegistryDocument

from .config import KNOWN_SHARED
from .drafts import OrgDraft


@dataclass(frozen=True)
class BuildConflict:
    kind: str  # "shared_number" | "renamed_source" | "renamed"
    subject: str
    message: str

    def __str__(self) -> str:
        return self.message


def find_shared_numbers(orgs: dict[str, OrgDraft], conflicts: list[BuildConflict]) -> None:
    """Step 8: a number under organisations that are not a configured known share is a conflict;
    the holders of a known share name each other."""
    holders: dict[str, list[str]] = {}
    for org in orgs.values():
        for key in org.numbers:
            holders.setdefault(key, []).append(org.id)
    for key in sorted(holders):
        ids = sorted(holders[key])
        if len(ids) < 2:
            continue
        known = KNOWN_SHARED.get(key)
        if known and set(ids) <= known[0]:
            for org_id in ids:
                orgs[org_id].numbers[key].shared_with.update(set(ids) - {org_id})
                orgs[org_id].numbers[key].extra_notes.append(f"Known shared number ({known[1]}).")
            continue
        listed = "; ".join(
            f"{i} ({orgs[i].name}: {', '.join(sorted({c.source_name or c.kind for c in orgs[i].numbers[key].contributions}))})"
            for i in ids)
        conflicts.append(BuildConflict("shared_number", key, f"{key} is listed under unrelated organisations: {listed}"))


def renamed_since(document: RegistryDocument, previous: Path) -> list[BuildConflict]:
    """Organisations whose id the previous build gave another name (an id must keep its meaning)."""
    if not previous.exists():
        return []
    try:
        before = {org.id: org.name for org in RegistryDocument.model_validate_json(previous.read_bytes()).organizations}
    except ValueError:
        return []  # an older format: nothing to compare with
    return [BuildConflict("renamed", org.id, f"organisation {org.id} was named {before[org.id]!r} and is now "
                                             f"{org.name!r} (renamed?)")
            for org in document.organizations if org.id in before and before[org.id] != org.name]

"""Build step 4: the national public numbers of ``public_numbers_cn.csv``.

Each row is merged into the organisation of that name (or alias), else into the one
organisation already holding the number, else becomes a new organisation with the category
configured for the row's ``category`` (``config.PUBLIC_CATEGORIES``). The row's own confidence,
source page and note are kept.
"""

from __future__ import annotations

from registry.models import Confidence

from .config import PUBLIC_CATEGORIES, BuildError
from .drafts import Contribution, OrgDraft, holders_of, name_index
from .parsing import parse_number, slug


def merge_public(orgs: dict[str, OrgDraft], public: list[dict[str, str]]) -> None:
    """Step 4: national public numbers: merged into the organisation of that name, else the one
    organisation already holding the number, else a new organisation."""
    for line, row in enumerate(public, start=2):
        parsed = parse_number(row["number"])
        names = name_index(orgs)
        org = names.get(row["org_name"])
        if org is None:
            holders = holders_of(orgs, parsed)
            org = holders[0] if len(holders) == 1 else None
        if org is None:
            if row["category"] not in PUBLIC_CATEGORIES:
                raise BuildError(f"public_numbers_cn.csv line {line}: unknown category {row['category']!r}")
            org = OrgDraft(id=slug(row["org_name"]), name=row["org_name"], name_en=row["org_name_en"] or None,
                           category=PUBLIC_CATEGORIES[row["category"]])
            if org.id in orgs:
                raise BuildError(f"id {org.id} of {row['org_name']} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
        elif not org.name_en and row["org_name_en"]:
            org.name_en = row["org_name_en"]
        org.sources.add("public_numbers")
        site = row["source_name"].split(": ")[0].strip()[:200]
        note = (f"public_numbers_cn.csv line {line} ('{row['org_name']}', {row['confidence']}): {row['source_name']}"
                + (f"; {row['note']}" if row["note"] else ""))
        org.number(parsed).add(Contribution("public", Confidence(row["confidence"]), parsed.number,
                                            row["source_url"] or None, note, None, site))

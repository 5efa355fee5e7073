"""Build step 7: the sourced lists of names and domains (``aliases_cn.csv``, ``domains_cn.csv``).

Each row names an organisation by its id, which must exist. A domain is simply added. An alias
is left out, with why, when it is already the name or an alias of another organisation, or when
its source note calls it ambiguous and it is part of other organisations' names.
"""

from __future__ import annotations

from .config import BuildError
from .drafts import OrgDraft


def merge_names(orgs: dict[str, OrgDraft], alias_rows: list[dict[str, str]], domain_rows: list[dict[str, str]],
                omitted: list[str]) -> None:
    """Step 7: names and domains from their sourced lists."""
    for line, row in enumerate(domain_rows, start=2):
        org = orgs.get(row["org_id"])
        if org is None:
            raise BuildError(f"domains_cn.csv line {line}: no organisation {row['org_id']!r}")
        org.domains.add(row["domain"].strip().lower())
    taken = {text: org.id for org in orgs.values() for text in {org.name, *org.aliases}}
    for line, row in enumerate(alias_rows, start=2):
        org = orgs.get(row["org_id"])
        alias = row["alias"].strip()
        if org is None:
            raise BuildError(f"aliases_cn.csv line {line}: no organisation {row['org_id']!r}")
        if "ambiguous" in row["note"].lower():
            others = sorted(o.id for o in orgs.values() if o is not org
                            and any(alias in text for text in {o.name, *o.aliases}))
            if others:
                omitted.append(f"{org.id}: alias {alias!r} left out: the source note says it is ambiguous and "
                               f"it is part of the names of {', '.join(others[:5])}"
                               + (f" and {len(others) - 5} more" if len(others) > 5 else ""))
                continue
        if taken.get(alias, org.id) != org.id:
            omitted.append(f"{org.id}: alias {alias!r} left out: it is the name or an alias of {taken[alias]}")
            continue
        org.aliases.add(alias)

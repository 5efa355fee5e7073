"""Build step 5: the 2020 list of xdtianyu/PhoneNumber (``xdtianyu_common_numbers.csv``).

The lowest confidence of all sources. A row joins an organisation only by its exact name or
alias, or by the configured spellings of the same organisation (``config.XD_SAME``) and the
organisations renamed since 2020 (``config.XD_RENAMED``, each listed as a conflict); any other
name becomes a new organisation whose category comes from a keyword of its name or, failing
that, from its number (``config.XD_CATEGORY_RULES``, ``config.XD_GOVERNMENT_NUMBER``).
"""

from __future__ import annotations

import re

from registry.models import Category, Confidence

from .config import (
    XD_CATEGORY_RULES,
    XD_GOVERNMENT_NUMBER,
    XD_RENAMED,
    XD_SAME,
    XDTIANYU_COMMIT,
    XDTIANYU_DATE,
    XDTIANYU_REPO,
    XDTIANYU_SOURCE_NAME,
    BuildError,
)
from .conflicts import BuildConflict
from .drafts import Contribution, OrgDraft, name_index
from .home_areas import split_local
from .parsing import parse_number, slug


def merge_xdtianyu(orgs: dict[str, OrgDraft], xdtianyu: list[dict[str, str]], conflicts: list[BuildConflict],
                   some_source_excluded: bool = False) -> None:
    """Step 5: xdtianyu rows: same organisation only by exact name, alias or XD_SAME / XD_RENAMED;
    else a new organisation, category by keyword. With `some_source_excluded`, a missing XD_SAME
    target is no error (the excluded source may hold it)."""
    for row in xdtianyu:
        match = re.fullmatch(r"(?P<base>.+?)(?:\((?P<label>[^()]*)\))?", row["name"].strip())
        base, label = match["base"].strip(), match["label"]
        names = name_index(orgs)
        if base in XD_RENAMED:
            target, why = XD_RENAMED[base]
            org = names.get(target)
            if org is None:
                raise BuildError(f"XD_RENAMED: no organisation named {target!r}")
            conflicts.append(BuildConflict(
                "renamed_source", org.id,
                f"xdtianyu lists {row['number']} under '{row['name']}': {why}; merged into {org.id} ({org.name})"))
        elif base in XD_SAME:
            org = names.get(XD_SAME[base])
            if org is None and not some_source_excluded:  # (an excluded source may hold the target)
                raise BuildError(f"XD_SAME: no organisation named {XD_SAME[base]!r}")
            org = org or names.get(base)
        else:
            org = names.get(base)
        if org is None:
            category = next((c for rx, c in XD_CATEGORY_RULES if rx.search(base)), None)
            if category is None:
                category = Category.government if XD_GOVERNMENT_NUMBER.fullmatch(row["number"]) else Category.other
            org = OrgDraft(id=slug(base), name=base, name_en=base if base.isascii() else None, category=category)
            if org.id in orgs:
                raise BuildError(f"id {org.id} of xdtianyu's {base} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
        org.sources.add("xdtianyu")
        digits = row["number"].strip()
        local = split_local(digits)
        written = f"{local[0]}-{local[1]}" if local else digits
        parsed = parse_number(written)
        note = (f"xdtianyu/PhoneNumber {XDTIANYU_COMMIT} ({XDTIANYU_DATE.isoformat()}) common.db lists '{digits}' "
                f"as '{row['name']}'")
        org.number(parsed).add(Contribution("xdtianyu", Confidence.single_source, parsed.number, XDTIANYU_REPO,
                                            note, label, XDTIANYU_SOURCE_NAME, XDTIANYU_DATE))

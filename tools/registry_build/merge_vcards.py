"""Build step 2: the rows of metowolf/vCards (``vcards_cn_service_numbers.csv``).

Each vCards organisation is merged into the hotlines_cn organisation configured as the same
one, else becomes a new organisation (its id spelled from its name, its category from the
vCards category: ``vcards_category``). Every number is a single-source contribution; an area
code written before a short code the organisation also lists is kept as a variant of it.
"""

from __future__ import annotations

import re

from registry.models import Category, Confidence

from .config import (
    INSURER_KEYWORDS,
    INSURER_OVERRIDES,
    LOCAL_CODE,
    PAYMENT_ORGS,
    REGION_OVERRIDES,
    VCARDS_CATEGORIES,
    VCARDS_COMMIT,
    VCARDS_DATE,
    VCARDS_NAME,
    VCARDS_OTHER_CATEGORIES,
    VCARDS_REPO,
    VCARDS_SOURCE_NAME,
    BuildError,
)
from .drafts import Contribution, OrgDraft
from .parsing import host_of, parse_number, slug


def vcards_category(category: str, organization: str) -> Category:
    """The registry category of a new vCards organisation: payment companies by name, else by its
    vCards category (securities or insurer by keyword)."""
    if organization in PAYMENT_ORGS:
        return Category.payment
    if category == "金融银行":
        return Category.bank
    if category == "证券保险":
        if organization in INSURER_OVERRIDES or any(k in organization for k in INSURER_KEYWORDS):
            return Category.insurer
        return Category.securities
    if category == "通讯服务":
        return Category.telecom
    if category == "电商购物":
        return Category.ecommerce
    if category == "政府机构":
        return Category.government
    if category in VCARDS_OTHER_CATEGORIES:
        return VCARDS_OTHER_CATEGORIES[category]
    raise BuildError(f"category {category!r} is not shipped")


def shipped_rows(all_vcards: list[dict[str, str]]) -> list[dict[str, str]]:
    """The vCards rows of the configured categories (every category must be configured)."""
    shipped = (*VCARDS_CATEGORIES, *VCARDS_OTHER_CATEGORIES)
    vcards = [r for r in all_vcards if r["category"] in shipped]
    if len(vcards) != len(all_vcards):
        raise BuildError(f"vCards categories not configured: {sorted({r['category'] for r in all_vcards} - set(shipped))}")
    return vcards


def merge_vcards(orgs: dict[str, OrgDraft], by_vcards_name: dict[str, OrgDraft], vcards: list[dict[str, str]]
                 ) -> None:
    """Step 2: vCards rows, merged into the same organisation, or new ones."""
    vcards_orgs: dict[str, list[dict[str, str]]] = {}
    for row in vcards:
        vcards_orgs.setdefault(row["organization"], []).append(row)
    for vname, rows in vcards_orgs.items():
        org = by_vcards_name.get(vname)
        if org is None:
            categories = {r["category"] for r in rows}
            if len(categories) != 1:
                raise BuildError(f"{vname} is in several categories {categories}")
            org = OrgDraft(
                id=slug(vname),
                name=vname,
                name_en=vname if vname.isascii() else None,
                category=vcards_category(categories.pop(), vname),
            )
            if org.id in orgs:
                raise BuildError(f"id {org.id} of {vname} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
            by_vcards_name[vname] = org
        org.sources.add("vcards")
        own = {re.sub(r"\D", "", r["number_as_written"]) for r in rows}
        for row in rows:
            if host := host_of(row["url"]):
                org.domains.add(host)
            written = row["number_as_written"]
            blob = f"{VCARDS_REPO}/blob/{VCARDS_COMMIT}/{row['source_path']}"
            note = f"{VCARDS_NAME} {row['source_path']} lists '{written}'" + (
                f" labelled '{row['label']}'" if row["label"] else ""
            )
            area = re.fullmatch(r"0\d{2,3}-(\d{5,6})", written)
            if area and area[1] in own and not LOCAL_CODE.fullmatch(area[1]):
                # 021-95561 next to 95561: a written form of the same national number. (A local
                # 96xxx code with its area code is the number itself: 0791-96268.)
                draft = org.number(parse_number(area[1]))
                draft.variants.add(written)
                draft.extra_notes.append(f"{note}: kept as a variant (area code + short code).")
                continue
            region = "CN"
            if (vname, written) in REGION_OVERRIDES:
                region, why = REGION_OVERRIDES[(vname, written)]
                note = f"{note}. {why}"
            parsed = parse_number(written, region)
            draft = org.number(parsed)
            draft.add(Contribution("vcards", Confidence.single_source, parsed.number, blob, note,
                                   row["label"] or None, VCARDS_SOURCE_NAME, VCARDS_DATE))

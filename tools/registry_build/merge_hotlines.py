"""Build steps 1 and 3: the rows of ``hotlines_cn.csv`` and the numbers written in their notes.

Step 1 makes one organisation per row (configured in ``hotlines_config.HOTLINE_ORGS``) with the
row's own number(s), its main hotline(s), its confidence read from the row's status and its
official page. Step 3,
run once vCards is merged, treats each number written in a free-text column as configured:
from the organisation's own page, from one community source, a mention of a number vCards
already lists, or left out with the reason.
"""

from __future__ import annotations

import re

from registry.models import Confidence

from .config import HOTLINES_RESEARCH_NAME, BuildError
from .drafts import Contribution, OrgDraft
from .hotlines_config import HOTLINE_ORGS, HotlineOrg
from .parsing import host_of, parse_number, status_confidence

PendingNotes = list[tuple[OrgDraft, dict[str, str], HotlineOrg]]  # each row's organisation, row and configuration


def hotline_names(org_cn: str) -> tuple[str, list[str]]:
    """Name and aliases of a hotlines_cn org: slash parts, without "(公安)", with/without 中国."""
    parts = [re.sub(r"\([^)]*\)$", "", p).strip() for p in org_cn.split("/")]
    aliases = list(parts[1:])
    for part in parts:
        if part.startswith("中国") and len(part) - 2 >= 3:  # 中国银行 -> "银行" would mean nothing
            aliases.append(part[2:])
    return parts[0], aliases


def merge_hotlines(orgs: dict[str, OrgDraft], hotlines: list[dict[str, str]]
                   ) -> tuple[dict[str, OrgDraft], PendingNotes]:
    """Step 1: one organisation per hotlines_cn row, with the number(s) of the row. Returns the
    organisations by the vCards names configured as the same organisation, and the rows whose
    notes step 3 reads."""
    seen_rows = {row["org_cn"] for row in hotlines}
    if seen_rows != set(HOTLINE_ORGS):
        raise BuildError(
            f"hotlines_cn.csv and HOTLINE_ORGS differ: only in CSV {sorted(seen_rows - set(HOTLINE_ORGS))}, "
            f"only configured {sorted(set(HOTLINE_ORGS) - seen_rows)}"
        )

    by_vcards_name: dict[str, OrgDraft] = {}
    pending_notes: PendingNotes = []
    for row in hotlines:
        cfg = HOTLINE_ORGS[row["org_cn"]]
        name, aliases = hotline_names(row["org_cn"])
        org_en = row["org_en"].strip()
        en_parts = [p.strip() for p in org_en.split("/")] if "/" in org_en else []
        org = OrgDraft(
            id=cfg.id,
            name=name,
            name_en=cfg.name_en or org_en or None,
            category=cfg.category,
            aliases={*aliases, *en_parts, *cfg.aliases, *(v for v in cfg.vcards if v != name)},
            sources={"hotlines_cn"},
        )
        if cfg.id in orgs:
            raise BuildError(f"duplicate id {cfg.id}")
        orgs[cfg.id] = org
        for vname in cfg.vcards:
            by_vcards_name[vname] = org

        official = row["official_source"].strip()
        confidence = status_confidence(row["status"])
        url = official if confidence is Confidence.official_page and official.startswith("http") else None
        if url and cfg.own_site:
            org.domains.add(host_of(url))
        if cfg.domains_pattern:
            match = re.search(cfg.domains_pattern, row["notes"])
            if not match:
                raise BuildError(f"{cfg.id}: domains not found in notes")
            org.domains.update(match["domains"].split())
        if url:
            site = cfg.source_name or (f"{name}官网" if cfg.own_site else host_of(url))
        else:
            site = HOTLINES_RESEARCH_NAME

        row_note = (
            f"hotlines_cn.csv row '{row['org_cn']}' (status {row['status']}): "
            f"official source: {official or 'none'}; other sources: {row['second_source'] or 'none'}; "
            f"notes: {row['notes'] or 'none'}"
        )
        for written in row["number"].split(" / "):
            parsed = parse_number(written)
            draft = org.number(parsed)
            draft.add(Contribution("hotlines", confidence, parsed.number, url, row_note, cfg.label, site))
            if cfg.note:
                draft.extra_notes.append(cfg.note)
            draft.channel = cfg.channel
            draft.main = True  # the row's own number: the organisation's main hotline (unless it is no hotline)
            draft.direction = cfg.direction
            draft.shown_with_area_code = cfg.shown_with_area_code
        pending_notes.append((org, row, cfg))
    return by_vcards_name, pending_notes


def merge_note_numbers(pending_notes: PendingNotes, omitted: list[str]) -> None:
    """Step 3: the numbers written in the free-text columns of hotlines_cn, each as configured."""
    for org, row, cfg in pending_notes:
        for item in cfg.note_numbers:
            text = row[item.column]
            match = re.search(item.pattern, text)
            if not match:
                raise BuildError(f"{cfg.id}: pattern {item.pattern!r} no longer matches {text!r}")
            fragment = match[0].strip(" ;")
            quoted = f"hotlines_cn.csv {item.column} of '{row['org_cn']}': '{fragment}'"
            if item.action == "omit":
                omitted.append(f"{cfg.id}: {match['number']} left out: {item.reason} ({quoted})")
                continue
            parsed = parse_number(match["number"])
            if item.action == "mention":
                if parsed.key not in org.numbers:
                    raise BuildError(f"{cfg.id}: {match['number']} is mentioned but not in vCards")
                draft = org.numbers[parsed.key]
                draft.extra_notes.append(f"Also given in {quoted} (no independent source: confidence unchanged).")
                draft.fallback_label = item.label
            elif item.action == "official_page":
                page = "https://" + match["page"]
                org.domains.add(host_of(page))
                org.number(parsed).add(
                    Contribution(
                        "note",
                        Confidence.official_page,
                        parsed.number,
                        page,
                        f"On the organisation's own page {match['page']} ({quoted}).",
                        item.label,
                        f"{org.name}官网",
                    )
                )
            elif item.action == "community":
                groups = match.groupdict()
                org.number(parsed).add(
                    Contribution(
                        "note",
                        Confidence.single_source,
                        parsed.number,
                        item.url.format(**groups) if item.url else None,
                        f"Given by {item.source.format(**groups)} ({quoted}); one community source.",
                        item.label,
                        f"{item.source.format(**groups)} (community)",
                    )
                )
            else:
                raise BuildError(f"unknown action {item.action}")

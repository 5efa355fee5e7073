"""The build itself: read the sources, run the steps in order, and return the registry document.

``build`` reads the CSV files of a sources folder and runs the steps of the other modules in
this order, which the output depends on: 1 hotlines_cn rows, 2 vCards, 3 the numbers in the
hotlines_cn notes, 4 public numbers, 5 xdtianyu, 6 local 96xxx codes placed in their home area,
7 aliases and domains, then organisations left without a number are dropped and 8 shared
numbers are checked. ``render`` writes the document as the deterministic JSON that is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

from registry.models import RegistryDocument

from .config import (
    ALIASES_CSV,
    DOMAINS_CSV,
    HOTLINES_CSV,
    OPTIONAL_SOURCES,
    PUBLIC_CSV,
    SOURCES,
    VCARDS_CSV,
    XDTIANYU_CSV,
)
from .conflicts import BuildConflict, find_shared_numbers
from .drafts import OrgDraft
from .home_areas import place_local_codes
from .merge_hotlines import merge_hotlines, merge_note_numbers
from .merge_names import merge_names
from .merge_public import merge_public
from .merge_vcards import merge_vcards, shipped_rows
from .merge_xdtianyu import merge_xdtianyu
from .parsing import read_csv


def build(sources: Path = SOURCES, exclude_sources: frozenset[str] = frozenset()
          ) -> tuple[RegistryDocument, list[str], list[BuildConflict]]:
    """The registry document, the numbers deliberately left out (with why), and the conflicts.

    `exclude_sources` leaves whole sources out of the build (any of OPTIONAL_SOURCES), e.g.
    {"xdtianyu"} to measure a registry built without xdtianyu against xdtianyu's numbers."""
    unknown = set(exclude_sources) - OPTIONAL_SOURCES
    if unknown:
        raise ValueError(f"cannot exclude {sorted(unknown)}: only {sorted(OPTIONAL_SOURCES)} are optional")
    hotlines = read_csv(sources / HOTLINES_CSV.name)
    vcards = shipped_rows(read_csv(sources / VCARDS_CSV.name))

    def optional(name: str, path: Path) -> list[dict[str, str]]:
        return [] if name in exclude_sources or not (sources / path.name).exists() else read_csv(sources / path.name)

    public = optional("public_numbers", PUBLIC_CSV)
    xdtianyu = optional("xdtianyu", XDTIANYU_CSV)
    alias_rows = optional("aliases", ALIASES_CSV)
    domain_rows = optional("domains", DOMAINS_CSV)
    omitted: list[str] = []
    conflicts: list[BuildConflict] = []
    orgs: dict[str, OrgDraft] = {}

    by_vcards_name, pending_notes = merge_hotlines(orgs, hotlines)  # 1
    merge_vcards(orgs, by_vcards_name, vcards)  # 2
    merge_note_numbers(pending_notes, omitted)  # 3
    merge_public(orgs, public)  # 4
    merge_xdtianyu(orgs, xdtianyu, conflicts, some_source_excluded=bool(exclude_sources))  # 5
    place_local_codes(orgs, omitted)  # 6
    merge_names(orgs, alias_rows, domain_rows, omitted)  # 7

    # An organisation left without any number (its only number was left out above) is not shipped:
    # an empty list of a bank would make each of its real numbers look like a mismatch.
    for org_id in sorted(org_id for org_id, org in orgs.items() if not org.numbers):
        omitted.append(f"{org_id}: organisation {orgs[org_id].name} left out: none of its numbers is shipped")
        del orgs[org_id]

    find_shared_numbers(orgs, conflicts)  # 8

    document = RegistryDocument(organizations=[orgs[k].build() for k in sorted(orgs)])
    # Round-trip through JSON validation, as an importer would read the file.
    RegistryDocument.model_validate_json(render(document))
    return document, omitted, conflicts


def render(document: RegistryDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"

"""One small function per reason code: what a number and its context give away.

Each signal looks at a `Query` and the `Knowledge` snapshot and returns the `Signal`s it
sees (usually none or one). A signal argues for a verdict and carries a risk (0-100);
the engine (verifier.engine) weighs them. Messages are formatted later, per language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from registry.models import Category, Confidence, Direction, Organization
from verifier.knowledge import Knowledge, OfficialEntry
from verifier.numbers import NormalisedNumber, NumberType
from verifier.org_names import NameMatch


class Verdict(StrEnum):
    official = "official"
    scam = "scam"
    suspicious = "suspicious"
    unknown = "unknown"
    invalid = "invalid"


class Context(StrEnum):
    incoming_call = "incoming_call"
    outgoing_call = "outgoing_call"
    sms = "sms"
    web = "web"


@dataclass(frozen=True, slots=True)
class Query:
    number: NormalisedNumber
    claim_text: str | None = None
    claim: NameMatch | None = None
    context: Context | None = None
    at: float = 0.0  # when (POSIX seconds): report weights decay with age


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    verdict: Verdict | None  # the verdict it argues for; None: it only informs / adds risk
    risk: int
    fields: dict[str, Any] = field(default_factory=dict)
    imitated: OfficialEntry | None = None  # the official number it imitates, if any


PENDING_MIN_REPORTERS = 3
PENDING_MIN_WEIGHT = 1.5  # three fresh reporters in good standing weigh 3; see docs/reports.md
CONFIDENCE_RISK = {Confidence.official_page: 0, Confidence.multiple_sources: 5, Confidence.single_source: 15}
INSTITUTIONS = {Category.bank, Category.payment, Category.insurer, Category.securities}


def official_match(q: Query, kb: Knowledge) -> tuple[OfficialEntry, ...]:
    """The official entries this number is, in any written form; none for letter-mapped input."""
    if q.number.letters_mapped:
        return ()
    return kb.official_entries(q.number.key)


def registry_match(q: Query, kb: Knowledge) -> list[Signal]:
    entries = official_match(q, kb)
    if not entries:
        return []
    best = min(entries, key=lambda e: list(Confidence).index(e.number.confidence))
    signals = [
        Signal(
            "registry_match",
            Verdict.official,
            CONFIDENCE_RISK[best.number.confidence],
            {"org": best.organization, "source": best.number.source_url or best.number.source_note,
             "confidence": best.number.confidence},
        )
    ]
    owners = _owners(entries)
    if len(owners) > 1:
        signals.append(Signal("registry_match_shared", None, 0, {"orgs": owners}))
    return signals


def claimed_org_mismatch(q: Query, kb: Knowledge) -> list[Signal]:
    if q.claim is None or not q.claim_text:
        return []
    org = q.claim.organization
    if org is None:
        if q.claim.ambiguous:
            return [Signal("claimed_org_ambiguous", None, 0,
                           {"claimed": q.claim_text, "orgs": list(q.claim.candidates)})]
        return [Signal("claimed_org_unknown", None, 0, {"claimed": q.claim_text})]
    if q.number.key in kb.keys_of(org.id) and not q.number.letters_mapped:
        return []
    numbers = [entry.number.number for entry in kb.numbers_of(org.id)]
    owners = [owner for owner in _owners(official_match(q, kb)) if owner.id != org.id]
    code = "claimed_org_mismatch_other_owner" if owners else "claimed_org_mismatch"
    return [Signal(code, Verdict.suspicious, 60, {"claimed": org, "numbers": numbers, "owner": owners[0] if owners else None})]


def foreign_prefix_impersonation(q: Query, kb: Knowledge) -> list[Signal]:
    n = q.number
    if not n.dialled_international or n.country_code in (None, 86):
        return []
    for digits in (n.national_number, f"{n.country_code}{n.national_number}"):
        entries = kb.entries_for_digits("CN", digits)
        if entries:
            return [Signal(
                "foreign_prefix_impersonation", Verdict.suspicious, 90,
                {"country_code": n.country_code, "region": n.region, "org": entries[0].organization,
                 "official": entries[0].number.number},
                imitated=entries[0],
            )]
    return []


def lookalike(q: Query, kb: Knowledge) -> list[Signal]:
    n = q.number
    if official_match(q, kb):
        return []
    if n.letters_mapped:
        entries = kb.official_entries(n.key)
        if entries:
            return [_imitation("letters_substituted", 80, entries[0])]
    region = n.region or "CN"
    for digits in kb.lookalikes.near(region, n.national_number):
        entries = kb.entries_for_digits(region, digits)
        if entries:
            return [_imitation("lookalike", 75, entries[0])]
    return []


def inbound_only_spoof(q: Query, kb: Knowledge) -> list[Signal]:
    if q.context is not Context.incoming_call:
        return []
    entries = official_match(q, kb)
    inbound = any(entry.number.direction is Direction.inbound_only for entry in entries)
    if inbound or q.number.type in (NumberType.shared_cost, NumberType.toll_free):
        return [Signal("inbound_only_spoof", Verdict.suspicious, 70)]
    return []


def missing_area_code(q: Query, kb: Knowledge) -> list[Signal]:
    if q.context is not Context.incoming_call or q.number.area_code:
        return []
    for entry in official_match(q, kb):
        if entry.number.shown_with_area_code:
            return [Signal("missing_area_code", Verdict.suspicious, 60, {"official": entry.number.number})]
    return []


def virtual_operator_range(q: Query, kb: Knowledge) -> list[Signal]:
    if "virtual_operator_range" not in q.number.flags:
        return []
    signals = [Signal("virtual_operator_range", None, 30)]
    claimed = q.claim.organization if q.claim else None
    if claimed is not None and claimed.category in INSTITUTIONS:
        signals.append(Signal("virtual_operator_claims_institution", Verdict.suspicious, 60))
    return signals


def premium_rate(q: Query, kb: Knowledge) -> list[Signal]:
    return [Signal("premium_rate", None, 40)] if q.number.type is NumberType.premium_rate else []


def invalid_number(q: Query, kb: Knowledge) -> list[Signal]:
    if q.number.valid or official_match(q, kb):
        return []
    return [Signal("invalid_number", Verdict.invalid, 60)]


def crowd_reports(q: Query, kb: Knowledge) -> list[Signal]:
    """Moderator-confirmed and pending reports; an official number never becomes a scam through them."""
    stats = kb.reports.summary(q.number.key, q.at)
    if stats is None:
        return []
    live = stats.approved + stats.pending
    if official_match(q, kb):
        return [Signal("official_number_spoofed", None, 10, {"count": live})] if live else []
    if stats.approved:
        return [Signal("confirmed_reports", Verdict.scam, 90, {"count": stats.approved})]
    if stats.pending_reporters >= PENDING_MIN_REPORTERS and stats.weight >= PENDING_MIN_WEIGHT:
        return [Signal("pending_reports", Verdict.suspicious, 60, {"count": stats.pending_reporters})]
    return []


SIGNALS: tuple[Callable[[Query, Knowledge], list[Signal]], ...] = (
    registry_match,
    claimed_org_mismatch,
    foreign_prefix_impersonation,
    lookalike,
    inbound_only_spoof,
    missing_area_code,
    virtual_operator_range,
    premium_rate,
    invalid_number,
    crowd_reports,
)


def _owners(entries: tuple[OfficialEntry, ...]) -> list[Organization]:
    seen: dict[str, Organization] = {}
    for entry in entries:
        seen.setdefault(entry.organization.id, entry.organization)
    return list(seen.values())


def _imitation(code: str, risk: int, entry: OfficialEntry) -> Signal:
    return Signal(code, Verdict.suspicious, risk,
                  {"org": entry.organization, "official": entry.number.number}, imitated=entry)

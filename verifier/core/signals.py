"""One small function per reason code: what a number and its context give away.

Each signal looks at a `Query` and the `Knowledge` snapshot and returns the `Signal`s it
sees (usually none or one). A signal argues for a verdict and carries a risk (0-100);
the engine (verifier.core.verdict) weighs them. Messages are formatted later, per language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from registry.models import Category, Channel, Confidence, Direction, OfficialNumber, Organization
from verifier.core.knowledge import Knowledge, OfficialEntry
from verifier.core.names import NameMatch
from verifier.core.numbers.display import display_key
from verifier.core.numbers.reading import NormalisedNumber, NumberType
from verifier.core.slots import slot_constructor


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
    claim_inferred: bool = False  # the claim is the organisation a pasted text names, not who the person says called


query_of: Callable[..., Query] = slot_constructor(Query)
"""Query(number, claim_text, claim, context, at, claim_inferred), every field given, made through
its slots (verifier.core.slots): for the query of every verify (verifier.core.answers)."""


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    verdict: Verdict | None  # the verdict it argues for; None: it only informs / adds risk
    risk: int
    fields: dict[str, Any] = field(default_factory=dict)
    imitated: OfficialEntry | None = None  # the official number it imitates, if any
    kept: bool = False  # made once (per snapshot: `_about_claim`, `_about_entry`): its reason's words are kept with it


PENDING_MIN_REPORTERS = 3  # voices: a person is one, an imported source of weight w up to w (report_book.py)
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
            {"org": best.organization, "source": source_label(best.number), "confidence": best.number.confidence},
        )
    ]
    owners = _owners(entries)
    if len(owners) > 1:
        signals.append(Signal("registry_match_shared", None, 0, {"orgs": owners}))
    return signals


def claimed_org_mismatch(q: Query, kb: Knowledge) -> list[Signal]:
    """The number is not one of the claimed organisation's. A mismatch is evidence against an
    authoritative list (a financial organisation's, or one a source calls complete: see
    registry.models.Organization.authoritative), or when the number is another organisation's,
    or a mobile, virtual-operator, internet or foreign number presented as a company's hotline.
    A landline, 400/800 number or service code missing from an incomplete list is only "not in
    our list": the registry will never be complete. So is any real number in a pasted text that
    merely names the organisation (a courier's mobile in a pickup notice): the text's own
    verdict weighs it with the text's cues and links (verifier.core.text.verdict)."""
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
    owners = [owner for owner in _owners(official_match(q, kb)) if owner.id != org.id]
    if owners:
        return [_about_claim(kb, "claimed_org_mismatch_other_owner", Verdict.suspicious, 60, org, owners[0])]
    unlisted = _could_be_unlisted_line(q.number) or (q.claim_inferred and q.number.valid)
    if is_authoritative(org) or not unlisted:
        return [_about_claim(kb, "claimed_org_mismatch", Verdict.suspicious, 60, org)]
    return [_about_claim(kb, "claimed_org_not_in_list", None, 25, org)]


def _about_claim(kb: Knowledge, code: str, verdict: Verdict | None, risk: int, org: Organization,
                 owner: Organization | None = None) -> Signal:
    """A signal about the claimed organisation alone (its numbers to call, and the number's owner):
    nothing in it is the number's, so it is made once per snapshot and shared (kept=True), and
    the words of its reason with it (verifier.core.verdict.reason_text). The claim naming an
    organisation ten thousand numbers are asked about lists its numbers once, not every time."""
    def make() -> Signal:
        fields: dict[str, Any] = {"claimed": org, "numbers": callable_numbers(kb, org.id)}
        if owner is not None:
            fields["owner"] = owner
        return Signal(code, verdict, risk, fields, kept=True)

    return kb.once(("signal", code, org.id, owner.id if owner is not None else None), make)


def source_label(number: OfficialNumber) -> str:
    """Where a number was verified, as a person reads it: the source's name, else its site."""
    name = getattr(number, "source_name", None)
    if name:
        return name
    if number.source_url:
        return urlsplit(number.source_url).hostname or number.source_url
    return "?"


def is_authoritative(org: Organization) -> bool:
    """Is the registry's list of this organisation's numbers to be taken as complete?"""
    return bool(getattr(org, "numbers_complete", False)) or org.category in INSTITUTIONS


def _could_be_unlisted_line(number: NormalisedNumber) -> bool:
    """A company line our list may simply lack: a domestic landline, 400/800 or service code."""
    if number.region not in (None, "CN") or number.dialled_international and number.country_code != 86:
        return False
    return number.type in (NumberType.fixed_line, NumberType.shared_cost, NumberType.toll_free, NumberType.short_code)


MAX_NUMBERS_NAMED = 4


def callable_numbers(kb: Knowledge, org_id: str) -> list[OfficialEntry]:
    """The numbers to name to a person for an organisation: numbers to call (never SMS senders),
    its main hotline first, then the strongest confidence (among equals the general hotline
    before the credit-card, overseas and outbound lines), at most a few (the message marks the
    unconfirmed ones)."""
    return list(kb.once(("callable_numbers", org_id), lambda: _callable_numbers(kb, org_id)))


def _callable_numbers(kb: Knowledge, org_id: str) -> tuple[OfficialEntry, ...]:
    entries = [e for e in kb.numbers_of(org_id) if e.number.channel is not Channel.sms_sender]
    entries.sort(key=number_order)
    return tuple(entries[:MAX_NUMBERS_NAMED])


def number_order(entry: OfficialEntry) -> tuple[bool, int, int]:
    """Which numbers to name first: the main hotline, then the strongest confidence, then by
    channel (hotline, credit card, overseas, outbound, SMS sender)."""
    n = entry.number
    return not n.main, _CONFIDENCE_ORDER[n.confidence], _CHANNEL_ORDER[n.channel]


def display_order(entry: OfficialEntry) -> tuple[bool, int, int]:
    """How an organisation's numbers are listed: the main hotline first, then grouped by channel
    (hotline, credit card, overseas, outbound, SMS sender), strongest confidence first in each."""
    n = entry.number
    return not n.main, _CHANNEL_ORDER[n.channel], _CONFIDENCE_ORDER[n.confidence]


_CONFIDENCE_ORDER = {level: index for index, level in enumerate(Confidence)}
_CHANNEL_ORDER = {channel: index for index, channel in enumerate(
    (Channel.hotline, Channel.credit_card, Channel.overseas, Channel.outbound, Channel.sms_sender))}


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
    """One edit from an official number. Evidence only in context (docs/verdicts.md): when the
    number is presented as the organisation it imitates (a claim, or the organisation a pasted
    text names), or when it cannot exist in the numbering plan. Otherwise the dense 95xxx,
    10xxx, 12xxx and 400 spaces make almost every code one digit from another organisation's,
    so it is only said, never held against the number. Letters typed for digits need no context."""
    n = q.number
    if official_match(q, kb):
        return []
    if n.letters_mapped:
        entries = kb.official_entries(n.key)
        if entries:
            return [_imitation(kb, "letters_substituted", 80, entries[0])]
    near = _near_entries(q, kb)
    if not near:
        return []
    claimed = q.claim.organization if q.claim else None
    if claimed is not None:
        own = [entry for entry in near if entry.organization.id == claimed.id]
        if own:
            return [_imitation(kb, "lookalike", 75, own[0])]
    if not n.valid:
        return [_imitation(kb, "lookalike", 75, near[0])]
    return [_about_entry(kb, "resembles_official", None, 0, near[0], imitates=False)]


def _near_entries(q: Query, kb: Knowledge) -> list[OfficialEntry]:
    region = q.number.region or "CN"
    found: list[OfficialEntry] = []
    for digits in kb.lookalikes.near(region, q.number.national_number if not q.number.area_code
                                     or not q.number.key.startswith("CN:0") else q.number.key[3:]):
        found.extend(kb.entries_for_digits(region, digits))
    return found


def inbound_only_spoof(q: Query, kb: Knowledge) -> list[Signal]:
    if q.context is not Context.incoming_call:
        return []
    entries = official_match(q, kb)
    inbound = any(entry.number.direction is Direction.inbound_only for entry in entries)
    if inbound or q.number.type in (NumberType.shared_cost, NumberType.toll_free):
        return [_INBOUND_ONLY_SPOOF]
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
    signals = [_VIRTUAL_OPERATOR_RANGE]
    claimed = q.claim.organization if q.claim else None
    if claimed is not None and claimed.category in INSTITUTIONS:
        signals.append(_VIRTUAL_OPERATOR_CLAIMS_INSTITUTION)
    return signals


def premium_rate(q: Query, kb: Knowledge) -> list[Signal]:
    return [_PREMIUM_RATE] if q.number.type is NumberType.premium_rate else []


def invalid_number(q: Query, kb: Knowledge) -> list[Signal]:
    if q.number.valid or official_match(q, kb):
        return []
    return [_INVALID_NUMBER]


def crowd_reports(q: Query, kb: Knowledge) -> list[Signal]:
    """Moderator-confirmed and pending reports; an official number never becomes a scam through
    them, and says it is being imitated only on the evidence that would make an unlisted number
    suspicious (or a moderator's approval): one unreviewed report changes nothing public."""
    stats = kb.reports.summary(q.number.key, q.at)
    if stats is None:
        return []
    enough = stats.pending_voices >= PENDING_MIN_REPORTERS and stats.weight >= PENDING_MIN_WEIGHT
    if official_match(q, kb):
        if stats.approved or enough:
            return [Signal("official_number_spoofed", None, 10, {"count": stats.approved + stats.pending})]
    elif stats.approved:
        return [Signal("confirmed_reports", Verdict.scam, 90, {"count": stats.approved})]
    elif enough:
        return [Signal("pending_reports", Verdict.suspicious, 60, {"count": stats.pending_reporters})]
    if stats.pending:  # below the threshold: said, so no reason contradicts the answer's own counts
        return [Signal("reports_under_review", None, 0, {"count": stats.pending,
                                                          "reporters": stats.pending_reporters})]
    return []


def area_code_needed(q: Query, kb: Knowledge) -> list[Signal]:
    """A city's own service code (96xxx) without its area code: which city's is it?"""
    if "area_code_needed" not in q.number.flags or official_match(q, kb):
        return []
    return [Signal("area_code_needed", None, 0, {"local_code": q.number.national_number})]


def sms_sender(q: Query, kb: Knowledge) -> list[Signal]:
    """A 106 SMS sender code: it sends notices and cannot be called, nor call anyone."""
    if q.number.type.value != "sms_sender":
        return []
    if q.context is Context.incoming_call:
        return [_SMS_SENDER_CALLING]
    return [_SMS_SENDER]


SIGNALS: tuple[Callable[[Query, Knowledge], list[Signal]], ...] = (
    registry_match,
    area_code_needed,
    claimed_org_mismatch,
    foreign_prefix_impersonation,
    lookalike,
    inbound_only_spoof,
    missing_area_code,
    virtual_operator_range,
    premium_rate,
    invalid_number,
    sms_sender,
    crowd_reports,
)


_SPEAKING_FLAGS = ("area_code_needed", "virtual_operator_range")  # the flags a signal speaks of
_SPEAKING_TYPES = (NumberType.premium_rate, NumberType.sms_sender)


def silent(q: Query, kb: Knowledge) -> bool:
    """True only when no signal of SIGNALS can say anything of `q`: the question of most new
    numbers (a valid number asked about without a claim, not as an incoming call, in no list,
    near no official number, never reported). It asks in one go what the signals ask one by one,
    the costly questions last; False when unsure (the signals are asked). verifier.core.verdict's
    judge() asks it first; tests/core/test_verdict_shortcut.py proves that each time it says True
    every signal says nothing, and fails when a signal is added without a word here."""
    n = q.number
    if q.claim is not None or q.context is Context.incoming_call or not n.valid or n.letters_mapped \
            or n.type in _SPEAKING_TYPES:
        return False
    if n.dialled_international and n.country_code not in (None, 86) and (  # foreign_prefix_impersonation's question
            kb.entries_for_digits("CN", n.national_number)
            or kb.entries_for_digits("CN", f"{n.country_code}{n.national_number}")):
        return False
    if n.flags and any(flag in n.flags for flag in _SPEAKING_FLAGS):
        return False
    if kb.official_entries(n.key) or kb.reports.stamp(n.key) is not None:
        return False
    return not _near_entries(q, kb)


SILENT_KNOWS = frozenset({  # the signals silent() answers for (a test checks it is all of SIGNALS)
    "registry_match", "area_code_needed", "claimed_org_mismatch", "foreign_prefix_impersonation", "lookalike",
    "inbound_only_spoof", "missing_area_code", "virtual_operator_range", "premium_rate", "invalid_number",
    "sms_sender", "crowd_reports",
})


def _owners(entries: tuple[OfficialEntry, ...]) -> list[Organization]:
    seen: dict[str, Organization] = {}
    for entry in entries:
        seen.setdefault(entry.organization.id, entry.organization)
    return list(seen.values())


def display_number(entry: OfficialEntry) -> str:
    return display_key(entry.key)


def _imitation(kb: Knowledge, code: str, risk: int, entry: OfficialEntry) -> Signal:
    return _about_entry(kb, code, Verdict.suspicious, risk, entry, imitates=True)


def _about_entry(kb: Knowledge, code: str, verdict: Verdict | None, risk: int, entry: OfficialEntry,
                 imitates: bool) -> Signal:
    """A signal about an official entry alone (the number it resembles or imitates): made once
    per snapshot and shared, as `_about_claim`'s are."""
    return kb.once_of(entry, ("signal", code), lambda: Signal(
        code, verdict, risk, {"org": entry.organization, "official": display_number(entry)},
        imitated=entry if imitates else None, kept=True))


# The signals that say nothing but their code: one of each, for every number (kept=True: the
# words of each reason are made once per language, verifier.core.verdict.reason_text).
_INBOUND_ONLY_SPOOF = Signal("inbound_only_spoof", Verdict.suspicious, 70, kept=True)
_VIRTUAL_OPERATOR_RANGE = Signal("virtual_operator_range", None, 30, kept=True)
_VIRTUAL_OPERATOR_CLAIMS_INSTITUTION = Signal("virtual_operator_claims_institution", Verdict.suspicious, 60, kept=True)
_PREMIUM_RATE = Signal("premium_rate", None, 40, kept=True)
_INVALID_NUMBER = Signal("invalid_number", Verdict.invalid, 60, kept=True)
_SMS_SENDER_CALLING = Signal("sms_sender_calling", Verdict.suspicious, 70, kept=True)
_SMS_SENDER = Signal("sms_sender", None, 0, kept=True)

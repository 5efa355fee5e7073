"""One verify, end to end and pure: raw text → normalised number → judgement → response model."""

from __future__ import annotations

import time

from registry.models import Organization
from verifier.api.schemas import (
    Imitation,
    Lang,
    NumberInfo,
    OfficialNumberOut,
    OrgRef,
    ReportSummary,
    ReasonOut,
    VerifyResponse,
)
from verifier.engine import Judgement, judge
from verifier.knowledge import Knowledge, OfficialEntry
from verifier.numbers import NormalisedNumber, describe, normalise
from verifier.reports_book import ReportStats
from verifier.signals import Context, Query

DEFAULT_REGION = "CN"


def verify(
    kb: Knowledge,
    raw: str,
    *,
    region: str | None = None,
    claimed_org: str | None = None,
    context: Context | None = None,
    lang: Lang = "zh",
) -> VerifyResponse:
    """Raises verifier.numbers.NotANumber when the text is no phone number at all."""
    number = normalise(raw, (region or DEFAULT_REGION).upper())
    claim_text = claimed_org.strip() if claimed_org and claimed_org.strip() else None
    claim = kb.names.match(claim_text) if claim_text else None
    now = time.time()
    judgement = judge(Query(number, claim_text, claim, context, now), kb, lang)
    return render(raw, number, judgement, kb, lang, now)


def render(raw: str, number: NormalisedNumber, j: Judgement, kb: Knowledge, lang: Lang, now: float) -> VerifyResponse:
    carrier, location = describe(number, lang)
    stats = kb.reports.summary(number.key, now)
    first = j.matches[0] if j.matches else None
    others = _unique_orgs(entry.organization for entry in j.matches[1:])
    return VerifyResponse(
        input=raw,
        number=NumberInfo(
            key=number.key,
            e164=number.e164,
            region=number.region,
            type=number.type,
            valid=number.valid,
            extension=number.extension,
            carrier=carrier,
            location=location,
            area_code=number.area_code,
            dialled_international=number.dialled_international,
            letters_mapped=number.letters_mapped,
            flags=list(number.flags),
        ),
        verdict=j.verdict,
        risk_score=j.risk_score,
        organization=org_ref(first.organization) if first else None,
        official_number=official_out(first) if first else None,
        also_official_for=[org_ref(org) for org in others if first is None or org.id != first.organization.id],
        imitates=Imitation(organization=org_ref(j.imitated.organization), official_number=official_out(j.imitated))
        if j.imitated
        else None,
        claimed_organization=org_ref(j.claimed) if j.claimed else None,
        claimed_official_numbers=[official_out(entry) for entry in j.claimed_numbers],
        reports=report_summary(stats),
        reasons=[ReasonOut(code=r.code, message=r.message) for r in j.reasons],
        advice=j.advice,
        lang=lang,
    )


def report_summary(stats: ReportStats | None) -> ReportSummary:
    if stats is None:
        return ReportSummary()
    return ReportSummary(
        approved=stats.approved, pending=stats.pending, distinct_reporters=stats.distinct_reporters,
        categories=stats.categories, first_reported_at=stats.first_reported_at,
        last_reported_at=stats.last_reported_at, weight=stats.weight, confidence=stats.confidence,
    )


def org_ref(org: Organization) -> OrgRef:
    return OrgRef(id=org.id, name=org.name, name_en=org.name_en)


def official_out(entry: OfficialEntry) -> OfficialNumberOut:
    n = entry.number
    return OfficialNumberOut(
        number=n.number,
        key=entry.normalised.key,
        region=n.region,
        channel=n.channel,
        direction=n.direction,
        label=n.label,
        source_url=n.source_url,
        source_note=n.source_note,
        verified_at=n.verified_at,
        confidence=n.confidence,
        organization_id=entry.organization.id,
    )


def _unique_orgs(orgs) -> list[Organization]:  # type: ignore[no-untyped-def]
    seen: dict[str, Organization] = {}
    for org in orgs:
        seen.setdefault(org.id, org)
    return list(seen.values())

"""One verify, end to end and pure: raw text → normalised number → judgement → answer.

`verify_payload` builds the answer as plain dicts (the hot path: serialised straight to JSON
by orjson); its shape is `VerifyResponse` (verifier.schemas.answers), which documents it in the
OpenAPI description, and tests check every kind of answer validates against that model.
`verify` returns the model itself, for the pages and the moderation views; `verify_json` the
answer's JSON bytes, for the answer cache (verifier.state.answer_cache).
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from registry.models import Organization
from verifier.core.knowledge import Knowledge, OfficialEntry
from verifier.core.messages import Lang
from verifier.core.numbers.display import display_key
from verifier.core.numbers.places import describe
from verifier.core.numbers.reading import NormalisedNumber, normalise
from verifier.core.report_book import ReportStats
from verifier.core.signals import Context, display_order, is_authoritative, query_of, source_label
from verifier.core.verdict import Judgement, judge, quiet

DEFAULT_REGION = "CN"
EMPTY_REPORTS: dict[str, Any] = {
    "approved": 0, "pending": 0, "distinct_reporters": 0, "categories": {}, "first_reported_at": None,
    "last_reported_at": None, "weight": 0.0, "confidence": 0.0,
}


def verify_payload(
    kb: Knowledge,
    raw: str,
    *,
    region: str | None = None,
    claimed_org: str | None = None,
    context: Context | None = None,
    lang: Lang = "zh",
    now: float | None = None,
    claim_inferred: bool = False,
) -> dict[str, Any]:
    """Raises verifier.core.numbers.reading.NotANumber when the text is no phone number at all."""
    number, judgement, now = _judged(kb, raw, region, claimed_org, context, lang, now, claim_inferred)
    return render(raw, number, judgement, kb, lang, now)


def verify_json(kb: Knowledge, raw: str, *, region: str | None = None, claimed_org: str | None = None,
                context: Context | None = None, lang: Lang = "zh", now: float | None = None) -> tuple[bytes, str, str]:
    """(orjson.dumps(verify_payload(...)), its verdict, the number's key), the bytes in an
    allocation of their own size (the answer cache keeps them). A number nothing is said about,
    asked without a claim and never reported (most new numbers), is written as its own first part
    and the rest of the answer, the same for all of them, kept as JSON per language
    (`_quiet_rest`); tests/core/test_answer_bytes.py proves the bytes equal to the plain path's."""
    number, judgement, now = _judged(kb, raw, region, claimed_org, context, lang, now, False)
    if judgement is quiet(lang):
        stats = kb.reports.summary(number.key, now)
        if stats is None:
            first = orjson.dumps({"input": raw, "number": number_out(number, lang)})
            return first[:-1] + _quiet_rest(kb, lang), judgement.verdict.value, number.key
    payload = render(raw, number, judgement, kb, lang, now)
    if judgement.claimed_numbers:  # an organisation's whole list, the bulk of the answer: written once
        payload["claimed_official_numbers"] = orjson.Fragment(_views_json(kb, judgement.claimed_numbers))
    return kept_bytes(orjson.dumps(payload)), payload["verdict"], number.key


def kept_bytes(body: bytes) -> bytes:
    """`body` in an allocation of its own size, to keep. orjson returns its bytes in the buffer it
    wrote them into, about 8 KB for an answer of 900 bytes (sys.getsizeof does not show it, the
    resident memory does): a cache of 100,000 answers held 800 MB instead of 90 MB. Copying one
    costs about 0.2 µs."""
    return bytes(memoryview(body))


def _judged(kb: Knowledge, raw: str, region: str | None, claimed_org: str | None, context: Context | None,
            lang: Lang, now: float | None, claim_inferred: bool) -> tuple[NormalisedNumber, Judgement, float]:
    number = normalise(raw, (region or DEFAULT_REGION).upper())
    claim_text = claimed_org.strip() if claimed_org and claimed_org.strip() else None
    claim = kb.names.match(claim_text) if claim_text else None
    now = time.time() if now is None else now
    return number, judge(query_of(number, claim_text, claim, context, now, claim_inferred), kb, lang), now


def _quiet_rest(kb: Knowledge, lang: Lang) -> bytes:
    """b',"verdict":"unknown", … ,"lang":"zh"}': what follows the number in a quiet answer."""
    return kb.once(("quiet_rest", lang), lambda: b"," + orjson.dumps(judgement_out(quiet(lang), kb, lang, None))[1:])


def render(raw: str, number: NormalisedNumber, j: Judgement, kb: Knowledge, lang: Lang, now: float) -> dict[str, Any]:
    return {"input": raw, "number": number_out(number, lang),
            **judgement_out(j, kb, lang, kb.reports.summary(number.key, now))}


def number_out(number: NormalisedNumber, lang: Lang) -> dict[str, Any]:
    carrier, location = describe(number, lang)
    return {
        "key": number.key,
        "e164": number.e164,
        "region": number.region,
        "type": number.type.value,
        "valid": number.valid,
        "extension": number.extension,
        "carrier": carrier,
        "location": location,
        "area_code": number.area_code,
        "dialled_international": number.dialled_international,
        "letters_mapped": number.letters_mapped,
        "flags": list(number.flags),
        "family": number.family,
    }


def judgement_out(j: Judgement, kb: Knowledge, lang: Lang, stats: ReportStats | None) -> dict[str, Any]:
    """The answer after its number: the verdict, the organisations, the reports, reasons, advice."""
    first = j.matches[0] if j.matches else None
    others = _unique_orgs(entry.organization for entry in j.matches[1:])
    return {
        "verdict": j.verdict.value,
        "risk_score": j.risk_score,
        "organization": org_ref(first.organization) if first else None,
        "official_number": official_view(kb, first) if first else None,
        "also_official_for": [org_ref(org) for org in others if first is None or org.id != first.organization.id],
        "imitates": {"organization": org_ref(j.imitated.organization), "official_number": official_view(kb, j.imitated)}
        if j.imitated else None,
        "claimed_organization": org_ref(j.claimed) if j.claimed else None,
        "claimed_official_numbers": _views(kb, j.claimed_numbers),
        "reports": report_summary(stats),
        "reasons": [{"code": r.code, "message": r.message} for r in j.reasons],
        "advice": j.advice,
        "lang": lang,
    }


def report_summary(stats: ReportStats | None) -> dict[str, Any]:
    if stats is None:
        return EMPTY_REPORTS
    return {
        "approved": stats.approved, "pending": stats.pending, "distinct_reporters": stats.distinct_reporters,
        "categories": stats.categories,
        "first_reported_at": stats.first_reported_at.isoformat() if stats.first_reported_at else None,
        "last_reported_at": stats.last_reported_at.isoformat() if stats.last_reported_at else None,
        "weight": stats.weight, "confidence": stats.confidence,
    }


def org_ref(org: Organization) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "name_en": org.name_en}


def official_out(entry: OfficialEntry) -> dict[str, Any]:
    n = entry.number
    return {
        "number": n.number,
        "display": display_key(entry.key),
        "key": entry.key,
        "region": n.region,
        "channel": n.channel.value,
        "main": n.main,
        "direction": n.direction.value,
        "label": n.label,
        "source_name": source_label(n) if n.source_url or getattr(n, "source_name", None) else None,
        "source_url": n.source_url,
        "verified_at": n.verified_at.isoformat() if n.verified_at else None,
        "confidence": n.confidence.value,
        "organization_id": entry.organization.id,
    }


def official_view(kb: Knowledge, entry: OfficialEntry) -> dict[str, Any]:
    """official_out(entry), made once per snapshot (Knowledge.once) and shared by every answer
    that shows it: an organisation claimed in a question lists all its numbers, up to dozens."""
    return kb.once_of(entry, ("official_out",), lambda: official_out(entry))


def _views(kb: Knowledge, entries: tuple[OfficialEntry, ...]) -> list[dict[str, Any]]:
    """official_view of each, the list itself made once per snapshot for the same tuple of entries
    (an organisation's numbers in page order: verifier.core.verdict.in_display_order)."""
    if not entries:
        return []
    return kb.once_of(entries, ("views",), lambda: [official_view(kb, entry) for entry in entries])


def _views_json(kb: Knowledge, entries: tuple[OfficialEntry, ...]) -> bytes:
    """orjson.dumps(_views(kb, entries)), written once per snapshot for the same tuple of entries:
    the claimed organisation's numbers, 4 KB of a 5 KB answer (tests/core/test_answer_bytes.py)."""
    return kb.once_of(entries, ("views_json",), lambda: orjson.dumps(_views(kb, entries)))


def organization_out(kb: Knowledge, org: Organization) -> dict[str, Any]:
    """The public view of one organisation: its numbers as people are shown them, the main hotline
    first, then by channel (verifier.core.signals.display_order)."""
    entries = sorted(kb.numbers_of(org.id), key=display_order)
    return {"id": org.id, "name": org.name, "name_en": org.name_en, "aliases": list(org.aliases),
            "category": org.category.value, "domains": list(org.domains), "authoritative": is_authoritative(org),
            "numbers": [official_out(entry) for entry in entries]}


def _unique_orgs(orgs: Any) -> list[Organization]:
    seen: dict[str, Organization] = {}
    for org in orgs:
        seen.setdefault(org.id, org)
    return list(seen.values())

"""Signals → one verdict, a risk score, reasons in plain words, and advice.

The rules, in one place (also in docs/verdicts.md):
- The verdict is the strongest any signal argues for: scam > suspicious > official >
  invalid > unknown. No signal at all → unknown.
- The risk score combines every signal's risk as independent evidence,
  1 - Π(1 - rᵢ/100), then is held inside the verdict's band: official ≤ 30,
  unknown 10-49, invalid and suspicious ≥ 50, scam ≥ 85.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import geocoder

from registry.models import Organization
from verifier.core import messages
from verifier.core.knowledge import Knowledge, OfficialEntry
from verifier.core.messages import Lang
from verifier.core.numbers.display import display_key
from verifier.core.recent import Recent
from verifier.core.signals import SIGNALS, Query, Signal, Verdict, display_order, official_match, silent

PRECEDENCE = {Verdict.unknown: 0, Verdict.invalid: 1, Verdict.official: 2, Verdict.suspicious: 3, Verdict.scam: 4}
RISK_BANDS = {
    Verdict.official: (0, 30),
    Verdict.unknown: (10, 49),
    Verdict.invalid: (50, 100),
    Verdict.suspicious: (50, 100),
    Verdict.scam: (85, 100),
}
UNKNOWN_BASE_RISK = 20


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    risk_score: int
    reasons: list[Reason]
    advice: str
    matches: tuple[OfficialEntry, ...]  # official entries the number is
    imitated: OfficialEntry | None  # the official number a look-alike or spoof imitates
    claimed: Organization | None
    claimed_numbers: tuple[OfficialEntry, ...]  # when the number is not one of the claimed org's


def judge(query: Query, kb: Knowledge, lang: Lang = "zh") -> Judgement:
    if silent(query, kb):  # most new numbers, asked in one go (verifier.core.signals.silent)
        return nothing_said(query, lang)
    signals = [signal for check in SIGNALS for signal in check(query, kb)]
    if not signals:  # most new numbers: nothing to weigh
        return nothing_said(query, lang)
    return weighed(query, kb, signals, lang)


JUDGEMENTS_KEPT = 4096


def weighed(query: Query, kb: Knowledge, signals: list[Signal], lang: Lang = "zh") -> Judgement:
    """weigh(query, kb, signals, lang), kept when every signal is one made once (kept): the
    judgement then follows from those signals, the claimed organisation, the official entries
    the number is (official_match) and the language alone, so the next question they all share
    (another short code asked with the same bank, the same look-alike) is judged without weighing
    again. At most JUDGEMENTS_KEPT per snapshot (verifier.core.recent). tests/core/test_kept_reasons.py
    proves it equal to weigh()."""
    if not all(signal.kept for signal in signals):
        return weigh(query, kb, signals, lang)
    claimed = query.claim.organization if query.claim else None
    matches = official_match(query, kb)
    kept: Recent[tuple[object, ...], tuple[tuple[Signal, ...], Organization | None, object, Judgement]] = \
        kb.once(("judgements",), lambda: Recent(JUDGEMENTS_KEPT))
    key = (*map(id, signals), id(claimed), id(matches), lang)
    found = kept.get(key)
    if found is not None and found[1] is claimed and found[2] is matches \
            and all(a is b for a, b in zip(found[0], signals, strict=True)):  # no id reused by another object
        return found[3]
    judgement = weigh(query, kb, signals, lang)
    kept.put(key, (tuple(signals), claimed, matches, judgement))
    return judgement


def nothing_said(query: Query, lang: Lang) -> Judgement:
    """What weigh() gives when no signal says anything (tests/core/test_verdict_shortcut.py proves
    it equal): unknown, the base risk, the one "no_signal" reason; no official entry
    (registry_match would have spoken), no mismatch. Without a claim it is the same judgement
    for every number, made once per language (`quiet`); never change one."""
    if query.claim is None:
        return quiet(lang)
    said = quiet(lang)
    return Judgement(verdict=said.verdict, risk_score=said.risk_score, reasons=list(said.reasons), advice=said.advice,
                     matches=(), imitated=None, claimed=query.claim.organization, claimed_numbers=())


def quiet(lang: Lang) -> Judgement:
    """The judgement of a number nothing is said about, asked about without a claim."""
    made = _QUIET.get(lang)
    if made is None:
        made = _QUIET[lang] = Judgement(
            verdict=Verdict.unknown, risk_score=risk_score(Verdict.unknown, []),
            reasons=[Reason("no_signal", messages.reason("no_signal", lang))],
            advice=messages.advice(_advice_key(Verdict.unknown, []), lang), matches=(), imitated=None, claimed=None,
            claimed_numbers=())
    return made


_QUIET: dict[str, Judgement] = {}


def weigh(query: Query, kb: Knowledge, signals: list[Signal], lang: Lang = "zh") -> Judgement:
    """The judgement of what the signals say (the module docstring has the rules)."""
    verdict = max((s.verdict for s in signals if s.verdict), key=PRECEDENCE.__getitem__, default=Verdict.unknown)
    claimed = query.claim.organization if query.claim else None
    mismatch = any(s.code.startswith("claimed_org_mismatch") or s.code == "claimed_org_not_in_list" for s in signals)
    reasons = [Reason(s.code, reason_text(kb, s, lang)) for s in signals]
    if not reasons:
        reasons = [Reason("no_signal", messages.reason("no_signal", lang))]
    imitated = next((s.imitated for s in signals if s.imitated is not None), None)
    return Judgement(
        verdict=verdict,
        risk_score=risk_score(verdict, signals),
        reasons=reasons,
        advice=messages.advice(_advice_key(verdict, signals), lang),
        matches=official_match(query, kb),
        imitated=imitated,
        claimed=claimed,
        claimed_numbers=in_display_order(kb, claimed.id) if claimed is not None and mismatch
        else (),  # in the order of its page: the main hotline first
    )


def in_display_order(kb: Knowledge, org_id: str) -> tuple[OfficialEntry, ...]:
    """An organisation's numbers in the order of its page (made once per snapshot)."""
    return kb.once(("display_order", org_id), lambda: tuple(sorted(kb.numbers_of(org_id), key=display_order)))


def risk_score(verdict: Verdict, signals: list[Signal]) -> int:
    risky = [s.risk for s in signals if s.risk > 0]
    combined = 100 * (1 - math.prod(1 - r / 100 for r in risky)) if risky else 0.0
    if verdict is Verdict.unknown and not risky:
        combined = UNKNOWN_BASE_RISK
    low, high = RISK_BANDS[verdict]
    return int(min(high, max(low, round(combined))))


_UNKNOWN_ADVICE = {"area_code_needed": "area_code_needed", "sms_sender": "sms_sender",
                   "claimed_org_not_in_list": "not_in_list"}


def _advice_key(verdict: Verdict, signals: list[Signal]) -> str:
    codes = {s.code for s in signals}
    if verdict is Verdict.official and "official_number_spoofed" in codes:
        return "official_spoofed"
    if verdict is Verdict.official and "sms_sender" in codes:
        return "official_sms_sender"
    if verdict is Verdict.unknown:
        for code, key in _UNKNOWN_ADVICE.items():
            if code in codes:
                return key
    return verdict.value


def org_label(org: Organization, lang: Lang) -> str:
    return org.name if lang == "zh" or not org.name_en else org.name_en


def country_name(region: str | None, lang: Lang) -> str:
    if not region:
        return "?"
    example = phonenumbers.example_number(region)
    name = geocoder.country_name_for_number(example, lang) if example else ""
    return name or region


def _item(value: Any, lang: Lang) -> str:
    if isinstance(value, Organization):
        return org_label(value, lang)
    if isinstance(value, OfficialEntry):  # a number to call: unconfirmed ones say so
        return messages.number_with_caveat(display_key(value.key), value.number.confidence, lang)
    return str(value)


def reason_text(kb: Knowledge, signal: Signal, lang: Lang) -> str:
    """The words of the signal's reason: of a signal made once per snapshot (kept), made once per
    language and kept with it, as `_message` gives them (tests/core/test_kept_reasons.py)."""
    if not signal.kept:
        return _message(signal, lang)
    return kb.once_of(signal, ("reason", lang), lambda: _message(signal, lang))


def _message(signal: Signal, lang: Lang) -> str:
    fields: dict[str, Any] = {}
    for name, value in signal.fields.items():
        if isinstance(value, Organization):
            value = org_label(value, lang)
        elif isinstance(value, list):
            value = messages.join([_item(v, lang) for v in value], lang)
        elif name == "confidence":
            value = messages.confidence(value, lang)
        fields[name] = value
    if "region" in fields:
        fields["country"] = country_name(fields["region"], lang)
    return messages.reason(signal.code, lang, **fields)

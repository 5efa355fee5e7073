"""Checking a pasted SMS or page, shared by POST /api/v1/verify/text and the home page: every
number verified against the organisation the text names, every link judged, every cue found,
and the verdict of the whole text (verifier.core.text)."""

from __future__ import annotations

from collections.abc import Callable

from registry.models import Organization
from verifier.actions.verify import verify
from verifier.core import messages
from verifier.core.answers import org_ref
from verifier.core.knowledge import Knowledge
from verifier.core.messages import Lang
from verifier.core.numbers.reading import NotANumber, normalise
from verifier.core.signals import Verdict
from verifier.core.text.budget import CANDIDATES_PER_CHECK, TooManyChecks, checks_cost, too_many_candidates
from verifier.core.text.cues import find_cues
from verifier.core.text.digits import DigitKind, TooManyCandidates, classify_digits
from verifier.core.text.links import FoundLink, find_links
from verifier.core.text.scan import numbers_of
from verifier.core.text.verdict import LinkEvidence, NumberEvidence, judge_text
from verifier.core.verdict import org_label
from verifier.schemas.answers import (
    OrgRef,
    ReasonOut,
    TextCue,
    TextLink,
    TextNumber,
    TextRequest,
    TextResponse,
    TextSkipped,
    VerifyResponse,
)


def scan(kb: Knowledge, body: TextRequest, said_org: str | None = None, max_checks: int | None = None,
         charge: Callable[[int], None] | None = None) -> TextResponse:
    """`scan_text` over a knowledge snapshot. Numbers are verified, and links judged, against
    the organisations the text names; when it names none, against `said_org` (who the person
    says the message claimed to be), if given.

    With `max_checks`, a text with more numbers and links than that raises TooManyChecks before
    any is verified (verifier.core.text.budget); `charge`, if given, is called with the text's
    cost (checks_cost) once they are counted, before they are checked, and may refuse (raise)."""
    text, lang, region = body.text, body.lang, (body.region or "CN").upper()
    if max_checks is not None and too_many_candidates(text, max_checks):
        raise TooManyChecks(max_checks)
    found_links = find_links(text, stop_after=max_checks)
    if max_checks is not None and len(found_links) > max_checks:
        raise TooManyChecks(max_checks)
    try:
        runs = classify_digits(text, region, [(link.start, link.end) for link in found_links],
                               max_phone_candidates=None if max_checks is None else CANDIDATES_PER_CHECK * max_checks)
    except TooManyCandidates as exc:
        raise TooManyChecks(max_checks or 0) from exc
    phone_runs = numbers_of(text, runs) if max_checks is None else numbers_of(text, runs, max_checks + 1)
    if max_checks is not None and len(phone_runs) + len(found_links) > max_checks:
        raise TooManyChecks(max_checks)
    if charge is not None:
        charge(checks_cost(len(phone_runs), len(found_links), len(text)))
    mentioned = kb.names.mentions(text)
    claims = mentioned
    if not mentioned and said_org:
        said = kb.names.match(said_org).organization
        claims = [said] if said is not None else []
    numbers: list[TextNumber] = []
    skipped = [TextSkipped(found=r.text, start=r.start, end=r.end, kind=r.kind.value)
               for r in runs if r.kind is not DigitKind.phone]
    for found in phone_runs:
        claimed = _claim_for(found.text, mentioned, kb, body.region)  # named by the text: an inferred claim
        inferred = claimed is not None
        if claimed is None and not mentioned:
            claimed = said_org  # who the person says the message claimed to be
        try:
            result = verify(kb, found.text, region=body.region, claimed_org=claimed, context=body.context, lang=lang,
                            claim_inferred=inferred)
        except NotANumber:
            skipped.append(TextSkipped(found=found.text, start=found.start, end=found.end, kind="other"))
            continue
        numbers.append(TextNumber(found=found.text, start=found.start, end=found.end, result=result))
    skipped.sort(key=lambda s: s.start)
    links = [_judge_link(kb, link, claims, lang) for link in found_links]
    cues = find_cues(text)
    judgement = judge_text(
        [NumberEvidence(n.found, n.result.verdict, n.result.risk_score, _detail(n.result)) for n in numbers],
        [LinkEvidence(link.found, link.code, link.verdict, risk, link.message) for link, risk in links],
        cues, lang)
    return TextResponse(
        organizations_mentioned=[org_ref(o) for o in mentioned], numbers=numbers,
        links=[link for link, _ in links],
        cues=[TextCue(code=c.code, message=messages.reason(c.code, lang), strong=c.strong, channel=c.channel)
              for c in cues],
        skipped=skipped, verdict=judgement.verdict, risk_score=judgement.risk_score,
        reasons=[ReasonOut(code=r.code, message=r.message) for r in judgement.reasons],
        advice=judgement.advice, lang=lang)


def _detail(result: VerifyResponse) -> str:
    """A number's own reason for its verdict, for the sentence about it in the text's reasons."""
    for reason in result.reasons:
        if reason.code not in _NEUTRAL_REASONS:
            return reason.message
    return result.reasons[0].message if result.reasons else ""


_NEUTRAL_REASONS = frozenset({"registry_match", "registry_match_shared", "no_signal"})


def _judge_link(kb: Knowledge, link: FoundLink, mentioned: list[Organization], lang: Lang) -> tuple[TextLink, int]:
    """The link's finding (verifier.core.text.links, judged on the snapshot's domain index, verifier.core.text.domains)
    as the API shows it, with its risk for the text's verdict."""
    finding = kb.domains.judge(link, mentioned)
    verdict = Verdict(finding.verdict) if finding.verdict else None
    org = finding.organization
    return TextLink(found=link.text, start=link.start, end=link.end, host=link.host,
                    registrable_domain=link.registrable, code=finding.code, verdict=verdict,
                    message=_link_message(finding.code, dict(finding.fields or {}), lang),
                    organization=OrgRef.model_validate(org_ref(org)) if org is not None else None), finding.risk


def _link_message(code: str, fields: dict[str, object], lang: Lang) -> str:
    if code not in messages.REASONS:
        return ""
    shown: dict[str, object] = {}
    for name, value in fields.items():
        if isinstance(value, Organization):
            value = org_label(value, lang)
        elif isinstance(value, (list, tuple)):
            value = messages.join([org_label(v, lang) if isinstance(v, Organization) else str(v) for v in value], lang)
        shown[name] = value
    try:
        return messages.reason(code, lang, **shown)
    except KeyError:  # a field the sentence needs was not given
        return messages.REASONS[code][lang]


def _claim_for(text: str, mentioned: list[Organization], kb: Knowledge, region: str | None) -> str | None:
    """The organisation a number in a text speaks for: one it belongs to, else the first named."""
    if not mentioned:
        return None
    try:
        key = normalise(text, (region or "CN").upper()).key
    except NotANumber:
        return mentioned[0].id
    for org in mentioned:
        if key in kb.keys_of(org.id):
            return org.id
    return mentioned[0].id

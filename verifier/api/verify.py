"""/api/v1/verify, /verify/batch and /verify/text."""

from __future__ import annotations

from collections import Counter

import orjson
from aiohttp import web

from registry.models import Organization
from verifier import messages
from verifier.access import caller_of, charge_verify
from verifier.api.io import json_bytes, json_response, operation, read_json, read_query
from verifier.api.schemas import (
    BatchRequest,
    BatchResponse,
    Lang,
    OrgRef,
    ReasonOut,
    TextCue,
    TextLink,
    TextNumber,
    TextRequest,
    TextResponse,
    TextSkipped,
    VerifyRequest,
    VerifyResponse,
)
from verifier.cues import find_cues
from verifier.engine import org_label
from verifier.keys import SERVICE, SETTINGS, service_of
from verifier.knowledge import Knowledge
from verifier.links import FoundLink, find_links
from verifier.metrics import METRICS
from verifier.numbers import NotANumber, normalise
from verifier.problems import ProblemError, problem_body
from verifier.signals import Verdict
from verifier.text_digits import DigitKind, classify_digits
from verifier.text_scan import numbers_of
from verifier.text_verdict import LinkEvidence, NumberEvidence, judge_text
from verifier.verification import org_ref, verify


def _not_a_number(exc: NotANumber, field: str, location: str) -> ProblemError:
    return ProblemError(400, str(exc), kind="not-a-number",
                        errors=[{"field": field, "in": location, "message": str(exc), "code": exc.code}])


def _answer(request: web.Request, body: VerifyRequest, location: str, query: str | None = None) -> web.Response:
    app = caller_of(request).app
    service = app[SERVICE]
    try:
        answer, verdict = service.answers.answer(service.knowledge, body.number, body.region, body.claimed_org,
                                                 body.context, body.lang, query)
    except NotANumber as exc:
        raise _not_a_number(exc, "number", location) from exc
    app[METRICS].verdict(verdict)
    return json_bytes(answer)


@operation("Verify one number", query=VerifyRequest, response=VerifyResponse, tags=("verify",), errors=(400, 401, 422, 429))
def verify_get(request: web.Request) -> web.Response:  # never waits: no coroutine of its own (verifier.edge)
    query = request.raw_path.partition("?")[2]  # as sent: a repeated question is found without decoding it
    app = caller_of(request).app
    service = app[SERVICE]
    entry = service.answers.for_query(service.knowledge, query)
    if entry is None:  # new, or its answer is stale: read the parameters (422 before any charge)
        body = read_query(request, VerifyRequest)
        charge_verify(request)
        return _answer(request, body, "query", query)
    charge_verify(request)
    app[METRICS].verdict(entry[5])
    return json_bytes(entry[4])


@operation("Verify one number (JSON body)", body=VerifyRequest, response=VerifyResponse, tags=("verify",), errors=(400, 401, 422, 429))
async def verify_post(request: web.Request) -> web.Response:
    body = await read_json(request, VerifyRequest)
    charge_verify(request)
    return _answer(request, body, "body")


@operation("Verify up to 1,000 numbers; a bad item gets its own error", body=BatchRequest,
           response=BatchResponse, tags=("verify",), errors=(400, 401, 413, 422, 429))
async def verify_batch(request: web.Request) -> web.Response:
    body = await read_json(request, BatchRequest)
    limit = request.app[SETTINGS].batch_max_items
    if len(body.items) > limit:
        raise ProblemError(413, f"A batch holds at most {limit} items (got {len(body.items)}).", kind="batch-too-large")
    charge_verify(request, len(body.items))
    service = service_of(request)
    kb, answers = service.knowledge, service.answers
    parts = []
    verdicts: Counter[str] = Counter()
    for index, item in enumerate(body.items):
        try:
            answer, verdict = answers.answer(kb, item.number, item.region or body.region, item.claimed_org,
                                             item.context or body.context, body.lang)
            verdicts[verdict] += 1
            parts.append(b'{"index":%d,"result":%s,"error":null}' % (index, answer))
        except NotANumber as exc:
            problem = _not_a_number(exc, f"items.{index}.number", "body")
            error = problem_body(400, problem.detail, problem.kind, request.path, problem.errors)
            parts.append(b'{"index":%d,"result":null,"error":%s}' % (index, orjson.dumps(error)))
    for verdict, count in verdicts.items():
        request.app[METRICS].verdict(verdict, count)
    return json_bytes(b'{"count":%d,"results":[%s]}' % (len(parts), b",".join(parts)))


@operation("Find and verify every number in a pasted SMS or web page", body=TextRequest,
           response=TextResponse, tags=("verify",), errors=(400, 401, 422, 429))
async def verify_text(request: web.Request) -> web.Response:
    body = await read_json(request, TextRequest)
    charge_verify(request)
    return json_response(scan_text(request, body))


def scan_text(request: web.Request, body: TextRequest) -> TextResponse:
    """Every number, link and scam-script cue in the text, and the verdict of the text as a whole."""
    return scan(service_of(request).knowledge, body)


def scan(kb: Knowledge, body: TextRequest, said_org: str | None = None) -> TextResponse:
    """`scan_text` over a knowledge snapshot. Numbers are verified, and links judged, against
    the organisations the text names; when it names none, against `said_org` (who the person
    says the message claimed to be), if given."""
    text, lang, region = body.text, body.lang, (body.region or "CN").upper()
    mentioned = kb.names.mentions(text)
    claims = mentioned
    if not mentioned and said_org:
        said = kb.names.match(said_org).organization
        claims = [said] if said is not None else []
    found_links = find_links(text)
    runs = classify_digits(text, region, [(link.start, link.end) for link in found_links])
    numbers: list[TextNumber] = []
    skipped = [TextSkipped(found=r.text, start=r.start, end=r.end, kind=r.kind.value)
               for r in runs if r.kind is not DigitKind.phone]
    for found in numbers_of(text, runs):
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
    """The link's finding (verifier.links, judged on the snapshot's domain index, verifier.domain_index)
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

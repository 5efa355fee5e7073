"""/api/v1/verify, /verify/batch and /verify/text."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
from aiohttp import web
from pydantic import TypeAdapter, ValidationError

from verifier.actions.check_text import scan
from verifier.core.numbers.reading import NotANumber
from verifier.core.text.budget import TooManyChecks
from verifier.http.app_keys import SERVICE, SETTINGS, service_of
from verifier.http.callers import caller_of, charge_verify
from verifier.http.io import json_bytes, json_response, number_only, operation, read_json, read_query, read_query_string
from verifier.http.problems import ProblemError, from_validation, not_a_number, problem_body, problem_lang, say
from verifier.ops.metrics import METRICS
from verifier.schemas.answers import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    TextRequest,
    TextResponse,
    VerifyRequest,
    VerifyResponse,
)

_ITEMS = TypeAdapter(list[BatchItem])


def _answer(request: web.Request, body: VerifyRequest | str, location: str, query: str | None = None) -> web.Response:
    """The answer to `body`, or to a number alone (str: asked with nothing else, lang zh)."""
    app = caller_of(request).app
    service = app[SERVICE]
    try:
        if isinstance(body, str):
            answer = service.answers.answer(service.knowledge, body, query=query)
        else:
            answer = service.answers.answer(service.knowledge, body.number, body.region, body.claimed_org,
                                            body.context, body.lang, query)
    except NotANumber as exc:
        raise not_a_number(exc, "number", location) from exc
    app[METRICS].verdict(answer.verdict)
    return json_bytes(answer.body)


@operation("Verify one number", query=VerifyRequest, response=VerifyResponse, tags=("verify",), errors=(400, 401, 422, 429))
def verify_get(request: web.Request) -> web.Response:  # never waits: no coroutine of its own (verifier.http.edge)
    query = request.raw_path.partition("?")[2]  # as sent: a repeated question is found without decoding it
    app = caller_of(request).app
    service = app[SERVICE]
    answer = service.answers.for_query(service.knowledge, query)
    if answer is None:  # new, or its answer is stale: read the parameters (422 before any charge)
        body = number_only(query) or read_query_string(query, VerifyRequest) or read_query(request, VerifyRequest)
        charge_verify(request)
        return _answer(request, body, "query", query)
    charge_verify(request)
    app[METRICS].verdict(answer.verdict)
    return json_bytes(answer.body)


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
        raise ProblemError(413, say("batch-too-large", limit=limit, count=len(body.items)), kind="batch-too-large")
    charge_verify(request, len(body.items))
    service = service_of(request)
    kb, answers = service.knowledge, service.answers
    parts = []
    verdicts: Counter[str] = Counter()
    for index, item in enumerate(_items(body.items)):
        if isinstance(item, ProblemError):
            parts.append(_item_error(request, index, item))
            continue
        try:
            answer = answers.answer(kb, item.number, item.region or body.region, item.claimed_org,
                                    item.context or body.context, body.lang)
            verdicts[answer.verdict] += 1
            parts.append(b'{"index":%d,"result":%s,"error":null}' % (index, answer.body))
        except NotANumber as exc:
            parts.append(_item_error(request, index, not_a_number(exc, f"items.{index}.number", "body")))
    for verdict, count in verdicts.items():
        request.app[METRICS].verdict(verdict, count)
    return json_bytes(b'{"count":%d,"results":[%s]}' % (len(parts), b",".join(parts)))


def _items(raw: list[Any]) -> list[BatchItem | ProblemError]:
    """Each item read as a BatchItem, or its own 422 problem naming the field (items.3.number).
    All at once while every item is well formed (the usual case), one by one when some is not."""
    try:
        return list(_ITEMS.validate_python(raw))
    except ValidationError:
        pass
    items: list[BatchItem | ProblemError] = []
    for index, value in enumerate(raw):
        try:
            items.append(BatchItem.model_validate(value))
        except ValidationError as exc:
            items.append(from_validation(exc, "body", prefix=f"items.{index}"))
    return items


def _item_error(request: web.Request, index: int, problem: ProblemError) -> bytes:
    error = problem_body(problem, request.path, problem_lang(request))
    return b'{"index":%d,"result":null,"error":%s}' % (index, orjson.dumps(error))


@operation("Find and verify every number in a pasted SMS or web page", body=TextRequest,
           response=TextResponse, tags=("verify",), errors=(400, 401, 413, 422, 429))
async def verify_text(request: web.Request) -> web.Response:
    body = await read_json(request, TextRequest)
    charge_verify(request)  # one unit before any reading; the rest once the checks are counted
    return json_response(scan_text(request, body))


def scan_text(request: web.Request, body: TextRequest) -> TextResponse:
    """Every number, link and scam-script cue in the text, and the verdict of the text as a whole.
    Charged one verify unit per number and link it checks; more than VERIFIER_TEXT_MAX_CHECKS of
    them: 413 before any is checked (verifier.core.text.budget)."""
    limit = request.app[SETTINGS].text_max_checks

    def charge(cost: int) -> None:
        if cost > 1:
            charge_verify(request, cost - 1)

    try:
        return scan(service_of(request).knowledge, body, max_checks=limit, charge=charge)
    except TooManyChecks as exc:
        raise ProblemError(413, say("text-too-many-checks", limit=limit), kind="text-too-many-checks") from exc

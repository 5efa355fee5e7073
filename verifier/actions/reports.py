"""Filing a report or an appeal, shared by the JSON API and the web form.

Identities are hashed here, before anything is stored: an app's reporter is its API key plus
the opaque id it sends; a web reporter is its browser cookie (or, without one, its address).
Limits apply per reporter and per client address.
"""

from __future__ import annotations

from aiohttp import web

from registry.records import Appeal, NewAppeal, NewReport
from verifier.core.answers import DEFAULT_REGION
from verifier.core.numbers.reading import NormalisedNumber, NotANumber, normalise
from verifier.http.app_keys import SETTINGS, hasher_of, service_of
from verifier.http.callers import HOUR, Limit, caller_of, charge_shared
from verifier.http.problems import not_a_number
from verifier.schemas.moderation import AppealRequest, ReportRequest


def read_number(raw: str, region: str | None, field: str = "number", location: str = "body") -> NormalisedNumber:
    try:
        return normalise(raw, (region or DEFAULT_REGION).upper())
    except NotANumber as exc:
        raise not_a_number(exc, field, location) from exc


def reporter_hash(request: web.Request, reporter_id: str | None, cookie: str | None) -> str:
    caller, keyed = caller_of(request), hasher_of(request)
    if caller.api_key is not None:
        return keyed.hash("app-reporter", str(caller.api_key.id), reporter_id or "-")
    if cookie:
        return keyed.hash("web-reporter", cookie)
    return keyed.hash("address-reporter", caller.address)


async def file_report(request: web.Request, body: ReportRequest, *, cookie: str | None = None) -> int:
    """Files a report; returns its id once it is committed."""
    number = read_number(body.number, body.region)
    caller, settings = caller_of(request), request.app[SETTINGS]
    reporter = reporter_hash(request, body.reporter_id, cookie)
    limits: list[Limit] = [("report-reporter", reporter, settings.reports_per_reporter_per_hour, HOUR)]
    if caller.api_key is None:
        limits.append(("report-address", caller.address_hash, settings.reports_per_address_per_hour, HOUR))
    await charge_shared(request, limits)
    report = NewReport(  # (validating in pydantic-core is faster than model_construct's Python loop)
        number_key=number.key,
        number=body.number.strip(),
        region=number.region or (body.region or DEFAULT_REGION).upper(),
        category=body.category,
        claimed_org=body.claimed_org,
        channel=body.channel,
        description=body.description,
        occurred_at=body.occurred_at,
        evidence_url=body.evidence_url,
        reporter_hash=reporter,
        client_hash=caller.address_hash,
        api_key_id=caller.api_key.id if caller.api_key else None,
    )
    return await service_of(request).submit_report(report)


async def file_appeal(request: web.Request, body: AppealRequest) -> Appeal:
    number = read_number(body.number, body.region)
    caller, settings = caller_of(request), request.app[SETTINGS]
    await charge_shared(request, [("report-address", caller.address_hash, settings.reports_per_address_per_hour, HOUR)])
    appeal = NewAppeal(number_key=number.key, number=body.number.strip(), statement=body.statement,
                       contact=body.contact, client_hash=caller.address_hash)
    return await service_of(request).submit_appeal(appeal)

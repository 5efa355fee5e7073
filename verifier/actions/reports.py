"""Filing a report or an appeal, shared by the JSON API and the web form.

Identities are hashed here, before anything is stored: an app's reporter is its API key plus
the opaque id it sends; a web reporter is its browser cookie (the web form passes it); an
anonymous API reporter is its address (the JSON API never takes the cookie as an identity).
Limits apply per reporter, per client address, and per API key (its own rate covers reports).
Who a report counts as, its voice, is decided here and stored with it (`voice_of`; the model:
verifier/core/voices.py).
"""

from __future__ import annotations

from aiohttp import web

from registry.records import Appeal, NewAppeal, NewReport
from verifier.core.answers import DEFAULT_REGION
from verifier.core.numbers.reading import NormalisedNumber, NotANumber, normalise
from verifier.http.app_keys import SETTINGS, contacts_of, hasher_of, service_of
from verifier.http.callers import HOUR, Limit, caller_of, charge_shared, charge_verify, take_shared
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


async def voice_of(request: web.Request, reporter: str, reporter_id: str | None) -> str | None:
    """Who a keyed report counts as: its user while the key vouches this hour (its `vouches`, else
    VERIFIER_KEY_VOUCHES_PER_HOUR), else the key's one voice (the key's reporter without an id).
    None (the address: verifier/core/voices.py) for anonymous and web reports."""
    key = caller_of(request).api_key
    if key is None:
        return None
    shared = hasher_of(request).hash("app-reporter", str(key.id), "-")
    if not reporter_id or reporter == shared:
        return shared
    vouches = key.vouches if key.vouches is not None else request.app[SETTINGS].key_vouches_per_hour
    return reporter if await take_shared(request, ("key-vouched", str(key.id), vouches, HOUR)) else shared


async def file_report(request: web.Request, body: ReportRequest, *, cookie: str | None = None) -> int:
    """Files a report; returns its id once it is committed. `cookie`: the web form's reporter cookie."""
    number = read_number(body.number, body.region)
    caller, settings = caller_of(request), request.app[SETTINGS]
    if caller.api_key is not None:
        charge_verify(request)  # the key's own rate (requests a minute) covers its reports too
    reporter = reporter_hash(request, body.reporter_id, cookie)
    limits: list[Limit] = [("report-reporter", reporter, settings.reports_per_reporter_per_hour, HOUR)]
    if caller.api_key is None:
        limits.append(("report-address", caller.address_hash, settings.reports_per_address_per_hour, HOUR))
    await charge_shared(request, limits)
    voice = await voice_of(request, reporter, body.reporter_id)
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
        voice_hash=voice,
    )
    return await service_of(request).submit_report(report)


async def file_appeal(request: web.Request, body: AppealRequest) -> Appeal:
    number = read_number(body.number, body.region)
    caller, settings = caller_of(request), request.app[SETTINGS]
    await charge_shared(request, [("report-address", caller.address_hash, settings.reports_per_address_per_hour, HOUR)])
    appeal = NewAppeal(number_key=number.key, number=body.number.strip(), statement=body.statement,
                       contact=contacts_of(request).seal(body.contact), client_hash=caller.address_hash)  # sealed at rest
    return await service_of(request).submit_appeal(appeal)

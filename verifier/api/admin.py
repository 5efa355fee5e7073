"""/api/v1/admin: administrators keep the registry right; every change is audited."""

from __future__ import annotations

from aiohttp import web

from registry.models import Organization
from verifier.core.knowledge import official_key
from verifier.core.numbers.reading import NotANumber
from verifier.http.app_keys import service_of
from verifier.http.callers import moderator_name
from verifier.http.io import json_response, operation, read_json
from verifier.http.problems import ProblemError, not_a_number, say
from verifier.schemas.moderation import Changed, OrganizationUpdate, SourcedNumber

ADMIN = {"tags": ("admin",), "auth": "admin"}
ORG_ID = {"type": "string", "examples": ["icbc"]}
NUMBER_KEY = {"type": "string", "description": "The number's canonical key.", "examples": ["CN:95588"]}


class NewOrganization(Organization):
    numbers: list[SourcedNumber] = []  # type: ignore[assignment]


def _org(request: web.Request, org_id: str) -> Organization:
    org = service_of(request).knowledge.organizations.get(org_id)
    if org is None:
        raise ProblemError(404, say("no-such-org", org_id=org_id), kind="not-found")
    return org


def _key(number: SourcedNumber, field: str = "number") -> str:
    try:
        return official_key(number)
    except NotANumber as exc:
        # 400 not-a-number, like every other operation that reads a number
        raise not_a_number(exc, field, "body") from exc


@operation("Create an organisation (with its official numbers, each with a source)", body=NewOrganization,
           response=Organization, status=201, errors=(409, 422), **ADMIN)
async def create_organization(request: web.Request) -> web.Response:
    body = await read_json(request, NewOrganization)
    for index, number in enumerate(body.numbers):
        _key(number, f"numbers.{index}.number")
    await service_of(request).create_organization(Organization.model_validate(body.model_dump()),
                                                  actor=moderator_name(request))
    return json_response(_org(request, body.id), status=201)


@operation("Change an organisation's names, aliases, category or domains", body=OrganizationUpdate,
           response=Organization, errors=(404, 422), path={"org_id": ORG_ID}, **ADMIN)
async def update_organization(request: web.Request) -> web.Response:
    org_id = request.match_info["org_id"]
    body = await read_json(request, OrganizationUpdate)
    # null leaves a field as it is, except name_en, which may be cleared
    values = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "name_en"}
    await service_of(request).update_organization(org_id, values, actor=moderator_name(request))
    return json_response(_org(request, org_id))


@operation("Add an official number to an organisation", body=SourcedNumber, response=Changed, status=201,
           errors=(404, 409, 422), path={"org_id": ORG_ID}, **ADMIN)
async def add_number(request: web.Request) -> web.Response:
    org_id = request.match_info["org_id"]
    body = await read_json(request, SourcedNumber)
    _key(body)
    outcome = await service_of(request).put_number(org_id, body, actor=moderator_name(request), must_exist=False)
    return json_response(Changed(outcome=outcome), status=201)


@operation("Change an official number (its key is in the path)", body=SourcedNumber, response=Changed,
           errors=(404, 422), path={"org_id": ORG_ID, "key": NUMBER_KEY}, **ADMIN)
async def update_number(request: web.Request) -> web.Response:
    org_id, key = request.match_info["org_id"], request.match_info["key"]
    body = await read_json(request, SourcedNumber)
    if _key(body) != key:
        raise ProblemError(422, say("key-differs", body_key=_key(body), path_key=key), kind="invalid-input",
                           errors=[{"field": "number", "in": "body", "message": "key differs", "code": "key_differs"}])
    outcome = await service_of(request).put_number(org_id, body, actor=moderator_name(request), must_exist=True)
    return json_response(Changed(outcome=outcome))


@operation("Remove an official number from an organisation", status=204, errors=(404,),
           path={"org_id": ORG_ID, "key": NUMBER_KEY}, **ADMIN)
async def delete_number(request: web.Request) -> web.Response:
    org_id, key = request.match_info["org_id"], request.match_info["key"]
    await service_of(request).delete_number(org_id, key, actor=moderator_name(request))
    return web.Response(status=204)

"""/api/v1/organizations: the registry, searchable, with every number's provenance."""

from __future__ import annotations

from aiohttp import web
from pydantic import Field

from verifier.core.answers import organization_out
from verifier.http.app_keys import service_of
from verifier.http.io import json_response, operation, read_query
from verifier.http.problems import ProblemError, say
from verifier.schemas.answers import OrganizationOut, OrgList, OrgSummary, Strict


class OrgQuery(Strict):  # unknown parameters are refused, as on every other operation
    q: str = Field(default="", max_length=100, description="Part of a name, English name, alias or id.")
    limit: int = Field(default=20, ge=1, le=200)


@operation("Search organisations by name or alias", query=OrgQuery, response=OrgList, tags=("registry",))
async def list_organizations(request: web.Request) -> web.Response:
    query = read_query(request, OrgQuery)
    orgs = service_of(request).knowledge.names.search(query.q, query.limit)
    return json_response(OrgList(items=[
        OrgSummary(id=o.id, name=o.name, name_en=o.name_en, category=o.category.value, aliases=o.aliases,
                   number_count=len(o.numbers))
        for o in orgs
    ]))


@operation("One organisation with its official numbers and their sources", response=OrganizationOut,
           tags=("registry",), errors=(404,), path={"org_id": {"type": "string", "examples": ["icbc"]}})
async def get_organization(request: web.Request) -> web.Response:
    org_id = request.match_info["org_id"]
    org = service_of(request).knowledge.organizations.get(org_id)
    if org is None:
        raise ProblemError(404, say("no-such-org", org_id=org_id), kind="not-found")
    return json_response(OrganizationOut.model_validate(organization_out(service_of(request).knowledge, org)))

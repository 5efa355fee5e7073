"""/api/v1/blocklist (incremental scam feed) and /api/v1/verify/prefix/{hex} (private lookup)."""

from __future__ import annotations

import re
from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, Field, StringConstraints

from verifier.core.answers import verify_payload
from verifier.core.numbers.reading import NotANumber
from verifier.http.app_keys import service_of
from verifier.http.callers import charge_verify
from verifier.http.io import json_response, operation, read_query
from verifier.http.problems import ProblemError, say
from verifier.schemas.answers import OrgRef, Strict

_PREFIX = re.compile(r"^[0-9a-f]{4,6}$")


class BlocklistQuery(Strict):
    since: int | None = Field(default=None, ge=0, le=2**63 - 1,  # a database integer: larger ones crashed the query
                              description="Version from a previous sync: only changes after it.")
    after: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description="Full export: continue after this key (the previous page's next_after).")
    limit: int = Field(default=5000, ge=1, le=10000)


class BlockedNumber(BaseModel):
    key: str = Field(description="Canonical key (docs/private-lookup.md): E.164, or REGION:digits for short codes.")
    e164: str | None
    added_version: int


class BlocklistResponse(BaseModel):
    version: int = Field(description="The feed's version now: pass it as `since` next time.")
    full: bool = Field(description="True for the full export (no `since`), false for changes.")
    numbers: list[BlockedNumber] = Field(default_factory=list, description="Full export: the numbers on the list.")
    added: list[BlockedNumber] = Field(default_factory=list, description="Changes: numbers that joined the list.")
    removed: list[str] = Field(default_factory=list, description="Changes: keys that left it (rejections, appeals).")
    more: bool = Field(description="More remains: ask again with next_since or next_after.")
    next_since: int | None = None
    next_after: str | None = None


def _blocked(key: str, version: int) -> BlockedNumber:
    return BlockedNumber(key=key, e164=key if key.startswith("+") else None, added_version=version)


@operation("Scam numbers for call blockers: a full export, then only the changes since a version",
           query=BlocklistQuery, response=BlocklistResponse, tags=("feeds",), errors=(401, 422, 429))
async def blocklist(request: web.Request) -> web.Response:
    query = read_query(request, BlocklistQuery)
    charge_verify(request)
    service = service_of(request)
    version = await service.store.blocklist_version()  # read: another process may have moved it
    if query.since is None:
        page = await service.store.blocklist_entries(query.after or "", query.limit)
        more = len(page) == query.limit
        return json_response(BlocklistResponse(
            version=version, full=True, numbers=[_blocked(key, v) for key, v in page], more=more,
            next_after=page[-1][0] if more else None, next_since=None if more else version))
    changes = await service.store.blocklist_changes(query.since, query.limit)
    latest: dict[str, tuple[int, str]] = {}
    for change_version, key, action in changes:  # a key added then removed in the window: only the last counts
        latest[key] = (change_version, action)
    more = len(changes) == query.limit
    return json_response(BlocklistResponse(
        version=version, full=False,
        added=[_blocked(key, v) for key, (v, action) in sorted(latest.items()) if action == "add"],
        removed=sorted(key for key, (_, action) in latest.items() if action == "remove"),
        more=more, next_since=changes[-1][0] if changes else query.since))


class PrefixEntry(BaseModel):
    hash: str = Field(description="SHA-256 of the canonical key, lowercase hex.")
    verdict: str
    risk_score: int
    organization: OrgRef | None
    reports_approved: int
    reports_pending: int


class PrefixResponse(BaseModel):
    prefix: str
    entries: list[PrefixEntry]


@operation("Private lookup: every known number whose SHA-256(key) starts with these 4-6 hex digits",
           response=PrefixResponse, tags=("verify",), errors=(401, 422, 429),
           path={"prefix": {"type": "string", "pattern": "^[0-9a-fA-F]{4,6}$", "examples": ["a1b2"]}})
async def verify_prefix(request: web.Request) -> web.Response:
    prefix = request.match_info["prefix"].lower()
    if not _PREFIX.match(prefix):
        raise ProblemError(422, say("bad-prefix"),
                           kind="invalid-input",
                           errors=[{"field": "prefix", "in": "path", "message": "4-6 hex digits"}])
    charge_verify(request)
    service = service_of(request)
    kb = service.knowledge
    entries = []
    for digest, key in service.bucket(prefix):
        region, _, digits = key.partition(":")
        raw, region_code = (key, None) if key.startswith("+") else (digits, region)
        try:
            answer = verify_payload(kb, raw, region=region_code)
        except NotANumber:
            continue
        entries.append(PrefixEntry(hash=digest, verdict=answer["verdict"], risk_score=answer["risk_score"],
                                   organization=answer["organization"],
                                   reports_approved=answer["reports"]["approved"],
                                   reports_pending=answer["reports"]["pending"]))
    return json_response(PrefixResponse(prefix=prefix, entries=entries))

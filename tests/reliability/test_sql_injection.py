"""Hostile text stays text: SQL-injection strings in every parameter of every API operation.

Every path parameter, query parameter and JSON field (nested ones too) of every operation in
the OpenAPI document gets each string of the corpus, one place at a time, next to otherwise
valid values. Never a 500; afterwards the schema, the users, the API keys, the sessions and the
registry (but for the test's own organisations) are exactly as before, and every report, appeal,
note and registry field written from the corpus holds the string verbatim.
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import login_as
from verifier.api.openapi import build_openapi
from verifier.http.app_keys import CONTACTS, SERVICE

CORPUS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '" OR ""="',
    "'; DROP TABLE reports; --",
    '"; DROP TABLE reports; --',
    "1) UNION SELECT name, sql FROM sqlite_master --",
    "1 UNION SELECT username, password_hash FROM users",
    "admin'--",
    "') OR ('a'='a",
    "1; UPDATE users SET role = 'admin'",
    "%' AND 1=0 UNION SELECT 1,2,3 --",
    "' || (SELECT password_hash FROM users LIMIT 1) || '",
    "1' AND sqlite_version() > '0",
    "'; ATTACH DATABASE '/tmp/hv-pwned.db' AS pwned; --",
    "95588' OR 1=1 --",
    "CN:95588' --",
    "1 OR 1=1",
    "'||'",
    "?1",
    ":name $1 @p",
    "\\'; DELETE FROM audit_log; --",
    "１＇ OR ＇1＇＝＇1",
    "' OR 1=1 --\u0000",
]
SLOW_CORPUS = CORPUS[:6]  # login runs Argon2id for each attempt: a sample there
ORG = "sqli-org"

# Valid values for everything the payload is not in. Path templates are filled per operation.
PATH_VALUES = {"org_id": ORG, "key": "+864001000000", "report_id": "1", "appeal_id": "1", "prefix": "a1b2"}
QUERY_VALUES: dict[str, dict[str, str]] = {
    "/api/v1/verify": {"number": "95588"},
}
_counter = itertools.count()


def body_for(method: str, path: str) -> dict[str, Any] | None:
    """A valid body for the operation (fresh ids and numbers where they must be unique)."""
    n = next(_counter)
    number = {"number": f"4001{n:06d}", "confidence": "single_source", "source_note": "a leaflet",
              "label": "label", "variants": ["400 1"], "source_url": "https://example.org/source"}
    bodies = {
        ("POST", "/api/v1/verify"): {"number": "95588", "claimed_org": "工商银行", "region": "CN",
                                     "context": "incoming_call", "lang": "en"},
        ("POST", "/api/v1/verify/batch"): {"items": [{"number": "95588", "claimed_org": "工商银行", "region": "CN",
                                                       "context": "incoming_call"}], "region": "CN",
                                            "context": "incoming_call", "lang": "en"},
        ("POST", "/api/v1/verify/text"): {"text": "请致电 95588", "region": "CN", "context": "sms", "lang": "en"},
        ("POST", "/api/v1/reports"): {"number": "13912345678", "region": "CN", "category": "refund_scam",
                                      "claimed_org": "工商银行", "channel": "incoming_call", "description": "退款",
                                      "occurred_at": "2026-01-02T03:04:05Z",
                                      "evidence_url": "https://example.org/x", "reporter_id": "u-1"},
        ("POST", "/api/v1/appeals"): {"number": "13912345678", "region": "CN",
                                      "statement": "This is our shop's landline.", "contact": "shop@example.org"},
        ("POST", "/api/v1/auth/login"): {"username": "admin-user", "password": "not the password"},
        ("POST", "/api/v1/moderation/reports/{report_id}/decision"): {"decision": "reject", "note": "a note"},
        ("POST", "/api/v1/moderation/numbers/decision"): {"number": "13912345678", "region": "CN",
                                                          "decision": "reject", "note": "a note"},
        ("POST", "/api/v1/moderation/appeals/{appeal_id}/decision"): {"decision": "uphold", "note": "a note"},
        ("POST", "/api/v1/admin/organizations"): {"id": f"sqli-new-{n}", "name": "新机构", "name_en": "New",
                                                  "aliases": ["别名"], "category": "other",
                                                  "domains": ["example.org"], "numbers": [number]},
        ("PATCH", "/api/v1/admin/organizations/{org_id}"): {"name": "测试机构", "name_en": "Test", "aliases": ["测试"],
                                                            "category": "other", "domains": ["example.org"]},
        ("POST", "/api/v1/admin/organizations/{org_id}/numbers"): number,
        ("PUT", "/api/v1/admin/organizations/{org_id}/numbers/{key}"): {**number, "number": "4001000000"},
    }
    return copy.deepcopy(bodies[(method, path)]) if (method, path) in bodies else None


def placements(body: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place a value sits in a JSON body: top-level fields, list items, fields of list items."""
    places: list[tuple[Any, ...]] = []
    if isinstance(body, dict):
        for key, value in body.items():
            places.append((*prefix, key))
            if isinstance(value, list | dict):
                places += placements(value, (*prefix, key))
    elif isinstance(body, list) and body:
        places += [(*prefix, 0)] if not isinstance(body[0], dict) else placements(body[0], (*prefix, 0))
    return places


def put(body: Any, place: tuple[Any, ...], value: str) -> Any:
    body = copy.deepcopy(body)
    target = body
    for step in place[:-1]:
        target = target[step]
    target[place[-1]] = value
    return body


def cases(spec: dict[str, Any]) -> list[tuple[str, str, str, dict[str, str], Any, str, tuple[Any, ...]]]:
    """(method, path template, url, query, body, payload, where) for every placement of every payload."""
    out = []
    for path, methods in sorted(spec["paths"].items()):
        for method, op in sorted(methods.items()):
            method = method.upper()
            corpus = SLOW_CORPUS if path == "/api/v1/auth/login" else CORPUS
            params = op.get("parameters", [])
            base_query = QUERY_VALUES.get(path, {}) if method == "GET" else {}
            body = body_for(method, path) if "requestBody" in op else None
            assert ("requestBody" in op) == (body is not None), f"no test body for {method} {path}"

            def url(values: dict[str, str], template: str = path) -> str:
                for name, value in values.items():
                    template = template.replace("{" + name + "}", quote(value, safe=""))
                return template

            path_values = {p["name"]: PATH_VALUES[p["name"]] for p in params if p["in"] == "path"}
            for payload in corpus:
                for p in params:
                    if p["in"] == "path":
                        out.append((method, path, url({**path_values, p["name"]: payload}), base_query,
                                    body_for(method, path) if body is not None else None, payload, ("path", p["name"])))
                    else:
                        out.append((method, path, url(path_values), {**base_query, p["name"]: payload},
                                    body_for(method, path) if body is not None else None, payload,
                                    ("query", p["name"])))
                for place in placements(body):
                    out.append((method, path, url(path_values), base_query, put(body_for(method, path), place, payload),
                                payload, ("body", *place)))
    return out


async def state(client: Any) -> dict[str, Any]:
    db = client.app[SERVICE].store.db
    own = "org_id LIKE 'sqli-%'"
    return {
        "schema": await db.fetchall("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"),
        "users": await db.fetchall("SELECT * FROM users ORDER BY id"),
        "api_keys": await db.fetchall("SELECT * FROM api_keys ORDER BY id"),
        "sessions": await db.fetchall("SELECT * FROM sessions ORDER BY token_hash"),
        "organizations": await db.fetchall("SELECT * FROM organizations WHERE id NOT LIKE 'sqli-%' ORDER BY id"),
        "official_numbers": await db.fetchall(f"SELECT * FROM official_numbers WHERE NOT {own} ORDER BY id"),
        "old reports": await db.fetchall("SELECT id, number_key, description FROM reports ORDER BY id"),
        "audit_log": await db.fetchall("SELECT * FROM audit_log ORDER BY id"),
        "databases": await db.fetchall("PRAGMA database_list"),
    }


def same(before: list[Any], after: list[Any]) -> bool:
    return [tuple(r) for r in before] == [tuple(r) for r in after]


@pytest.mark.slow
async def test_sql_injection_strings_in_every_parameter_are_only_ever_text(make_client: Any) -> None:
    client = await make_client(reports_per_address_per_hour=1_000_000, reports_per_reporter_per_hour=1_000_000,
                               anonymous_requests_per_minute=1_000_000, login_failures_allowed=1_000_000)
    admin = await login_as(client, "admin")
    db = client.app[SERVICE].store.db
    seeded = await client.post("/api/v1/admin/organizations", headers=admin, json={
        "id": ORG, "name": "注入测试", "numbers": [{"number": "4001000000", "confidence": "single_source",
                                                    "source_note": "test"}]})
    assert seeded.status == 201, await seeded.text()
    report = await client.post("/api/v1/reports", json={"number": "13912345678", "category": "other"})
    appeal = await client.post("/api/v1/appeals", json={"number": "13912345678", "statement": "Our shop's line.",
                                                        "contact": "shop@example.org"})
    assert report.status == appeal.status == 202
    before = await state(client)

    spec = build_openapi(client.app)
    all_cases = cases(spec)
    assert {(m, p) for m, p, *_ in all_cases} == {(m.upper(), p) for p, ms in spec["paths"].items() for m in ms
                                                  if p not in ("/healthz", "/readyz", "/api/v1/auth/logout")}
    statuses: dict[int, int] = {}
    stored: list[tuple[str, tuple[Any, ...], str, Any]] = []  # (operation, where, payload, answer)
    for method, template, url, query, body, payload, where in all_cases:
        headers = admin if "/moderation/" in template or "/admin/" in template else {}
        response = await client.request(method, url, params=query, json=body, headers=headers)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        text = await response.text()
        assert response.status < 500, (method, url, query, body, response.status, text)
        assert response.content_type in ("application/json", "application/problem+json"), (method, url, text)
        if response.status in (200, 201, 202) and method != "GET":
            stored.append((f"{method} {template}", where, payload, await response.json()))
    # headers and cookies that reach the store: API keys, login cookies, reporter cookies
    for payload in CORPUS:
        if payload.isascii() and "\u0000" not in payload:
            for headers in ({"X-API-Key": payload}, {"Authorization": f"Bearer {payload}"},
                            {"X-API-Key": "hvk_" + payload}):
                response = await client.get("/api/v1/verify", params={"number": "95588"}, headers=headers)
                assert response.status == 401, (headers, await response.text())
            response = await client.get("/api/v1/moderation/reports", cookies={"hv_session": payload})
            assert response.status == 401
            response = await client.post("/api/v1/reports", json={"number": "13912345678", "category": "other"},
                                         cookies={"hv_reporter": payload})
            assert response.status == 202
    # a filter that would match everything if it were spliced into the SQL matches nothing
    for field in ("actor", "action", "target_type", "target_id"):
        response = await client.get("/api/v1/moderation/audit", params={field: "' OR 1=1 --"}, headers=admin)
        assert (await response.json())["items"] == []

    after = await state(client)
    for name in ("schema", "users", "api_keys", "sessions", "organizations", "official_numbers", "databases"):
        assert same(before[name], after[name]), name
    assert same(before["old reports"], after["old reports"][: len(before["old reports"])])
    assert same(before["audit_log"], after["audit_log"][: len(before["audit_log"])])  # only ever appended to

    # what was written from the corpus is the corpus, verbatim
    checked = 0
    for operation, where, payload, answer in stored:
        field = where[-1]
        if operation == "POST /api/v1/reports" and field in ("claimed_org", "description"):
            row = await db.fetchone(f"SELECT {field} FROM reports WHERE id = ?", (answer["id"],))
        elif operation == "POST /api/v1/appeals" and field in ("statement", "contact"):
            row = await db.fetchone(f"SELECT {field} FROM appeals WHERE id = ?", (answer["id"],))
            if field == "contact" and row is not None:  # sealed at rest: verbatim once opened
                row = (client.app[CONTACTS].open(row[0]),)
        elif operation == "POST /api/v1/moderation/reports/{report_id}/decision" and field == "note":
            row = await db.fetchone("SELECT decision_note FROM reports WHERE id = ?", (answer["id"],))
        elif operation == "POST /api/v1/moderation/numbers/decision" and field == "note":
            row = await db.fetchone("SELECT decision_note FROM reports WHERE id = ?", (answer["reports"][0]["id"],))
        elif operation == "POST /api/v1/moderation/appeals/{appeal_id}/decision" and field == "note":
            row = await db.fetchone("SELECT decision_note FROM appeals WHERE id = ?", (answer["appeal"]["id"],))
        elif operation == "POST /api/v1/admin/organizations" and field in ("name", "name_en"):
            row = await db.fetchone(f"SELECT {field} FROM organizations WHERE id = ?", (answer["id"],))
        elif operation == "POST /api/v1/admin/organizations" and where[1:] == ("aliases", 0):
            aliases = await db.fetchval("SELECT aliases FROM organizations WHERE id = ?", (answer["id"],))
            row = (json.loads(aliases)[0],)
        elif operation == "POST /api/v1/admin/organizations" and where[1:3] == ("numbers", 0) and field in (
                "label", "source_note"):
            row = await db.fetchone(f"SELECT {field} FROM official_numbers WHERE org_id = ?", (answer["id"],))
        else:
            continue
        assert row is not None and row[0] == payload.strip(), (operation, where, payload, row and row[0])
        checked += 1
    assert checked >= len(CORPUS) * 4, checked
    assert statuses.get(500, 0) == 0 and sum(statuses.values()) > 1000, statuses
    print(f"\n{sum(statuses.values())} requests with injection strings: {dict(sorted(statuses.items()))}; "
          f"{checked} stored fields checked verbatim")

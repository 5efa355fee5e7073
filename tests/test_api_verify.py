"""The verify API end to end: real app, real SQLite file, shipped default registry."""

from __future__ import annotations

from typing import Any

from tests.conftest import assert_problem


async def test_verify_official_short_code_answers_official_with_its_source(client: Any) -> None:
    response = await client.get("/api/v1/verify", params={"number": "95588"})
    assert response.status == 200
    body = await response.json()
    assert body["verdict"] == "official"
    assert body["organization"]["id"] == "icbc" and body["organization"]["name"] == "中国工商银行"
    assert body["official_number"]["source_url"].startswith("http")
    assert body["official_number"]["confidence"] == "official_page"
    assert body["number"] == {**body["number"], "key": "CN:95588", "e164": None, "type": "short_code", "valid": True}
    assert body["reasons"][0]["code"] == "registry_match"
    assert body["advice"]


async def test_verify_myanmar_prefix_answers_suspicious_foreign_prefix(client: Any) -> None:
    response = await client.get("/api/v1/verify", params={"number": "+95588"})
    body = await response.json()
    assert body["verdict"] == "suspicious"
    assert "foreign_prefix_impersonation" in [r["code"] for r in body["reasons"]]
    assert body["imitates"]["organization"]["id"] == "icbc"
    assert body["risk_score"] >= 85


async def test_verify_post_takes_the_same_fields_as_json(client: Any) -> None:
    response = await client.post("/api/v1/verify", json={"number": "95588", "claimed_org": "百信银行", "lang": "en"})
    body = await response.json()
    assert body["verdict"] == "suspicious"
    assert body["claimed_organization"]["id"] == "citic-aibank"
    assert [n["number"] for n in body["claimed_official_numbers"]] == ["956186"]
    assert body["lang"] == "en"
    mismatch = next(r for r in body["reasons"] if r["code"] == "claimed_org_mismatch_other_owner")
    assert "ICBC" in mismatch["message"] and "956186" in mismatch["message"]


async def test_verify_answers_in_english_when_asked(client: Any) -> None:
    body = await (await client.get("/api/v1/verify", params={"number": "13800138000", "lang": "en"})).json()
    assert body["verdict"] == "unknown"
    assert body["advice"].isascii()
    assert body["number"]["location"] and body["number"]["carrier"]


async def test_text_that_is_no_number_gets_a_400_problem(client: Any) -> None:
    for bad in ("hello", "   ", "1" * 80):
        response = await client.get("/api/v1/verify", params={"number": bad})
        await assert_problem(response, 400, "number")
    await assert_problem(await client.get("/api/v1/verify", params={"number": "1" * 201}), 422, "number")


async def test_missing_number_is_a_422_naming_the_field(client: Any) -> None:
    await assert_problem(await client.get("/api/v1/verify"), 422, "number")


async def test_unknown_context_and_region_are_refused_by_name(client: Any) -> None:
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588", "context": "x"}), 422, "context")
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588", "region": "CHN"}), 422, "region")


async def test_batch_gives_each_bad_item_its_own_error(client: Any) -> None:
    items = [{"number": "95588"}, {"number": "no digits here"}, {"number": "+95588"}]
    response = await client.post("/api/v1/verify/batch", json={"items": items})
    assert response.status == 200
    body = await response.json()
    assert body["count"] == 3
    assert body["results"][0]["result"]["verdict"] == "official"
    assert body["results"][1]["result"] is None and body["results"][1]["error"]["status"] == 400
    assert body["results"][2]["result"]["verdict"] == "suspicious"


async def test_batch_of_1000_is_served_and_1001_is_refused(client: Any) -> None:
    from verifier.keys import SERVICE
    from verifier.secrets import API_KEY_PREFIX, new_token, token_digest

    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key("wallet-app", token_digest(key), key[:10], 5000, actor="test")
    headers = {"X-API-Key": key}
    ok = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1000}, headers=headers)
    assert ok.status == 200 and (await ok.json())["count"] == 1000
    too_many = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1001}, headers=headers)
    await assert_problem(too_many, 422, "items")


async def test_an_anonymous_batch_larger_than_the_per_address_limit_is_refused(client: Any) -> None:
    """Batch items count one each: without an API key, 1,000 numbers are more than a minute's allowance."""
    refused = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1000})
    body = await assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1 and "120" in body["detail"]
    small = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 100})
    assert small.status == 200


async def test_sms_naming_a_bank_with_another_number_comes_back_suspicious(client: Any) -> None:
    text = "【百信银行】您的账户异常，请致电 400-123-4567 办理解冻。"
    body = await (await client.post("/api/v1/verify/text", json={"text": text})).json()
    assert [o["id"] for o in body["organizations_mentioned"]] == ["citic-aibank"]
    assert len(body["numbers"]) == 1
    found = body["numbers"][0]
    assert found["found"] == "400-123-4567"
    assert found["result"]["verdict"] == "suspicious"
    assert [n["number"] for n in found["result"]["claimed_official_numbers"]] == ["956186"]
    assert body["verdict"] == "suspicious"


async def test_sms_with_official_number_and_a_spoof_finds_both(client: Any) -> None:
    text = "工商银行提醒：请拨打95588或+95588转3咨询。"
    body = await (await client.post("/api/v1/verify/text", json={"text": text})).json()
    verdicts = {n["found"]: n["result"]["verdict"] for n in body["numbers"]}
    assert verdicts["95588"] == "official"
    assert verdicts["+95588转3"] == "suspicious"
    assert body["verdict"] == "suspicious"


async def test_organization_search_finds_by_alias(client: Any) -> None:
    body = await (await client.get("/api/v1/organizations", params={"q": "百信"})).json()
    assert "citic-aibank" in [o["id"] for o in body["items"]]


async def test_organization_page_lists_numbers_with_sources(client: Any) -> None:
    body = await (await client.get("/api/v1/organizations/icbc")).json()
    assert body["name"] == "中国工商银行"
    assert all(n["confidence"] and (n["source_url"] or n["source_note"]) for n in body["numbers"])
    await assert_problem(await client.get("/api/v1/organizations/no-such-org"), 404)


async def test_healthz_reports_the_registry_loaded(client: Any) -> None:
    body = await (await client.get("/healthz")).json()
    assert body["status"] == "ok" and body["registry_numbers"] > 100


async def test_openapi_document_describes_every_api_route(client: Any) -> None:
    spec = await (await client.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/api/v1/verify", "/api/v1/verify/batch", "/api/v1/verify/text", "/api/v1/organizations/{org_id}"):
        assert path in spec["paths"]
    verify = spec["paths"]["/api/v1/verify"]["get"]
    assert {p["name"] for p in verify["parameters"]} >= {"number", "region", "claimed_org", "context", "lang"}
    assert "VerifyResponse" in spec["components"]["schemas"]


async def test_api_answers_and_api_problems_carry_the_json_security_headers_and_no_cookies(client: Any) -> None:
    for response in (await client.get("/api/v1/verify", params={"number": "95588"}),
                     await client.get("/api/v1/verify", params={"number": "abc"}),
                     await client.get("/api/v1/no-such-endpoint")):
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Request-Id"]
        assert "Set-Cookie" not in response.headers

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
    body = await (await client.get("/api/v1/verify", params={"number": "13912345678", "lang": "en"})).json()
    assert body["verdict"] == "unknown"
    assert body["advice"].isascii()
    assert body["number"]["location"] and body["number"]["carrier"]


async def test_text_that_is_no_number_gets_a_400_problem(client: Any) -> None:
    for bad in ("hello", "   ", "1" * 80, "1" * 201, ""):  # one length limit: over it is no number (docs/errors.md)
        response = await client.get("/api/v1/verify", params={"number": bad})
        await assert_problem(response, 400, "number")


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


async def test_a_malformed_batch_item_gets_its_own_error_and_does_not_fail_the_batch(client: Any) -> None:
    items = [{"number": "95588"}, {"foo": 1}, {"number": 95588}, {"number": "95588", "extra": True}, "95588", None,
             {"number": "+95588", "context": "incoming_call"}, {"number": "hello"}]
    response = await client.post("/api/v1/verify/batch", json={"items": items, "lang": "en"})
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["count"] == len(items) and [r["index"] for r in body["results"]] == list(range(len(items)))
    results = body["results"]
    assert results[0]["result"]["verdict"] == "official" and results[0]["error"] is None
    assert results[6]["result"]["verdict"] == "suspicious"
    expected = {1: ("items.1.number", "missing"), 2: ("items.2.number", "string_type"),
                3: ("items.3.extra", "extra_forbidden"), 4: ("items.4", "model_type"), 5: ("items.5", "model_type")}
    for index, (field, code) in expected.items():
        error = results[index]["error"]
        assert results[index]["result"] is None and error["status"] == 422, error
        assert error["type"].endswith("/invalid-input") and error["title"] and field in error["detail"]
        assert (field, code) in [(e["field"], e["code"]) for e in error["errors"]], error
    assert {"field": "items.1.foo", "in": "body", "message": "Extra inputs are not permitted",
            "code": "extra_forbidden"} in results[1]["error"]["errors"]
    assert results[7]["error"]["status"] == 400 and results[7]["error"]["type"].endswith("/not-a-number")


async def test_only_an_envelope_that_is_no_batch_is_refused_whole(client: Any) -> None:
    for envelope, field in (({"items": {"number": "95588"}}, "items"), ({"numbers": [{"number": "95588"}]}, "items"),
                            ({"items": []}, "items"), ({"items": [{"number": "95588"}], "extra": 1}, "extra")):
        await assert_problem(await client.post("/api/v1/verify/batch", json=envelope), 422, field)


async def test_batch_of_1000_is_served_and_1001_is_refused(client: Any) -> None:
    from verifier.http.app_keys import SERVICE
    from verifier.ops.crypto import API_KEY_PREFIX, new_token, token_digest

    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key("wallet-app", token_digest(key), key[:10], 5000, actor="test")
    headers = {"X-API-Key": key}
    ok = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1000}, headers=headers)
    assert ok.status == 200 and (await ok.json())["count"] == 1000
    too_many = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1001}, headers=headers)
    await assert_problem(too_many, 413)  # a list over its item limit (docs/errors.md)


async def test_an_anonymous_batch_larger_than_the_per_address_limit_is_refused(client: Any) -> None:
    """Batch items count one each: without an API key, 1,000 numbers are more than a minute's allowance."""
    refused = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 1000})
    body = await assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1 and "120" in body["detail"]
    small = await client.post("/api/v1/verify/batch", json={"items": [{"number": "95588"}] * 100})
    assert small.status == 200


async def test_sms_naming_a_bank_with_another_number_comes_back_suspicious(client: Any) -> None:
    text = "【百信银行】您的账户异常，请致电 400-678-1234 办理解冻。"
    body = await (await client.post("/api/v1/verify/text", json={"text": text})).json()
    assert [o["id"] for o in body["organizations_mentioned"]] == ["citic-aibank"]
    assert len(body["numbers"]) == 1
    found = body["numbers"][0]
    assert found["found"] == "400-678-1234"
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


async def test_a_bank_notice_skips_its_card_tail_and_is_official(client: Any) -> None:
    text = "【工商银行】您尾号1234的账户于12月5日支出人民币500.00元。如有疑问请致电95588。"
    body = await (await client.post("/api/v1/verify/text", json={"text": text})).json()
    assert [n["found"] for n in body["numbers"]] == ["95588"]
    assert body["verdict"] == "official" and body["risk_score"] <= 30
    assert {(s["found"], s["kind"]) for s in body["skipped"]} >= {("1234", "card_tail"), ("12月5日", "date_time")}
    assert all(text[s["start"]:s["end"]] == s["found"] for s in body["skipped"])
    assert body["reasons"][0]["code"] == "text_all_official" and body["advice"]


async def test_codes_and_dates_are_no_numbers(client: Any) -> None:
    body = await (await client.post("/api/v1/verify/text", json={"text": "验证码：8848，2024-12-05 有效"})).json()
    assert body["numbers"] == [] and body["verdict"] == "unknown"
    assert [(s["found"], s["kind"]) for s in body["skipped"]] == [("8848", "code"), ("2024-12-05", "date_time")]


async def test_a_scam_sms_with_an_imitating_link_answers_with_each_finding(client: Any) -> None:
    text = "【支付宝】您的账户已被冻结，请拨打95188转1 或访问 http://alipay-kefu.cn 解冻"
    body = await (await client.post("/api/v1/verify/text", json={"text": text, "lang": "en"})).json()
    assert set(body) >= {"organizations_mentioned", "numbers", "links", "cues", "skipped", "verdict", "risk_score",
                         "reasons", "advice"}
    assert body["verdict"] == "suspicious" and body["risk_score"] >= 50
    [link] = body["links"]
    assert link["found"] == "http://alipay-kefu.cn" and text[link["start"]:link["end"]] == link["found"]
    assert link["host"] == "alipay-kefu.cn" and link["registrable_domain"] == "alipay-kefu.cn"
    assert link["code"] == "link_imitates_org" and link["verdict"] == "suspicious" and link["message"]
    assert link["organization"]["id"] == "alipay"
    assert body["cues"] == [{"code": "cue_account_frozen", "message": body["cues"][0]["message"], "strong": False,
                             "channel": False}]
    codes = [r["code"] for r in body["reasons"]]
    assert "text_link_suspicious" in codes and "cue_account_frozen" in codes
    assert body["advice"].startswith("This message is suspicious")


async def test_a_safe_account_demand_is_suspicious_without_any_number_or_link(client: Any) -> None:
    text = "您涉嫌洗钱，公安机关要求您将资金转入安全账户配合调查。"
    body = await (await client.post("/api/v1/verify/text", json={"text": text})).json()
    assert body["verdict"] == "suspicious" and body["risk_score"] >= 85
    assert {c["code"] for c in body["cues"] if c["strong"]} == {"cue_safe_account", "cue_authority_demands_money"}


async def test_masked_digits_are_not_verified(client: Any) -> None:
    body = await (await client.post("/api/v1/verify/text", json={"text": "客服 400-xxx-xxxx 或 138****1234"})).json()
    assert body["numbers"] == []
    assert [s["kind"] for s in body["skipped"]] == ["masked", "masked"]


async def test_organization_search_finds_by_alias(client: Any) -> None:
    body = await (await client.get("/api/v1/organizations", params={"q": "百信"})).json()
    assert "citic-aibank" in [o["id"] for o in body["items"]]


async def test_organization_page_lists_numbers_with_sources(client: Any) -> None:
    body = await (await client.get("/api/v1/organizations/icbc")).json()
    assert body["name"] == "中国工商银行"
    assert all(n["confidence"] and "source_note" not in n for n in body["numbers"])
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

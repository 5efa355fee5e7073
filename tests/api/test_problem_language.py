"""A problem's title and detail follow the request's language (lang, else Accept-Language, else
English); its machine codes (type, errors[].code, field) do not (docs/errors.md, "Language")."""

from __future__ import annotations

from typing import Any

from tests.conftest import assert_problem

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _codes(body: dict[str, Any]) -> tuple[Any, ...]:
    return body["type"], body["status"], [(e["field"], e.get("code")) for e in body.get("errors", [])]


async def test_a_400_not_a_number_is_in_chinese_with_lang_zh_and_in_english_otherwise(client: Any) -> None:
    zh = await assert_problem(await client.get("/api/v1/verify", params={"number": "hello", "lang": "zh"}), 400, "number")
    en = await assert_problem(await client.get("/api/v1/verify", params={"number": "hello", "lang": "en"}), 400, "number")
    plain = await assert_problem(await client.get("/api/v1/verify", params={"number": "hello"}), 400, "number")
    assert zh["title"] == "请求有误" and _chinese(zh["detail"]) and _chinese(zh["errors"][0]["message"])
    assert en["title"] == "Bad request" and en["detail"].isascii() and en["errors"][0]["message"].isascii()
    assert plain == en
    assert _codes(zh) == _codes(en) and zh["errors"][0]["code"] == "no_digits"


async def test_a_400_follows_the_json_body_lang_and_accept_language(client: Any) -> None:
    zh = await assert_problem(await client.post("/api/v1/verify", json={"number": "", "lang": "zh"}), 400, "number")
    assert zh["title"] == "请求有误" and zh["detail"] == "没有输入号码。"
    header = await assert_problem(await client.get("/api/v1/verify?number=", headers=ZH), 400, "number")
    assert header["detail"] == "没有输入号码。"
    explicit = await assert_problem(await client.get("/api/v1/verify?number=&lang=en", headers=ZH), 400, "number")
    assert explicit["title"] == "Bad request"  # lang says more than Accept-Language
    english_first = {"Accept-Language": "en-GB,en;q=0.9,zh-CN;q=0.8"}
    assert (await assert_problem(await client.get("/api/v1/verify?number=", headers=english_first), 400))["title"] == \
        "Bad request"


async def test_a_422_is_in_both_languages_with_the_same_codes(client: Any) -> None:
    zh = await assert_problem(await client.post("/api/v1/verify", json={"number": 95588, "lang": "zh"}), 422, "number")
    en = await assert_problem(await client.post("/api/v1/verify", json={"number": 95588, "lang": "en"}), 422, "number")
    assert zh["title"] == "输入无效" and zh["detail"] == "number：应为字符串" and zh["errors"][0]["message"] == "应为字符串"
    assert en["title"] == "Invalid input" and en["detail"] == "number: Input should be a valid string"
    assert _codes(zh) == _codes(en) and zh["errors"][0]["code"] == "string_type"
    missing = await assert_problem(await client.get("/api/v1/verify", headers=ZH), 422, "number")
    assert missing["detail"] == "number：缺少这个字段" and missing["errors"][0]["code"] == "missing"
    too_long = await assert_problem(await client.get("/api/v1/verify", params={"number": "95588", "claimed_org": "x" * 101},
                                                     headers=ZH), 422, "claimed_org")
    assert too_long["errors"][0]["message"] == "最多 100 个字符"


async def test_a_429_is_in_both_languages_with_the_same_codes(make_client: Any) -> None:
    client = await make_client(anonymous_requests_per_minute=1)
    assert (await client.get("/api/v1/verify", params={"number": "95588"})).status == 200
    zh = await assert_problem(await client.get("/api/v1/verify", params={"number": "95566", "lang": "zh"}), 429)
    en = await assert_problem(await client.get("/api/v1/verify", params={"number": "95566"}), 429)
    assert zh["title"] == "请求太频繁" and zh["detail"] == "请求太频繁：每 60 秒最多 1 次。"
    assert en["title"] == "Too many requests" and en["detail"] == "Too many requests: the limit is 1 per 60 seconds."
    assert _codes(zh) == _codes(en) and zh["type"].endswith("/rate-limited")
    assert zh["retry_after"] == en["retry_after"]


async def test_batch_item_errors_follow_the_request_language(client: Any) -> None:
    response = await client.post("/api/v1/verify/batch",
                                 json={"items": [{"number": "hello"}, {"numbr": "95588"}], "lang": "zh"})
    results = (await response.json())["results"]
    assert results[0]["error"]["title"] == "请求有误" and _chinese(results[0]["error"]["detail"])
    assert results[1]["error"]["title"] == "输入无效" and results[1]["error"]["errors"][0]["code"] in (
        "missing", "extra_forbidden")

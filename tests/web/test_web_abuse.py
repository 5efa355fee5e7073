"""The pages' share of the abuse resistance (docs/security.md): the console says which API key
each report came through and how many that key sent in the last hour (a burst from one key is
one source), and the home page's pasted text is capped and charged like the API's."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote, urlencode

from tests.conftest import from_address
from tests.web.conftest import fetch, file_report, web_login
from tests.web.htmlparse import parse
from verifier.http.app_keys import SERVICE
from verifier.http.callers import VISITOR_COOKIE
from verifier.ops.crypto import API_KEY_PREFIX, new_token, token_digest

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


async def add_key(client: Any, name: str) -> str:
    key = new_token(API_KEY_PREFIX)
    await client.app[SERVICE].store.add_api_key(name, token_digest(key), key[:10], 1000, actor="test")
    return key


async def report_through(client: Any, key: str, number: str, reporter: str) -> int:
    response = await client.post("/api/v1/reports", headers={"X-API-Key": key}, json={
        "number": number, "category": "refund_scam", "reporter_id": reporter, "description": "退款诈骗"})
    assert response.status == 202, await response.text()
    return int((await response.json())["id"])


def sources(document: Any) -> list[str]:
    """The "via app" tag of every report card on a page, in order ("" for a card without one)."""
    tags = [card.find_all(class_="rc-source") for card in document.find_all("article", class_="report-card")]
    return [found[0].text if found else "" for found in tags]


# -- the console shows where each report came through ---------------------------------------------
async def test_the_queue_and_a_reports_page_name_the_key_and_its_burst(web: Any) -> None:
    key = await add_key(web, "钱包应用")
    burst = [await report_through(web, key, f"1391234567{i}", f"user-{i}") for i in range(3)]
    by_form = await file_report(web, "13812345678")
    await web_login(web)
    _, queue = await fetch(web, "/moderation")
    shown = sources(queue)
    assert len(shown) == 4 and shown.count("来自应用：钱包应用") == 3 and shown.count("") == 1, shown

    _, page = await fetch(web, f"/moderation/reports/{burst[0]}")
    source = page.by_id("report-source").text
    assert "来自应用：钱包应用" in source and "这个应用最近一小时提交了 3 条举报" in source, source
    _, english = await fetch(web, f"/moderation/reports/{burst[0]}?lang=en")
    source = english.by_id("report-source").text
    assert "via app: 钱包应用" in source and "3 reports from this app in the last hour" in source, source
    _, english_queue = await fetch(web, "/moderation?lang=en")
    assert sources(english_queue).count("via app: 钱包应用") == 3

    _, plain = await fetch(web, f"/moderation/reports/{by_form}?lang=zh")  # the switch cookie says en
    assert "没有经过 API 密钥" in plain.by_id("report-source").text
    assert "最近一小时" not in plain.by_id("report-source").text


async def test_the_count_is_the_keys_last_hour_over_every_number_and_other_keys_are_apart(web: Any) -> None:
    flood, other = await add_key(web, "flood-app"), await add_key(web, "other-app")
    ids = [await report_through(web, flood, f"1371234{i:04d}", f"u{i}") for i in range(5)]
    mine = await report_through(web, other, "13712340000", "someone")
    await web_login(web)
    _, page = await fetch(web, f"/moderation/reports/{ids[-1]}")
    assert "这个应用最近一小时提交了 5 条举报" in page.by_id("report-source").text
    _, page = await fetch(web, f"/moderation/reports/{mine}")
    source = page.by_id("report-source").text
    assert "来自应用：other-app" in source and "提交了 1 条举报" in source, source
    history = sources(page.find(class_="history"))  # the number's history names each report's key
    assert sorted(history) == ["来自应用：flood-app", "来自应用：other-app"], history


async def test_a_hostile_key_name_is_shown_as_text(web: Any) -> None:
    key = await add_key(web, HOSTILE)
    report_id = await report_through(web, key, "13912345678", "user-1")
    await web_login(web)
    for path in ("/moderation", f"/moderation/reports/{report_id}"):
        response = await web.get(path)
        html = await response.text()
        assert response.status == 200, path
        assert "<script>window" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html, path
        document = parse(html)
        assert [s.get("src") for s in document.find_all("script")] == ["/static/app.js"], path
        assert not document.find_all("img"), path
        assert sources(document)[0] == f"来自应用：{HOSTILE}", path


# -- the home page's pasted text: capped and charged like the API's --------------------------------
def browser() -> dict[str, str]:
    return {VISITOR_COOKIE: secrets.token_urlsafe(24)}


async def check(client: Any, q: str, cookies: dict[str, str], **params: str) -> Any:
    client.session.cookie_jar.clear()
    return await client.get("/?" + urlencode({"q": q, **params}), cookies=cookies, headers=from_address("192.0.2.5"))


TOO_MANY = "请联系以下客服：" + "，".join(f"1391234{i:04d}" for i in range(21))


async def test_a_paste_with_more_numbers_than_the_cap_gets_a_message_and_nothing_is_verified(web: Any) -> None:
    _, page = await fetch(web, "/?q=" + quote(TOO_MANY), status=413)
    problem = page.by_id("q-problem").text
    assert "这段内容里的号码和链接太多（超过 20 个）。请一次只粘贴一条短信。" in problem, problem
    assert not page.find_all("li", class_="found") and not page.find_all(class_="text-result")
    assert page.find("textarea", name="q").raw_text == TOO_MANY  # kept, to shorten
    _, english = await fetch(web, "/?" + urlencode({"q": TOO_MANY, "lang": "en"}), status=413)
    assert "too many numbers and links in this text (more than 20)" in english.by_id("q-problem").text
    twenty = "请联系以下客服：" + "，".join(f"1391234{i:04d}" for i in range(20))
    _, allowed = await fetch(web, "/?q=" + quote(twenty))  # the cap itself is allowed
    assert len(allowed.find_all("li", class_="found")) == 20


async def test_the_cap_follows_the_setting(make_client: Any) -> None:
    client = await make_client(text_max_checks=2)
    three = "请拨打 95588 或 95566 或 13912345678"
    _, page = await fetch(client, "/?q=" + quote(three), status=413)
    assert "超过 2 个" in page.by_id("q-problem").text


async def test_a_paste_is_charged_by_its_cost_and_a_refusal_costs_one(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, page_checks_per_cookie_per_minute=3,
                               page_checks_per_address_per_minute=1000)
    three = "请拨打 95588 或 95566 或 13912345678"
    person = browser()
    first = await check(client, three, person)
    assert first.status == 200
    assert len(parse(await first.text()).find_all("li", class_="found")) == 3
    refused = await check(client, "95588", person)  # three numbers took all three units
    assert refused.status == 429 and refused.content_type == "text/html"
    assert "分钟后再试" in await refused.text()

    other = browser()  # a paste over the cap costs one unit: two single checks still fit
    assert (await check(client, TOO_MANY, other)).status == 413
    assert (await check(client, "95588", other)).status == 200
    assert (await check(client, "95566", other)).status == 200
    assert (await check(client, "95588", other)).status == 429

    third = browser()  # a single number costs one, as before
    for _ in range(3):
        assert (await check(client, "95588", third)).status == 200
    assert (await check(client, "95588", third)).status == 429


async def test_a_paste_costing_more_than_is_left_is_refused_with_the_friendly_429(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, page_checks_per_cookie_per_minute=2,
                               page_checks_per_address_per_minute=1000)
    response = await check(client, "请拨打 95588 或 95566 或 13912345678", browser())
    assert response.status == 429 and response.content_type == "text/html"
    assert "分钟后再试" in await response.text()

"""Reporting and appealing through the HTML forms: CSRF-protected, validated field by field,
limited (with a friendly page saying when to try again), and stored like the API's."""

from __future__ import annotations

from typing import Any

from registry.records import Page
from tests.web.conftest import client_cookie, csrf_of, fetch, file_report, post_form, set_cookies
from tests.web.htmlparse import parse
from verifier.http.app_keys import CONTACTS, SERVICE
from verifier.http.callers import REPORTER_COOKIE


async def test_a_report_through_the_form_is_stored_and_confirmed(web: Any) -> None:
    _, form_page = await fetch(web, "/report?number=95589&org=%E5%B7%A5%E5%95%86%E9%93%B6%E8%A1%8C&channel=sms")
    assert form_page.find("input", name="number").get("value") == "95589"
    assert form_page.find("input", name="claimed_org").get("value") == "工商银行"
    assert form_page.find("select", name="channel").find("option", selected="").get("value") == "sms"
    response = await post_form(web, form_page, "/report", {"category": "refund_scam", "description": "要我退款",
                                                           "occurred_at": "2024-05-01T14:30"})
    assert response.status == 303
    cookie = set_cookies(response)[REPORTER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and int(cookie["max-age"]) > 300 * 24 * 3600
    report_id = int(response.headers["Location"].rsplit("=", 1)[1])
    _, done = await fetch(web, response.headers["Location"])
    assert f"#{report_id}" in done.text and "举报已收到" in done.find("h1").text
    report = await web.app[SERVICE].store.get_report(report_id)
    assert (report.number_key, report.category, report.channel, report.claimed_org) == (
        "CN:95589", "refund_scam", "sms", "工商银行")
    assert report.occurred_at is not None and report.occurred_at.isoformat().startswith("2024-05-01T06:30")  # Beijing
    assert report.source == "user"


async def test_the_reporter_cookie_is_kept_so_one_browser_is_one_reporter(web: Any) -> None:
    await file_report(web)
    first = client_cookie(web, REPORTER_COOKIE)
    await file_report(web)
    assert client_cookie(web, REPORTER_COOKIE) == first
    reports = await web.app[SERVICE].store.reports_for_number("+8613912345678")
    assert len({r.reporter_hash for r in reports}) == 1
    assert first and all(first not in r.reporter_hash for r in reports)  # only a keyed hash is stored


async def test_validation_errors_come_back_beside_the_field_with_what_was_typed(web: Any) -> None:
    _, form_page = await fetch(web, "/report")
    response = await post_form(web, form_page, "/report", {
        "number": "not a number at all", "category": "", "description": "我写了很多<b>字</b>" + "很" * 1990,
        "occurred_at": "2999-01-01T10:00"})
    assert response.status == 422
    page = parse(await response.text())
    errors = {e.get("id"): e.text for e in page.find_all(class_="field-error")}
    assert set(errors) == {"category-error", "description-error", "occurred_at-error"}, errors
    assert "请从列表中选择" in errors["category-error"] and "2000" in errors["description-error"]
    assert "将来" in errors["occurred_at-error"]
    assert page.find("textarea", name="description").text.startswith("我写了很多<b>字</b>")  # kept, as text
    assert page.find("input", name="number").get("value") == "not a number at all"
    assert page.find("select", name="category").get("aria-invalid") == "true"
    assert page.find(class_="error-summary")
    # the number alone is wrong: its own message
    response = await post_form(web, page, "/report", {"number": "abc", "category": "other",
                                                      "description": "x", "occurred_at": ""})
    page = parse(await response.text())
    assert response.status == 422 and "不是一个有效的电话号码" in page.by_id("number-error").text
    assert await web.app[SERVICE].store.report_counts() == {}


async def test_too_many_reports_get_a_friendly_429_page_saying_when_to_try_again(make_client: Any) -> None:
    web = await make_client(reports_per_reporter_per_hour=2)
    await file_report(web)
    await file_report(web)
    _, form_page = await fetch(web, "/report")
    response = await post_form(web, form_page, "/report", {"number": "13912345678", "category": "other"})
    assert response.status == 429 and response.content_type == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    page = parse(await response.text())
    assert "操作太频繁了" in page.find("h1").text
    assert "分钟后再试" in page.find(class_="retry").text


async def test_an_appeal_through_the_form_is_stored(web: Any) -> None:
    _, form_page = await fetch(web, "/appeal?number=13912345678")
    short = await post_form(web, form_page, "/appeal", {"statement": "太短了", "contact": "a@b.c"})
    assert short.status == 422 and "至少写 4 个汉字" in parse(await short.text()).by_id("statement-error").text
    short = await post_form(web, form_page, "/appeal", {"statement": "our phone", "contact": "a@b.c"},
                            cookies={"hv_lang": "en"})
    assert short.status == 422 and "at least 4 Chinese characters, or 10" in await short.text()
    assert await web.app[SERVICE].store.list_appeals(Page()) == []
    response = await post_form(web, form_page, "/appeal", {"statement": "这是我家的座机号码，从来没有打过诈骗电话。",
                                                           "contact": "owner@example.org"})
    assert response.status == 303 and response.headers["Location"].startswith("/appeal/done?id=")
    [appeal] = await web.app[SERVICE].store.list_appeals(Page())
    assert appeal.number_key == "+8613912345678" and web.app[CONTACTS].open(appeal.contact) == "owner@example.org"
    assert "owner@example.org" not in appeal.contact  # sealed at rest
    four = await post_form(web, form_page, "/appeal", {"statement": "我的座机", "contact": "owner@example.org"})
    assert four.status == 303  # four Chinese characters are enough


async def test_public_forms_refuse_a_missing_wrong_or_unsigned_csrf_token(web: Any) -> None:
    _, report_page = await fetch(web, "/report")
    _, appeal_page = await fetch(web, "/appeal")
    _, login_page = await fetch(web, "/moderation/login")
    good = {"number": "13912345678", "category": "other", "statement": "这是我自己的号码，请撤销。", "contact": "me@x.org",
            "username": "nobody", "password": "nothing"}
    for action, page in (("/report", report_page), ("/appeal", appeal_page), ("/moderation/login", login_page)):
        token = csrf_of(page)
        for bad in ("", "forged", token[:-1] + ("0" if token[-1] != "0" else "1")):
            response = await post_form(web, page, action, {**good, "csrf_token": bad})
            assert response.status == 403 and "表单已过期" in await response.text(), (action, bad)
        # the token belongs to the browser's cookie: another browser's cookie does not match it
        response = await post_form(web, page, action, good, cookies={"hv_csrf": "someone-elses-cookie"})
        assert response.status == 403, action
    assert await web.app[SERVICE].store.report_counts() == {}


async def test_the_csrf_cookie_is_http_only_and_reused(web: Any) -> None:
    first, page = await fetch(web, "/report")
    cookie = set_cookies(first)["hv_csrf"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    again, second = await fetch(web, "/appeal")
    assert "hv_csrf" not in set_cookies(again) and csrf_of(second) == csrf_of(page)

"""The moderator console: sessions (cookie flags, renewal, logout), the queue, decisions as the
logged-in user, appeals, the audit log, admin-only registry editing, CSRF on every form, and
hostile input shown as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from registry.records import Page
from tests.web.conftest import (
    assert_secure_headers,
    client_cookie,
    csrf_of,
    fetch,
    file_report,
    make_user,
    post_form,
    set_cookies,
    web_login,
)
from tests.web.htmlparse import form_fields, labelled_controls_missing_label, parse
from verifier.http.app import create_app
from verifier.http.app_keys import SERVICE
from verifier.http.callers import SESSION_COOKIE
from verifier.ops.crypto import token_digest
from verifier.ops.settings import Settings

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


class HttpsSettings(Settings):
    """The setting the lead is to add (VERIFIER_COOKIE_SECURE); until then the pages read it with getattr."""

    cookie_secure: bool = True


async def public_verdict(client: Any, number: str) -> str:
    _, page = await fetch(client, f"/?q={quote(number)}")
    return page.find(class_="banner-big").find(class_="verdict-word").text


async def session_exists(client: Any, token: str | None) -> bool:
    assert token
    return await client.app[SERVICE].store.get_session(token_digest(token)) is not None


# -- sessions ---------------------------------------------------------------------------------------
async def test_console_pages_send_strangers_to_the_login_page_and_back(web: Any) -> None:
    response = await web.get("/moderation/audit?actor=x", allow_redirects=False)
    assert response.status == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/moderation/login" and parse_qs(location.query) == {"next": ["/moderation/audit?actor=x"]}
    username, password = await make_user(web, "moderator")
    _, login = await fetch(web, response.headers["Location"])
    assert login.find("input", name="next").get("value") == "/moderation/audit?actor=x"
    done = await post_form(web, login, "/moderation/login", {"username": username, "password": password})
    assert done.status == 303 and done.headers["Location"] == "/moderation/audit?actor=x"


async def test_login_never_redirects_to_another_host(web: Any) -> None:
    username, password = await make_user(web, "moderator")
    for target in ("https://evil.example/", "//evil.example/moderation", "/moderation\\@evil", "javascript:x"):
        web.session.cookie_jar.clear()
        _, login = await fetch(web, f"/moderation/login?next={quote(target)}")
        response = await post_form(web, login, "/moderation/login", {"username": username, "password": password})
        assert response.headers["Location"] == "/moderation", target


async def test_a_wrong_password_is_refused_on_the_form_and_throttled(make_client: Any) -> None:
    web = await make_client(login_failures_allowed=2)
    username, _ = await make_user(web, "moderator")
    for _ in range(2):
        _, login = await fetch(web, "/moderation/login")
        response = await post_form(web, login, "/moderation/login", {"username": username, "password": "wrong"})
        text = await response.text()
        assert response.status == 401 and "用户名或密码不对" in text
        assert parse(text).find("input", name="username").get("value") == username
    _, login = await fetch(web, "/moderation/login")
    response = await post_form(web, login, "/moderation/login", {"username": username, "password": "wrong"})
    assert response.status == 429 and "分钟后再试" in await response.text()
    assert SESSION_COOKIE not in set_cookies(response)


async def test_the_session_cookie_is_http_only_and_strict(web: Any) -> None:
    cookie = set_cookies(await web_login(web))[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"] and int(cookie["max-age"]) == 8 * 3600


async def test_every_cookie_is_secure_when_cookie_secure_is_set(aiohttp_client: Any, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(HttpsSettings(database=str(tmp_path / "https.sqlite3"))))
    username, password = await make_user(client, "moderator")
    form_response, login = await fetch(client, "/moderation/login?lang=en")
    cookies = set_cookies(form_response)
    # the test client speaks plain HTTP, so it keeps Secure cookies to itself: send them by hand
    response = await client.post("/moderation/login", allow_redirects=False, cookies={"hv_csrf": cookies["hv_csrf"].value},
                                 data={"csrf_token": csrf_of(login), "username": username, "password": password})
    assert response.status == 303
    cookies.update(set_cookies(response))
    assert set(cookies) == {"hv_csrf", "hv_lang", SESSION_COOKIE}
    for name, morsel in cookies.items():
        assert morsel["secure"] and morsel["httponly"], name


async def test_every_login_makes_a_new_session_and_ends_the_old_one(web: Any) -> None:
    planted = "hvs_planted-by-an-attacker"
    web.session.cookie_jar.update_cookies({SESSION_COOKIE: planted}, response_url=web.make_url("/"))
    await web_login(web)
    first = client_cookie(web, SESSION_COOKIE)
    assert first != planted and await session_exists(web, first)
    await web_login(web)
    second = client_cookie(web, SESSION_COOKIE)
    assert second != first
    assert not await session_exists(web, first) and await session_exists(web, second)
    session = await web.app[SERVICE].store.get_session(token_digest(second or ""))
    assert session is not None and session.kind == "web" and session.csrf_token


async def test_logout_deletes_the_session(web: Any) -> None:
    await web_login(web)
    token = client_cookie(web, SESSION_COOKIE)
    _, queue = await fetch(web, "/moderation")
    response = await post_form(web, queue, "/moderation/logout")
    assert response.status == 303 and response.headers["Location"] == "/moderation/login?bye=1"
    assert set_cookies(response)[SESSION_COOKIE]["max-age"] == "0"
    assert not await session_exists(web, token)
    stale = await web.get("/moderation", cookies={SESSION_COOKIE: token or ""}, allow_redirects=False)
    assert stale.status == 303 and stale.headers["Location"].startswith("/moderation/login")


async def test_an_api_token_in_the_cookie_is_no_web_session(web: Any) -> None:
    username, password = await make_user(web, "moderator")
    api = await (await web.post("/api/v1/auth/login", json={"username": username, "password": password})).json()
    response = await web.get("/moderation", cookies={SESSION_COOKIE: api["token"]}, allow_redirects=False)
    assert response.status == 303


# -- moderating --------------------------------------------------------------------------------------
async def test_queue_filters_and_report_page_with_history_and_current_verdict(web: Any) -> None:
    first = await file_report(web, "13912345678", headers={"X-Forwarded-For": "198.51.100.1"})
    web.session.cookie_jar.clear()
    await file_report(web, "13912345678", category="loan_scam")
    web.session.cookie_jar.clear()
    await file_report(web, "13712345678", category="loan_scam")
    await web_login(web)
    _, queue = await fetch(web, "/moderation")
    assert len(queue.find_all("article", class_="report-card")) == 3
    _, by_number = await fetch(web, "/moderation?number=" + quote("139 1234 5678"))
    numbers = {a.text for a in by_number.find_all("p", class_="rc-number")}
    assert len(by_number.find_all("article")) == 2 and all("13912345678" in n for n in numbers)
    _, by_category = await fetch(web, "/moderation?category=loan_scam")
    assert len(by_category.find_all("article")) == 2
    _, bad = await fetch(web, "/moderation?number=abc")
    assert "不是一个有效的电话号码" in bad.by_id("number-error").text
    _, report = await fetch(web, f"/moderation/reports/{first}")
    assert "13912345678" in report.find("h1").text
    assert len(report.find(class_="history").find_all("article")) == 2
    assert report.find(class_="report-side").find(class_="banner")
    assert report.find("form", action=f"/moderation/reports/{first}/decision")
    assert "全部 2 条待审举报" in report.find("form", action="/moderation/numbers/decision").text
    await fetch(web, "/moderation/reports/999999", status=404)
    await fetch(web, "/moderation/reports/abc", status=404)


async def test_approving_makes_the_public_verdict_scam_and_an_appeal_lifts_it(web: Any) -> None:
    report_id = await file_report(web, "13912345678")
    assert await public_verdict(web, "13912345678") == "无法确认"
    await web_login(web, username="mod-ann")
    _, report = await fetch(web, f"/moderation/reports/{report_id}")
    response = await post_form(web, report, f"/moderation/reports/{report_id}/decision",
                               {"decision": "approve", "note": "典型话术"})
    assert response.status == 303
    _, after = await fetch(web, response.headers["Location"])
    assert "已确认为诈骗" in after.find(class_="notice-ok").text
    assert await public_verdict(web, "13912345678") == "诈骗号码"
    stored = await web.app[SERVICE].store.get_report(report_id)
    assert (stored.status, stored.decided_by, stored.decision_note) == ("approved", "mod-ann", "典型话术")
    again = await post_form(web, report, f"/moderation/reports/{report_id}/decision", {"decision": "reject"})
    assert again.status == 409 and "已经有人处理过了" in await again.text()

    _, appeal_form = await fetch(web, "/appeal?number=13912345678")
    await post_form(web, appeal_form, "/appeal", {"statement": "这是我家的座机号码，我们没有打过诈骗电话。",
                                                  "contact": "owner@example.org"})
    _, appeals = await fetch(web, "/moderation/appeals")
    [card] = appeals.find_all("article")
    assert "诈骗号码" in card.text and "owner@example.org" in card.text
    action = card.find("form").get("action") or ""
    response = await post_form(web, appeals, action, {"decision": "lift", "note": "核实是座机"})
    assert response.status == 303 and "done=lift" in response.headers["Location"]
    assert await public_verdict(web, "13912345678") == "无法确认"
    assert (await web.app[SERVICE].store.get_report(report_id)).status == "overturned"

    _, audit = await fetch(web, "/moderation/audit?actor=mod-ann")
    actions = [row.find_all("td")[2].text for row in audit.find("tbody").find_all("tr")]
    assert actions == ["appeal.lift", "report.approve"]


async def test_deciding_every_pending_report_of_a_number_at_once(web: Any) -> None:
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        web.session.cookie_jar.clear()
        last = await file_report(web, "13912345678", headers={"X-Forwarded-For": address})
    await web_login(web)
    _, report = await fetch(web, f"/moderation/reports/{last}")
    response = await post_form(web, report, "/moderation/numbers/decision", {"decision": "reject", "note": "催收"})
    assert response.status == 303 and response.headers["Location"] == f"/moderation/reports/{last}?done=reject_all"
    reports = await web.app[SERVICE].store.reports_for_number("+8613912345678")
    assert {r.status for r in reports} == {"rejected"} and len(reports) == 3


async def test_moderators_get_403_on_every_admin_page_and_form(web: Any) -> None:
    await web_login(web, "moderator")
    _, queue = await fetch(web, "/moderation")
    assert not queue.find_all("a", href="/moderation/registry")
    token = csrf_of(queue)
    for path in ("/moderation/registry", "/moderation/registry/icbc"):
        response, page = await fetch(web, path, status=403)
        assert "只有管理员" in page.text
        assert_secure_headers(response)
    for path in ("/moderation/registry", "/moderation/registry/icbc", "/moderation/registry/icbc/numbers",
                 "/moderation/registry/icbc/numbers/CN%3A95588", "/moderation/registry/icbc/numbers/CN%3A95588/delete"):
        response = await web.post(path, data={"csrf_token": token, "name": "x", "number": "95000"},
                                   allow_redirects=False)
        assert response.status == 403, path
    assert "icbc" in web.app[SERVICE].knowledge.organizations


async def test_admins_edit_the_registry_with_a_source_required_for_every_number(web: Any) -> None:
    await web_login(web, "admin", "root-admin")
    _, registry = await fetch(web, "/moderation/registry")
    bad = await post_form(web, registry, "/moderation/registry", {"id": "Demo Bank!", "name": ""})
    page = parse(await bad.text())
    assert bad.status == 422 and page.by_id("new-id-error") and page.by_id("new-name-error")
    created = await post_form(web, registry, "/moderation/registry",
                              {"id": "demo-bank", "name": "示例银行", "aliases": "示例\n示例银行客服", "category": "bank"})
    assert created.status == 303 and created.headers["Location"] == "/moderation/registry/demo-bank?done=org_created"
    _, org = await fetch(web, "/moderation/registry/demo-bank")
    no_source = await post_form(web, org, "/moderation/registry/demo-bank/numbers", {"number": "95000"})
    page = parse(await no_source.text())
    assert no_source.status == 422 and "请写明来源" in page.by_id("add-source_url-error").text
    assert page.by_id("add-number").get("value") == "95000"
    added = await post_form(web, org, "/moderation/registry/demo-bank/numbers",
                            {"number": "95000", "source_url": "https://demo.example/contact", "confidence": "official_page",
                             "main": "1"})
    assert added.status == 303
    assert (await public_verdict(web, "95000")) == "官方号码"
    _, org = await fetch(web, "/moderation/registry/demo-bank")
    key_path = "/moderation/registry/demo-bank/numbers/" + quote("CN:95000", safe="")
    edited = await post_form(web, org, key_path, {"source_note": "网点海报", "confidence": "single_source"})
    assert edited.status == 303
    renamed = await post_form(web, org, "/moderation/registry/demo-bank", {"name_en": "Demo Bank"})
    assert renamed.status == 303
    org_now = web.app[SERVICE].knowledge.organizations["demo-bank"]
    assert org_now.name_en == "Demo Bank" and org_now.aliases == ["示例", "示例银行客服"]
    assert org_now.numbers[0].confidence == "single_source" and org_now.numbers[0].source_note == "网点海报"
    assert org_now.numbers[0].main  # the edit form keeps the main hotline's box ticked
    _, org = await fetch(web, "/moderation/registry/demo-bank")
    deleted = await post_form(web, org, key_path + "/delete")
    assert deleted.status == 303 and (await public_verdict(web, "95000")) != "官方号码"
    entries = await web.app[SERVICE].store.list_audit(Page(), actor="root-admin")
    assert [e.action for e in entries] == ["registry.number.delete", "registry.organization.update",
                                           "registry.official_number.update", "registry.official_number.create",
                                           "registry.organization.create"]


# -- hostile input, CSRF, accessibility ------------------------------------------------------------------
async def test_hostile_descriptions_notes_and_names_are_shown_as_text(web: Any) -> None:
    report_id = await file_report(web, "13912345678", description=HOSTILE, claimed_org="<b>银行</b>")
    await web_login(web, "admin")
    _, report = await fetch(web, f"/moderation/reports/{report_id}")
    await post_form(web, report, f"/moderation/reports/{report_id}/decision", {"decision": "reject", "note": HOSTILE})
    _, registry = await fetch(web, "/moderation/registry")
    await post_form(web, registry, "/moderation/registry", {"id": "evil", "name": HOSTILE, "category": "other"})
    _, appeal = await fetch(web, "/appeal")
    await post_form(web, appeal, "/appeal", {"number": "13912345678", "statement": HOSTILE, "contact": HOSTILE})
    for path in (f"/moderation/reports/{report_id}", "/moderation?status=rejected", "/moderation/appeals",
                 "/moderation/audit", "/moderation/registry", "/moderation/registry/evil", "/org/evil", "/orgs"):
        response = await web.get(path)
        html = await response.text()
        assert response.status == 200, path
        assert "<script>window" not in html and "<img src=x" not in html and "<b>银行" not in html, path
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html or "&lt;b&gt;银行" in html, path
        document = parse(html)
        assert [s.get("src") for s in document.find_all("script")] == ["/static/app.js"], path
        assert not [i for i in document.find_all("img")], path


async def test_every_post_form_on_every_page_refuses_a_missing_or_wrong_csrf_token(web: Any) -> None:
    report_id = await file_report(web, "13912345678")
    await file_report(web, "13912345678")
    icbc_numbers = len(web.app[SERVICE].knowledge.numbers_of("icbc"))
    _, appeal = await fetch(web, "/appeal")
    await post_form(web, appeal, "/appeal", {"number": "13912345678", "statement": "这是我自己的号码，请撤销。",
                                             "contact": "me@example.org"})
    public_pages = ["/report", "/appeal", "/moderation/login"]
    forms = await _post_forms(web, public_pages)
    await web_login(web, "admin")
    console_pages = ["/moderation", f"/moderation/reports/{report_id}", "/moderation/appeals", "/moderation/audit",
                     "/moderation/registry", "/moderation/registry/icbc"]
    forms += await _post_forms(web, console_pages)
    actions = {action for action, _ in forms}
    assert len(actions) >= 12, sorted(actions)
    for action, fields in forms:
        assert "csrf_token" in fields, action
        for bad in (None, "", "not-the-token"):
            data = {k: v for k, v in fields.items() if k != "csrf_token"}
            if bad is not None:
                data["csrf_token"] = bad
            response = await web.post(action, data=data, allow_redirects=False)
            assert response.status == 403, (action, bad, response.status)
            assert response.content_type == "text/html"
    # nothing above changed anything
    assert (await web.app[SERVICE].store.get_report(report_id)).status == "pending"
    assert len(web.app[SERVICE].knowledge.numbers_of("icbc")) == icbc_numbers
    _, still = await fetch(web, "/moderation")  # not even the logout form logged us out
    assert still.find("form", action="/moderation/logout")


async def _post_forms(client: Any, paths: list[str]) -> list[tuple[str, dict[str, str]]]:
    found = []
    for path in paths:
        _, page = await fetch(client, path)
        for form in page.find_all("form"):
            if (form.get("method") or "get").lower() == "post":
                found.append((form.get("action") or path, dict(form_fields(form))))
    return found


async def test_every_console_page_has_labels_headers_and_no_caching(web: Any) -> None:
    report_id = await file_report(web)
    await web_login(web, "admin")
    for path in ("/moderation", f"/moderation/reports/{report_id}", "/moderation/appeals?status=all",
                 "/moderation/audit", "/moderation/registry", "/moderation/registry/icbc"):
        response, page = await fetch(web, path)
        assert labelled_controls_missing_label(page) == [], path
        assert_secure_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert page.find("html").get("lang") == "zh-CN"
        ids = [e.get("id") for e in page.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))

"""End to end in headless Chromium against the real server (a separate process on 127.0.0.1):
checking numbers and texts, reporting, moderating, appealing, hostile input, no JavaScript,
and screenshots of the main pages at phone and desktop width."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.servers import run_cli, running_server
from verifier.ops import screenshots

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real Chromium and a real server process

MODERATOR, PASSWORD = "browser-mod", "a long browser-test password"
SMS = "【百信银行】您的账户异常，请致电 400-678-1234 办理"
XSS = '说要帮我退款 <script>window.__xss=1</script> <img src=x onerror="window.__xss=2">'


@dataclass(frozen=True)
class Server:
    base: str
    database: Path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for every browser test (they all live in this module). Module, not session,
    scope: Playwright's sync API keeps an event loop running in this thread while it is open, so
    it must be closed before the next module's asyncio tests start."""
    if not Path(screenshots.CHROMIUM).exists():
        pytest.fail(f"{screenshots.CHROMIUM} is missing: run `make test`, which installs Chromium (make system-deps).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = screenshots.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = tmp_path_factory.mktemp("browser") / "verifier.sqlite3"
    added = run_cli("users", "add", MODERATOR, "--role", "moderator", "--password-stdin", "--database", str(database),
                    input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    limits = {"VERIFIER_REPORTS_PER_ADDRESS_PER_HOUR": "1000", "VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "10000"}
    with running_server(database, env=limits) as base:
        yield Server(base, database)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def check(page: Any, base: str, text: str, org: str = "") -> str:
    """Type into the home page's form and send it; returns the verdict words."""
    page.goto(base + "/")
    page.fill("#q", text)
    page.fill("#org", org)
    page.click("form.check-form button[type=submit]")
    page.wait_for_selector(".banner-big")
    return str(page.inner_text(".banner-big .verdict-word"))


def public_verdict(page: Any, base: str, number: str) -> str:
    page.goto(f"{base}/?q={quote(number)}")
    return str(page.inner_text(".banner-big .verdict-word"))


def test_checking_an_official_a_look_alike_and_a_foreign_prefix_number(page: Any, server: Server) -> None:
    assert check(page, server.base, "95588") == "官方号码"
    assert "中国工商银行" in page.inner_text(".banner-big")
    assert page.locator(".real-numbers a.tel").first.get_attribute("href") == "tel:95588"
    assert "95588" in page.url  # a GET form: the answer has an address to share

    assert check(page, server.base, "95589", org="工商银行") == "可疑号码"
    assert "不是中国工商银行的号码" in page.inner_text(".banner-big")
    assert "95588" in page.inner_text(".real-numbers >> nth=0")
    assert check(page, server.base, "95587", org="工行") == "可疑号码"
    assert "只差一位" in page.inner_text(".reasons")
    assert check(page, server.base, "95587") != "可疑号码"  # one digit off, but presented as no one: not evidence

    assert check(page, server.base, "+95588") == "可疑号码"
    assert "缅甸" in page.inner_text(".reasons") or "国外" in page.inner_text(".reasons")
    assert page.is_visible("text=立即挂断")


def test_pasting_an_sms_shows_each_number_and_the_real_one(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    assert page.evaluate("document.activeElement.id") == "q"  # ready to paste into
    page.fill("#q", SMS)
    page.press("#q", "Enter")  # Enter checks (app.js); Shift+Enter would make a new line
    page.wait_for_selector(".found")
    assert "这条信息可疑" in page.inner_text(".banner-big")
    found = page.locator("li.found")
    assert found.count() == 1
    assert "400-678-1234" in found.inner_text() and "可疑号码" in found.inner_text()
    assert "956186" in found.locator(".real-numbers").inner_text()


def test_a_report_approved_by_a_moderator_makes_a_scam_and_an_appeal_lifts_it(browser: Any, server: Server) -> None:
    number = "13912340001"
    person = browser.new_context(locale="zh-CN").new_page()
    assert public_verdict(person, server.base, number) == "无法确认"
    person.click("text=举报这个号码")
    assert person.input_value("#number") == number
    person.select_option("#category", "account_security_scam")
    person.fill("#description", "说我的账户被冻结，要我转账到安全账户")
    person.click("form.stacked button[type=submit]")
    person.wait_for_url("**/report/done?id=*")
    report_id = person.url.rsplit("=", 1)[1]
    assert "举报已收到" in person.inner_text("h1")

    moderator = browser.new_context(locale="zh-CN").new_page()
    screenshots.log_in(moderator, server.base, MODERATOR, PASSWORD)
    moderator.click(f"a[href='/moderation/reports/{report_id}']")
    assert f"举报 #{report_id}" in moderator.inner_text("h1")
    moderator.fill("#note-one", "典型的冻结账户话术")
    moderator.click("form.decision button[value=approve]")
    moderator.wait_for_selector(".notice-ok")
    assert "已确认为诈骗" in moderator.inner_text(".notice-ok")
    assert public_verdict(person, server.base, number) == "诈骗号码"

    owner = browser.new_context(locale="zh-CN").new_page()
    owner.goto(f"{server.base}/appeal?number={number}")
    owner.fill("#statement", "这是我家的座机号码，从来没有打过这种电话。")
    owner.fill("#contact", "owner@example.org")
    owner.click("form.stacked button[type=submit]")
    owner.wait_for_url("**/appeal/done?id=*")

    moderator.click("nav.console-nav >> text=申诉")
    card = moderator.locator("article.report-card", has_text=number)
    card.locator("button[value=lift]").click()
    moderator.wait_for_selector(".notice-ok")
    assert public_verdict(person, server.base, number) == "无法确认"
    moderator.goto(f"{server.base}/moderation/audit?actor={MODERATOR}")
    assert "appeal.lift" in moderator.inner_text("tbody") and "report.approve" in moderator.inner_text("tbody")
    for page in (person, moderator, owner):
        page.context.close()


def test_a_hostile_report_is_shown_as_text_and_runs_nothing(browser: Any, server: Server) -> None:
    person = browser.new_context(locale="zh-CN").new_page()
    report_id = screenshots.file_report(person, server.base, "13912340002", description=XSS,
                                        claimed="<b>工商银行</b>")
    person.context.close()
    moderator = browser.new_context(locale="zh-CN").new_page()
    blocked: list[str] = []
    moderator.on("console", lambda message: blocked.append(message.text))
    screenshots.log_in(moderator, server.base, MODERATOR, PASSWORD)
    for path in ("/moderation", f"/moderation/reports/{report_id}"):
        moderator.goto(server.base + path)
        assert moderator.evaluate("window.__xss") is None
        assert moderator.get_by_text("<script>window.__xss=1</script>", exact=False).first.is_visible()
        assert moderator.get_by_text('<img src=x onerror="window.__xss=2">', exact=False).first.is_visible()
        assert moderator.locator("img").count() == 0
    assert moderator.get_by_text("<b>工商银行</b>", exact=False).first.is_visible()
    moderator.context.close()


def test_a_form_without_its_csrf_token_is_refused(page: Any, server: Server) -> None:
    page.goto(server.base + "/report")
    page.fill("#number", "13912340003")
    page.select_option("#category", "other")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("h1")
    assert "不能这样做" in page.inner_text("h1") and "表单已过期" in page.inner_text("main")


def test_the_pages_work_with_javascript_off(browser: Any, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    assert check(page, server.base, "95588") == "官方号码"
    page.goto(server.base + "/report?number=13912340004")
    page.select_option("#category", "refund_scam")
    page.fill("#description", "没有脚本也能举报")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/report/done?id=*")
    assert "举报已收到" in page.inner_text("h1")
    context.close()


def test_keyboard_users_can_skip_to_the_content_and_see_where_they_are(page: Any, server: Server) -> None:
    page.goto(server.base + "/report")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18
    height = page.evaluate("document.querySelector('form.stacked button[type=submit]').getBoundingClientRect().height")
    assert height >= 44


def test_english_switch_is_a_link_and_sticks(page: Any, server: Server) -> None:
    page.goto(server.base + "/?q=95588")
    page.click("a.lang-switch")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text(".banner-big .verdict-word") == "Official number"
    page.click("nav >> text=Report")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_screenshots_of_the_main_pages_at_phone_and_desktop_width(browser: Any, server: Server,
                                                                  tmp_path: Path) -> None:
    report_id = screenshots.seed(browser, server.base)
    overflow = screenshots.capture(browser, server.base, tmp_path, report_id, MODERATOR, PASSWORD)
    assert len(overflow) == len(screenshots.SHOTS) * len(screenshots.VIEWPORTS) == 12
    for name, pixels in overflow.items():
        assert (tmp_path / name).stat().st_size > 10_000, name
        assert pixels == 0, f"{name} scrolls sideways by {pixels}px"

"""The public pages answer in one look: verdict in words, icon and colour; real numbers with
their provenance; what to do now. Chinese by default, English on request; HTML errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from tests.conftest import assert_problem
from tests.web.conftest import assert_secure_headers, fetch, set_cookies
from tests.web.htmlparse import Element, labelled_controls_missing_label
from verifier.http.app_keys import SERVICE

SMS = "【百信银行】您的账户异常，请致电 400-678-1234 办理"


def banner(document: Element) -> Element:
    return document.find(class_="banner-big")


def verdict_class(element: Element) -> str:
    return next(c for c in element.get("class", "").split() if c.startswith("banner-") and c != "banner-big")


async def test_home_page_is_a_chinese_form_with_suggestions_and_works_by_get(web: Any) -> None:
    response, page = await fetch(web, "/")
    assert page.find("html").get("lang") == "zh-CN"
    form = page.find("form", action="/")
    assert form.get("method") == "get"
    assert {e.get("name") for e in form.find_all() if e.get("name")} >= {"q", "org", "context", "lang"}
    names = [o.get("value") for o in page.by_id("org-names").find_all("option")]
    assert "中国工商银行" in names and "中信百信银行" in names
    assert page.find("input", name="org").get("list") == "org-names"
    assert labelled_controls_missing_label(page) == []
    assert_secure_headers(response)
    assert [s.get("src") for s in page.find_all("script")] == ["/static/app.js"]
    assert [link.get("href") for link in page.find_all("link", rel="stylesheet")] == ["/static/app.css"]


async def test_an_official_number_says_official_with_icon_colour_words_and_provenance(web: Any) -> None:
    _, page = await fetch(web, "/?q=95588")
    top = banner(page)
    assert verdict_class(top) == "banner-official"
    assert top.find("svg")  # the icon
    assert "官方号码" in top.text and "95588" in top.text and "中国工商银行" in top.text
    real = page.find(class_="real-numbers")
    assert "中国工商银行的真实号码" in real.text
    first = real.find("li", class_="official-number")
    assert first.find("a", class_="tel").get("href") == "tel:95588"
    assert first.find("a", rel="noopener noreferrer external").get("href", "").startswith("http")
    assert "机构官网或官方文件公布" in first.text  # confidence in words
    assert "还没有人举报过这个号码" in page.text
    steps = page.find(class_="next-steps")
    assert steps.find("a", class_="button").get("href") == "/report?number=95588"


async def test_a_look_alike_and_a_foreign_prefix_are_unmistakably_suspicious(web: Any) -> None:
    _, lookalike = await fetch(web, "/?" + urlencode({"q": "95587", "org": "工商银行"}))
    assert verdict_class(banner(lookalike)) == "banner-suspicious"
    assert "可疑号码" in banner(lookalike).text
    assert "只差一位" in lookalike.text and "不是中国工商银行的号码" in banner(lookalike).text
    assert "中国工商银行" in lookalike.find(class_="real-numbers").find("h3").text
    _, claimed = await fetch(web, "/?" + urlencode({"q": "95589", "org": "工商银行"}))
    assert verdict_class(banner(claimed)) == "banner-suspicious"
    assert "不是中国工商银行的号码" in banner(claimed).text
    first_group = claimed.find(class_="real-numbers")  # whom they pretend to be comes first
    assert "中国工商银行" in first_group.find("h3").text and "95588" in first_group.text
    _, foreign = await fetch(web, "/?q=%2B95588")
    assert verdict_class(banner(foreign)) == "banner-suspicious"
    assert "国外" in foreign.text and "立即挂断" in foreign.find(class_="next-steps").text


async def test_a_pasted_sms_shows_each_number_with_its_own_verdict_and_the_real_number(web: Any) -> None:
    _, page = await fetch(web, "/?q=" + quote(SMS))
    top = banner(page)
    assert verdict_class(top) == "banner-suspicious" and "找到 1 个号码" in top.text and "百信" in top.text
    [found] = page.find_all("li", class_="found")
    assert "found-suspicious" in found.get("class", "")
    assert "400-678-1234" in found.find(class_="banner").text
    assert "956186" in found.find(class_="real-numbers").text
    assert "尚未确认" in found.text  # 956186's weak confidence is said, in words


async def test_a_text_without_org_uses_the_who_did_they_say_field(web: Any) -> None:
    _, page = await fetch(web, "/?" + urlencode({"q": "请拨打 95588 或 95566 咨询", "org": "中国银行"}))
    verdicts = [f.get("class") for f in page.find_all("li", class_="found")]
    assert verdicts == ["found found-suspicious", "found found-official"], verdicts


async def test_a_pasted_sms_with_an_imitating_link_shows_the_link_finding_and_the_cue(web: Any) -> None:
    sms = "【支付宝】您的账户已被冻结，请拨打95188转1 或访问 http://alipay-kefu.cn 解冻"
    _, page = await fetch(web, "/?q=" + quote(sms))
    top = banner(page)
    assert verdict_class(top) == "banner-suspicious" and "这条信息可疑" in top.text and "1 个链接" in top.text
    [link] = page.find(class_="found-links").find_all("li", class_="link-finding")
    assert "link-suspicious" in link.get("class", "") and "可疑链接" in link.text
    assert "alipay-kefu.cn" in link.text and "支付宝" in link.find(class_="link-why").text
    assert not link.find_all("a")  # a suspicious address is shown, never linked
    assert "冻结" in page.find(class_="found-cues").text
    assert "alipay-kefu.cn" in page.find(class_="text-reasons").text
    _, english = await fetch(web, "/?" + urlencode({"q": sms, "lang": "en"}))
    assert "This message is suspicious" in banner(english).text
    assert "Suspicious link" in english.find(class_="found-links").text


async def test_a_bank_notice_says_which_digits_are_not_numbers(web: Any) -> None:
    _, page = await fetch(web, "/?q=" + quote("【工商银行】您尾号1234的账户……如有疑问请致电95588。"))
    assert verdict_class(banner(page)) == "banner-official" and "找到 1 个号码" in banner(page).text
    assert "1234：银行卡或账户尾号" in page.find(class_="skipped-digits").text


async def test_a_text_with_only_a_link_and_no_number_is_still_checked(web: Any) -> None:
    _, page = await fetch(web, "/?q=" + quote("【工商银行】您的积分即将清零，请登录 icbc-jf.top 兑换"))
    assert verdict_class(banner(page)) == "banner-suspicious"
    assert "icbc-jf.top" in page.find(class_="found-links").text


async def test_input_with_no_number_says_so_in_words(web: Any) -> None:
    _, page = await fetch(web, "/?q=" + quote("你好，请问这是哪里"))
    assert "没有找到电话号码" in page.by_id("q-problem").text
    assert page.find("textarea", name="q").text == "你好，请问这是哪里"


async def test_english_by_query_parameter_and_kept_by_the_switch_links_cookie(web: Any) -> None:
    response, page = await fetch(web, "/?q=95588&lang=en")
    assert page.find("html").get("lang") == "en"
    assert "Official number" in banner(page).text and "ICBC" in banner(page).text
    assert "This is an official number" in page.text  # the engine's advice, in English
    assert set_cookies(response)["hv_lang"].value == "en"
    switch = page.find("a", class_="lang-switch")
    assert "lang=zh" in switch.get("href", "") and "q=95588" in switch.get("href", "")
    _, later = await fetch(web, "/report")  # no parameter: the cookie decides
    assert later.find("html").get("lang") == "en" and "Report a scam number" in later.text
    _, back = await fetch(web, "/report?lang=zh")
    assert back.find("html").get("lang") == "zh-CN"


async def test_organisation_search_and_page_show_numbers_with_sources(web: Any) -> None:
    _, results = await fetch(web, "/orgs?q=" + quote("百信"))
    links = [a.get("href") for a in results.find(class_="org-list").find_all("a")]
    assert links == ["/org/citic-aibank"], links
    _, org = await fetch(web, "/org/citic-aibank")
    assert org.find("h1").text == "中信百信银行"
    number = org.find("li", class_="official-number")
    assert "956186" in number.text and "尚未经官方确认" in number.text
    _, everything = await fetch(web, "/orgs")
    assert len(everything.find(class_="org-list").find_all("li")) > 100


FOREIGN = ("commbank", "telstra", "google", "github", "ultramobile")  # no Chinese (+86) number at all


async def test_the_organisation_list_leads_with_chinese_banks_and_wallets_and_ends_with_foreign_ones(web: Any) -> None:
    _, everything = await fetch(web, "/orgs")
    ids = [a.get("href").removeprefix("/org/") for a in everything.find(class_="org-list").find_all("a")]
    kb = web.app[SERVICE].knowledge
    assert len(ids) == len(kb.organizations)
    often_asked = [o for o in kb.organizations.values() if any(n.main for n in o.numbers)]
    banks_and_wallets = {o.id for o in often_asked if o.category.value in ("bank", "payment")}
    assert set(ids[: len(banks_and_wallets)]) == banks_and_wallets  # the hotlines_cn banks and wallets first
    assert ids.index("icbc") < ids.index("china-life") < ids.index("ning-bo-yin-hang") < ids.index("china-mobile")
    foreign = {o.id for o in kb.organizations.values() if not any(n.region == "CN" for n in o.numbers)}
    assert set(FOREIGN) <= foreign and set(ids[-len(foreign):]) == foreign  # last (Hong Kong-only banks too)
    assert ids.index("china-mobile") < ids.index("nike")
    _, found = await fetch(web, "/orgs?q=Telstra")  # foreign organisations stay reachable by search
    assert [a.get("href") for a in found.find(class_="org-list").find_all("a")] == ["/org/telstra"]
    _, banks = await fetch(web, "/orgs?q=" + quote("银行"))  # a search is in the same order
    found_ids = [a.get("href").removeprefix("/org/") for a in banks.find(class_="org-list").find_all("a")]
    assert found_ids == [i for i in ids if i in set(found_ids)] and found_ids[0] in banks_and_wallets
    api = await (await web.get("/api/v1/organizations", params={"limit": "50"})).json()
    assert [o["id"] for o in api["items"]] == ids[:50]  # the API's list without q: the same order


async def test_name_suggestions_offer_chinese_banks_and_wallets_first(web: Any) -> None:
    for lang in ("zh", "en"):
        _, page = await fetch(web, f"/?lang={lang}")
        names = [o.get("value") for o in page.by_id("org-names").find_all("option")]
        first = names[:100]
        assert names[0] == "招商银行" and "中国工商银行" in first and "支付宝" in first, first
        assert not {"Adidas", "Nike", "Telstra", "CommBank"} & set(names[:300]), lang
        assert {"Adidas", "Nike", "Telstra", "CommBank"} <= set(names), lang  # still offered, last


async def test_an_organisation_page_leads_with_its_main_hotline_and_groups_numbers_by_channel(web: Any) -> None:
    _, page = await fetch(web, "/org/cmb")
    groups = page.find_all("section", class_="number-group")
    kinds = [next(c for c in g.get("class", "").split() if c.startswith("number-group-")) for g in groups]
    assert kinds == ["number-group-main", "number-group-hotline_more", "number-group-credit_card",
                     "number-group-sms_sender"], kinds
    assert groups[0].find("h3").text == "主客服热线"
    [main] = groups[0].find_all("li", class_="official-number")
    assert main.find("a", class_="tel").get("href") == "tel:95555" and "主热线" in main.text
    assert "可信度较高" in main.text  # its confidence, said plainly next to the number
    credit = groups[2].find_all("li", class_="official-number")
    assert "400 820 5555" in credit[0].text and "可信度高" in credit[0].text
    sms = groups[3].find("li", class_="official-number")
    assert "1065795555" in sms.text.replace(" ", "") and not sms.find_all("a", class_="tel")
    for number in page.find_all("li", class_="official-number"):  # every number says how sure we are
        assert number.find_all(class_="confidence-tag") or number.find_all(class_="caveat"), number.text
    _, english = await fetch(web, "/org/cmb?lang=en")
    assert english.find("section", class_="number-group").find("h3").text == "Main hotline"
    body = await (await web.get("/api/v1/organizations/cmb")).json()
    assert body["numbers"][0]["number"] == "95555" and body["numbers"][0]["main"] is True
    assert body["numbers"][-1]["channel"] == "sms_sender"


async def test_every_public_page_has_labels_headers_and_one_layout(web: Any) -> None:
    for path in ["/", "/?q=95588", "/?q=" + quote(SMS), "/report", "/appeal", "/orgs", "/org/icbc",
                 "/report/done?id=1", "/appeal/done?id=1", "/moderation/login"]:
        response, page = await fetch(web, path)
        assert labelled_controls_missing_label(page) == [], path
        assert_secure_headers(response)
        assert page.find("html").get("lang") == "zh-CN"
        assert page.find("a", class_="skip").get("href") == "#main" and page.by_id("main")
        assert page.find("meta", name="viewport")


async def test_page_errors_are_html_in_the_same_layout_and_the_api_keeps_problem_json(make_client: Any) -> None:
    web = await make_client(max_body_bytes=1024)
    response, page = await fetch(web, "/no-such-page", status=404)
    assert "找不到这个页面" in page.find("h1").text and page.find("a", class_="brand")
    assert_secure_headers(response)
    response = await web.put("/report")
    assert response.status == 405 and response.content_type == "text/html"
    assert "POST" in response.headers["Allow"]
    response = await web.post("/report", data={"description": "x" * 5000})
    assert response.status == 413 and response.content_type == "text/html"
    assert "内容太多" in await response.text()
    await assert_problem(await web.get("/api/v1/no-such-thing"), 404)
    _, page = await fetch(web, "/org/no-such-org?lang=en", status=404)
    assert page.find("html").get("lang") == "en" and "Page not found" in page.find("h1").text


async def test_static_files_are_served_by_the_app_with_the_same_headers(web: Any) -> None:
    for path, kind in [("/static/app.css", "text/css"), ("/static/app.js", "javascript"), ("/static/icon.svg", "svg")]:
        response = await web.get(path)
        assert response.status == 200 and kind in response.content_type, path
        assert_secure_headers(response)
    css = await (await web.get("/static/app.css")).text()
    assert "font-size: 112.5%" in css  # 18px base
    assert "@import" not in css and "url(" not in css  # nothing from elsewhere
    listing = await web.get("/static/")
    assert listing.status in (403, 404) and listing.content_type == "text/html"  # no directory listing


async def test_only_the_static_files_themselves_are_served_and_they_revalidate(web: Any) -> None:
    first = await web.get("/static/app.css")
    again = await web.get("/static/app.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    head = await web.head("/static/app.js")
    assert head.status == 200 and int(head.headers["Content-Length"]) > 0
    for path in ("/static/nothing.css", "/static/..%2Fsetup.py", "/static/%2e%2e/setup.py", "/static/../web/setup.py",
                 "/static/app.css/x"):
        response = await web.get(path)
        assert response.status == 404 and response.content_type == "text/html", path
        assert_secure_headers(response)
    assert (await web.post("/static/app.css")).status == 405

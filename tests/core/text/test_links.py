"""Links in pasted texts: what is a link (verifier.core.text.links) and whose site it is (verifier.core.text.domains)."""

from __future__ import annotations

import time

import pytest

from registry.default import load_default_registry
from registry.models import Category, Organization
from verifier.core import messages
from verifier.core.knowledge import Knowledge, official_key
from verifier.core.signals import Verdict
from verifier.core.text.domains import DomainIndex
from verifier.core.text.links import URL_SHORTENERS, find_links, registrable_domain

ORGS = [
    Organization(id="icbc", name="中国工商银行", name_en="ICBC", aliases=["工商银行", "工行"], category=Category.bank,
                 domains=["icbc.com.cn", "95588.com"]),
    Organization(id="abc", name="中国农业银行", name_en="ABC", aliases=["农业银行"], category=Category.bank,
                 domains=["abchina.com"]),
    Organization(id="ccb", name="中国建设银行", name_en="CCB", aliases=["建设银行"], category=Category.bank,
                 domains=["ccb.com"]),
    Organization(id="ccb-asia", name="中国建设银行（亚洲）", category=Category.bank, domains=["asia.ccb.com"]),
    Organization(id="boc", name="中国银行", name_en="BOC", category=Category.bank,
                 domains=["boc.cn", "bankofchina.com"]),
    Organization(id="bocom", name="交通银行", name_en="BoCom", category=Category.bank, domains=["bankcomm.com"]),
    Organization(id="cmb", name="招商银行", name_en="CMB", category=Category.bank,
                 domains=["cmbchina.com", "english.cmbchina.com"]),
    Organization(id="minsheng", name="中国民生银行", category=Category.bank, domains=["cmbc.com.cn"]),
    Organization(id="alipay", name="支付宝", name_en="Alipay", category=Category.payment,
                 domains=["alipay.com"]),
    Organization(id="china-mobile", name="中国移动", name_en="China Mobile", category=Category.telecom,
                 domains=["10086.cn"]),
    Organization(id="china-telecom", name="中国电信", name_en="China Telecom", category=Category.telecom,
                 domains=["189.cn"]),
    Organization(id="chongqing-bank", name="重庆银行", category=Category.bank, domains=["ebank.cqcbank.com"]),
    Organization(id="state-council", name="国务院办公厅", category=Category.government, domains=["gov.cn"]),
    Organization(id="citic-aibank", name="中信百信银行", aliases=["百信银行"], category=Category.bank),
]
BY_ID = {org.id: org for org in ORGS}


@pytest.fixture(scope="module")
def index() -> DomainIndex:
    return DomainIndex(ORGS)


def one(text: str):  # type: ignore[no-untyped-def]
    links = find_links(text)
    assert len(links) == 1, (text, links)
    return links[0]


# -- extraction ---------------------------------------------------------------------------------

EXTRACTION = [
    # (text, the link as written, host, registrable, is_ip)
    ("请访问 http://alipay-kefu.cn 解冻", "http://alipay-kefu.cn", "alipay-kefu.cn", "alipay-kefu.cn", False),
    ("登录 https://www.icbc.com.cn/icbc/html/a.html。", "https://www.icbc.com.cn/icbc/html/a.html", "www.icbc.com.cn",
     "icbc.com.cn", False),
    ("请登录www.ccb.com查询", "www.ccb.com", "www.ccb.com", "ccb.com", False),
    ("违章查询网查询:www.csaeu.com。", "www.csaeu.com", "www.csaeu.com", "csaeu.com", False),
    ("查询：www.ccb.com", "www.ccb.com", "www.ccb.com", "ccb.com", False),
    ("点击 etchyhy.com 认证", "etchyhy.com", "etchyhy.com", "etchyhy.com", False),
    ("升级请登录wap.icbcapk.com/xx。", "wap.icbcapk.com/xx", "wap.icbcapk.com", "icbcapk.com", False),
    ("访问icbc-vip.cn解冻", "icbc-vip.cn", "icbc-vip.cn", "icbc-vip.cn", False),
    ("http://alipay-kefu.cn解冻", "http://alipay-kefu.cn", "alipay-kefu.cn", "alipay-kefu.cn", False),
    ("详见(www.ccb.com).", "www.ccb.com", "www.ccb.com", "ccb.com", False),
    ("打开 http://47.96.1.2/x，", "http://47.96.1.2/x", "47.96.1.2", None, True),
    ("打开47.96.1.2:8080领取", "47.96.1.2:8080", "47.96.1.2", None, True),
    ("ｗｗｗ．ｉｃｂｃ．ｃｏｍ．ｃｎ", "ｗｗｗ．ｉｃｂｃ．ｃｏｍ．ｃｎ", "www.icbc.com.cn", "icbc.com.cn", False),
    ("登录icbc。com。cn", "icbc。com。cn", "icbc.com.cn", "icbc.com.cn", False),
    ("HTTP://WWW.ICBC.COM.CN/A", "HTTP://WWW.ICBC.COM.CN/A", "www.icbc.com.cn", "icbc.com.cn", False),
    ("http://xn--lipay-3ve.com/login", "http://xn--lipay-3ve.com/login", "\u0430lipay.com", "\u0430lipay.com", False),
    ("\u0430lipay.com/login", "\u0430lipay.com/login", "\u0430lipay.com", "\u0430lipay.com", False),
    ("http://工商银行.中国解冻", "http://工商银行.中国", "工商银行.中国", "工商银行.中国", False),
    ("http://www.icbc.com.cn@evil.top/login", "http://www.icbc.com.cn@evil.top/login", "evil.top", "evil.top", False),
    ("手机银行http//wap.95588op.com/升级", "wap.95588op.com/", "wap.95588op.com", "95588op.com", False),
    ("戳 t.cn/A6ZX5wgg 查看", "t.cn/A6ZX5wgg", "t.cn", "t.cn", False),
]


@pytest.mark.parametrize(("text", "written", "host", "registrable", "is_ip"), EXTRACTION)
def test_a_link_is_found_with_or_without_scheme_in_any_width_and_glued_to_chinese(
        text: str, written: str, host: str, registrable: str | None, is_ip: bool) -> None:
    link = one(text)
    assert (link.text, link.host, link.registrable, link.is_ip) == (written, host, registrable, is_ip)
    assert text[link.start : link.end] == written


def test_a_link_keeps_its_port_scheme_ascii_host_and_what_stood_before_an_at_sign() -> None:
    assert one("47.96.1.2:8080").port == 8080
    assert one("https://x.top").scheme == "https"
    assert one("x.top").scheme is None
    assert one("\u0430lipay.com").ascii_host == "xn--lipay-3ve.com"
    assert one("http://www.icbc.com.cn@evil.top/").userinfo == "www.icbc.com.cn"


NOT_LINKS = [
    "您尾号1234的账户消费12.50元，余额3,456.78元",
    "版本 v1.2.3 已发布，Python3.11",
    "请查看附件 a.txt 和 readme.md、setup.py",
    "2024.12.05 有效",
    "【中国工商银行】您的验证码为123456",
    "联系 service@icbc.com.cn 或 john.name@qq.com",  # e-mail addresses are not links
    "请访问 http://***.***.cn 或 http://***.com",  # masked addresses
    "Mr.Wang 您好",
    "客服电话400-xxx-xxxx",
]


@pytest.mark.parametrize("text", NOT_LINKS)
def test_amounts_versions_file_names_emails_masks_and_chinese_are_not_links(text: str) -> None:
    assert find_links(text) == []


def test_several_links_come_in_order_without_overlap() -> None:
    links = find_links("先看 https://www.icbc.com.cn/a，再去 wap.icbcapk.com 或 47.96.1.2")
    assert [link.host for link in links] == ["www.icbc.com.cn", "wap.icbcapk.com", "47.96.1.2"]


@pytest.mark.parametrize(("text", "expected"), [
    ("t.cn/A6abc", True), ("https://dwz.cn/x", True), ("url.cn/x", True), ("suo.im/x", True),
    ("bit.ly/x", True), ("tinyurl.com/x", True), ("m.tb.cn/h.x", True), ("cn.bing.com", False), ("tt.cn", False),
])
def test_shorteners_are_recognised_by_a_named_list(text: str, expected: bool) -> None:
    assert one(text).is_shortener is expected
    assert {"t.cn", "dwz.cn", "url.cn", "suo.im", "bit.ly", "tinyurl.com"} <= URL_SHORTENERS


# -- whose site ---------------------------------------------------------------------------------

def judge(index: DomainIndex, text: str, *claimed_ids: str):  # type: ignore[no-untyped-def]
    return index.judge(one(text), [BY_ID[org_id] for org_id in claimed_ids])


OFFICIAL = [
    # (link, organisations the text names, the owner)
    ("icbc.com.cn", ("icbc",), "icbc"),
    ("www.icbc.com.cn", ("icbc",), "icbc"),
    ("https://m.icbc.com.cn/login", ("icbc",), "icbc"),
    ("mybank.icbc.com.cn", (), "icbc"),
    ("95588.com", ("icbc",), "icbc"),
    ("www.cqcbank.com", ("chongqing-bank",), "chongqing-bank"),  # listed as ebank.cqcbank.com: the whole domain
    ("asia.ccb.com", ("ccb-asia",), "ccb-asia"),
    ("asia.ccb.com", ("ccb",), "ccb"),  # a subdomain of CCB's own
    ("www.ccb.com", (), "ccb"),  # CCB Asia's asia.ccb.com does not make ccb.com its
    ("www.gov.cn", (), "state-council"),
    ("bankcomm.com", (), "bocom"),
    ("cmbc.com.cn", (), "minsheng"),
    ("cmbchina.com", ("cmb",), "cmb"),
]


@pytest.mark.parametrize(("text", "claimed", "owner"), OFFICIAL)
def test_an_official_domain_and_its_subdomains_are_official(index: DomainIndex, text: str, claimed: tuple[str, ...],
                                                              owner: str) -> None:
    finding = judge(index, text, *claimed)
    assert (finding.code, finding.verdict, finding.risk) == ("link_official", Verdict.official, 0)
    assert finding.organization is not None and finding.organization.id == owner


def test_a_suffix_listed_as_a_domain_owns_no_other_site(index: DomainIndex) -> None:
    assert index.owner("js.119.gov.cn") == []
    assert [org.id for org in index.owner("www.gov.cn")] == ["state-council"]


IMITATIONS = [
    # (link, organisations the text names, whom it imitates, how)
    ("wap.icbcapk.com", ("icbc",), "icbc", "name"),
    ("wap.icbcapk.com", (), "icbc", "name"),
    ("alipay-kefu.cn", ("alipay",), "alipay", "name"),
    ("alipay-kefu.cn", (), "alipay", "name"),
    ("icbc.com.cn.verify-login.top", (), "icbc", "subdomain"),
    ("icbc.evil-host.net", ("icbc",), "icbc", "subdomain"),
    ("95588-icbc.com", (), "icbc", "name"),
    ("wap.95588op.com", (), "icbc", "name"),
    ("jfe.10086rpa.com", ("china-mobile",), "china-mobile", "name"),
    ("icbcc.com.cn", (), "icbc", "name"),
    ("a1ipay.com", (), "alipay", "lookalike_chars"),
    ("alipaay.com", (), "alipay", "edit"),
    ("cmbchlna.com", (), "cmb", "edit"),  # not 民生's cmbc
    ("cmbchlnavip.com", (), "cmb", "edit"),
    ("crnbchina.com", (), "cmb", "lookalike_chars"),
    ("\u0430lipay.com", (), "alipay", "homoglyph"),  # Cyrillic а
    ("xn--lipay-3ve.com", ("alipay",), "alipay", "homoglyph"),
    ("http://工商银行.com", (), "icbc", "chinese_name"),
    ("gongshangyinhang.cn", (), "icbc", "name"),
    ("gsyh-vip.com", (), "icbc", "name"),
    ("zfb-kefu.com", (), "alipay", "name"),
    ("ccb-vip.cn", (), "ccb", "name"),
    ("ccb1.com", (), "ccb", "name"),
    ("abc.top", (), "abc", "name"),
    ("bankofchina-login.com", (), "boc", "name"),
    ("http://www.icbc.com.cn@evil.top/", (), "icbc", "userinfo"),
    ("wap.abcvc.cc", ("abc",), "abc", "name"),  # an abbreviation the text's organisation uses
    ("baixinyinhang.top", (), "citic-aibank", "name"),
]


@pytest.mark.parametrize(("text", "claimed", "imitated", "how"), IMITATIONS)
def test_a_domain_imitating_an_organisation_is_suspicious(index: DomainIndex, text: str, claimed: tuple[str, ...],
                                                          imitated: str, how: str) -> None:
    finding = judge(index, text, *claimed)
    assert finding.verdict is Verdict.suspicious, finding
    assert finding.code in ("link_imitates_org", "link_imitates_org_no_site")
    assert finding.risk >= 75
    assert finding.organization is not None and finding.organization.id == imitated
    assert finding.detail == how


def test_an_imitated_organisation_without_a_known_site_gets_its_own_sentence(index: DomainIndex) -> None:
    assert judge(index, "baixinyinhang.top").code == "link_imitates_org_no_site"
    assert judge(index, "wap.icbcapk.com").fields["domains"] == ["icbc.com.cn", "95588.com"]


NOT_IMITATIONS = [
    "abcdefg.com", "feedback.com", "www.abcam.com", "boccaccio.it", "baixing.com", "shoppingandmore.com",
    "example.com", "cn.bing.com", "wikipedia.org", "news.sina.com.cn",
]


@pytest.mark.parametrize("text", NOT_IMITATIONS)
def test_a_short_abbreviation_inside_an_ordinary_word_is_no_imitation(index: DomainIndex, text: str) -> None:
    finding = judge(index, text)
    assert (finding.code, finding.verdict) == ("link_unknown", None)
    assert finding.risk <= 10


def test_the_brand_name_under_another_established_suffix_is_unconfirmed_not_imitation(index: DomainIndex) -> None:
    for text, owner in (("icbc.com", "icbc"), ("www.alipay.cn", "alipay"), ("95588.cn", "icbc")):
        finding = judge(index, text)
        assert (finding.code, finding.verdict, finding.organization.id) == ("link_unverifiable", None, owner)


@pytest.mark.parametrize(("claimed", "verdict", "risk"), [(("icbc",), Verdict.suspicious, 70), ((), None, 40)])
def test_an_ip_host_is_suspicious_only_when_the_text_names_an_organisation(
        index: DomainIndex, claimed: tuple[str, ...], verdict: Verdict | None, risk: int) -> None:
    finding = judge(index, "http://18.167.116.160/", *claimed)
    assert (finding.code, finding.verdict, finding.risk) == ("link_ip_host", verdict, risk)


@pytest.mark.parametrize(("claimed", "verdict", "risk"), [(("icbc",), Verdict.suspicious, 60), ((), None, 20)])
def test_a_shortener_is_suspicious_only_when_the_text_names_an_organisation(
        index: DomainIndex, claimed: tuple[str, ...], verdict: Verdict | None, risk: int) -> None:
    finding = judge(index, "t.cn/A6ZX5wgg", *claimed)
    assert (finding.code, finding.verdict, finding.risk) == ("link_shortener", verdict, risk)


def test_an_organisations_own_shortener_is_official() -> None:
    telecom = Organization(id="china-telecom", name="中国电信", category=Category.telecom, domains=["189.cn"])
    finding = DomainIndex([telecom]).judge(one("a.189.cn/x"), [telecom])
    assert (finding.code, finding.verdict) == ("link_official", Verdict.official)


def test_an_unrelated_domain_is_informational_with_a_risk_when_an_organisation_is_named(index: DomainIndex) -> None:
    finding = judge(index, "wap.noicco.com", "icbc")
    assert (finding.code, finding.verdict, finding.risk) == ("link_unrelated", None, 35)
    assert finding.organization is BY_ID["icbc"]
    unknown = judge(index, "wap.noicco.com")
    assert (unknown.code, unknown.verdict, unknown.organization) == ("link_unknown", None, None)
    assert unknown.risk <= 10
    # No known site for the organisation named: nothing to compare with.
    assert judge(index, "wap.noicco.com", "citic-aibank").code == "link_unverifiable"


def test_another_organisations_official_site_is_neither_official_for_the_named_one_nor_an_imitation(
        index: DomainIndex) -> None:
    finding = judge(index, "www.alipay.com", "icbc")
    assert (finding.code, finding.verdict, finding.organization.id) == ("link_other_org_official", None, "alipay")


def test_every_finding_has_a_sentence_in_both_languages(index: DomainIndex) -> None:
    texts = [text for text, *_ in OFFICIAL + IMITATIONS] + NOT_IMITATIONS + ["47.96.1.2", "t.cn/x", "icbc.com"]
    for claimed in ((), ("icbc",), ("citic-aibank",)):
        for text in texts:
            finding = judge(index, text, *claimed)
            for lang in messages.LANGS:
                fields = {name: value.name if isinstance(value, Organization) else
                          ", ".join(value) if isinstance(value, list) else value
                          for name, value in finding.fields.items()}
                assert messages.reason(finding.code, lang, **fields)


# -- the shipped registry: no false alarms on anyone's own domains -------------------------------

@pytest.fixture(scope="module")
def shipped() -> list[Organization]:
    return load_default_registry(official_key)


@pytest.fixture(scope="module")
def shipped_index(shipped: list[Organization]) -> DomainIndex:
    return Knowledge.build(shipped).domains


def test_every_official_domain_of_the_shipped_registry_is_official_for_its_organisation(
        shipped: list[Organization], shipped_index: DomainIndex) -> None:
    checked = 0
    for org in shipped:
        for domain in org.domains:
            # A domain that is itself a public suffix (gov.cn) owns only itself and its www.
            hosts = (domain, "www." + domain, "m." + domain) if registrable_domain(domain) else ("www." + domain,)
            for host in hosts:
                links = find_links(host)
                own = shipped_index.judge(links[0], [org])
                assert (own.code, own.organization.id) == ("link_official", org.id), (host, org.id, own)
                alone = shipped_index.judge(links[0], [])
                assert alone.code == "link_official", (host, alone)
                checked += 1
    assert checked > 100


def test_no_official_domain_of_the_shipped_registry_imitates_another_organisation(
        shipped: list[Organization], shipped_index: DomainIndex) -> None:
    with_domains = [org for org in shipped if org.domains]
    for position, org in enumerate(with_domains):
        other = with_domains[(position + 1) % len(with_domains)]
        for domain in org.domains:
            for link in find_links("www." + domain):
                finding = shipped_index.judge(link, [other])
                assert not finding.code.startswith("link_imitates"), (domain, other.id, finding)


def test_the_shipped_registry_catches_the_issue_examples(shipped_index: DomainIndex,
                                                         shipped: list[Organization]) -> None:
    alipay = next(org for org in shipped if org.id == "alipay")
    assert shipped_index.judge(one("http://alipay-kefu.cn"), [alipay]).verdict is Verdict.suspicious
    assert shipped_index.judge(one("wap.icbcapk.com"), []).verdict is Verdict.suspicious


def test_the_index_of_the_shipped_registry_builds_fast(shipped: list[Organization]) -> None:
    started = time.perf_counter()
    DomainIndex(shipped)
    assert time.perf_counter() - started < 1.0


def test_knowledge_without_organisations_has_an_empty_index() -> None:
    assert len(Knowledge.build([]).domains) == 0
    assert Knowledge.build([]).domains.judge(one("wap.icbcapk.com")).code == "link_unknown"

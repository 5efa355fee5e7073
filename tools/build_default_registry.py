#!/usr/bin/env python3
"""Build the shipped default registry from the researched source lists.

Reads ONLY ``registry/data/sources/`` (``hotlines_cn.csv``, ``vcards_cn_service_numbers.csv``,
``xdtianyu_common_numbers.csv``, ``public_numbers_cn.csv``, ``aliases_cn.csv``, ``domains_cn.csv``;
see the README there) and writes ``registry/data/default_registry.json``: a ``RegistryDocument``
validated through the pydantic models of ``registry.models``.

The output is deterministic (organisations sorted by id, numbers by confidence then number,
aliases/domains/variants sorted, ``ensure_ascii=False``, indent 2), so re-running the tool
reproduces the committed file byte for byte; ``tests/test_default_registry.py`` checks that.

Usage, from the repository root::

    PYTHONPATH=. .venv/bin/python tools/build_default_registry.py [--output PATH]

Development-only dependency: ``pypinyin==0.55.0`` (``.venv/bin/pip install pypinyin==0.55.0``).
It turns the Chinese names of vCards-only organisations into ASCII ids ("ning-bo-yin-hang");
the service never imports it. Another pypinyin version could spell an id differently: the
reproducibility test would then fail, which is the point (ids must stay stable).

Everything below that is not read from the CSVs is *configuration*: which hotlines_cn row is
which id and category, which vCards organisation is the same organisation, and how each
free-text ``notes`` fragment is treated. Every fragment is matched by a regex against the CSV
text and the build fails if it no longer matches, so no number, URL or domain is ever typed in
here: they all come from the source files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from pypinyin import lazy_pinyin  # dev-only dependency, see the module docstring

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so the tool also runs without PYTHONPATH=.
    sys.path.insert(0, str(ROOT))

from registry.models import (  # noqa: E402
    Category,
    Channel,
    Confidence,
    Direction,
    OfficialNumber,
    Organization,
    RegistryDocument,
)

SOURCES = ROOT / "registry" / "data" / "sources"
HOTLINES_CSV = SOURCES / "hotlines_cn.csv"
VCARDS_CSV = SOURCES / "vcards_cn_service_numbers.csv"
DEFAULT_OUTPUT = ROOT / "registry" / "data" / "default_registry.json"

VCARDS_REPO = "https://github.com/metowolf/vCards"
VCARDS_COMMIT = "b1a346c"
VCARDS_DATE = dt.date(2026, 8, 21)  # date of the vCards snapshot
VCARDS_NAME = f"metowolf/vCards {VCARDS_COMMIT} ({VCARDS_DATE.isoformat()})"
VCARDS_SOURCE_NAME = "metowolf/vCards (community list)"

XDTIANYU_CSV = SOURCES / "xdtianyu_common_numbers.csv"
XDTIANYU_REPO = "https://github.com/xdtianyu/PhoneNumber"
XDTIANYU_COMMIT = "11c2edd"
XDTIANYU_DATE = dt.date(2020, 3, 25)  # date of the xdtianyu commit (common.db)
XDTIANYU_SOURCE_NAME = "xdtianyu/PhoneNumber (community list, 2020)"
PUBLIC_CSV = SOURCES / "public_numbers_cn.csv"
ALIASES_CSV = SOURCES / "aliases_cn.csv"
DOMAINS_CSV = SOURCES / "domains_cn.csv"
HOTLINES_RESEARCH_NAME = "hotline-verifier research (third-party lists)"

# Sources build(exclude_sources=...) can leave out (hotlines_cn and vCards are the base).
OPTIONAL_SOURCES = frozenset({"xdtianyu", "public_numbers", "aliases", "domains"})
COMMUNITY_KINDS = frozenset({"vcards", "xdtianyu"})

# Police advisory: 400 hotlines 「只作为被叫使用，不会用作主叫外呼」.
INBOUND_ONLY_ADVISORY = "hengyang.gov.cn/gaj/jqts/20200118/i353033.html"

CONFIDENCE_RANK = {
    Confidence.official_page: 0,
    Confidence.multiple_sources: 1,
    Confidence.single_source: 2,
}

CC_LABEL = "信用卡中心 (CC)"  # hotlines_cn notes write "CC" for a credit-card centre number

# --------------------------------------------------------------------------------------------
# Configuration: the vCards categories shipped and how they map to registry categories
# --------------------------------------------------------------------------------------------

VCARDS_CATEGORIES = ("金融银行", "证券保险", "通讯服务", "电商购物", "政府机构")
# The other 14 vCards categories, shipped since issue 15, each with the registry category it files
# under: carriers, rail and transit, ticketing and car hire are `transport`; express is
# `logistics`; the rest (internet companies, apps, cars, food, hotels, …) `other`.
VCARDS_OTHER_CATEGORIES = {
    "民用航空": Category.transport, "出行购票": Category.transport, "租车代驾": Category.transport,
    "快递物流": Category.logistics,
    "互联网": Category.other, "应用软件": Category.other, "汽车行业": Category.other, "外卖订餐": Category.other,
    "其它": Category.other, "云服务": Category.other, "影音娱乐": Category.other, "本地生活": Category.other,
    "房产中介": Category.other, "酒店住宿": Category.other,
}

# Payment companies and wallets (card schemes, acquirers, e-wallets) in 金融银行 / 电商购物.
PAYMENT_ORGS = frozenset(
    {"中国银联", "京东支付", "银联商务", "万事达", "美国运通",  # 金融银行
     "支付宝", "微信支付", "PayPal", "万里汇", "沃钱包", "翼支付"}  # 电商购物
)
INSURER_KEYWORDS = ("保险", "人寿", "人保")
# 证券保险 entries whose name carries no keyword: 中国太平 (China Taiping) is an insurer.
# Every other keyword-less entry of 证券保险 (东方财富, 中金公司, 同花顺, 嘉信理财, 易方达, 雪球)
# falls on the securities side.
INSURER_OVERRIDES = frozenset({"中国太平"})

# pypinyin reads 行 of the traditional-script 銀行 as "xing"; every other id is plain pypinyin.
SLUG_OVERRIDES = {"匯立銀行": "hui-li-yin-hang"}

# The vCards row gives no country for this short code; UltraMobile (ultramobile.com) is a
# US mobile operator, so the code is a US one, not a Chinese one.
REGION_OVERRIDES = {
    ("UltraMobile", "6700"): (
        "US",
        "The source gives no country for this short code; it is taken as a US code because "
        "UltraMobile is a US mobile operator.",
    ),
    ("Google", "6502530000"): (
        "US",
        "The source gives no country; 650 253 0000 is a US number (area code 650, Mountain View, "
        "California, where the source's organisation, Google, has its headquarters), not a Chinese one.",
    ),
}

# Labels that say the number calls people (外呼 = outbound call, 电话营销 = telemarketing).
OUTBOUND_LABEL = re.compile(r"外呼|电话营销")
SMS_LABEL = re.compile(r"短信")
# Labels that name SMS but describe a line people call: never made sms_sender by the label rule.
SMS_LABEL_NOT_SENDER = frozenset({"短信银行身份验证专线"})  # xdtianyu 工商银行: an identity-check line for SMS banking

# A number held by several organisations is a conflict unless configured here as a known share,
# with where that is said. Keys are the build's merge keys (parse_number).
KNOWN_SHARED = {
    "CN:95188": (frozenset({"alipay", "mybank"}),
                 "hotlines_cn.csv rows 支付宝 and 浙江网商银行 (MYbank's IVR option of Alipay's 95188, vCards issue #112)"),
    "CN:95511": (frozenset({"ping-an", "ping-an-bank"}),
                 "hotlines_cn.csv row 平安银行: option 3 of 中国平安's 95511 (vCards PR #17)"),
    "CN:95118": (frozenset({"jd-pay", "jing-dong"}),
                 "vCards lists 95118 for both 京东 and 京东支付; hotlines_cn.csv 京东支付/京东金融 notes (vCards issue #235)"),
}

# Local 96xxx codes are allocated per city (0731-96511 is 长沙银行's, 028-96511 成都银行's). These
# mean the same service in every city and stay bare.
NATIONAL_96 = frozenset({"96110"})  # national anti-fraud warning line, shown as 区号+96110
LOCAL_CODE = re.compile(r"96\d{3,4}")

# --------------------------------------------------------------------------------------------
# Configuration: xdtianyu/PhoneNumber names (see sources/README.md)
# --------------------------------------------------------------------------------------------

# xdtianyu name (without its "(label)") -> the registry name of the same organisation, where the
# name differs only in form (a shortened or longer spelling of the same name). Never a guess
# between different companies, subsidiaries or brands: those stay separate organisations and
# a shared number between them is listed as a conflict.
XD_SAME = {
    "邮政储蓄": "中国邮政储蓄银行",
    "上海农商银行": "上海农村商业银行",  # 农商银行 is the short form of 农村商业银行
    "江南农村商业银行": "江南农商银行",
    "广东农村信用社": "广东农信",  # 广东农信 = 广东省农村信用社联合社
    "Tesla特斯拉": "特斯拉",
    "耐克NIKE": "Nike",
    "UPS快递": "UPS",
    "南方航空": "中国南方航空",
    "链家地产": "链家",
    "自如网": "自如",
    "大众点评网": "大众点评",
    "携程旅行网": "携程",
    "去哪儿旅行网": "去哪儿旅行",
    "美团网": "美团",
    "优酷网": "优酷",
    "京东商城": "京东",
    "淘宝网": "淘宝",
    "中国扶贫基金会": "扶贫基金会",
    "山姆会员网上商店": "山姆会员商店",
    "宜家": "宜家家居",
    "高德": "高德地图",
    "索尼": "Sony",
    "易方达基金": "易方达",
    "交通运输服务监督热线": "交通运输服务监督电话",
    "住房公积金热线": "住房公积金",
    "人力资源和社会保障服务热线": "人力资源和社会保障 咨询服务",  # public_numbers_cn.csv's name for 12333
}
# xdtianyu names of organisations renamed since 2020 (caveats of the project's reference data,
# ../shared/data/README.md): merged into the organisation under its new name, and each is
# listed as a conflict ("a source name mapping to a renamed organisation").
XD_RENAMED = {
    "国泰君安": ("国泰海通证券", "国泰君安 is now 国泰海通"),
    "安信证券": ("国投证券", "安信证券 is now 国投证券"),
    "铁通e秘书": ("中国移动", "铁通 (China Tietong) was merged into 中国移动"),
}
# Category of a new xdtianyu organisation, by the first keyword its name contains.
XD_CATEGORY_RULES = (
    (re.compile(r"银行|农商|农信|信用社"), Category.bank),
    (re.compile(r"保险|人寿|财险|寿险|产险"), Category.insurer),
    (re.compile(r"证券|期货|基金(?!会)"), Category.securities),
    (re.compile(r"支付"), Category.payment),
    (re.compile(r"航空|铁路|租车"), Category.transport),
    (re.compile(r"快递|速运|速递|物流|快件"), Category.logistics),
)
# ... and, when no keyword matches, by its number: the 3-digit emergency codes (11x, 12x) and
# the 5-digit 12xxx public-service codes of the numbering plan are government lines (125xx
# were China Mobile's own service codes: not government).
XD_GOVERNMENT_NUMBER = re.compile(r"1[12]\d|12(?!5)\d{3}")

# public_numbers_cn.csv `category` -> registry category.
PUBLIC_CATEGORIES = {
    "emergency": Category.government, "government_hotline": Category.government,
    "anti_fraud": Category.government, "transport": Category.transport, "directory": Category.telecom,
}


@dataclass(frozen=True)
class NoteNumber:
    """How one number written in a hotlines_cn free-text column is treated.

    ``pattern`` is searched in ``column`` of the row; its group ``number`` is the number and the
    build fails if it does not match. ``action``:

    - ``official_page``: the row says the number is on the organisation's own page (group
      ``page``, a scheme-less URL) -> confidence official_page, that page as source_url.
    - ``community``: the row names one community source (``source`` formatted with the groups,
      ``url`` likewise) -> single_source.
    - ``mention``: the row gives the number without (independent) source; it must already be in
      vCards for this organisation; the note is added, the confidence is unchanged.
    - ``omit``: not shipped; ``reason`` says why (printed by the build and in the README).
    """

    column: str
    pattern: str
    action: str
    label: str | None = None
    source: str = ""
    url: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class HotlineOrg:
    """Configuration of one hotlines_cn row (one organisation)."""

    id: str
    category: Category
    vcards: tuple[str, ...] = ()  # vCards organisation names that are this same organisation
    aliases: tuple[str, ...] = ()  # extra aliases (only the aiBank ones, required by the brief)
    name_en: str | None = None  # cleaned org_en; None keeps org_en as written
    own_site: bool = True  # the official_source host is the organisation's own site
    domains_pattern: str | None = None  # regex on notes, group "domains": space-separated hosts
    label: str | None = None  # label of the row's own number(s)
    note: str = ""  # added to the source_note of the row's own number(s)
    channel: Channel | None = None
    direction: Direction | None = None
    shown_with_area_code: bool = False
    note_numbers: tuple[NoteNumber, ...] = ()
    source_name: str | None = None  # name of the official_source site when it is not "<name>官网"


def _cc(pattern: str = r"\bCC (?P<number>[\d-]+)") -> NoteNumber:
    return NoteNumber("notes", pattern, "mention", label=CC_LABEL)


B, P, I, T, G = Category.bank, Category.payment, Category.insurer, Category.telecom, Category.government  # noqa: E741  (the categories' initials, a table key)

HOTLINE_ORGS: dict[str, HotlineOrg] = {
    "中国工商银行": HotlineOrg(
        "icbc", B, ("中国工商银行",),
        note_numbers=(
            NoteNumber("notes", r"VIP (?P<number>\d+) \((?P<page>icbc\.com\.cn/[^)\s]+)\)", "official_page",
                       label="VIP"),
            NoteNumber("notes", r"HK (?P<number>\d+)", "omit",
                       reason="the notes give no source for this Hong Kong number"),
        ),
    ),
    "中国建设银行": HotlineOrg(
        "ccb", B, ("中国建设银行",),
        note_numbers=(_cc(), NoteNumber("notes", r"; (?P<number>0\d{2,3}-\d+) \(vCards\)", "mention")),
    ),
    "中国农业银行": HotlineOrg("abc", B, ("中国农业银行",), note_numbers=(_cc(),)),
    "中国银行": HotlineOrg(
        "boc", B, ("中国银行",),
        note_numbers=(
            _cc(),
            NoteNumber("notes", r"abroad (?P<number>\+[\d-]+)", "omit",
                       reason="the notes give no source for this number for calls from abroad"),
        ),
    ),
    "交通银行": HotlineOrg("bocom", B, ("交通银行",), note_numbers=(_cc(),)),
    "中国邮政储蓄银行": HotlineOrg("psbc", B, ("中国邮政储蓄银行",), note_numbers=(_cc(),)),
    "招商银行": HotlineOrg(
        "cmb", B, ("招商银行",),
        note_numbers=(
            NoteNumber("official_source", r"^(?P<page>english\.cmbchina\.com) \(CC (?P<number>[\d-]+) only\)$",
                       "official_page", label=CC_LABEL),
        ),
    ),
    "中信银行": HotlineOrg(
        "citic-bank", B, ("中信银行",),
        note_numbers=(_cc(r"\bCC (?P<number>[\d-]+) \(vCards issue #\d+\)"),),
    ),
    "中国光大银行": HotlineOrg("ceb", B, ("光大银行",)),
    "华夏银行": HotlineOrg("hua-xia-bank", B, ("华夏银行",), note_numbers=(_cc(),)),
    "中国民生银行": HotlineOrg("minsheng", B, ("中国民生银行",)),
    "广发银行": HotlineOrg("cgb", B, ("广发银行",)),
    "平安银行": HotlineOrg(
        "ping-an-bank", B,
        label="IVR option 3 of 95511 (95511转3)",
        note="95511 is also the number of 中国平安 (ping-an); vCards PR #17 wrote the bank's entry as "
             "95511;3, i.e. menu option 3 of the shared hotline.",
    ),
    "兴业银行": HotlineOrg("cib", B, ("兴业银行",)),
    "浦发银行": HotlineOrg("spdb", B, ("浦发银行",)),
    "中信百信银行": HotlineOrg(
        "citic-aibank", B,
        aliases=("百信", "中信百信", "百信银行", "aiBank", "百信数字钱包", "CITIC aiBank"),
        domains_pattern=r"official domains (?P<domains>[a-z0-9. -]+)$",
        note="UNCONFIRMED: seen in a single third-party list only (fcbbb/DebtOptimizer "
             "add_customer_service_phones.py); no official page and no second list confirms it. "
             "Treat a call from this number with caution. 4008888811, given by a contradicting file, is "
             "渤海银行's number per vCards and is not shipped for aiBank.",
        note_numbers=(
            NoteNumber("notes", r"lists (?P<number>\d+) = 渤海银行", "omit",
                       reason="a contradicting file gives it, but vCards lists it for 渤海银行 "
                              "(shipped there), not for aiBank"),
        ),
    ),
    "微众银行": HotlineOrg(
        "webank", B, ("微众银行",),
        note_numbers=(
            NoteNumber("notes", r"#(?P<issue>\d+) also gives (?P<number>[\d-]+)", "community",
                       source="metowolf/vCards issue #{issue}", url=VCARDS_REPO + "/issues/{issue}"),
        ),
    ),
    "浙江网商银行": HotlineOrg(
        "mybank", B,
        label="IVR option 3 proposed (vCards issue #112: 95188;3)",
        note="Disputed: vCards removed MYbank's own entry (2026-05) as a duplicate of Alipay's 95188; "
             "95188 is also the number of 支付宝 (alipay).",
        note_numbers=(
            NoteNumber("notes", r"2020 entry (?P<number>\d+)", "omit",
                       reason="old vCards entry, corrected to 95188 in vCards commit 8aca7b3"),
        ),
    ),
    "支付宝": HotlineOrg("alipay", P, ("支付宝",), note="95188 is also listed for 浙江网商银行 (mybank)."),
    "微信支付/财付通": HotlineOrg("wechat-pay", P, ("微信支付",)),
    "中国银联/云闪付": HotlineOrg("unionpay", P, ("中国银联",)),
    "京东支付/京东金融": HotlineOrg(
        "jd-pay", P, ("京东支付",),
        note_numbers=(
            NoteNumber("notes", r"issue #(?P<issue>\d+) maintainer: 京东金融 (?P<number>\d+)", "community",
                       source="metowolf/vCards issue #{issue} (maintainer)",
                       url=VCARDS_REPO + "/issues/{issue}"),
            NoteNumber("notes", r"says (?P<number>\d+) \(conflict\)", "omit",
                       reason="only an unnamed file gives it and it conflicts with the other sources"),
        ),
    ),
    "中国人寿": HotlineOrg("china-life", I, ("中国人寿",)),
    "中国人保": HotlineOrg(
        "picc", I, ("中国人保",),
        note_numbers=(
            NoteNumber("notes", r"vCards also lists (?P<number>\d+) and \d+$", "mention"),
            NoteNumber("notes", r"vCards also lists \d+ and (?P<number>\d+)$", "mention"),
        ),
    ),
    "中国太平洋保险": HotlineOrg("cpic", I, ("太平洋保险",)),
    "中国平安": HotlineOrg("ping-an", I, ("中国平安",), note="95511 is also listed for 平安银行 (ping-an-bank)."),
    "中国移动": HotlineOrg("china-mobile", T, ("中国移动",)),
    "中国联通": HotlineOrg("china-unicom", T, ("中国联通",)),
    "中国电信": HotlineOrg("china-telecom", T, ("中国电信",)),
    "国家反诈中心(公安)": HotlineOrg(
        "anti-fraud-center", G, ("国家反诈中心",),
        direction=Direction.calls_out,
        shown_with_area_code=True,
        note="Genuine calls from the anti-fraud centre always show as area code + 96110 (区号+96110, "
             "e.g. 025-96110); police warn of fake 96110 calls shown with other prefixes or none.",
    ),
    "网络不良与垃圾信息举报受理中心": HotlineOrg("spam-report-center", G, ("网络不良与垃圾信息举报受理中心",)),
    "工业和信息化部": HotlineOrg(
        "miit", G, ("工业和信息化部",),
        name_en="MIIT",
        own_site=False,
        source_name="重庆市公安局网站 (gaj.cq.gov.cn)",
        label="anti-fraud warning SMS",
        channel=Channel.sms_sender,
        note="Sends anti-fraud warning SMS (the messages carry no links or numbers). The page cited "
             "is the Chongqing Public Security Bureau's (gaj.cq.gov.cn), not MIIT's own site.",
    ),
    "公安报警": HotlineOrg("police", G),
    "市场监管投诉": HotlineOrg(
        "consumer-complaints", G,
        note="UNCONFIRMED: only third-party lists give it (yinchengnuo; an unnamed React file).",
    ),
}

# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


class BuildError(RuntimeError):
    """The sources no longer match the configuration: fix the configuration, never guess."""


def status_confidence(status: str) -> Confidence:
    if status == "confirmed-official":
        return Confidence.official_page
    if status == "confirmed-2-thirdparty":
        return Confidence.multiple_sources
    if status.startswith("confirmed-thirdparty") or status == "partially-confirmed" or status.startswith(
        "UNCONFIRMED-"
    ):
        return Confidence.single_source
    raise BuildError(f"unknown hotlines_cn status {status!r}")


@dataclass(frozen=True)
class Parsed:
    number: str  # as written, whitespace collapsed
    region: str
    key: str  # merge key: E.164 for valid numbers, "CN:95588" otherwise
    national: str  # national significant number


def parse_number(written: str, region: str = "CN") -> Parsed:
    number = " ".join(written.split())
    if not number or re.search(r"[;,转]", number):
        raise BuildError(f"number {written!r} is empty or still carries an IVR suffix")
    if number.startswith("+"):
        parsed = phonenumbers.parse(number, None)
        region = phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
            parsed.country_code
        )
        if not region or region == "ZZ":
            raise BuildError(f"no region for {written!r}")
    else:
        if not re.fullmatch(r"[\d\s()-]+", number):
            raise BuildError(f"unexpected characters in {written!r}")
        parsed = phonenumbers.parse(number, region)
    national = phonenumbers.national_significant_number(parsed)
    if phonenumbers.is_valid_number(parsed):
        key = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    else:
        key = f"{region}:{re.sub(r'[^0-9]', '', number) if not number.startswith('+') else national}"
    return Parsed(number, region, key, national)


@dataclass
class Contribution:
    kind: str  # "hotlines" | "note" | "vcards" | "public" | "xdtianyu"
    confidence: Confidence
    number: str
    source_url: str | None
    note: str
    label: str | None = None
    source_name: str | None = None  # shown to people: the site's or list's name
    date: dt.date | None = None  # snapshot date of a community list


@dataclass
class NumberDraft:
    parsed: Parsed
    contributions: list[Contribution] = field(default_factory=list)
    extra_notes: list[str] = field(default_factory=list)
    variants: set[str] = field(default_factory=set)
    fallback_label: str | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    shown_with_area_code: bool = False
    shared_with: set[str] = field(default_factory=set)

    def add(self, contribution: Contribution) -> None:
        self.contributions.append(contribution)

    def build(self) -> OfficialNumber:
        strongest = min(CONFIDENCE_RANK[c.confidence] for c in self.contributions)
        confidence = next(c for c in CONFIDENCE_RANK if CONFIDENCE_RANK[c] == strongest)
        # strongest first; among equals the order of the sources, except that the 2020 xdtianyu list
        # comes after every other (stable sort)
        ranked = sorted(self.contributions, key=lambda c: (CONFIDENCE_RANK[c.confidence], c.kind == "xdtianyu"))
        number = ranked[0].number
        source = next((c for c in ranked if c.source_url), ranked[0])  # the source shown to people
        source_url = source.source_url
        vcards_labels = [c.label for c in self.contributions if c.kind == "vcards" and c.label]
        other_labels = [c.label for c in self.contributions if c.kind != "vcards" and c.label]
        label = (vcards_labels + other_labels + [self.fallback_label] + [None])[0]
        community = {c.kind for c in self.contributions}
        community_only = community <= COMMUNITY_KINDS

        notes = [c.note for c in ranked] + self.extra_notes  # strongest source first
        if community_only and len(community) == 1:
            notes.append("One community-maintained list only, not checked against an official page.")
        elif community_only:
            notes.append("Two community-maintained lists (metowolf/vCards, xdtianyu/PhoneNumber) only, not checked "
                         "against an official page; each alone is single_source and so is their entry.")

        channel = self.channel or Channel.hotline
        direction = self.direction or Direction.unknown
        is_400_800 = self.parsed.region == "CN" and len(self.parsed.national) == 10 and self.parsed.national[
            :3
        ] in ("400", "800")
        if self.channel is None and label and OUTBOUND_LABEL.search(label):
            channel = Channel.outbound
            if is_400_800:
                direction = Direction.unknown
                notes.append(
                    f"The source labels it an outbound line ('{label}'), but police advisories say "
                    f"400/800 numbers only receive calls and never call out ({INBOUND_ONLY_ADVISORY}): "
                    "conflicting sources, direction left unknown."
                )
            else:
                direction = Direction.calls_out
                notes.append(f"The source labels it an outbound line ('{label}'): direction calls_out.")
        elif self.channel is None and self.parsed.region == "CN" and self.parsed.national.startswith("106"):
            channel = Channel.sms_sender  # the 106 family: SMS sender codes, they cannot be called back
            notes.append("A 106-family code: banks and platforms send SMS from it; it cannot be called back.")
        elif self.channel is None and label and SMS_LABEL.search(label) and label not in SMS_LABEL_NOT_SENDER:
            channel = Channel.sms_sender
        elif is_400_800 and self.direction is None:
            direction = Direction.inbound_only
            notes.append(
                "400/800 numbers only receive calls and are never used to call out (police advisory "
                f"{INBOUND_ONLY_ADVISORY}): a call from this number is spoofed."
            )

        return OfficialNumber(
            number=number,
            region=self.parsed.region,
            channel=channel,
            direction=direction,
            label=label,
            variants=sorted(self.variants),
            shown_with_area_code=self.shown_with_area_code,
            source_url=source_url,
            source_name=source.source_name,
            source_note=_clip(" | ".join(n for n in notes if n)),
            shared_with=sorted(self.shared_with),
            verified_at=source.date if community_only else None,
            confidence=confidence,
        )


@dataclass
class OrgDraft:
    id: str
    name: str
    name_en: str | None
    category: Category
    aliases: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    numbers: dict[str, NumberDraft] = field(default_factory=dict)
    home_area_code: str | None = None
    sources: set[str] = field(default_factory=set)  # which source files name this organisation

    def number(self, parsed: Parsed) -> NumberDraft:
        if parsed.key not in self.numbers:
            self.numbers[parsed.key] = NumberDraft(parsed)
        return self.numbers[parsed.key]

    def build(self) -> Organization:
        numbers = sorted(
            (draft.build() for draft in self.numbers.values()),
            key=lambda n: (CONFIDENCE_RANK[n.confidence], len(re.sub(r"\D", "", n.number)), n.region, n.number),
        )
        aliases = sorted(a for a in self.aliases if a and a != self.name)
        return Organization(
            id=self.id,
            name=self.name,
            name_en=self.name_en,
            aliases=aliases,
            category=self.category,
            domains=sorted(self.domains),
            numbers=numbers,
            home_area_code=self.home_area_code,
        )


def _clip(note: str, limit: int = 1000) -> str:
    """source_note holds at most 1,000 characters: a longer note keeps its start, marked cut."""
    return note if len(note) <= limit else note[: limit - 1] + "…"


def host_of(url: str) -> str | None:
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host or None


def slug(name: str) -> str:
    if name in SLUG_OVERRIDES:
        return SLUG_OVERRIDES[name]
    words = lazy_pinyin(name)
    text = "-".join(w.lower() for w in words)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:64].rstrip("-")


def vcards_category(category: str, organization: str) -> Category:
    if organization in PAYMENT_ORGS:
        return Category.payment
    if category == "金融银行":
        return Category.bank
    if category == "证券保险":
        if organization in INSURER_OVERRIDES or any(k in organization for k in INSURER_KEYWORDS):
            return Category.insurer
        return Category.securities
    if category == "通讯服务":
        return Category.telecom
    if category == "电商购物":
        return Category.ecommerce
    if category == "政府机构":
        return Category.government
    if category in VCARDS_OTHER_CATEGORIES:
        return VCARDS_OTHER_CATEGORIES[category]
    raise BuildError(f"category {category!r} is not shipped")


def hotline_names(org_cn: str) -> tuple[str, list[str]]:
    """Name and aliases of a hotlines_cn org: slash parts, without "(公安)", with/without 中国."""
    parts = [re.sub(r"\([^)]*\)$", "", p).strip() for p in org_cn.split("/")]
    aliases = list(parts[1:])
    for part in parts:
        if part.startswith("中国") and len(part) - 2 >= 3:  # 中国银行 -> "银行" would mean nothing
            aliases.append(part[2:])
    return parts[0], aliases


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------------
# Home areas of local 96xxx codes
# --------------------------------------------------------------------------------------------

# A province, or one of the five autonomous regions (the geocoder writes "广西桂林市" as well as
# "广西壮族自治区…").
_PROVINCE = re.compile(r"^(?P<province>[^省]+省|.+?自治区|广西|内蒙古|宁夏|新疆|西藏)")
_CITY_SUFFIX = re.compile(r"(市|地区|自治州|盟)$")


def _city_area_codes() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """phonenumbers' geocoder data inverted: city name -> area code ("长沙" -> "0731", from
    "湖南省长沙市、湘潭市、株州市" for +86 731), the geocoder's text for each, and the province
    names. Only exact area-code entries are read (86 + 10 / 2x / three digits); a city named under
    two area codes is left out (ambiguous)."""
    from phonenumbers.geodata import GEOCODE_DATA

    found: dict[str, set[str]] = {}
    described: dict[str, str] = {}
    provinces: set[str] = set()
    for prefix, names in GEOCODE_DATA.items():
        if not prefix.startswith("86") or "zh" not in names:
            continue
        area = prefix[2:]
        if not (re.fullmatch(r"10|2\d", area) or re.fullmatch(r"[3-9]\d\d", area)):
            continue
        text = names["zh"]
        described["0" + area] = text
        rest = text
        if match := _PROVINCE.match(text):
            provinces.add(re.sub(r"(省|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", match["province"]))
            rest = text[match.end():]
        for city in rest.split("、"):
            city = _CITY_SUFFIX.sub("", city.strip())
            if len(city) >= 2:
                found.setdefault(city, set()).add("0" + area)
    cities = {city: next(iter(codes)) for city, codes in found.items() if len(codes) == 1}
    return cities, described, frozenset(provinces)


CITY_AREA_CODES, AREA_DESCRIPTIONS, PROVINCES = _city_area_codes()


def home_area_from_name(name: str) -> tuple[str, str] | None:
    """The area code of the city an organisation's name starts with (长沙银行 -> 0731), and why.
    A name starting with a province (湖南银行, 云南省农村信用社, and 吉林银行: 吉林 is a province as
    well as a city) gives none: a provincial organisation has no single home city."""
    if any(name.startswith(p) for p in PROVINCES):
        return None
    matches = [city for city in CITY_AREA_CODES if name.startswith(city)]
    if not matches:
        return None
    city = max(matches, key=len)
    area = CITY_AREA_CODES[city]
    return area, f"the name names {city}: area code {area} ({AREA_DESCRIPTIONS[area]}, phonenumbers geocoder data)"


def split_local(digits: str) -> tuple[str, str] | None:
    """'073196511' -> ('0731', '96511'): an area code (010, 02x, else four digits) + a 96xxx code."""
    match = re.fullmatch(r"(0(?:10|2\d|[3-9]\d\d))(96\d{3,4})", digits)
    return (match[1], match[2]) if match else None


def is_bare_local(parsed: Parsed) -> bool:
    return (parsed.region == "CN" and not parsed.number.startswith("+") and LOCAL_CODE.fullmatch(parsed.national)
            is not None and parsed.national not in NATIONAL_96 and re.sub(r"\D", "", parsed.number) == parsed.national)


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildConflict:
    kind: str  # "shared_number" | "renamed_source" | "renamed"
    subject: str
    message: str

    def __str__(self) -> str:
        return self.message


def build(sources: Path = SOURCES, exclude_sources: frozenset[str] = frozenset()
          ) -> tuple[RegistryDocument, list[str], list[BuildConflict]]:
    """The registry document, the numbers deliberately left out (with why), and the conflicts.

    `exclude_sources` leaves whole sources out of the build (any of OPTIONAL_SOURCES), e.g.
    {"xdtianyu"} to measure a registry built without xdtianyu against xdtianyu's numbers."""
    unknown = set(exclude_sources) - OPTIONAL_SOURCES
    if unknown:
        raise ValueError(f"cannot exclude {sorted(unknown)}: only {sorted(OPTIONAL_SOURCES)} are optional")
    hotlines = read_csv(sources / HOTLINES_CSV.name)
    shipped = (*VCARDS_CATEGORIES, *VCARDS_OTHER_CATEGORIES)
    all_vcards = read_csv(sources / VCARDS_CSV.name)
    vcards = [r for r in all_vcards if r["category"] in shipped]
    if len(vcards) != len(all_vcards):
        raise BuildError(f"vCards categories not configured: {sorted({r['category'] for r in all_vcards} - set(shipped))}")

    def optional(name: str, path: Path) -> list[dict[str, str]]:
        return [] if name in exclude_sources or not (sources / path.name).exists() else read_csv(sources / path.name)

    public = optional("public_numbers", PUBLIC_CSV)
    xdtianyu = optional("xdtianyu", XDTIANYU_CSV)
    alias_rows = optional("aliases", ALIASES_CSV)
    domain_rows = optional("domains", DOMAINS_CSV)
    omitted: list[str] = []
    conflicts: list[BuildConflict] = []

    seen_rows = {row["org_cn"] for row in hotlines}
    if seen_rows != set(HOTLINE_ORGS):
        raise BuildError(
            f"hotlines_cn.csv and HOTLINE_ORGS differ: only in CSV {sorted(seen_rows - set(HOTLINE_ORGS))}, "
            f"only configured {sorted(set(HOTLINE_ORGS) - seen_rows)}"
        )

    orgs: dict[str, OrgDraft] = {}
    by_vcards_name: dict[str, OrgDraft] = {}
    pending_notes: list[tuple[OrgDraft, dict[str, str], HotlineOrg]] = []

    # 1. hotlines_cn rows: one organisation each, with the number(s) of the row.
    for row in hotlines:
        cfg = HOTLINE_ORGS[row["org_cn"]]
        name, aliases = hotline_names(row["org_cn"])
        org_en = row["org_en"].strip()
        en_parts = [p.strip() for p in org_en.split("/")] if "/" in org_en else []
        org = OrgDraft(
            id=cfg.id,
            name=name,
            name_en=cfg.name_en or org_en or None,
            category=cfg.category,
            aliases={*aliases, *en_parts, *cfg.aliases, *(v for v in cfg.vcards if v != name)},
            sources={"hotlines_cn"},
        )
        if cfg.id in orgs:
            raise BuildError(f"duplicate id {cfg.id}")
        orgs[cfg.id] = org
        for vname in cfg.vcards:
            by_vcards_name[vname] = org

        official = row["official_source"].strip()
        confidence = status_confidence(row["status"])
        url = official if confidence is Confidence.official_page and official.startswith("http") else None
        if url and cfg.own_site:
            org.domains.add(host_of(url))
        if cfg.domains_pattern:
            match = re.search(cfg.domains_pattern, row["notes"])
            if not match:
                raise BuildError(f"{cfg.id}: domains not found in notes")
            org.domains.update(match["domains"].split())
        if url:
            site = cfg.source_name or (f"{name}官网" if cfg.own_site else host_of(url))
        else:
            site = HOTLINES_RESEARCH_NAME

        row_note = (
            f"hotlines_cn.csv row '{row['org_cn']}' (status {row['status']}): "
            f"official source: {official or 'none'}; other sources: {row['second_source'] or 'none'}; "
            f"notes: {row['notes'] or 'none'}"
        )
        for written in row["number"].split(" / "):
            parsed = parse_number(written)
            draft = org.number(parsed)
            draft.add(Contribution("hotlines", confidence, parsed.number, url, row_note, cfg.label, site))
            if cfg.note:
                draft.extra_notes.append(cfg.note)
            draft.channel = cfg.channel
            draft.direction = cfg.direction
            draft.shown_with_area_code = cfg.shown_with_area_code
        pending_notes.append((org, row, cfg))

    # 2. vCards rows: merged into the same organisation, or new ones.
    vcards_orgs: dict[str, list[dict[str, str]]] = {}
    for row in vcards:
        vcards_orgs.setdefault(row["organization"], []).append(row)
    for vname, rows in vcards_orgs.items():
        org = by_vcards_name.get(vname)
        if org is None:
            categories = {r["category"] for r in rows}
            if len(categories) != 1:
                raise BuildError(f"{vname} is in several categories {categories}")
            org = OrgDraft(
                id=slug(vname),
                name=vname,
                name_en=vname if vname.isascii() else None,
                category=vcards_category(categories.pop(), vname),
            )
            if org.id in orgs:
                raise BuildError(f"id {org.id} of {vname} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
            by_vcards_name[vname] = org
        org.sources.add("vcards")
        own = {re.sub(r"\D", "", r["number_as_written"]) for r in rows}
        for row in rows:
            if host := host_of(row["url"]):
                org.domains.add(host)
            written = row["number_as_written"]
            blob = f"{VCARDS_REPO}/blob/{VCARDS_COMMIT}/{row['source_path']}"
            note = f"{VCARDS_NAME} {row['source_path']} lists '{written}'" + (
                f" labelled '{row['label']}'" if row["label"] else ""
            )
            area = re.fullmatch(r"0\d{2,3}-(\d{5,6})", written)
            if area and area[1] in own and not LOCAL_CODE.fullmatch(area[1]):
                # 021-95561 next to 95561: a written form of the same national number. (A local
                # 96xxx code with its area code is the number itself: 0791-96268.)
                draft = org.number(parse_number(area[1]))
                draft.variants.add(written)
                draft.extra_notes.append(f"{note}: kept as a variant (area code + short code).")
                continue
            region = "CN"
            if (vname, written) in REGION_OVERRIDES:
                region, why = REGION_OVERRIDES[(vname, written)]
                note = f"{note}. {why}"
            parsed = parse_number(written, region)
            draft = org.number(parsed)
            draft.add(Contribution("vcards", Confidence.single_source, parsed.number, blob, note,
                                   row["label"] or None, VCARDS_SOURCE_NAME, VCARDS_DATE))

    # 3. Numbers written in the free-text columns of hotlines_cn.
    for org, row, cfg in pending_notes:
        for item in cfg.note_numbers:
            text = row[item.column]
            match = re.search(item.pattern, text)
            if not match:
                raise BuildError(f"{cfg.id}: pattern {item.pattern!r} no longer matches {text!r}")
            fragment = match[0].strip(" ;")
            quoted = f"hotlines_cn.csv {item.column} of '{row['org_cn']}': '{fragment}'"
            if item.action == "omit":
                omitted.append(f"{cfg.id}: {match['number']} left out: {item.reason} ({quoted})")
                continue
            parsed = parse_number(match["number"])
            if item.action == "mention":
                if parsed.key not in org.numbers:
                    raise BuildError(f"{cfg.id}: {match['number']} is mentioned but not in vCards")
                draft = org.numbers[parsed.key]
                draft.extra_notes.append(f"Also given in {quoted} (no independent source: confidence unchanged).")
                draft.fallback_label = item.label
            elif item.action == "official_page":
                page = "https://" + match["page"]
                org.domains.add(host_of(page))
                org.number(parsed).add(
                    Contribution(
                        "note",
                        Confidence.official_page,
                        parsed.number,
                        page,
                        f"On the organisation's own page {match['page']} ({quoted}).",
                        item.label,
                        f"{org.name}官网",
                    )
                )
            elif item.action == "community":
                groups = match.groupdict()
                org.number(parsed).add(
                    Contribution(
                        "note",
                        Confidence.single_source,
                        parsed.number,
                        item.url.format(**groups) if item.url else None,
                        f"Given by {item.source.format(**groups)} ({quoted}); one community source.",
                        item.label,
                        f"{item.source.format(**groups)} (community)",
                    )
                )
            else:
                raise BuildError(f"unknown action {item.action}")

    def name_index() -> dict[str, OrgDraft]:
        """Every organisation's name and aliases -> the organisation (a name two share: neither)."""
        index: dict[str, list[OrgDraft]] = {}
        for org in orgs.values():
            for text in {org.name, *org.aliases}:
                index.setdefault(text, []).append(org)
        return {text: found[0] for text, found in index.items() if len(found) == 1}

    def holders_of(parsed: Parsed) -> list[OrgDraft]:
        return [org for org in orgs.values() if parsed.key in org.numbers]

    # 4. National public numbers (public_numbers_cn.csv): merged into the organisation of that
    #    name, else the one organisation already holding the number, else a new organisation.
    for line, row in enumerate(public, start=2):
        parsed = parse_number(row["number"])
        names = name_index()
        org = names.get(row["org_name"])
        if org is None:
            holders = holders_of(parsed)
            org = holders[0] if len(holders) == 1 else None
        if org is None:
            if row["category"] not in PUBLIC_CATEGORIES:
                raise BuildError(f"public_numbers_cn.csv line {line}: unknown category {row['category']!r}")
            org = OrgDraft(id=slug(row["org_name"]), name=row["org_name"], name_en=row["org_name_en"] or None,
                           category=PUBLIC_CATEGORIES[row["category"]])
            if org.id in orgs:
                raise BuildError(f"id {org.id} of {row['org_name']} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
        elif not org.name_en and row["org_name_en"]:
            org.name_en = row["org_name_en"]
        org.sources.add("public_numbers")
        site = row["source_name"].split(": ")[0].strip()[:200]
        note = (f"public_numbers_cn.csv line {line} ('{row['org_name']}', {row['confidence']}): {row['source_name']}"
                + (f"; {row['note']}" if row["note"] else ""))
        org.number(parsed).add(Contribution("public", Confidence(row["confidence"]), parsed.number,
                                            row["source_url"] or None, note, None, site))

    # 5. xdtianyu/PhoneNumber (2020): the lowest confidence; same organisation only by exact name,
    #    alias or XD_SAME / XD_RENAMED; else a new organisation, category by keyword.
    for row in xdtianyu:
        match = re.fullmatch(r"(?P<base>.+?)(?:\((?P<label>[^()]*)\))?", row["name"].strip())
        base, label = match["base"].strip(), match["label"]
        names = name_index()
        if base in XD_RENAMED:
            target, why = XD_RENAMED[base]
            org = names.get(target)
            if org is None:
                raise BuildError(f"XD_RENAMED: no organisation named {target!r}")
            conflicts.append(BuildConflict(
                "renamed_source", org.id,
                f"xdtianyu lists {row['number']} under '{row['name']}': {why}; merged into {org.id} ({org.name})"))
        elif base in XD_SAME:
            org = names.get(XD_SAME[base])
            if org is None and not exclude_sources:  # (an excluded source may hold the target)
                raise BuildError(f"XD_SAME: no organisation named {XD_SAME[base]!r}")
            org = org or names.get(base)
        else:
            org = names.get(base)
        if org is None:
            category = next((c for rx, c in XD_CATEGORY_RULES if rx.search(base)), None)
            if category is None:
                category = Category.government if XD_GOVERNMENT_NUMBER.fullmatch(row["number"]) else Category.other
            org = OrgDraft(id=slug(base), name=base, name_en=base if base.isascii() else None, category=category)
            if org.id in orgs:
                raise BuildError(f"id {org.id} of xdtianyu's {base} is already used by {orgs[org.id].name}")
            orgs[org.id] = org
        org.sources.add("xdtianyu")
        digits = row["number"].strip()
        local = split_local(digits)
        written = f"{local[0]}-{local[1]}" if local else digits
        parsed = parse_number(written)
        note = (f"xdtianyu/PhoneNumber {XDTIANYU_COMMIT} ({XDTIANYU_DATE.isoformat()}) common.db lists '{digits}' "
                f"as '{row['name']}'")
        org.number(parsed).add(Contribution("xdtianyu", Confidence.single_source, parsed.number, XDTIANYU_REPO,
                                            note, label, XDTIANYU_SOURCE_NAME, XDTIANYU_DATE))

    # 6. Local 96xxx codes a source lists without an area code: placed in the organisation's home
    #    area (its name names the city, or a source gives the same code with the area code for
    #    this organisation); else left out. Never valid everywhere.
    for org in orgs.values():
        by_name = home_area_from_name(org.name)
        placed_areas: set[str] = set()
        for key, draft in list(org.numbers.items()):
            if not is_bare_local(draft.parsed):
                continue
            code = draft.parsed.national
            sourced = sorted({local[0] for d in org.numbers.values()
                              if (local := split_local(re.sub(r"\D", "", d.parsed.number))) and local[1] == code})
            if by_name:
                area, why = by_name
                if sourced and sourced != [area]:
                    raise BuildError(f"{org.id}: {code} placed in {area} by name, but sources give {sourced}")
            elif len(sourced) == 1:
                area = sourced[0]
                why = f"the sources give this organisation's {code} with area code {area}"
            else:
                del org.numbers[key]
                listed = "; ".join(f"{c.source_name}" for c in draft.contributions)
                omitted.append(f"{org.id}: {code} left out: a local 96xxx code listed without its area code "
                               f"({listed}), and the home area of {org.name} cannot be determined from its name "
                               f"or its sources"
                               + (f" (sources give several: {', '.join(sourced)})" if sourced else ""))
                continue
            del org.numbers[key]
            target = org.number(parse_number(f"{area}-{code}"))
            for contribution in draft.contributions:
                target.add(Contribution(
                    contribution.kind, contribution.confidence, target.parsed.number if target.contributions
                    else f"{area}-{code}", contribution.source_url,
                    f"{contribution.note} (listed without area code; placed in the home area: {why})",
                    contribution.label, contribution.source_name, contribution.date))
            target.extra_notes.extend(draft.extra_notes)
            target.variants.update(draft.variants)
            target.fallback_label = target.fallback_label or draft.fallback_label
            placed_areas.add(area)
        areas = placed_areas | {split_local(re.sub(r"\D", "", d.parsed.number))[0] for d in org.numbers.values()
                                if d.parsed.region == "CN" and split_local(re.sub(r"\D", "", d.parsed.number))}
        if by_name and placed_areas:
            org.home_area_code = by_name[0]
        elif len(areas) == 1 and placed_areas:
            org.home_area_code = next(iter(areas))

    # 7. Names and domains from their sourced lists.
    for line, row in enumerate(domain_rows, start=2):
        org = orgs.get(row["org_id"])
        if org is None:
            raise BuildError(f"domains_cn.csv line {line}: no organisation {row['org_id']!r}")
        org.domains.add(row["domain"].strip().lower())
    taken = {text: org.id for org in orgs.values() for text in {org.name, *org.aliases}}
    for line, row in enumerate(alias_rows, start=2):
        org = orgs.get(row["org_id"])
        alias = row["alias"].strip()
        if org is None:
            raise BuildError(f"aliases_cn.csv line {line}: no organisation {row['org_id']!r}")
        if "ambiguous" in row["note"].lower():
            others = sorted(o.id for o in orgs.values() if o is not org
                            and any(alias in text for text in {o.name, *o.aliases}))
            if others:
                omitted.append(f"{org.id}: alias {alias!r} left out: the source note says it is ambiguous and "
                               f"it is part of the names of {', '.join(others[:5])}"
                               + (f" and {len(others) - 5} more" if len(others) > 5 else ""))
                continue
        if taken.get(alias, org.id) != org.id:
            omitted.append(f"{org.id}: alias {alias!r} left out: it is the name or an alias of {taken[alias]}")
            continue
        org.aliases.add(alias)

    # An organisation left without any number (its only number was left out above) is not shipped:
    # an empty list of a bank would make each of its real numbers look like a mismatch.
    for org_id in sorted(org_id for org_id, org in orgs.items() if not org.numbers):
        omitted.append(f"{org_id}: organisation {orgs[org_id].name} left out: none of its numbers is shipped")
        del orgs[org_id]

    # 8. Conflicts: a number under organisations that are not a configured known share.
    holders: dict[str, list[str]] = {}
    for org in orgs.values():
        for key in org.numbers:
            holders.setdefault(key, []).append(org.id)
    for key in sorted(holders):
        ids = sorted(holders[key])
        if len(ids) < 2:
            continue
        known = KNOWN_SHARED.get(key)
        if known and set(ids) <= known[0]:
            for org_id in ids:
                orgs[org_id].numbers[key].shared_with.update(set(ids) - {org_id})
                orgs[org_id].numbers[key].extra_notes.append(f"Known shared number ({known[1]}).")
            continue
        listed = "; ".join(
            f"{i} ({orgs[i].name}: {', '.join(sorted({c.source_name or c.kind for c in orgs[i].numbers[key].contributions}))})"
            for i in ids)
        conflicts.append(BuildConflict("shared_number", key, f"{key} is listed under unrelated organisations: {listed}"))

    document = RegistryDocument(organizations=[orgs[k].build() for k in sorted(orgs)])
    # Round-trip through JSON validation, as an importer would read the file.
    RegistryDocument.model_validate_json(render(document))
    return document, omitted, conflicts


def render(document: RegistryDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--sources", type=Path, default=SOURCES, help=f"default: {SOURCES}")
    parser.add_argument("--previous", type=Path, default=DEFAULT_OUTPUT,
                        help="the registry built before, to report organisations renamed since (default: the "
                             "committed default registry)")
    parser.add_argument("--exclude-source", action="append", default=[], choices=sorted(OPTIONAL_SOURCES),
                        help="leave a source out of the build (repeatable)")
    parser.add_argument("--strict", action="store_true",
                        help="write nothing and exit with 2 when there is any conflict")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)

    document, omitted, conflicts = build(args.sources, frozenset(args.exclude_source))
    conflicts = conflicts + renamed_since(document, args.previous)
    if args.strict and conflicts:
        print(f"error: {len(conflicts)} conflict(s); nothing written:", file=sys.stderr)
        for conflict in conflicts:
            print(f"  conflict: {conflict}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(document), encoding="utf-8")

    if not args.quiet:
        orgs = Counter(o.category.value for o in document.organizations)
        nums = Counter(o.category.value for o in document.organizations for _ in o.numbers)
        print(f"wrote {args.output}", file=sys.stderr)
        for cat in sorted(orgs):
            print(f"  {cat:<11} {orgs[cat]:>4} organisations {nums[cat]:>4} numbers", file=sys.stderr)
        print(f"  {'total':<11} {sum(orgs.values()):>4} organisations {sum(nums.values()):>4} numbers", file=sys.stderr)
        for line in omitted:
            print(f"  omitted: {line}", file=sys.stderr)
        for conflict in conflicts:
            print(f"  conflict: {conflict}", file=sys.stderr)
    return 0


def renamed_since(document: RegistryDocument, previous: Path) -> list[BuildConflict]:
    """Organisations whose id the previous build gave another name (an id must keep its meaning)."""
    if not previous.exists():
        return []
    try:
        before = {org.id: org.name for org in RegistryDocument.model_validate_json(previous.read_bytes()).organizations}
    except ValueError:
        return []  # an older format: nothing to compare with
    return [BuildConflict("renamed", org.id, f"organisation {org.id} was named {before[org.id]!r} and is now "
                                             f"{org.name!r} (renamed?)")
            for org in document.organizations if org.id in before and before[org.id] != org.name]


if __name__ == "__main__":
    sys.exit(main())

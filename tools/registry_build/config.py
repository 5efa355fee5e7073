"""Configuration of the build: where the sources are, who they are, and the rules read from them.

Everything here is *configuration*, never data: the paths of the source files in
``registry/data/sources/``, which of them a build may leave out, and the identity (repository,
commit, date) of the community lists; the confidence order; which vCards categories are shipped
and the registry category of each, the ids pypinyin would misspell and the vCards numbers of
another country; which names xdtianyu/PhoneNumber spells differently for the same organisation,
which were renamed since, and the category of a new one; the category of
``public_numbers_cn.csv`` rows; numbers known to be shared; local 96xxx codes; the labels that
say a number calls out, sends SMS, serves calls from abroad or the credit-card centre. ``BuildError`` is raised when the sources no longer match
this configuration. Every number shipped comes from the sources (the few named here only
pick out rows of them). The table of ``hotlines_cn.csv`` rows is in ``hotlines_config``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from registry.models import Category, Confidence

ROOT = Path(__file__).resolve().parents[2]

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
# Labels that say what else a line is for: calls from abroad (境外, 海外), and the credit-card centre (信用卡).
# Never applied to an organisation's main hotline (its hotlines_cn.csv number), which stays `hotline`.
OVERSEAS_LABEL = re.compile(r"境外|海外")
CREDIT_CARD_LABEL = re.compile(r"信用卡")
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


class BuildError(RuntimeError):
    """The sources no longer match the configuration: fix the configuration, never guess."""

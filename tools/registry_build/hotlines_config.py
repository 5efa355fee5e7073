"""Configuration of ``hotlines_cn.csv``: which row is which organisation, and its free-text numbers.

``HOTLINE_ORGS`` maps each row (its ``org_cn``) to a ``HotlineOrg``: the organisation's id and
category, the vCards organisations that are the same one, and how each number written in the
row's free-text columns is treated (``NoteNumber``: a regex matched against the CSV text; the
build fails when it no longer matches). The build (``merge_hotlines``) requires the CSV rows and
this table to name the same organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.models import Category, Channel, Direction

from .config import CC_LABEL, VCARDS_REPO


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

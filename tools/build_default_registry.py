#!/usr/bin/env python3
"""Build the shipped default registry from the researched source lists.

Reads ONLY ``registry/data/sources/`` (``hotlines_cn.csv`` and ``vcards_cn_service_numbers.csv``,
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
}

# Labels that say the number calls people (外呼 = outbound call, 电话营销 = telemarketing).
OUTBOUND_LABEL = re.compile(r"外呼|电话营销")
SMS_LABEL = re.compile(r"短信")


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
    kind: str  # "hotlines" | "note" | "vcards"
    confidence: Confidence
    number: str
    source_url: str | None
    note: str
    label: str | None = None


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

    def add(self, contribution: Contribution) -> None:
        self.contributions.append(contribution)

    def build(self) -> OfficialNumber:
        strongest = min(CONFIDENCE_RANK[c.confidence] for c in self.contributions)
        confidence = next(c for c in CONFIDENCE_RANK if CONFIDENCE_RANK[c] == strongest)
        ranked = sorted(self.contributions, key=lambda c: CONFIDENCE_RANK[c.confidence])  # stable
        number = ranked[0].number
        source_url = next((c.source_url for c in ranked if c.source_url), None)
        vcards_labels = [c.label for c in self.contributions if c.kind == "vcards" and c.label]
        other_labels = [c.label for c in self.contributions if c.kind != "vcards" and c.label]
        label = (vcards_labels + other_labels + [self.fallback_label] + [None])[0]
        vcards_only = all(c.kind == "vcards" for c in self.contributions)

        notes = [c.note for c in ranked] + self.extra_notes  # strongest source first
        if vcards_only:
            notes.append("One community-maintained list only, not checked against an official page.")

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
        elif self.channel is None and label and SMS_LABEL.search(label):
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
            source_note=" | ".join(n for n in notes if n),
            verified_at=VCARDS_DATE if vcards_only else None,
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
        )


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


def build(sources: Path = SOURCES) -> tuple[RegistryDocument, list[str]]:
    hotlines = read_csv(sources / HOTLINES_CSV.name)
    vcards = [r for r in read_csv(sources / VCARDS_CSV.name) if r["category"] in VCARDS_CATEGORIES]
    omitted: list[str] = []

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

        row_note = (
            f"hotlines_cn.csv row '{row['org_cn']}' (status {row['status']}): "
            f"official source: {official or 'none'}; other sources: {row['second_source'] or 'none'}; "
            f"notes: {row['notes'] or 'none'}"
        )
        for written in row["number"].split(" / "):
            parsed = parse_number(written)
            draft = org.number(parsed)
            draft.add(Contribution("hotlines", confidence, parsed.number, url, row_note, cfg.label))
            if cfg.note:
                draft.extra_notes.append(cfg.note)
            draft.channel = cfg.channel
            draft.direction = cfg.direction
            draft.shown_with_area_code = cfg.shown_with_area_code
        pending_notes.append((org, row, cfg))

    # 2. vCards rows of the shipped categories: merged into the same organisation, or new ones.
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
            if area and area[1] in own:  # 021-95561 next to 95561: a written form of the same number
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
            draft.add(Contribution("vcards", Confidence.single_source, parsed.number, blob, note, row["label"] or None))

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
                    )
                )
            else:
                raise BuildError(f"unknown action {item.action}")

    document = RegistryDocument(organizations=[orgs[k].build() for k in sorted(orgs)])
    # Round-trip through JSON validation, as an importer would read the file.
    RegistryDocument.model_validate_json(render(document))
    return document, omitted


def render(document: RegistryDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)

    document, omitted = build()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())

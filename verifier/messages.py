"""Every sentence the verdict engine says, in Chinese and English, in one place.

Templates use ``str.format`` fields; a missing translation is a test failure
(tests/test_messages.py), never a silent fallback.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

REASONS: dict[str, dict[Lang, str]] = {
    "registry_match": {
        "zh": "这是{org}的官方号码（来源：{source}，可信度：{confidence}）。",
        "en": "This is an official number of {org} (source: {source}; confidence: {confidence}).",
    },
    "registry_match_shared": {
        "zh": "这个号码同时登记为以下机构的官方号码：{orgs}。",
        "en": "This number is listed as official for several organisations: {orgs}.",
    },
    "claimed_org_mismatch": {
        "zh": "这不是{claimed}的官方号码。{claimed}的官方号码是：{numbers}。",
        "en": "This is not an official number of {claimed}. {claimed}'s official numbers are: {numbers}.",
    },
    "claimed_org_mismatch_other_owner": {
        "zh": "这个号码属于{owner}，不是{claimed}。{claimed}的官方号码是：{numbers}。",
        "en": "This number belongs to {owner}, not to {claimed}. {claimed}'s official numbers are: {numbers}.",
    },
    "claimed_org_unknown": {
        "zh": "我们的名录里没有“{claimed}”这个机构，无法核对它的号码。",
        "en": "We have no organisation called \u201c{claimed}\u201d in our registry, so we cannot check its numbers.",
    },
    "claimed_org_ambiguous": {
        "zh": "“{claimed}”可能指多个机构（{orgs}），请写得更具体一些。",
        "en": "\u201c{claimed}\u201d could mean several organisations ({orgs}); please be more specific.",
    },
    "foreign_prefix_impersonation": {
        "zh": "这是从国外拨入的号码（+{country_code}，{country}），只是看起来像{org}的官方号码 {official}。",
        "en": "This number is dialled from abroad (+{country_code}, {country}); it only looks like {org}'s official number {official}.",
    },
    "lookalike": {
        "zh": "这个号码和{org}的官方号码 {official} 只差一位，是仿冒号码的常见手法。",
        "en": "This number is one digit away from {org}'s official number {official}, a common trick of fake hotlines.",
    },
    "letters_substituted": {
        "zh": "号码里有字母冒充数字（如 l 代替 1、O 代替 0），看起来像{org}的官方号码 {official}。",
        "en": "Letters stand in for digits in this number (such as l for 1, O for 0); it imitates {org}'s official number {official}.",
    },
    "inbound_only_spoof": {
        "zh": "这个号码只接听来电、从不主动外呼；显示它的来电是伪造的。",
        "en": "This number only receives calls and never calls out: a call showing it is spoofed.",
    },
    "missing_area_code": {
        "zh": "{official} 的真实来电会显示为“区号+{official}”，没有区号的来电可能是伪造的。",
        "en": "Genuine calls from {official} show an area code in front of it; a call without one may be spoofed.",
    },
    "virtual_operator_range": {
        "zh": "这是虚拟运营商号段（170/171/162/165/167），常被诈骗分子使用。",
        "en": "This number is in a virtual-operator mobile range (170/171/162/165/167), often used by scammers.",
    },
    "virtual_operator_claims_institution": {
        "zh": "银行和支付机构不会用虚拟运营商号码联系客户。",
        "en": "Banks and payment companies do not contact customers from virtual-operator numbers.",
    },
    "premium_rate": {
        "zh": "这是高额付费号码，回拨可能被收取高额费用。",
        "en": "This is a premium-rate number: calling it back may cost a lot.",
    },
    "invalid_number": {
        "zh": "这个号码不可能存在（位数或号段不对），来电显示很可能是伪造的。",
        "en": "This number cannot exist (wrong length or range); a caller ID showing it is most likely forged.",
    },
    "confirmed_reports": {
        "zh": "经审核员核实，这个号码被确认用于诈骗（{count} 条已确认举报）。",
        "en": "Moderators confirmed this number is used for scams ({count} confirmed report(s)).",
    },
    "pending_reports": {
        "zh": "{count} 位不同的用户举报了这个号码，正在审核中。",
        "en": "{count} different people have reported this number; the reports are being reviewed.",
    },
    "official_number_spoofed": {
        "zh": "骗子正在冒用这个官方号码（{count} 条举报）：请挂断，自己回拨核实。",
        "en": "Scammers are imitating this number ({count} report(s)): hang up and call back yourself.",
    },
    "no_signal": {
        "zh": "我们的名录和举报中都没有这个号码的记录。",
        "en": "Neither our registry nor our reports know anything about this number.",
    },
}

ADVICE: dict[str, dict[Lang, str]] = {
    "official": {
        "zh": "这是官方号码。但骗子可以伪造来电显示：如果对方要求转账、提供验证码或下载软件，请挂断，自己拨打这个号码核实。",
        "en": "This is an official number. Caller ID can be forged, though: if the caller asks you to transfer money, give a code or install an app, hang up and call this number yourself.",
    },
    "official_spoofed": {
        "zh": "骗子正在冒用这个官方号码。请挂断，自己拨打银行卡背面或官方App里的号码核实。",
        "en": "Scammers are imitating this official number. Hang up and call back yourself on the number printed on your card or in the official app.",
    },
    "scam": {
        "zh": "这是已确认的诈骗号码。请立即挂断，不要转账、不要提供验证码或密码；如已受骗，请拨打110或96110。",
        "en": "This is a confirmed scam number. Hang up now; do not transfer money or share codes or passwords. If you have already paid, call the police on 110 or the anti-fraud line 96110.",
    },
    "suspicious": {
        "zh": "这个号码很可疑。请不要回拨、不要转账；请拨打银行卡背面或官方App里的号码，自己核实。",
        "en": "This number is suspicious. Do not call it back or transfer money; call the number printed on your card or in the official app to check.",
    },
    "unknown": {
        "zh": "我们无法确认这个号码。请通过银行卡背面或官方App里的号码回拨核实，不要按来电者的要求操作。",
        "en": "We cannot confirm this number. Call the organisation back on the number printed on your card or in its official app, and do not follow the caller's instructions.",
    },
    "invalid": {
        "zh": "这不是一个有效的号码。如果它出现在来电显示上，说明来电被伪造，请挂断。",
        "en": "This is not a valid number. If it appeared as a caller ID, the call was forged: hang up.",
    },
}

CONFIDENCE: dict[str, dict[Lang, str]] = {
    "official_page": {"zh": "机构官网公布", "en": "published on the organisation's own site"},
    "multiple_sources": {"zh": "多个独立来源一致", "en": "several independent sources agree"},
    "single_source": {"zh": "仅单一来源，尚待确认", "en": "a single source only, not yet confirmed"},
}

LIST_SEPARATOR: dict[Lang, str] = {"zh": "、", "en": ", "}


def reason(code: str, lang: Lang, **fields: object) -> str:
    return REASONS[code][lang].format(**fields)


def advice(key: str, lang: Lang) -> str:
    return ADVICE[key][lang]


def confidence(level: str, lang: Lang) -> str:
    return CONFIDENCE[level][lang]


def join(items: list[str], lang: Lang) -> str:
    return LIST_SEPARATOR[lang].join(items)

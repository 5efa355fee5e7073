"""Scam-script cues: the recurring pretexts of fraud messages, in Chinese and English.

Each cue is a named reason code (its sentence, in both languages, is in
`verifier.core.messages.REASONS`). A cue alone only raises a text's risk: real notices say 解冻
and 退款 too. Two kinds weigh more (see `verifier.core.text.verdict`):

- **strong** cues are never legitimate: a "safe account" transfer, police, a court or a
  prosecutor demanding money;
- **channel** cues move the conversation to a channel the organisation does not use:
  add a WeChat or QQ account, download an app, share the screen, join a meeting.

Pure: no I/O.
"""

from __future__ import annotations

import re
import re._constants as _sre  # the parsed form of a pattern: what `_needs_of` reads (Python 3.11+)
import re._parser as _sre_parse
from dataclasses import dataclass
from functools import cache

IGNORE_CASE = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Cue:
    code: str
    risk: int
    strong: bool
    channel: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CueFinding:
    code: str
    risk: int
    strong: bool
    channel: bool
    text: str
    start: int
    end: int


def _cue(code: str, risk: int, zh: str, en: str, strong: bool = False, channel: bool = False) -> Cue:
    return Cue(code, risk, strong, channel, re.compile(f"(?:{zh})|(?:{en})", IGNORE_CASE))


_AUTHORITY_ZH = r"公安|警察|警官|民警|派出所|刑侦|法院|法官|检察院|检察官|公检法|司法机关|经侦|网警"
_DEMAND_ZH = (r"洗钱|涉嫌|涉案|转账|汇款|保证金|保释金|清查|资金核查|核查资金|配合调查|通缉|逮捕|拘捕|冻结你|传票|缴纳"
              r"|交\S{0,6}元|把钱|汇过来|转过来|打过来")
_AUTHORITY_EN = r"police|officer|court|prosecutor|procuratorate|public security|detective|law enforcement"
_DEMAND_EN = r"money laundering|suspect|transfer|deposit|bail|warrant|arrest|investigation|fine"

CUES: tuple[Cue, ...] = (
    _cue("cue_safe_account", 85,
         r"安全(?:账户|帐户|账号|帐号)|(?:资金|账户)(?:清查|核查|监管账户)|清查资金|核查资金",
         r"safe(?:ty)?\s+account|secure\s+account|protected\s+account", strong=True),
    _cue("cue_authority_demands_money", 85,
         rf"(?:{_AUTHORITY_ZH})[^。！？!?]{{0,40}}(?:{_DEMAND_ZH})|(?:{_DEMAND_ZH})[^。！？!?]{{0,20}}(?:{_AUTHORITY_ZH})",
         rf"\b(?:{_AUTHORITY_EN})\b[^.!?]{{0,80}}\b(?:{_DEMAND_EN})", strong=True),
    _cue("cue_account_frozen", 30,
         r"冻结|解冻|解封|封号|(?:账户|帐户|账号|帐号|银行卡|资金|交易|登录|支付)\S{0,4}异常|异常(?:交易|登录|操作)|(?:账户|账号)\S{0,4}(?:受限|限制|停用|注销)",
         r"\b(?:frozen|freeze|unfreeze|suspended|locked|restricted|deactivated)\b|unusual\s+(?:activity|login|sign-?in)"),
    _cue("cue_refund_or_claim", 25,
         r"退款|理赔|赔付|退费|赔偿|退还|退保|快递丢失|丢件|质量问题|(?:快件|包裹|快递)\S{0,10}(?:受损|损坏|丢失|破损)",
         r"\brefund|\bcompensation\b|\bclaim\s+(?:your|the)|\breimburse"),
    _cue("cue_points_redemption", 30,
         r"积分\S{0,16}(?:兑换|清零|过期|到期|作废)|兑换\S{0,4}(?:积分|礼品|现金)|\d+\s*分\S{0,12}(?:作废|清零|过期|可兑换)",
         r"points?\s+(?:will\s+)?(?:expire|redeem|redemption)|redeem\s+(?:your\s+)?points"),
    _cue("cue_etc_card", 45,
         r"(?:ETC|ET速通|高速通行卡)\S{0,12}(?:失效|过期|过时|停用|认证|注销|冻结|异常|禁用|升级|更新)",
         r"\bETC\b[^.!?]{0,40}(?:expir|deactivat|suspend|verif|invalid|disabled)"),
    _cue("cue_medical_insurance_card", 45,
         r"(?:医保|社保|医疗保险|医疗保障|社会保障)(?:卡|账户|帐户|电子凭证|报销卡)?\S{0,16}"
         r"(?:冻结|失效|异常|停用|已停|过期|到期|注销|盗刷|违规|丢失|未报备|升级|更新|清除|作废)",
         r"medical\s+insurance(?:\s+card)?[^.!?]{0,40}(?:frozen|expir|suspend|invalid|abnormal|deactivat)"),
    _cue("cue_credit_record", 35,
         r"征信|信用记录|影响\S{0,4}信用|信用(?:受损|污点|分)|不良记录|逾期记录",
         r"credit\s+(?:record|report|score|history|rating)"),
    _cue("cue_cancel_service", 45,
         r"(?:关闭|取消|注销|解除)\S{0,10}(?:百万保障|百万医疗|百万保险|会员|自动(?:扣费|续费)|保险服务|学生(?:账户|身份)|代理)"
         r"|(?:百万保障|百万医疗|百万保险|自动扣费|自动续费)\S{0,10}(?:关闭|取消|扣费|扣款)",
         r"(?:cancel|turn\s+off|stop|close)\b[^.!?]{0,30}(?:membership|auto-?renew|subscription|million|insurance)"
         r"|(?:membership|subscription)[^.!?]{0,30}(?:will\s+be\s+)?(?:charged|deducted)"),
    _cue("cue_new_number", 40,
         r"换(?:了)?(?:手机)?号|新号码|(?:我的)?新号|这是我(?:现在|刚换|新)的?(?:手机)?号|我是(?:你|您)?(?:的)?房东|房东\S{0,6}(?:换|新)|猜猜我是谁|存一下(?:我的)?(?:新)?号",
         r"(?:my|this\s+is\s+my)\s+new\s+(?:number|phone)|changed\s+my\s+(?:number|phone)|(?:this\s+is|i\s*'?\s*a?m)\s+your\s+landlord|guess\s+who"),
    _cue("cue_loan_or_credit_limit", 30,
         r"提额|提升\S{0,4}额度|额度\S{0,6}(?:提升|提高|激活|开通)|贷款|秒批|秒到|免息|低息|无抵押|借款|网贷|放款|下款|备用金",
         r"\bloan\b|credit\s+limit|instant\s+approval|interest-?free|borrow"),
    _cue("cue_transfer_to_personal_account", 85,
         r"(?:汇|转|打|交|存)(?:款|钱|账)?\S{0,10}(?:到|至|给|进)\S{0,6}(?:我|他|她|警官|老师|朋友|以下|这个|下面|对方)"
         r"\S{0,8}(?:卡上|卡里|卡号|账户|帐户|账号|帐号)|(?:账号|帐号|卡号)\s*(?:是|为)\s*[（(]?\S{0,4}[)）]?\s*\d{12,19}",
         r"(?:transfer|send|wire|pay)\b[^.!?]{0,30}\b(?:to|into)\s+(?:my|his|her|this|the\s+following|the\s+officer'?s?)\s+"
         r"(?:bank\s+)?(?:account|card)", strong=True),
    _cue("cue_rent_to_other_account", 85,
         r"(?:房租|租金|押金)\S{0,10}(?:打到|转到|汇到|转入|打入|存到|转给|打给)\S{0,6}(?:我爱人|我老公|我老婆|我妻子|我丈夫|我家人|这个|新的|另一个|以下)",
         r"\brent\b[^.!?]{0,40}\b(?:to|into)\s+(?:my\s+(?:wife|husband|partner)'?s?|this|a\s+new|another)\b[^.!?]{0,20}\baccount",
         strong=True),
    _cue("cue_fee_charge", 35,
         r"(?:扣除|收取|扣收|收)\S{0,6}年费|年费\S{0,6}(?:扣除|收取)|将\S{0,4}(?:自动)?(?:扣费|扣款|扣除)",
         r"annual\s+fee|will\s+be\s+(?:charged|debited)\b"),
    _cue("cue_deadline_threat", 30,
         r"(?:将|即将|将会|会被|将被|予以|自动)\S{0,4}(?:停用|注销|禁用|失效|作废|清零|停止使用|冻结)"
         r"|(?:逾期|延期|超时|未认证|未报备|未处理|未完成)\S{0,8}(?:停用|注销|禁用|失效|作废|清零|冻结)"
         r"|已\S{0,4}(?:停用|失效|关停|停机)|(?:密码器|证书|U盾|K宝|口令卡)\S{0,8}(?:失效|过期|到期|升级)",
         r"will\s+be\s+(?:suspended|deactivated|closed|cancell?ed|disabled|terminated)|expires?\s+(?:today|tomorrow|soon|within)"),
    _cue("cue_verify_identity", 30,
         r"(?:重新|二次|需|须|请)\S{0,4}(?:实名认证|认证|核验|验证)(?!码)|核验信息|信息(?:完善|认证|核验)|完善\S{0,4}信息|补充完整|重新办理",
         r"(?:verify|confirm|update)\s+your\s+(?:identity|account|information|details)|re-?verif"),
    _cue("cue_travel_disruption", 30,
         r"航班\S{0,12}(?:取消|延误|无法|故障)|改签|退改签|退票",
         r"flight\s+(?:has\s+been\s+)?(?:cancell?ed|delayed)|rebook"),
    _cue("cue_traffic_violation", 30,
         r"违章|违法记录|交通违法|罚单|扣分",
         r"traffic\s+(?:violation|fine|ticket)|speeding\s+(?:ticket|fine)"),
    _cue("cue_lost_device", 35,
         r"(?:iPhone|苹果手机|手机|设备)\S{0,10}(?:已?被?定位|联网找到|找到|强制刷机)|查看位置",
         r"(?:iphone|device)\s+(?:has\s+been\s+|was\s+)?(?:located|found)|view\s+(?:its\s+)?location"),
    _cue("cue_prize_or_gift", 30,
         r"中奖|奖品|奖金|抽中|抽选|获奖|[一二三特]等奖|幸运(?:观众|用户|客户)|栏目组"
         r"|领取\S{0,4}(?:奖金|现金|补贴|礼品|红包)|送\d+元|补贴\S{0,4}(?:领取|发放)|现金红包",
         r"you\s*(?:'ve|\s+have)\s+won|\bprize\b|claim\s+your\s+(?:gift|reward|bonus)"),
    _cue("cue_add_wechat_qq", 40,
         r"(?:加|添加|联系|私聊|搜索)\s*(?:客服|专员|老师|助理|经理|我的?)?\s*(?:微信|V信|vx|威信|薇信|QQ|企鹅)"
         r"|(?:微信|V信|vx|薇信|QQ)\s*(?:号|群)?\s*[:：]\s*[A-Za-z0-9_-]{5,}|扫码(?:加|进)群|进群领"
         r"|加(?:一下|下)?(?:我的?)?(?:手机|好友)",
         r"\badd\b[^.!?]{0,20}\b(?:on\s+)?(?:wechat|qq|whatsapp|telegram)\b|(?:wechat|qq|whatsapp|telegram)\s*(?:id)?\s*[:：]\s*\w{4,}",
         channel=True),
    _cue("cue_download_app", 40,
         r"下载\S{0,12}(?:APP|App|app|客户端|软件|应用)|安装\S{0,8}(?:APP|App|app|软件|应用)|屏幕共享|共享屏幕|会议号|腾讯会议|视频会议|钉钉会议|ZOOM",
         r"\b(?:download|install)\b[^.!?]{0,30}\bapp\b|screen\s*shar|share\s+(?:your\s+)?screen|meeting\s+(?:id|number|code)|join\s+(?:the|a|our)\s+meeting",
         channel=True),
)
# Sends you to a site or number the message does not show (点击**网址, 拨打以下号码): it counts
# as a channel only when the text holds no link we could check (verifier.core.text.verdict).
FOLLOW_UNSEEN = "cue_follow_unseen_link"
CUES += (
    _cue(FOLLOW_UNSEEN, 20,
         r"(?:点击|登录|登陆|前往|打开|访问|进入|至)\s*[:：]?\s*(?:[^\s，。,!！]{0,8}(?:网址|网站|链接|网页)|[*＊xX]{2,})"
         r"|点击\s*(?:换取|兑换|领取|办理|认证|查看|下载|登录|登陆|激活|填写|申请|恢复)"
         r"|(?:https?://|www\.)\s*[*＊xX]{2,}|(?<![\w*＊])[*＊]{2,}(?:\.[*＊]{2,})*\.(?:cn|com|net|top|vip|cc|xyz)(?![a-z])"
         r"|(?:打开|进入?|登录|登陆|访问|点击)\s*[:：]?\s*(?:……|…|\.{3,}|[*＊]{3,})"
         r"|(?:客服|电话|热线|联系|致电|拨打)\S{0,4}[:：]?\s*[0-9+\-]*[X×xＸ*＊]{3,}"
         r"|拨打(?:以下|下方|下面)\S{0,2}(?:号码|电话)",
         r"(?:click|tap|visit|open)\s+(?:the|this)\s+(?:link|website|site)\b", channel=True),
)
CODES: tuple[str, ...] = tuple(cue.code for cue in CUES)


# A warning names the script to say it is one ("公检法不会要求转账到安全账户"): a strong cue in a
# sentence that says never / do not / beware of it is the warning, not the scam.
_NEGATED = re.compile(r"不会|绝不|从不|从来不|不要|切勿|勿|谨防|警惕|提防|谨记|凡是|一律是|都是诈骗|是诈骗"
                      r"|\b(?:never|do\s+not|don'?t|beware|will\s+not|won'?t)\b", IGNORE_CASE)
_TERMINATORS = "。！？!?；;\n"
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")  # a sentence: what _negated looks within


def find_cues_plain(text: str) -> list[CueFinding]:
    """Every cue the text holds, once each (its first occurrence that is not negated, for a
    strong cue), in the order of CUES: each cue's pattern run over the whole text. The plain
    path `find_cues` must equal (tests/core/text/test_cues_prefilter.py)."""
    found = []
    for cue in CUES:
        finding = _first_finding(cue, text)
        if finding is not None:
            found.append(finding)
    return found


def find_cues(text: str) -> list[CueFinding]:
    """`find_cues_plain`, running a cue's pattern only when the text holds the strings every
    match of it contains (`_cue_needs`): most texts hold few cues, and a pattern run over a
    whole text costs ~10 us where finding its strings costs well under one."""
    folded = fold_case(text)
    index, cues = _needs_index(), _cue_needs()
    held: set[int] = {_ALWAYS}  # the sets of strings (by number) one of which the text holds
    chars = set(folded)
    for char in index.keys() & chars:
        alone, longer = index[char]
        held |= alone  # the string that is this one character: held
        for second, need, sets in longer:
            if second in chars and need in folded:
                held |= sets
    found = []
    for cue, (first, alternatives) in zip(CUES, cues, strict=True):
        if first.isdisjoint(held) or not any(every <= held for every in alternatives):
            continue
        finding = _first_finding(cue, text)
        if finding is not None:
            found.append(finding)
    return found


def _first_finding(cue: Cue, text: str) -> CueFinding | None:
    for match in cue.pattern.finditer(text):
        if cue.strong and _negated(text, match.start(), match.end()):
            continue
        return CueFinding(cue.code, cue.risk, cue.strong, cue.channel, match.group(), match.start(), match.end())
    return None


# --- the strings a cue's every match contains: read from its parsed pattern -------------------
# IGNORECASE matches a character to a letter also when their lower cases differ: these are
# the ones (re's case fixes, and U+0130 whose lower case is two characters) that fold_case maps
# to the letter itself; tests/core/text/test_cues_prefilter.py checks every code point.
_CASE_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_CASE_FIXED = re.compile("[\u0130\u0131\u017f\u212a]")  # a quick look before translate (slow on CJK)
_MAX_STRINGS = 64  # a needs set larger than this is not worth its `in` checks


def fold_case(text: str) -> str:
    """`text` with every character IGNORECASE equates to an ASCII letter made that letter, and
    lower-cased: one character for one, so a literal found by IGNORECASE is a substring here."""
    if _CASE_FIXED.search(text):
        text = text.translate(_CASE_FIXES)
    return text.lower()


# What a pattern needs, as alternatives (any one), each a conjunction (all) of sets of strings
# (one of each set): `((a, b), (c,))` is "a string of a and one of b, or one of c".
Needs = tuple[tuple[frozenset[str], ...], ...]
_NOTHING: Needs = ((),)  # needs nothing: every text may match
_MAX_ALTERNATIVES = 64


_ALWAYS = -1  # the number of the set every text holds: a cue that needs nothing is never skipped


@cache
def _leaves() -> tuple[tuple[Needs, ...], dict[frozenset[str], int]]:
    """Per cue, `_needs_of` its pattern; and every set of strings they need, numbered."""
    needs = tuple(_needs_of(cue.pattern) for cue in CUES)
    numbers: dict[frozenset[str], int] = {}
    for alternatives in needs:
        for every in alternatives:
            for leaf in every:
                numbers.setdefault(leaf, len(numbers))
    return needs, numbers


@cache
def _cue_needs() -> tuple[tuple[frozenset[int], tuple[frozenset[int], ...]], ...]:
    """Per cue, its alternatives as the numbers of the sets each needs (one string of each),
    after the numbers of the alternatives' first sets: a quick no when the text holds none.
    Made on first use: parsing the patterns costs at start-up."""
    needs, numbers = _leaves()
    found = []
    for alternatives in needs:
        if any(not every for every in alternatives):  # needs nothing: never skipped
            found.append((frozenset({_ALWAYS}), (frozenset(),)))
        else:
            found.append((frozenset(numbers[every[0]] for every in alternatives),
                          tuple(frozenset(numbers[leaf] for leaf in every) for every in alternatives)))
    return tuple(found)


@cache
def _needs_index() -> dict[str, tuple[frozenset[int], tuple[tuple[str, str, frozenset[int]], ...]]]:
    """Every string some cue needs, with the numbers of the sets it is in, under its first
    character: a text's strings are looked for among those whose first two characters it
    holds, not by one `in` each. Per character: the sets of the string that is that character
    alone, then each longer string (after its second character) with its sets."""
    _needs, numbers = _leaves()
    sets_of: dict[str, set[int]] = {}
    for leaf, number in numbers.items():
        for need in leaf:
            sets_of.setdefault(need, set()).add(number)
    alone: dict[str, frozenset[int]] = {}
    longer: dict[str, list[tuple[str, str, frozenset[int]]]] = {}
    for need, sets in sorted(sets_of.items()):
        if len(need) == 1:
            alone[need] = frozenset(sets)
        else:
            longer.setdefault(need[0], []).append((need[1], need, frozenset(sets)))
    return {first: (alone.get(first, frozenset()), tuple(longer.get(first, ()))) for first in alone.keys() | longer.keys()}


def _needs_of(pattern: re.Pattern[str]) -> Needs:
    """What every match of `pattern` contains (case-folded: fold_case). Sound, not complete:
    whatever it cannot read needs nothing."""
    return _needs_seq(list(_sre_parse.parse(pattern.pattern, pattern.flags)))


def _case_safe(char: str) -> bool:
    """Every character IGNORECASE equates to `char` folds to fold_case(char): ASCII (with
    _CASE_FIXES), the fullwidth Latin letters and uncased characters (the test checks them)."""
    return char.isascii() or "\uff21" <= char <= "\uff5a" or char.lower() == char == char.upper()


def _exact(op: object, av: object) -> frozenset[str] | None:
    """The few fixed strings one parsed item matches (a literal, a set of literals, a group or
    branch of such), case-folded; None otherwise."""
    if op is _sre.LITERAL:
        char = chr(av)  # type: ignore[arg-type]
        return frozenset({fold_case(char)}) if _case_safe(char) else None
    if op is _sre.IN:
        chars: set[str] = set()
        for item_op, item_av in av:  # type: ignore[attr-defined]
            if item_op is _sre.LITERAL and _case_safe(chr(item_av)):
                chars.add(fold_case(chr(item_av)))
            elif item_op is _sre.RANGE and item_av[1] - item_av[0] < _MAX_STRINGS and all(
                    _case_safe(chr(code)) for code in range(item_av[0], item_av[1] + 1)):
                chars.update(fold_case(chr(code)) for code in range(item_av[0], item_av[1] + 1))
            else:
                return None  # a category, a negation, a wide range
        return frozenset(chars) if len(chars) <= _MAX_STRINGS else None
    if op is _sre.SUBPATTERN:
        return _exact_seq(list(av[-1]))  # type: ignore[index]
    if op is _sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            strings = _exact_seq(list(branch))
            if strings is None:
                return None
            union |= strings
        return frozenset(union) if len(union) <= _MAX_STRINGS else None
    return None


def _exact_seq(items: list[tuple[object, object]]) -> frozenset[str] | None:
    strings = frozenset({""})
    for op, av in items:
        part = _exact(op, av)
        if part is None or len(strings) * len(part) > _MAX_STRINGS:
            return None
        strings = frozenset(a + b for a in strings for b in part)
    return strings


def _leaf(strings: frozenset[str]) -> Needs:
    return _NOTHING if "" in strings else ((strings,),)


def _needs_seq(items: list[tuple[object, object]]) -> Needs:
    """A sequence needs all its parts: each run of fixed items (concatenated) and each other item."""
    needs = _NOTHING
    run = frozenset({""})
    for op, av in items:
        part = _exact(op, av)
        if part is not None and len(run) * len(part) <= _MAX_STRINGS:
            run = frozenset(a + b for a in run for b in part)
            continue
        needs = _both(needs, _leaf(run))
        run = part if part is not None else frozenset({""})
        if part is None:
            needs = _both(needs, _needs_item(op, av))
    return _both(needs, _leaf(run))


def _both(first: Needs, second: Needs) -> Needs:
    combined = tuple(a + b for a in first for b in second)
    if len(combined) <= _MAX_ALTERNATIVES:
        return combined
    return first if len(first) <= len(second) else second  # either alone is still needed


def _either(options: list[Needs]) -> Needs:
    if any(not every for option in options for every in option):
        return _NOTHING
    alternatives = tuple(every for option in options for every in option)
    if len(alternatives) <= _MAX_ALTERNATIVES:
        return alternatives
    # too many: one set, of the best set of each alternative (what each needs at least)
    best = (max(every, key=lambda leaf: (min(map(len, leaf)), -len(leaf))) for every in alternatives)
    return ((frozenset().union(*best),),)


def _needs_item(op: object, av: object) -> Needs:
    if op is _sre.SUBPATTERN:
        return _needs_seq(list(av[-1]))  # type: ignore[index]
    if op is _sre.ATOMIC_GROUP:
        return _needs_seq(list(av))  # type: ignore[call-overload]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, item = av  # type: ignore[misc]
        if low < 1:
            return _NOTHING
        once = _exact_seq(list(item))  # x{3,}: xxx
        if once is not None and len(once) ** min(low, 8) <= _MAX_STRINGS:
            strings = frozenset({""})
            for _ in range(low):
                strings = frozenset(a + b for a in strings for b in once)
            return _leaf(strings)
        return _needs_seq(list(item))
    if op is _sre.BRANCH:
        return _either([_needs_seq(list(branch)) for branch in av[1]])  # type: ignore[index]
    return _NOTHING


def _negated(text: str, start: int, end: int) -> bool:
    """The sentence holding `start` (a run between terminators: _SENTENCE) says never / beware.
    Found from `start` outwards, not by walking every sentence from the text's beginning: a
    text repeating a negated cue would otherwise cost its length times its sentences."""
    if start >= len(text) or text[start] in _TERMINATORS:
        return False
    begin = max(text.rfind(mark, 0, start) for mark in _TERMINATORS) + 1
    finish = min((at for mark in _TERMINATORS if (at := text.find(mark, start)) != -1), default=len(text))
    return _NEGATED.search(text, begin, max(end, finish)) is not None

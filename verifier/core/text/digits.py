"""What each run of digits in a pasted text is, before anything is read as a phone number.

A bank notice is full of digits that are not numbers to call: a card tail (尾号1234), a
verification code (验证码：8848), an amount or balance (余额5,000.00元), a date or time
(2024-12-05 12:30), an order, tracking or pickup code (取件码 12-3-4567), digits inside a
link or an e-mail address, and masked digits (138****1234, 400-xxx-xxxx). Each run is
classified by its shape and the words around it; only runs of kind ``phone`` are verified.

Pure: no I/O, no registry. The order of the passes is the order of precedence: a span
claimed by an earlier pass (a link, a masked run, a date, an amount) is never read again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers


class DigitKind(StrEnum):
    phone = "phone"
    card_tail = "card_tail"
    own_number = "own_number"  # the recipient's own number, quoted back ("尊敬的13912345678用户")
    code = "code"
    amount = "amount"
    date_time = "date_time"
    order_code = "order_code"
    in_url = "in_url"
    masked = "masked"
    other = "other"


class TooManyCandidates(Exception):
    """The text holds more phone-number-shaped runs than the caller allows (`classify_digits`'s
    `max_phone_candidates`): phonenumbers' matcher, the costly step, stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} phone-number candidates")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class DigitRun:
    text: str
    start: int
    end: int
    kind: DigitKind


IGNORE_CASE = re.IGNORECASE

# --- links and e-mail addresses: their digits are never phone numbers -----------------------
_TLD = r"(?:com|cn|net|org|top|xyz|vip|cc|co|info|biz|me|io|app|site|online|club|shop|ltd|work|link|live|tk|ml|ga|cf|gq|pw|ru|hk|tw|mo|us|uk|jp|kr|asia|icu|fun|wang|ink|pro|tv|ws|gov|edu|mobi|store|tech|cyou|bond|sbs|cfd)"
_URLISH = re.compile(
    r"(?:https?://|hxxps?://|www\.)[^\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u4e00-\u9fff<>\"'，。；！？]+"
    # an e-mail address, tried only where its local part starts: tried inside a long run of
    # letters or digits too, it would rescan the run from every position (quadratic)
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    r"|(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:/[^\s\u4e00-\u9fff，。；！？]*)?"  # an IP host
    rf"|(?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}})\.)+{_TLD}(?![A-Za-z0-9-])(?::\d{{1,5}})?"
    r"(?:/[^\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u4e00-\u9fff<>\"'，。；！？]*)?",  # a bare domain
    IGNORE_CASE,
)

# --- masked digits: 138****1234, 400-xxx-xxxx, 尾号**** -----------------------------------------
_MASK = r"(?:[*＊×●•]{2,}|[xX]{2,})"
_MASKED = re.compile(
    rf"(?<![A-Za-z\d])(?:\d+[-\s]?)?{_MASK}(?:[-\s]?\d+)?(?:[-\s]?{_MASK}(?:[-\s]?\d+)?)*(?![A-Za-z\d])")
# A card number written in groups of four (6222 0212 3456 7890): never a phone number.
_CARD_GROUPS = re.compile(r"(?<![\d-])\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,4})?(?![\d-])")

# --- dates, times and durations --------------------------------------------------------------
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_TIME = re.compile(
    r"(?<![\d.])(?:"
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?(?:\s*\d{1,2}\s*[:：时点]\s*\d{0,2}(?:\s*[:：分]\s*\d{0,2}秒?)?)?"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"
    r"|20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?(?=\s*(?:期|月|账单|帳單|bill|statement))"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号](?:\s*\d{1,2}\s*[:：时点]\s*\d{0,2}分?)?"
    r"|\d{1,2}\s*月份?"
    r"|\d{1,2}[-/.]\d{1,2}\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"  # 12-05 12:30
    r"|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"|\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分)?(?:\s*\d{1,2}\s*秒)?"
    r"|\d{1,2}\s*[日号](?![码])"
    r"|\d+\s*(?:分钟|小时|个?工作日|天|周|个月|秒钟?|年内|日内)"
    r"|\d{1,2}\s*[ap]\.?m\.?\b"
    rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s*\d{{4}})?"
    r"|\d+\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b"
    r")",
    IGNORE_CASE,
)

# --- amounts and balances ---------------------------------------------------------------------
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_AMOUNT = re.compile(
    r"(?<![\d.,])(?:"
    rf"(?:[¥￥$€£]|RMB|CNY|USD|HKD|人民币|港币|美元)\s*{_NUMBER}"
    rf"|{_NUMBER}\s*(?:万元|亿元|元|块钱|块|万|亿|角|RMB|CNY|yuan|美元|港币|港元|%|％)"
    r"|\d[\d,]*\.\d{1,2}(?![\d.])"  # 1299.00
    r"|\d{1,3}(?:,\d{3})+(?![\d])"  # 5,000
    r")",
    IGNORE_CASE,
)

# --- what the words before (or after) a run say it is -----------------------------------------
_FILL = r"(?:\s|[为是為:：#＃（(\[【】\])）『』「」“”\"']|is|was|of|no\.?|number|nr\.?)*"
_BEFORE = [
    (DigitKind.own_number, re.compile(
        r"(?:尊敬的|亲爱的|您反映的|您投诉的|您办理的|您咨询的|您的(?:手机|号码|手机号|手机号码|宽带账号|宽带号|固话)|本机(?:号码)?|机主"
        rf"|your\s+(?:mobile|phone)(?:\s+number)?|dear){_FILL}$", IGNORE_CASE)),
    (DigitKind.code, re.compile(
        r"(?:验证码|校验码|动态码|动态密码|确认码|激活码|认证码|短信码|安全码|授权码|提取码|兑换码|邀请码|登录码|交易码|口令|密码"
        r"|驗證碼|認證碼|動態碼|動態密碼|確認碼|校驗碼|密碼"
        rf"|verification\s+code|security\s+code|one[-\s]time\s+(?:pass)?code|passcode|code|otp|pin){_FILL}$", IGNORE_CASE)),
    (DigitKind.card_tail, re.compile(
        r"(?:尾号|尾数|末四位|末4位|后四位|后4位|末尾|卡号|卡末|账号|帐号|账户|帐户|银行卡|信用卡|储蓄卡|借记卡|卡片"
        rf"|ending(?:\s+(?:in|with))?|card|account|acct\.?|a/c){_FILL}$", IGNORE_CASE)),
    (DigitKind.order_code, re.compile(
        r"(?:订单号|订单编号|订单|运单号|运单|快递单号|快递号|物流单号|单号|取件码|取货码|提货码|取餐码|取件号|提货号|取货号|货号"
        r"|包裹|快递|工单号|流水号|交易号|交易编号|编号|凭|柜号|格口|柜门|箱号|车次|航班|座位"
        rf"|tracking|order|waybill|parcel|shipment|pick-?up\s+code|ref(?:erence)?\.?){_FILL}$", IGNORE_CASE)),
    (DigitKind.amount, re.compile(
        r"(?:余额|金额|收入|支出|消费|扣款|扣费|转账|转入|转出|存入|支取|入账|还款|应还|欠款|欠费|退款|额度|充值|缴费|付款|支付|奖金|红包"
        r"|本金|利息|话费|费用|合计|总计|共计|价格|售价|优惠|减免|立减|满"
        rf"|balance|amount|payment|paid|spent|charged|credited|debited|total){_FILL}(?:人民币|RMB|CNY|¥|￥)?\s*$", IGNORE_CASE)),
]
_AFTER = [
    (DigitKind.own_number, re.compile(r"^\s*(?:号码?的?)?\s*(?:用户|客户|机主)")),
    (DigitKind.code, re.compile(
        r"^\s*[）)\]】』」]?\s*[（(\[【]?\s*(?:为|是|為)?\s*(?:您|你)?(?:的|本次)?\s*[\u4e00-\u9fff]{0,6}?"
        r"(?:验证码|校验码|动态码|动态密码|确认码|激活码|认证码|短信码|驗證碼|認證碼|動態碼|確認碼)"
        r"|^\s*[）)』」]?\s*以\s*(?:登入|登录|登陆|登錄|完成|验证|驗證|认证|認證)"
        r"|^\s*(?:is|as)\s+(?:your|the)\b.{0,30}?\b(?:code|otp|pin|passcode)\b", IGNORE_CASE)),
    (DigitKind.order_code, re.compile(r"^\s*(?:取件|取货|提货|取餐|领取|号柜|号格口)")),
]
_PHONE_CONTEXT = re.compile(
    r"(?:电话|致电|拨打|拨|热线|客服|联系|咨询|来电|回电|回拨|手机|座机|号码|tel|phone|call|hotline|dial|contact|ring)"
    r"[^\d。；;！!？?]{0,8}$", IGNORE_CASE)
_GLUED_LETTERS = re.compile(r"[A-Za-z][A-Za-z-]*$")
_PHONE_WORDS = re.compile(r"(?:tel|call|phone|hotline|dial|fax|ext|to|at|on)[-]?$", IGNORE_CASE)
_UNIT_AFTER = re.compile(r"\s*(?:[元块万%％年月日个次秒分天期条位件张]|号(?!码))")

# Numbers the phone finder may take that are phone numbers only when the words say so: a
# bare 3- or 4-digit run ("1234") is a tail or a code far more often than a service number.
_EMERGENCY = frozenset({"110", "119", "120", "122", "112", "999"})
_SHORT_CODES = re.compile(
    r"(?<![\d+＋])(?:[+＋]\s?\d[\d \-]{2,18}\d"  # +95588, + 95 588...
    r"|(?:0\d{2,3}[-\s]?)?9[56]\d{3,6}"  # 95588, 956186, 95105555, 021-95561, 025-96110
    r"|106\d{5,17}"  # SMS sender codes
    r"|1[0-2]\d{1,5})"  # 110, 10086, 12321, 118114, 1008611
    r"(?!\d)"
)
_DIGIT_TOKEN = re.compile(r"\d+")
# A Chinese mobile, a landline with its area code, a 400/800 number: the shapes the phone
# finder may miss when two numbers are glued together (0871-1234567-0871-7654321).
_PHONE_SHAPE = re.compile(r"1[3-9]\d{9}|0[1-9]\d{8,10}|[48]00\d{7}")
MAX_LONG_DIGITS = 13  # more digits than any Chinese number with its area code: a card, an id, an order


def classify_digits(text: str, region: str = "CN", links: Iterable[tuple[int, int]] = (),
                    max_phone_candidates: int | None = None) -> list[DigitRun]:
    """Every digit run of the text with what it is, in order. `links` are spans a link finder
    found (their digits are ``in_url``, like those of the links this module finds itself).
    Runs of one or two plain digits are left out: nothing to verify, nothing worth listing.
    With `max_phone_candidates`, raises TooManyCandidates as soon as phonenumbers' matcher (a
    fraction of a millisecond per candidate) finds more than that many free candidates.

    phonenumbers' matcher is run only over the stretches of the text where what it finds can
    be free (`_phone_spans`), a pattern only on a text holding its hint (`_HINTS`) and only
    where a match of it can start (`_STARTS`), and free spans are found by binary search: the
    result is exactly `classify_digits_plain`'s (tests/core/text/test_digits_fast.py)."""
    return _classify(text, region, links, max_phone_candidates, plain=False)


def classify_digits_plain(text: str, region: str = "CN", links: Iterable[tuple[int, int]] = (),
                          max_phone_candidates: int | None = None) -> list[DigitRun]:
    """`classify_digits` with phonenumbers' matcher over the whole text and every pattern run:
    the plain path it must equal."""
    return _classify(text, region, links, max_phone_candidates, plain=True)


def _classify(text: str, region: str, links: Iterable[tuple[int, int]], max_phone_candidates: int | None,
              plain: bool) -> list[DigitRun]:
    runs: list[DigitRun] = []
    taken: list[tuple[int, int]] = []  # kept sorted: spans that overlap none before them, so
    # their ends never decrease either, and one binary search tells whether a span is free

    def free(start: int, end: int) -> bool:
        if plain:
            return all(end <= s or e <= start for s, e in taken)
        return _outside((start, end), taken)

    found = () if not plain and not _HINTS[_URLISH].search(text) else _matches(_URLISH, text, plain)
    link_spans = sorted({*links, *((m.start(), m.end()) for m in found)})
    if any(start > end for start, end in link_spans):
        plain = True  # a span given backwards: only the plain reading is exact
    for start, end in link_spans:
        if not free(start, end):
            continue
        bisect.insort(taken, (start, end))
        for token in _DIGIT_TOKEN.finditer(text, start, end):
            if len(token.group()) >= 3:
                runs.append(DigitRun(token.group(), token.start(), token.end(), DigitKind.in_url))
    for pattern, kind in ((_MASKED, DigitKind.masked), (_CARD_GROUPS, DigitKind.card_tail), (_DATE_TIME, DigitKind.date_time), (_AMOUNT, DigitKind.amount)):
        if not plain and pattern in _HINTS and not _HINTS[pattern].search(text):
            continue  # every match of it holds a match of its hint
        for match in _matches(pattern, text, plain):
            start, end = _trim(text, match.start(), match.end())
            if start < end and free(start, end) and (kind is not DigitKind.masked or _real_mask(match.group())):
                bisect.insort(taken, (start, end))
                runs.append(DigitRun(text[start:end], start, end, kind))
    candidates = 0
    for start, end in (_phone_spans_plain(text, region) if plain else _phone_spans(text, region, taken)):
        if free(start, end):
            candidates += 1
            if max_phone_candidates is not None and candidates > max_phone_candidates:
                raise TooManyCandidates(max_phone_candidates)
            bisect.insort(taken, (start, end))
            runs.append(DigitRun(text[start:end], start, end, _kind_of(text, start, end)))
    for token in _DIGIT_TOKEN.finditer(text):
        if len(token.group()) >= 3 and free(token.start(), token.end()):
            kind = _context_kind(text, token.start(), token.end()) or (
                DigitKind.phone if _PHONE_SHAPE.fullmatch(token.group()) and not _glued(text, token.start(), token.end())
                else DigitKind.other)
            bisect.insort(taken, (token.start(), token.end()))
            runs.append(DigitRun(token.group(), token.start(), token.end(), kind))
    runs.sort(key=lambda r: r.start)
    return runs


# What every match of a pattern holds: a text without it is not searched. A link holds "://",
# "www.", "@", a dotted quad or a dot before its top-level domain's first letter (or what
# IGNORECASE equates to one: İ ı ſ K); a card number four digits, a space or dash and a digit;
# a masked run two mask characters. Each starts with a set of characters and has no IGNORECASE,
# so re skips ahead to where one can start.
_HINTS = {
    _URLISH: re.compile("[.:@wW](?:(?<=[.])(?:\\d{1,3}\\.|[A-Za-z\u0130\u0131\u017f\u212a])|(?<=:)//|(?<=@)"
                        "|(?<=[wW])[wW]{2}\\.)"),
    _CARD_GROUPS: re.compile(r"\d{4}[ -]\d"),
    _MASKED: re.compile("[*＊×●•xX][*＊×●•xX]"),
}

# Where a match of a pattern can start (each alternative's leading look-behind and first
# character, same flags): searching for these runs in C over a text, where the pattern itself
# is tried at every position (a look-behind first leaves re no character to skip ahead by).
_STARTS = {
    _MASKED: re.compile(r"(?<![A-Za-z\d])[\d*＊×●•xX]"),
    _DATE_TIME: re.compile(rf"(?<![\d.])(?:\d|\b{_MONTHS})", IGNORE_CASE),
    _AMOUNT: re.compile(r"(?<![\d.,])(?:[\d¥￥$€£]|RMB|CNY|USD|HKD|人民币|港币|美元)", IGNORE_CASE),
}


def _matches(pattern: re.Pattern[str], text: str, plain: bool = False) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`; for a pattern of _STARTS, tried only where one of its matches
    can start. Exact: finditer tries each position from the last match's end (none of these
    patterns matches empty), and a position _STARTS rules out is one it would fail at."""
    starts = None if plain else _STARTS.get(pattern)
    if starts is None:
        yield from pattern.finditer(text)
        return
    at = 0
    while (start := starts.search(text, at)) is not None:
        match = pattern.match(text, start.start())
        if match is None:
            at = start.start() + 1
        else:
            yield match
            at = match.end()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\r\n-":
        end -= 1
    return start, end


def _real_mask(found: str) -> bool:
    """x-masks only count next to digits or a dash (400-xxx-xxxx), never as a word ("xxx")."""
    return any(c.isdigit() for c in found) or any(c in "*＊×●•" for c in found) or "-" in found


def _phone_spans_plain(text: str, region: str) -> Iterator[tuple[int, int]]:
    """What a phone number finder would take: phonenumbers' matcher, then the short service
    codes and foreign-prefixed numbers it leaves out."""
    matched: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        matched.append((match.start, match.end))
        yield match.start, match.end  # lazily: the caller may stop early (max_phone_candidates)
    extras = [(m.start(), m.end()) for m in _SHORT_CODES.finditer(text)]
    yield from sorted(span for span in extras if _outside(span, matched))


# --- running phonenumbers' matcher only where it can find a free number -----------------------
# No candidate of phonenumbers' matcher (its _PATTERN: digits, punctuation, a few extension
# words; no lookaround) holds one of these characters (tests/core/text/test_digits_fast.py
# checks each against every atom of the pattern), so the matcher's walk over a text is its walk
# over each stretch between them, each on its own (its candidates never cross one; at POSSIBLE
# leniency it reads nothing around a candidate but a time's ":mm" right after it, which no
# barrier can be). A stretch where every run not yet taken (by a date, an amount, a masked run,
# a link) is too short for a number (`_room_for_a_number`) can give no free number.
_BARRIER = ("\u3400-\u4dbf\u4e00-\u9fffbcdfghjklmpqruvwyzBCDFGHJKLMPQRUVWYZ"
            "，。：；！？、【】《》“”「」『』…·＠")
_STRETCH = re.compile(f"(?<![^{_BARRIER}])[^{_BARRIER}\\d]*+\\d[^{_BARRIER}]*")  # a stretch holding a digit
_ALNUM = re.compile(r"[^\W_]+")
# phonenumbers' matcher gives up after 65,535 failed tries over a whole text; run stretch by
# stretch, it must never get there: a stretch of n characters has at most n candidates, each
# tried at most 1 + INNER_PATTERNS * (n + 1) times (its inner matches: phonenumbermatcher
# _INNER_MATCHES, 6 today; the test checks the bound).
MATCHER_TRIES = 65_535
INNER_PATTERNS = 8


def _phone_spans(text: str, region: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """`_phone_spans_plain` without the spans that overlap `taken` anyway: phonenumbers'
    matcher is run only on the stretches (`_STRETCH`) with room for a free number
    (`_room_for_a_number`) or holding a free short code. A short code lies within its stretch
    (none of its characters is a barrier) and is left out where it overlaps what the matcher
    found there: in a stretch skipped, every short code and every number the matcher could
    find overlaps `taken`, so the caller drops them as not free either way."""
    stretches = [(m.start(), m.end()) for m in _STRETCH.finditer(text)]
    if sum((end - start) * (1 + INNER_PATTERNS * (end - start + 1)) for start, end in stretches) >= MATCHER_TRIES:
        yield from _phone_spans_plain(text, region)  # the tries might run out: only the whole walk is exact
        return
    held = _merged(taken)
    extras = [(m.start(), m.end()) for m in _SHORT_CODES.finditer(text)]
    free_extras = [span for span in extras if _outside(span, held)]
    matched: list[tuple[int, int]] = []
    for start, end in stretches:
        if not _room_for_a_number(text, held, start, end, region) and not any(
                start <= extra_start < end for extra_start, _extra_end in free_extras):
            continue
        for match in phonenumbers.PhoneNumberMatcher(text[start:end], region, leniency=phonenumbers.Leniency.POSSIBLE):
            matched.append((start + match.start, start + match.end))
            yield start + match.start, start + match.end
    yield from sorted(span for span in extras if _outside(span, matched))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` sorted, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _room_for_a_number(text: str, held: list[tuple[int, int]], start: int, end: int, region: str) -> bool:
    """[start, end) has a run of characters outside `held` (sorted, joined) that a number
    phonenumbers finds could be: a possible number is read one digit of it from one digit or
    letter of the text, and has a national number of two digits or more; in China, written
    without "+", five or more (its shortest possible length, or "00" and a country code before
    two): `_MIN_LETTERS_OR_DIGITS`."""
    at = start
    for index in range(bisect.bisect_right(held, start, key=lambda span: span[1]), len(held)):
        taken_start, taken_end = held[index]
        if taken_start >= end:
            break
        if _could_be_a_number(text, at, taken_start, region):
            return True
        at = taken_end
    return _could_be_a_number(text, at, end, region)


# Letters and digits a number phonenumbers finds (at POSSIBLE leniency, for a region) holds at
# least, written without a plus sign: China's shortest possible number has 5 digits, and an
# international one 00 (its shortest international prefix), a country code and two. Elsewhere
# (with a plus too) 2: the national number's least. (Each digit is read from one letter or
# digit; the national-prefix rules that add digits, +1 islands, AR, MG, NF..., add them only
# to five or more read.) Checked in tests/core/text/test_digits_fast.py.
_MIN_LETTERS_OR_DIGITS = {"CN": 5}
_PLUS = re.compile("[+＋]")


def _could_be_a_number(text: str, start: int, end: int, region: str) -> bool:
    if start >= end:
        return False
    count = sum(len(run) for run in _ALNUM.findall(text, start, end))
    least = _MIN_LETTERS_OR_DIGITS.get(region, 2)
    return count >= least or (count >= 2 and least > 2 and _PLUS.search(text, start, end) is not None)


def _outside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """`span` overlaps none of `spans` (sorted by start): a binary search, not a scan of all."""
    start, end = span
    index = bisect.bisect_left(spans, (end,))  # the first span starting at or after our end
    return index == 0 or spans[index - 1][1] <= start


def _context_kind(text: str, start: int, end: int) -> DigitKind | None:
    before = text[max(0, start - 24) : start]
    after = text[end : end + 40]
    for kind, pattern in _BEFORE:
        if pattern.search(before):
            return kind
    for kind, pattern in _AFTER:
        if pattern.search(after):
            return kind
    if _UNIT_AFTER.match(after):
        return DigitKind.other
    return None


def _glued(text: str, start: int, end: int) -> bool:
    """Letters or a hash sign stuck to the digits: an identifier (SF1234567890123, #123456)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and (before.isalpha() or before == "#")) or before == "＃" or \
        (after.isascii() and after.isalpha())


def _kind_of(text: str, start: int, end: int) -> DigitKind:
    """A run the phone finder took: a phone number unless its context or shape says otherwise."""
    glued = _GLUED_LETTERS.search(text[max(0, start - 12) : start])
    if glued and not _PHONE_WORDS.search(glued.group()):  # SF1234567890123, G-123456: an identifier
        return _context_kind(text, start - len(glued.group()), end) or DigitKind.other
    kind = _context_kind(text, start, end)
    if kind is not None:
        return kind
    found = text[start:end]
    digits = "".join(c for c in found if c.isdigit())
    international = found.lstrip().startswith(("+", "＋")) or digits.startswith("00")
    if end < len(text) and text[end].isascii() and text[end].isalpha() and not text[end:end + 3].lower().startswith("ext"):
        return DigitKind.other
    if text[max(0, start - 1):start] in ("#", "＃"):
        return DigitKind.other  # #123456: a reference, not a number to call
    if len(digits) > MAX_LONG_DIGITS + (2 if international else 0) and not digits.startswith("106"):
        return DigitKind.other
    if len(digits) <= 4 and digits not in _EMERGENCY and not _PHONE_CONTEXT.search(text[max(0, start - 20) : start]):
        return DigitKind.other
    if len(digits) <= 4 and text[max(0, start - 1) : start] in ("第", "共", "约", "近", "超", "满", "前", "后"):
        return DigitKind.other
    return DigitKind.phone

"""Digits in a pasted text are read as phone numbers only when they plausibly are one: card
tails, codes, amounts, dates, order and pickup codes, digits in links and masked digits are
classified and skipped."""

from __future__ import annotations

import pytest

from verifier.core.text.digits import DigitKind, classify_digits
from verifier.core.text.scan import find_numbers

K = DigitKind


def kinds(text: str) -> list[tuple[str, str]]:
    return [(run.text, run.kind.value) for run in classify_digits(text)]


@pytest.mark.parametrize(("text", "found", "kind"), [
    # card tails and card or account numbers
    ("您尾号1234的储蓄卡今日消费", "1234", K.card_tail),
    ("卡号后四位为6789，请核对", "6789", K.card_tail),
    ("您账户8821于今日入账", "8821", K.card_tail),
    ("末四位 4455 的信用卡", "4455", K.card_tail),
    ("Your card ending in 4321 was used", "4321", K.card_tail),
    ("account ending 9012 is overdrawn", "9012", K.card_tail),
    ("卡号 6222 0212 3456 7890 已绑定", "6222 0212 3456 7890", K.card_tail),
    # the recipient's own number, quoted back to them
    ("尊敬的13912345678用户，您本月话费58元", "13912345678", K.own_number),
    ("您反映的18900001111号码问题已受理", "18900001111", K.own_number),
    ("您的手机号码13912345678已开通来电提醒", "13912345678", K.own_number),
    # verification and dynamic codes
    ("验证码：8848，请勿告诉他人", "8848", K.code),
    ("您的动态码为 552301，5分钟内有效", "552301", K.code),
    ("校验码 731905 用于登录", "731905", K.code),
    ("动态密码：120455", "120455", K.code),
    ("120455是您的登录验证码", "120455", K.code),
    ("Your verification code is 120455.", "120455", K.code),
    ("Use code 95588 to sign in", "95588", K.code),
    ("120455 is your one-time code", "120455", K.code),
    # amounts and balances
    ("余额5,000.00元", "5,000.00元", K.amount),
    ("本次消费人民币 1,299.00", "人民币 1,299.00", K.amount),
    ("收入12345元", "12345元", K.amount),
    ("支出 95588", "95588", K.amount),
    ("金额：10086", "10086", K.amount),
    ("charged ¥1,299 today", "¥1,299", K.amount),
    ("RMB 12000 has been credited", "RMB 12000", K.amount),
    ("应还 3250.50，请按时还款", "3250.50", K.amount),
    # dates and times
    ("2024-12-05 有效", "2024-12-05", K.date_time),
    ("于12月5日 12:30 到账", "12月5日 12:30", K.date_time),
    ("2024年账单", "2024年", K.date_time),
    ("2024/12/05 10:20:33 登录", "2024/12/05 10:20:33", K.date_time),
    ("请于 12:30 前办理", "12:30", K.date_time),
    ("on Dec 5, 2024 at noon", "Dec 5, 2024", K.date_time),
    # order, tracking and pickup codes
    ("订单号202412051234567已发货", "202412051234567", K.order_code),
    ("运单号：75312345678901", "75312345678901", K.order_code),
    ("快递单号SF1234567890123", "1234567890123", K.order_code),
    ("取件码 12-3-4567，请及时领取", "12-3-4567", K.order_code),
    ("提货码：95588", "95588", K.order_code),
    ("取货码 10086 请到柜台", "10086", K.order_code),
    ("凭 6-2-3017 到驿站取件", "6-2-3017", K.order_code),
    ("Tracking number 9400111899223100", "9400111899223100", K.order_code),
    # digits inside links and e-mail addresses
    ("详见 http://example.com/a?phone=13800138000", "13800138000", K.in_url),
    ("访问 95588.com.cn 了解", "95588", K.in_url),
    ("访问 1.2.3.4:8080 办理", "8080", K.in_url),
    ("邮件 service95588@example.com", "95588", K.in_url),
    # masked digits are not numbers
    ("致电 400-xxx-xxxx", "400-xxx-xxxx", K.masked),
    ("手机号 138****1234 已绑定", "138****1234", K.masked),
    ("尾号****的卡", "****", K.masked),
    ("call 95***88", "95***88", K.masked),
])
def test_a_digit_run_is_classified_by_its_context_and_shape(text: str, found: str, kind: DigitKind) -> None:
    assert (found, kind.value) in kinds(text), kinds(text)
    assert all(f.text != found for f in find_numbers(text))


@pytest.mark.parametrize(("text", "numbers"), [
    ("【工商银行】您尾号1234的账户……如有疑问请致电95588。", ["95588"]),
    ("验证码：8848，2024-12-05 有效", []),
    ("您账户8821于12月05日14:22收入人民币3,000.00元，余额12,345.67元。【建设银行】", []),
    ("请拨打 95588 或 95566 咨询", ["95588", "95566"]),
    ("【百信银行】您的账户异常，请致电 400-678-1234 办理", ["400-678-1234"]),
    ("工商银行提醒：请拨打95588或+95588转3咨询。", ["95588", "+95588转3"]),
    ("请拨打13800138000", ["13800138000"]),
    ("急事拨打110", ["110"]),
    ("中国移动 10086 与 1008611", ["10086", "1008611"]),
    ("来自 1065795555 的通知", ["1065795555"]),
    ("95105555 或 12580", ["95105555", "12580"]),
    ("热线 0755-83198888", ["0755-83198888"]),
    ("请致电 1234 转人工", ["1234"]),  # a bare 4-digit run is a number only when the words say so
    ("第1234期开奖", []),
    ("满100减20，共120元", []),
    ("验证码 8848。客服电话 95588", ["95588"]),
    ("访问 http://1.2.3.4/13800138000 或拨打 13900139000", ["13900139000"]),
])
def test_only_plausible_phone_numbers_are_found(text: str, numbers: list[str]) -> None:
    assert [f.text for f in find_numbers(text)] == numbers


def test_link_spans_given_by_a_link_finder_are_never_numbers() -> None:
    text = "打开 abc.example/95588 查看"
    start = text.index("abc")
    runs = classify_digits(text, links=[(start, start + len("abc.example/95588"))])
    assert [(r.text, r.kind) for r in runs] == [("95588", K.in_url)]
    assert find_numbers(text, links=[(start, start + len("abc.example/95588"))]) == []


def test_short_runs_of_one_or_two_digits_are_not_listed() -> None:
    assert classify_digits("请在3个工作日内回复1或2") == [
        r for r in classify_digits("请在3个工作日内回复1或2") if r.kind is K.date_time]


def test_spans_point_into_the_original_text() -> None:
    text = "您尾号1234的卡，请致电95588"
    for run in classify_digits(text):
        assert text[run.start:run.end] == run.text

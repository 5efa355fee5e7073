"""Scam-script cues: each pretext is found in Chinese and in English under its own reason
code, with a sentence in both languages; strong and channel cues are marked."""

from __future__ import annotations

import pytest

from verifier.core import messages
from verifier.core.text.cues import CODES, find_cues


def codes(text: str) -> list[str]:
    return [c.code for c in find_cues(text)]


CASES = [
    ("cue_safe_account", "请将资金转入安全账户进行核查", "Move your savings to a safe account today"),
    ("cue_authority_demands_money", "这里是市公安局，你涉嫌洗钱，需缴纳保证金",
     "This is the police: you are a suspect in money laundering and must pay a deposit"),
    ("cue_account_frozen", "您的账户已被冻结，请尽快处理", "Your account has been frozen"),
    ("cue_refund_or_claim", "您购买的商品有质量问题，可办理退款", "You are entitled to a refund for your order"),
    ("cue_points_redemption", "您的积分即将清零，请尽快兑换礼品", "Your points will expire tomorrow"),
    ("cue_etc_card", "您的ETC卡已失效，请重新认证", "Your ETC card has been deactivated"),
    ("cue_medical_insurance_card", "您的医保卡存在异常，即将冻结", "Your medical insurance card is frozen"),
    ("cue_credit_record", "逾期未处理将影响征信", "This will damage your credit record"),
    ("cue_cancel_service", "您开通的百万保障即将扣费，如需关闭请联系", "Cancel your membership before it renews"),
    ("cue_new_number", "我是房东，这是我的新号码", "Hi, this is my new number, save it"),
    ("cue_loan_or_credit_limit", "无抵押贷款，秒批到账", "Instant approval for your loan"),
    ("cue_transfer_to_personal_account", "请把钱汇到以下账户，账号是(工行)6222020200112233445",
     "Transfer the bail to the officer's account now"),
    ("cue_rent_to_other_account", "这个月房租请打到我爱人的卡上", "Please pay the rent into my wife's account this month"),
    ("cue_fee_charge", "我行将从您卡上扣除年费800元", "An annual fee of 800 will be deducted"),
    ("cue_deadline_threat", "逾期未处理，账户将被注销", "Your account will be suspended tonight"),
    ("cue_verify_identity", "您的账号需重新实名认证", "Please verify your identity to continue"),
    ("cue_travel_disruption", "您的航班因故障取消，可免费改签", "Your flight has been cancelled; rebook now"),
    ("cue_traffic_violation", "您有一条超速违章记录待处理", "You have an unpaid traffic fine"),
    ("cue_lost_device", "您丢失的iPhone已被定位", "Your iPhone has been located"),
    ("cue_prize_or_gift", "恭喜您中奖，请领取现金红包", "Congratulations, you have won a prize"),
    ("cue_follow_unseen_link", "请点击以下链接办理", "Click the link to continue"),
    ("cue_add_wechat_qq", "详情请添加客服微信", "Add our agent on WeChat for details"),
    ("cue_download_app", "请下载会议APP并开启屏幕共享", "Please download the app and share your screen"),
]


@pytest.mark.parametrize(("code", "zh", "en"), CASES, ids=[c[0] for c in CASES])
def test_each_cue_is_found_in_chinese_and_english(code: str, zh: str, en: str) -> None:
    assert code in codes(zh), codes(zh)
    assert code in codes(en), codes(en)


def test_every_cue_has_a_sentence_in_both_languages_and_a_short_name() -> None:
    assert set(CODES) == {c[0] for c in CASES}
    for code in CODES:
        assert messages.reason(code, "zh")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in messages.reason(code, "en"))
        assert messages.cue_name(code, "zh") and messages.cue_name(code, "en")


@pytest.mark.parametrize(("text", "strong", "channel"), [
    ("请把钱转到安全账户", {"cue_safe_account"}, set()),
    ("检察院通知：你涉嫌洗钱，请配合调查并转账", {"cue_authority_demands_money"}, set()),
    ("加QQ领取补偿，下载APP办理", set(), {"cue_add_wechat_qq", "cue_download_app"}),
    ("您的账户已冻结，请退款", set(), set()),
])
def test_strong_and_channel_cues_are_marked(text: str, strong: set[str], channel: set[str]) -> None:
    found = find_cues(text)
    assert {c.code for c in found if c.strong} == strong
    assert {c.code for c in found if c.channel} == channel


@pytest.mark.parametrize("text", [
    "【工商银行】您尾号1234的卡已解冻，如有疑问请致电95588。",
    "您的快递已到驿站，取件码 12-3-4567。",
    "【中国移动】您本月话费账单已出，详询10086。",
    "Your package was delivered. Thank you for shopping with us.",
    "请勿将验证码告诉他人，包括自称客服的人。",
])
def test_ordinary_notices_hold_no_strong_or_channel_cue(text: str) -> None:
    assert not [c for c in find_cues(text) if c.strong or c.channel]


def test_police_named_without_money_is_not_a_strong_cue() -> None:
    assert codes("公安提醒：谨防电信诈骗，请拨打96110咨询。") == []


def test_a_cue_reports_where_it_stands() -> None:
    text = "您好，您的账户已被冻结"
    [cue] = find_cues(text)
    assert text[cue.start:cue.end] == cue.text == "冻结"


@pytest.mark.parametrize("warning", [
    "【96110】公检法机关不会通过电话要求您转账到安全账户，谨防诈骗。",
    "民警提醒：凡是要求把钱汇到陌生账户的都是诈骗。",
    "The police will never ask you to transfer money to a safe account.",
])
def test_a_warning_that_names_a_script_to_say_it_is_one_is_not_a_strong_cue(warning: str) -> None:
    assert not [c for c in find_cues(warning) if c.strong], find_cues(warning)


@pytest.mark.parametrize("text", [
    "请立即前往车辆中心:http://***.***.cn重新办理",
    "请打开……对医保卡进行更新",
    "请立即联系客服:008-61XXXXXXX办理",
    "您的积分即将作废，请及时点击兑换。",
])
def test_a_link_or_number_the_message_hides_is_a_channel_we_cannot_check(text: str) -> None:
    assert "cue_follow_unseen_link" in codes(text)

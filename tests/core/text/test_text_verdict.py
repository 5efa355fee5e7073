"""The overall verdict of a text, row by row of its table (verifier.core.text.verdict, docs/verdicts.md)."""

from __future__ import annotations

import pytest

from verifier.core.signals import Verdict
from verifier.core.text.cues import find_cues
from verifier.core.text.verdict import LinkEvidence, NumberEvidence, judge_text

V = Verdict
OFFICIAL_NUMBER = NumberEvidence("95588", V.official, 0)
UNKNOWN_NUMBER = NumberEvidence("13912345678", V.unknown, 20)
SUSPICIOUS_NUMBER = NumberEvidence("400-123-4567", V.suspicious, 60, "not the bank's number")
SCAM_NUMBER = NumberEvidence("17012345678", V.scam, 95)
INVALID_NUMBER = NumberEvidence("12", V.invalid, 60)
OFFICIAL_LINK = LinkEvidence("https://www.icbc.com.cn", "link_official", V.official, 0, "official")
IMITATING_LINK = LinkEvidence("icbc-vip.cn", "link_imitates_org", V.suspicious, 80, "imitates ICBC")
UNKNOWN_LINK = LinkEvidence("example.org", "link_unknown", None, 0, "")

FROZEN = "您的账户已冻结"
WECHAT = "请添加客服微信"
APP = "请下载APP"
SAFE_ACCOUNT = "请转入安全账户"
POLICE = "公安局通知：你涉嫌洗钱，须转账保证金"


@pytest.mark.parametrize(("numbers", "links", "text", "verdict"), [
    # scam: any number is a confirmed scam number (and scam wins over everything)
    ([SCAM_NUMBER], [], "", V.scam),
    ([SCAM_NUMBER, SUSPICIOUS_NUMBER, OFFICIAL_NUMBER], [OFFICIAL_LINK], SAFE_ACCOUNT, V.scam),
    # suspicious: a suspicious number or link
    ([SUSPICIOUS_NUMBER], [], "", V.suspicious),
    ([OFFICIAL_NUMBER, SUSPICIOUS_NUMBER], [], "", V.suspicious),
    ([OFFICIAL_NUMBER], [IMITATING_LINK], "", V.suspicious),
    ([], [IMITATING_LINK], "", V.suspicious),
    # suspicious: a cue with a channel that is not the organisation's own
    ([UNKNOWN_NUMBER], [], FROZEN, V.suspicious),
    ([INVALID_NUMBER], [], FROZEN, V.suspicious),
    ([OFFICIAL_NUMBER], [UNKNOWN_LINK], FROZEN, V.suspicious),
    ([OFFICIAL_NUMBER], [], FROZEN + WECHAT, V.suspicious),
    ([], [], FROZEN + APP, V.suspicious),
    # suspicious: a strong cue, whatever else
    ([], [], SAFE_ACCOUNT, V.suspicious),
    ([OFFICIAL_NUMBER], [OFFICIAL_LINK], POLICE, V.suspicious),
    # official: something to check, every number official, every link on the official domains
    ([OFFICIAL_NUMBER], [], "", V.official),
    ([], [OFFICIAL_LINK], "", V.official),
    ([OFFICIAL_NUMBER], [OFFICIAL_LINK], "", V.official),
    ([OFFICIAL_NUMBER], [], FROZEN, V.official),  # a cue alone only raises the risk
    # unknown: none of these
    ([], [], "", V.unknown),
    ([], [], FROZEN, V.unknown),
    ([UNKNOWN_NUMBER], [], "", V.unknown),
    ([OFFICIAL_NUMBER, UNKNOWN_NUMBER], [], "", V.unknown),
    ([OFFICIAL_NUMBER], [UNKNOWN_LINK], "", V.unknown),
    ([INVALID_NUMBER], [], "", V.unknown),
    ([], [], WECHAT, V.unknown),  # a channel with no pretext
    ([], [], FROZEN + "请点击以下链接解冻", V.suspicious),  # sent to a link it does not show
    ([], [OFFICIAL_LINK], FROZEN + "请点击以下链接解冻", V.official),  # …but here the link is shown, and official
])
def test_text_verdict_table(numbers: list[NumberEvidence], links: list[LinkEvidence], text: str,
                            verdict: Verdict) -> None:
    assert judge_text(numbers, links, find_cues(text)).verdict is verdict


@pytest.mark.parametrize(("verdict", "numbers", "text", "low", "high"), [
    (V.official, [OFFICIAL_NUMBER], "", 0, 30),
    (V.official, [OFFICIAL_NUMBER], FROZEN, 0, 30),
    (V.unknown, [], "", 20, 20),
    (V.unknown, [UNKNOWN_NUMBER], "", 10, 49),
    (V.suspicious, [SUSPICIOUS_NUMBER], "", 50, 100),
    (V.suspicious, [], SAFE_ACCOUNT, 85, 100),
    (V.scam, [SCAM_NUMBER], "", 85, 100),
])
def test_the_risk_score_is_held_in_the_verdicts_band(verdict: Verdict, numbers: list[NumberEvidence], text: str,
                                                      low: int, high: int) -> None:
    judged = judge_text(numbers, [], find_cues(text))
    assert judged.verdict is verdict and low <= judged.risk_score <= high


def test_a_cue_raises_the_risk_of_an_official_text() -> None:
    plain = judge_text([OFFICIAL_NUMBER], [], [])
    frozen = judge_text([OFFICIAL_NUMBER], [], find_cues(FROZEN))
    assert frozen.verdict is plain.verdict is V.official and frozen.risk_score > plain.risk_score


def test_reasons_name_each_finding_and_the_advice_fits_the_verdict() -> None:
    judged = judge_text([SUSPICIOUS_NUMBER], [IMITATING_LINK], find_cues(FROZEN), "en")
    codes = [r.code for r in judged.reasons]
    assert codes == ["text_number_suspicious", "text_link_suspicious", "text_cue_with_channel", "cue_account_frozen"]
    assert "400-123-4567" in judged.reasons[0].message and "not the bank's number" in judged.reasons[0].message
    assert "icbc-vip.cn" in judged.reasons[1].message and "imitates ICBC" in judged.reasons[1].message
    assert "frozen" in judged.reasons[2].message
    assert judged.advice.startswith("This message is suspicious")


@pytest.mark.parametrize(("numbers", "links", "code"), [
    ([OFFICIAL_NUMBER], [OFFICIAL_LINK], "text_all_official"),
    ([UNKNOWN_NUMBER], [UNKNOWN_LINK], "text_unconfirmed"),
    ([], [], "text_nothing_found"),
    ([SCAM_NUMBER], [], "text_number_scam"),
])
def test_every_verdict_says_why(numbers: list[NumberEvidence], links: list[LinkEvidence], code: str) -> None:
    for lang in ("zh", "en"):
        judged = judge_text(numbers, links, [], lang)
        assert judged.reasons[0].code == code and judged.reasons[0].message
        assert judged.advice

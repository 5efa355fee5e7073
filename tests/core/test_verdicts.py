"""The verdict engine, by table: every signal, on a small registry built for the purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.models import Category, Channel, Confidence, Direction, OfficialNumber, Organization
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import normalise
from verifier.core.signals import Context, Query, Verdict
from verifier.core.verdict import judge

SOURCE = "https://example.org/source"


def _number(number: str, confidence: Confidence = Confidence.official_page, **extra: object) -> OfficialNumber:
    return OfficialNumber(number=number, source_url=SOURCE, verified_at=dt.date(2026, 8, 21),
                          confidence=confidence, **extra)  # type: ignore[arg-type]


ORGS = [
    Organization(id="icbc", name="中国工商银行", name_en="ICBC", aliases=["工商银行", "工行"], category=Category.bank,
                 numbers=[_number("95588"), _number("4006695588", direction=Direction.inbound_only)]),
    Organization(id="citic-aibank", name="中信百信银行", name_en="CITIC aiBank", aliases=["百信银行", "百信", "aiBank"],
                 category=Category.bank, numbers=[_number("956186", Confidence.single_source)]),
    Organization(id="alipay", name="支付宝", name_en="Alipay", category=Category.payment,
                 numbers=[_number("95188", Confidence.multiple_sources)]),
    Organization(id="mybank", name="浙江网商银行", name_en="MYbank", aliases=["网商银行"], category=Category.bank,
                 numbers=[_number("95188", Confidence.single_source)]),
    Organization(id="ping-an-bank", name="平安银行", name_en="Ping An Bank", category=Category.bank,
                 numbers=[_number("95511", Confidence.multiple_sources)]),
    Organization(id="cmb", name="招商银行", name_en="CMB", category=Category.bank,
                 numbers=[_number("400-820-5555", direction=Direction.inbound_only)]),
    Organization(id="anti-fraud-center", name="国家反诈中心", category=Category.government,
                 numbers=[_number("96110", shown_with_area_code=True)]),
    Organization(id="jing-dong", name="京东", name_en="JD.com", category=Category.ecommerce,
                 numbers=[_number("950618", Confidence.single_source), _number("4006065500", Confidence.single_source)]),
    Organization(id="china-unicom", name="中国联通", category=Category.telecom,
                 numbers=[_number("10010"), _number("10016")]),
]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return Knowledge.build(ORGS)


def run(kb: Knowledge, raw: str, claim: str | None = None, context: Context | None = None,
        region: str = "CN", lang: str = "zh"):  # type: ignore[no-untyped-def]
    number = normalise(raw, region)
    return judge(Query(number, claim, kb.names.match(claim) if claim else None, context), kb, lang)  # type: ignore[arg-type]


CASES = [
    # (input, claimed org, context, region, expected verdict, a reason code that must be there)
    ("95588", None, None, "CN", Verdict.official, "registry_match"),
    ("９５５８８", None, None, "CN", Verdict.official, "registry_match"),
    ("95511转3", None, None, "CN", Verdict.official, "registry_match"),
    ("400 820 5555", None, Context.outgoing_call, "CN", Verdict.official, "registry_match"),
    ("95188", None, None, "CN", Verdict.official, "registry_match_shared"),
    ("95588", "百信银行", None, "CN", Verdict.suspicious, "claimed_org_mismatch_other_owner"),
    ("13800138000", "百信", None, "CN", Verdict.suspicious, "claimed_org_mismatch"),
    ("956186", "百信银行客服", None, "CN", Verdict.official, "registry_match"),
    ("13800138000", "某某不存在的公司", None, "CN", Verdict.unknown, "claimed_org_unknown"),
    ("+95588", None, None, "CN", Verdict.suspicious, "foreign_prefix_impersonation"),
    ("0095588", None, Context.incoming_call, "CN", Verdict.suspicious, "foreign_prefix_impersonation"),
    ("95589", "工商银行", None, "CN", Verdict.suspicious, "lookalike"),
    ("95589", None, None, "CN", Verdict.unknown, "resembles_official"),
    ("955888", "工商银行", None, "CN", Verdict.suspicious, "lookalike"),
    ("400-820-55555", None, None, "CN", Verdict.suspicious, "lookalike"),  # cannot exist: no context needed
    ("400-820-5565", "招商银行", None, "CN", Verdict.suspicious, "lookalike"),
    ("400-820-5565", None, None, "CN", Verdict.unknown, "resembles_official"),
    ("4006065501", "京东", None, "CN", Verdict.suspicious, "lookalike"),
    ("4001234567", "京东", None, "CN", Verdict.unknown, "claimed_org_not_in_list"),
    ("010-62345678", "京东客服", None, "CN", Verdict.unknown, "claimed_org_not_in_list"),
    ("13800138000", "京东", None, "CN", Verdict.suspicious, "claimed_org_mismatch"),
    ("+85222876767", "京东", None, "CN", Verdict.suspicious, "claimed_org_mismatch"),
    ("4001234567", "百信银行", None, "CN", Verdict.suspicious, "claimed_org_mismatch"),
    ("10016", "中国联通", None, "CN", Verdict.official, "registry_match"),
    ("10019", None, None, "CN", Verdict.unknown, "resembles_official"),
    ("95l88", None, None, "CN", Verdict.suspicious, "letters_substituted"),
    ("4008205555", None, Context.incoming_call, "CN", Verdict.suspicious, "inbound_only_spoof"),
    ("4001234567", None, Context.incoming_call, "CN", Verdict.suspicious, "inbound_only_spoof"),
    ("96110", None, Context.incoming_call, "CN", Verdict.suspicious, "missing_area_code"),
    ("025-96110", None, Context.incoming_call, "CN", Verdict.official, "registry_match"),
    ("17012345678", None, None, "CN", Verdict.unknown, "virtual_operator_range"),
    ("17012345678", "工商银行", None, "CN", Verdict.suspicious, "virtual_operator_claims_institution"),
    ("13800138000", None, None, "CN", Verdict.unknown, "no_signal"),
    ("+86 1380013800", None, None, "CN", Verdict.invalid, "invalid_number"),
]


@pytest.mark.parametrize(("raw", "claim", "context", "region", "verdict", "code"), CASES)
def test_each_signal_gives_its_verdict_and_reason(kb: Knowledge, raw: str, claim: str | None,
                                                  context: Context | None, region: str, verdict: Verdict,
                                                  code: str) -> None:
    judgement = run(kb, raw, claim, context, region)
    assert judgement.verdict is verdict, judgement.reasons
    assert code in [r.code for r in judgement.reasons]
    assert all(r.message for r in judgement.reasons)


def test_official_match_names_the_organisation_and_its_source(kb: Knowledge) -> None:
    judgement = run(kb, "95588")
    assert judgement.matches[0].organization.id == "icbc"
    assert judgement.matches[0].number.source_url == SOURCE
    assert judgement.risk_score <= 10


def test_single_source_official_number_carries_more_risk_than_an_official_page_one(kb: Knowledge) -> None:
    assert run(kb, "956186").risk_score > run(kb, "95588").risk_score


def test_mismatch_lists_the_claimed_organisations_real_numbers(kb: Knowledge) -> None:
    judgement = run(kb, "4001234567", "百信银行")
    assert judgement.claimed is not None and judgement.claimed.id == "citic-aibank"
    assert [e.number.number for e in judgement.claimed_numbers] == ["956186"]


def test_mismatch_names_the_main_hotline_first_then_the_strongest_and_only_a_few() -> None:
    org = Organization(id="demo-bank", name="示例银行", category=Category.bank, numbers=[
        _number("4008205555", channel=Channel.credit_card),
        _number("1065795555", channel=Channel.sms_sender),
        _number("4008885555", Confidence.single_source),
        _number("4008895555", Confidence.single_source),
        _number("4009889888", Confidence.single_source),
        _number("95555", Confidence.multiple_sources, main=True),
        _number("4008095555"),
        _number("+86 755 8436 4022", Confidence.single_source, channel=Channel.overseas),
    ])
    judgement = run(Knowledge.build([org]), "13800138000", "示例银行")
    message = next(r.message for r in judgement.reasons if r.code == "claimed_org_mismatch")
    # main first; then official_page, the general hotline before the credit-card line; never the SMS sender
    assert message.endswith("官方号码是：95555、400 809 5555、400 820 5555、400 888 5555（尚未确认）。"), message
    # the answer's list of the claimed organisation's numbers is in the order of its page: main first
    assert [e.number.number for e in judgement.claimed_numbers][:3] == ["95555", "4008095555", "4008885555"]


def test_cmb_mismatch_names_its_main_hotline_first(default_knowledge: Knowledge) -> None:
    judgement = run(default_knowledge, "13912345678", "招商银行")
    message = next(r.message for r in judgement.reasons if r.code == "claimed_org_mismatch")
    named = message.split("官方号码是：")[1].split("、")
    assert named[0] == "95555" and len(named) == 4 < len(default_knowledge.numbers_of("cmb")), named
    assert named[1] == "400 820 5555"  # then the strongest: the credit-card centre on the bank's own page
    assert judgement.claimed_numbers[0].number.number == "95555"


def test_foreign_prefix_names_the_country_and_the_number_it_imitates(kb: Knowledge) -> None:
    judgement = run(kb, "+95588", lang="en")
    assert judgement.imitated is not None and judgement.imitated.number.number == "95588"
    message = next(r.message for r in judgement.reasons if r.code == "foreign_prefix_impersonation")
    assert "+95" in message and "Myanmar" in message
    assert judgement.risk_score >= 85


def test_lookalike_names_the_number_it_imitates(kb: Knowledge) -> None:
    judgement = run(kb, "95589", "工商银行")
    assert judgement.imitated is not None and judgement.imitated.organization.id == "icbc"


def test_lookalike_of_another_organisation_than_the_claimed_one_is_not_held_against_the_number(kb: Knowledge) -> None:
    judgement = run(kb, "95589", "京东")  # one edit from ICBC's 95588, but presented as JD: not an imitation of ICBC
    assert judgement.imitated is None
    assert "lookalike" not in [r.code for r in judgement.reasons]


def test_an_organisations_numbers_are_never_flagged_against_each_other(kb: Knowledge) -> None:
    for raw in ("10010", "10016"):
        judgement = run(kb, raw, "中国联通")
        assert judgement.verdict is Verdict.official, (raw, judgement.reasons)


def test_unconfirmed_numbers_named_to_people_carry_their_caveat(kb: Knowledge) -> None:
    zh = next(r.message for r in run(kb, "4001234567", "百信银行").reasons if r.code == "claimed_org_mismatch")
    en = next(r.message for r in run(kb, "4001234567", "百信银行", lang="en").reasons if r.code == "claimed_org_mismatch")
    assert "956186（尚未确认）" in zh and "956186 (not confirmed)" in en


def test_numbers_named_to_people_are_written_one_readable_way(kb: Knowledge) -> None:
    message = next(r.message for r in run(kb, "13800138000", "招商银行").reasons if r.code == "claimed_org_mismatch")
    assert "400 820 5555" in message


def test_letter_mapped_input_is_never_a_clean_match(kb: Knowledge) -> None:
    judgement = run(kb, "95l88")
    assert judgement.verdict is not Verdict.official
    assert judgement.matches == ()


def test_an_ambiguous_claim_is_said_so_not_guessed(kb: Knowledge) -> None:
    judgement = run(kb, "13800138000", "银行")
    assert judgement.claimed is None
    assert "claimed_org_ambiguous" in [r.code for r in judgement.reasons]


def test_unknown_number_gets_honest_advice_in_both_languages(kb: Knowledge) -> None:
    zh = run(kb, "13800138000", lang="zh")
    en = run(kb, "13800138000", lang="en")
    assert "官方" in zh.advice and "official app" in en.advice
    assert 10 <= zh.risk_score < 50


@pytest.mark.parametrize(("raw", "claim", "context", "region", "verdict", "code"), CASES)
def test_risk_score_stays_inside_its_verdicts_band(kb: Knowledge, raw: str, claim: str | None,
                                                  context: Context | None, region: str, verdict: Verdict,
                                                  code: str) -> None:
    judgement = run(kb, raw, claim, context, region)
    low, high = {"official": (0, 30), "unknown": (10, 49), "invalid": (50, 100), "suspicious": (50, 100),
                 "scam": (85, 100)}[judgement.verdict.value]
    assert low <= judgement.risk_score <= high


def test_a_number_a_text_merely_names_the_organisation_beside_is_not_in_list_unless_the_list_is_authoritative(
        kb: Knowledge) -> None:
    courier = judge(Query(normalise("15295785266"), "京东", kb.names.match("京东"), claim_inferred=True), kb)
    assert courier.verdict is Verdict.unknown and "claimed_org_not_in_list" in [r.code for r in courier.reasons]
    said = judge(Query(normalise("15295785266"), "京东", kb.names.match("京东")), kb)  # the person says "JD called"
    assert said.verdict is Verdict.suspicious
    bank = judge(Query(normalise("15295785266"), "百信银行", kb.names.match("百信银行"), claim_inferred=True), kb)
    assert bank.verdict is Verdict.suspicious


def test_a_bare_local_code_asks_which_city_and_an_sms_sender_says_it_cannot_be_called(kb: Knowledge) -> None:
    local = run(kb, "96511")
    assert local.verdict is Verdict.unknown and local.reasons[0].code == "area_code_needed"
    assert "区号" in local.advice
    sender = run(kb, "1065795555")
    assert sender.verdict is Verdict.unknown and "sms_sender" in [r.code for r in sender.reasons]
    calling = run(kb, "1065795555", context=Context.incoming_call)
    assert calling.verdict is Verdict.suspicious and "sms_sender_calling" in [r.code for r in calling.reasons]

"""The verdict engine, by table: every signal, on a small registry built for the purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.models import Category, Confidence, Direction, OfficialNumber, Organization
from verifier.engine import judge
from verifier.knowledge import Knowledge
from verifier.numbers import normalise
from verifier.signals import Context, Query, Verdict

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
    ("95589", None, None, "CN", Verdict.suspicious, "lookalike"),
    ("955888", None, None, "CN", Verdict.suspicious, "lookalike"),
    ("400-820-5565", None, None, "CN", Verdict.suspicious, "lookalike"),
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


def test_foreign_prefix_names_the_country_and_the_number_it_imitates(kb: Knowledge) -> None:
    judgement = run(kb, "+95588", lang="en")
    assert judgement.imitated is not None and judgement.imitated.number.number == "95588"
    message = next(r.message for r in judgement.reasons if r.code == "foreign_prefix_impersonation")
    assert "+95" in message and "Myanmar" in message
    assert judgement.risk_score >= 85


def test_lookalike_names_the_number_it_imitates(kb: Knowledge) -> None:
    judgement = run(kb, "95589")
    assert judgement.imitated is not None and judgement.imitated.organization.id == "icbc"


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

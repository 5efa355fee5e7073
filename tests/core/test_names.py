"""verifier.core.names: which organisation a claim names (exactly, by a name it contains, or by
a name containing it; never a guess between several), which organisations a text names
(Chinese names anywhere, Latin names and aliases only as whole words) and the name search."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.models import Category, Confidence, OfficialNumber, Organization
from verifier.core.knowledge import Knowledge
from verifier.core.names import OrgNameIndex, _fold_mapped, _fold_mapped_plain, relevance_key


@pytest.mark.parametrize(("text", "ids"), [
    ("请加微信 abcd1234", []),
    ("ABC", ["abc"]),
    ("ABC银行提醒您", ["abc"]),
    ("ＡＢＣ银行", ["abc"]),
    ("Dear ABC customer", ["abc"]),
    ("xICBC", []),
    ("icbcvip", []),
    ("Call ICBC now", ["icbc"]),
    ("【工商银行】您的账户", ["icbc"]),
    ("中信百信银行", ["citic-aibank"]),
])
def test_latin_names_match_on_word_boundaries_and_chinese_names_anywhere(
        default_knowledge: Knowledge, text: str, ids: list[str]) -> None:
    assert [o.id for o in default_knowledge.names.mentions(text)] == ids


# -- OrgNameIndex on a small registry built for the purpose -----------------------------------------

ORGS = [
    Organization(id="icbc", name="中国工商银行", name_en="ICBC", aliases=["工商银行", "工行"], category=Category.bank),
    Organization(id="citic", name="中信银行", name_en="China CITIC Bank", aliases=["中信"], category=Category.bank),
    Organization(id="citic-aibank", name="中信百信银行", name_en="CITIC aiBank", aliases=["百信银行", "百信"],
                 category=Category.bank),
    Organization(id="ccb", name="中国建设银行", name_en="CCB", aliases=["建设银行", "建行"], category=Category.bank),
    Organization(id="ping-an-bank", name="平安银行", aliases=["平安"], category=Category.bank),
    Organization(id="ping-an-insurance", name="中国平安保险", aliases=["平安"], category=Category.insurer),
]


@pytest.fixture
def index() -> OrgNameIndex:
    return OrgNameIndex(ORGS)


def ids(orgs: Iterable[Organization]) -> list[str]:
    return [org.id for org in orgs]


@pytest.mark.parametrize(("claim", "org_id"), [
    ("icbc", "icbc"),  # its id
    ("中国工商银行", "icbc"),  # its name
    ("ICBC", "icbc"),  # its English name
    ("工行", "icbc"),  # an alias
    ("Ｉ.Ｃ b c", "icbc"),  # width, case, spaces and punctuation do not matter
    ("工商银行客服", "icbc"),  # nor do filler words
    ("ICBC customer service", "icbc"),
    ("中信百信银行官方客服热线", "citic-aibank"),
])
def test_a_claim_that_is_a_name_matches_exactly(index: OrgNameIndex, claim: str, org_id: str) -> None:
    found = index.match(claim)
    assert found.organization is not None and found.organization.id == org_id
    assert ids(found.candidates) == [org_id] and not found.ambiguous


@pytest.mark.parametrize(("claim", "org_id"), [
    ("百信银行信用卡中心", "citic-aibank"),  # contains 百信银行 (and 百信)
    ("中信百信银行信用卡部", "citic-aibank"),  # contains 中信百信银行 and 中信: the longest wins
    ("中信银行信用卡部", "citic"),
    ("建行北京分行", "ccb"),
])
def test_a_claim_containing_names_matches_the_longest_of_them(index: OrgNameIndex, claim: str, org_id: str) -> None:
    found = index.match(claim)
    assert found.organization is not None and found.organization.id == org_id


@pytest.mark.parametrize(("claim", "org_id"), [("工商", "icbc"), ("建设", "ccb"), ("aibank", "citic-aibank")])
def test_a_claim_contained_in_one_organisations_names_matches_it(index: OrgNameIndex, claim: str, org_id: str) -> None:
    found = index.match(claim)
    assert found.organization is not None and found.organization.id == org_id


@pytest.mark.parametrize(("claim", "candidates"), [
    ("平安", ["ping-an-bank", "ping-an-insurance"]),  # one alias, two organisations
    ("平安客服", ["ping-an-bank", "ping-an-insurance"]),
    ("中国", ["ccb", "icbc", "ping-an-insurance"]),  # contained in several names
])
def test_a_claim_naming_several_organisations_is_ambiguous_never_a_guess(
        index: OrgNameIndex, claim: str, candidates: list[str]) -> None:
    found = index.match(claim)
    assert found.organization is None and found.ambiguous
    assert ids(found.candidates) == candidates  # by id


@pytest.mark.parametrize("claim", ["", "工", "x", "某某银行", "客服"])
def test_a_claim_naming_nobody_matches_nothing_and_is_not_ambiguous(index: OrgNameIndex, claim: str) -> None:
    found = index.match(claim)
    assert (found.organization, found.candidates, found.ambiguous) == (None, (), False)


def test_matches_are_remembered_and_the_memory_is_bounded(index: OrgNameIndex) -> None:
    assert index.match("工行") is index.match("工行")
    index.MATCH_CACHE = 2
    first = index.match("工行")
    index.match("建行")
    index.match("百信")  # the memo was full: it starts afresh
    assert index.match("工行") is not first and index.match("工行") == first


def test_mentions_are_leftmost_longest_in_order_of_first_mention_without_repeats(index: OrgNameIndex) -> None:
    assert ids(index.mentions("工行和中信百信银行，还有工商银行")) == ["icbc", "citic-aibank"]
    assert ids(index.mentions("中信百信银行")) == ["citic-aibank"]  # not also 中信
    assert ids(index.mentions("中信银行与百信")) == ["citic", "citic-aibank"]
    assert ids(index.mentions("平安")) == ["ping-an-bank", "ping-an-insurance"]  # a shared name names both
    assert index.mentions("没有提到任何机构") == []


def test_search_finds_every_organisation_a_name_of_which_contains_the_query(index: OrgNameIndex) -> None:
    assert ids(index.search("银行")) == ["ccb", "citic", "citic-aibank", "icbc", "ping-an-bank"]
    assert ids(index.search("ＩＣＢＣ")) == ["icbc"]
    assert ids(index.search("平安")) == ["ping-an-bank", "ping-an-insurance"]
    assert ids(index.search("银行", limit=2)) == ["ccb", "citic"]
    assert index.search("邮政") == []


def test_an_empty_search_lists_every_organisation_most_relevant_first(index: OrgNameIndex) -> None:
    # no numbers at all: the banks by id, then the insurer
    assert ids(index.search("")) == ["ccb", "citic", "citic-aibank", "icbc", "ping-an-bank", "ping-an-insurance"]
    assert ids(index.search(" - ", limit=3)) == ["ccb", "citic", "citic-aibank"]


def _numbered(org_id: str, category: Category, *numbers: tuple[str, str, str, bool]) -> Organization:
    return Organization(id=org_id, name=org_id, category=category, numbers=[
        OfficialNumber(number=number, region=region, confidence=Confidence(confidence), main=main,
                       source_note="test") for number, region, confidence, main in numbers])


def test_relevance_puts_chinese_financial_and_often_asked_first_and_foreign_last() -> None:
    """Chinese before foreign, financial before the rest, then the proxy for how often people ask:
    a main hotline, banks and wallets before insurers and securities, the strongest confidence,
    more numbers; then the id."""
    orgs = [
        _numbered("commbank", Category.bank, ("+61 132221", "AU", "single_source", False)),  # foreign
        _numbered("nike", Category.ecommerce, ("4008806453", "CN", "single_source", False)),
        _numbered("china-mobile", Category.telecom, ("10086", "CN", "multiple_sources", True)),
        _numbered("a-securities", Category.securities, ("95521", "CN", "single_source", False)),
        _numbered("small-bank", Category.bank, ("96588", "CN", "single_source", False),
                  ("4001234567", "CN", "single_source", False)),
        _numbered("tiny-bank", Category.bank, ("96599", "CN", "single_source", False)),
        _numbered("china-life", Category.insurer, ("95519", "CN", "multiple_sources", True)),
        _numbered("alipay", Category.payment, ("95188", "CN", "multiple_sources", True)),
        _numbered("icbc", Category.bank, ("95588", "CN", "official_page", True)),
    ]
    expected = ["icbc", "alipay", "china-life", "small-bank", "tiny-bank", "a-securities", "china-mobile", "nike",
                "commbank"]
    assert [relevance_key(o)[-1] for o in sorted(orgs, key=relevance_key)] == expected
    index = OrgNameIndex(orgs)
    assert ids(index.search("")) == expected == ids(index.ranked())
    assert ids(index.search("bank")) == ["small-bank", "tiny-bank", "commbank"]  # searches are ranked too


# -- mentions: the memoised fold and the walk over name starts equal the plain path ---------------

def _real_texts() -> list[str]:
    texts = []
    for name in ("sms_legitimate.csv", "sms_scam.csv"):
        with (Path(__file__).resolve().parents[1] / "data" / "accuracy" / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows)]
    return texts


REAL_TEXTS = _real_texts()
# what generated texts are made of: the texts' own characters, compatibility forms that fold
# to several characters or to none, and Latin letters next to names (word boundaries)
NAME_ALPHABET = sorted(set("".join(REAL_TEXTS)) | set("ﬁﬀ①㈱ｱＡＢＣabcICBC ­\u0301\u200b_-.İıſKΣ"))


def _same_fold(text: str) -> None:
    folded, origin = _fold_mapped(text)
    plain, plain_origin = _fold_mapped_plain(text)
    assert folded == plain
    assert [origin[index] for index in range(len(folded))] == plain_origin


def test_mentions_equal_the_plain_walk_on_the_real_messages(default_knowledge: Knowledge) -> None:
    names = default_knowledge.names
    assert len(REAL_TEXTS) > 200
    assert any(names.mentions(text) for text in REAL_TEXTS)
    for text in REAL_TEXTS:
        _same_fold(text)
        assert names.mentions(text) == names.mentions_plain(text), text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REAL_TEXTS), st.integers(0, 400), st.text(NAME_ALPHABET, max_size=12),
       st.sampled_from(["中国工商银行", "ICBC", "ABC", "招商银行", "Alipay", "中信百信银行", ""]))
def test_mentions_equal_the_plain_walk_on_mutated_messages(
        default_registry_knowledge: Knowledge, text: str, at: int, insert: str, name: str) -> None:
    at %= len(text) + 1
    text = text[:at] + insert + name + text[at:]
    _same_fold(text)
    names = default_registry_knowledge.names
    assert names.mentions(text) == names.mentions_plain(text)


@settings(max_examples=300, deadline=None)
@given(st.text(NAME_ALPHABET, max_size=60))
def test_mentions_equal_the_plain_walk_on_generated_texts(default_registry_knowledge: Knowledge, text: str) -> None:
    _same_fold(text)
    names = default_registry_knowledge.names
    assert names.mentions(text) == names.mentions_plain(text)


def test_a_name_inside_a_longer_name_found_first_is_not_mentioned_again() -> None:
    """Leftmost-longest: once 百信银行 is read, the 信银 inside it is not (it names another
    organisation here), in mentions as in the plain walk."""
    index = OrgNameIndex([
        Organization(id="aibank", name="百信银行", category=Category.bank),
        Organization(id="xinyin", name="信银投资", aliases=["信银"], category=Category.other),
    ])
    for text in ("百信银行", "请致电百信银行客服", "百信银行与信银"):
        assert index.mentions(text) == index.mentions_plain(text)
    assert [org.id for org in index.mentions("请致电百信银行客服")] == ["aibank"]
    assert [org.id for org in index.mentions("百信银行与信银")] == ["aibank", "xinyin"]

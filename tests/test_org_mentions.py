"""Which organisations a text names: Chinese names anywhere, Latin names and aliases only as
whole words."""

from __future__ import annotations

import pytest

from verifier.core.knowledge import Knowledge


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

"""Every sentence the service says exists in both languages with the same fields."""

from __future__ import annotations

import string

import pytest

from verifier.core import messages


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TABLES = {"reasons": messages.REASONS, "advice": messages.ADVICE, "confidence": messages.CONFIDENCE}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_sentence_is_in_chinese_and_english_with_the_same_fields(table: str) -> None:
    for key, sentences in TABLES[table].items():
        assert set(sentences) == set(messages.LANGS), (table, key)
        assert all(sentences[lang].strip() for lang in messages.LANGS), (table, key)
        assert _fields(sentences["zh"]) == _fields(sentences["en"]), (table, key)


def test_an_unconfirmed_number_is_marked_and_a_confirmed_one_is_not() -> None:
    assert messages.number_with_caveat("956186", "single_source", "zh") == "956186（尚未确认）"
    assert messages.number_with_caveat("95588", "official_page", "en") == "95588"

"""Every sentence of a problem exists in Chinese and English with the same fields, and the
language of a problem is read from Accept-Language as docs/errors.md says."""

from __future__ import annotations

import string

import pytest

from verifier.core.numbers.model import NotANumber
from verifier.http import problem_text
from verifier.http.problems import accept_language, not_a_number, problem_body


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_problem_sentence_is_in_chinese_and_english_with_the_same_fields() -> None:
    for table in (problem_text.TITLES, problem_text.DETAILS):
        for key, sentences in table.items():  # type: ignore[attr-defined]
            assert set(sentences) == {"zh", "en"}, key
            assert all(sentences[lang].strip() for lang in ("zh", "en")), key
            assert _fields(sentences["zh"]) == _fields(sentences["en"]), key


def test_every_not_a_number_code_has_its_chinese_sentence() -> None:
    assert set(problem_text.NOT_A_NUMBER) == {"empty", "no_digits", "too_long", "too_short", "bad_characters",
                                              "unknown_region"}
    problem = not_a_number(NotANumber("too_long", "The text is longer than 64 characters."), "number", "query")
    zh, en = problem_body(problem, "/api/v1/verify", "zh"), problem_body(problem, "/api/v1/verify", "en")
    assert "64" in zh["detail"] and en["detail"] == "The text is longer than 64 characters."
    assert zh["errors"][0]["code"] == en["errors"][0]["code"] == "too_long"


@pytest.mark.parametrize(("header", "lang"), [
    ("", "en"), ("zh-CN", "zh"), ("zh", "zh"), ("zh-Hant-TW", "zh"), ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en-GB,en;q=0.9,zh-CN;q=0.8", "en"), ("en;q=0.5,zh;q=0.8", "zh"),
    ("ja,zh;q=0.7,en;q=0.3", "zh"), ("fr,de", "en"), ("zh;q=0,en", "en"), ("zh;q=nonsense", "en"), ("*", "en"),
])
def test_accept_language_prefers_chinese_only_when_it_ranks_chinese_above_english(header: str, lang: str) -> None:
    assert accept_language(header) == lang

"""read_number_text's shortcuts (plain digits; digits, spaces and dashes behind an optional +)
give exactly what its general clean-up gives, and leave everything else to it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.numbers import text as number_text


def _general(raw: str) -> number_text.NumberText | str:
    try:
        return number_text._cleaned(raw)
    except number_text.TextRejected as exc:
        return f"rejected: {exc.code}"


def _read(raw: str) -> number_text.NumberText | str:
    try:
        return number_text.read_number_text(raw)
    except number_text.TextRejected as exc:
        return f"rejected: {exc.code}"


@settings(max_examples=1500, deadline=None)
@given(raw=st.text(alphabet="0123456789 -+()x.\t", min_size=0, max_size=26))
def test_written_numbers_read_as_the_general_clean_up_reads_them(raw: str) -> None:
    assert _read(raw) == _general(raw), raw


@pytest.mark.parametrize("raw", ["+44 20 7946 0000", "010-6552 9988", "+1 212 555 0100", "138 1234 5678",
                                 "95588", "+86-139-1234-5678", "400 820  5555"])
def test_formatted_numbers_take_the_shortcut_and_come_back_as_written(raw: str) -> None:
    assert number_text._PLAIN_WRITTEN.fullmatch(raw)
    assert _read(raw) == _general(raw) == number_text.NumberText(main=raw)


@pytest.mark.parametrize("raw", ["12", "+1 2", "1" * 21, "1-2", " 95588", "95588 ", "+ 95588", "95588-"])
def test_too_few_or_too_many_digits_and_loose_edges_are_left_to_the_general_path(raw: str) -> None:
    assert _read(raw) == _general(raw)


@settings(max_examples=1000, deadline=None)
@given(raw=st.from_regex(r"\+?[0-9][0-9 \-]{0,24}[0-9]?", fullmatch=True))
def test_every_shape_the_shortcut_takes_reads_as_the_general_clean_up_reads_it(raw: str) -> None:
    assert _read(raw) == _general(raw), raw

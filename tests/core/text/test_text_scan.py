"""verifier.core.text.scan: the phone numbers of a pasted text, each with the extension or IVR
suffix written directly after it (转3, ;3, ,3, #3, ext. 3), at most MAX_NUMBERS of them."""

from __future__ import annotations

import pytest

from verifier.core.text.digits import DigitKind, classify_digits
from verifier.core.text.scan import MAX_NUMBERS, Found, find_numbers, numbers_of


@pytest.mark.parametrize(("text", "found"), [
    ("请拨打95588转3咨询", ["95588转3"]),
    ("客服 95588;3 或 4006695588,2", ["95588;3", "4006695588,2"]),
    ("致电 021-95561 转 8", ["021-95561 转 8"]),  # spaces around the suffix stay inside it
    ("请拨 95588#1234", ["95588#1234"]),
    ("热线 4008205555 ext. 12", ["4008205555 ext. 12"]),
    ("拨 95588 ext 7 查询", ["95588 ext 7"]),
    ("400-820-5555转0", ["400-820-5555转0"]),
    ("call 95588;3;4", ["95588;3"]),  # one suffix, not a chain of them
])
def test_an_extension_or_ivr_suffix_stays_with_its_number(text: str, found: list[str]) -> None:
    assert [f.text for f in find_numbers(text)] == found


def test_five_digits_after_转_are_not_a_suffix_but_digits_of_their_own() -> None:
    assert [f.text for f in find_numbers("95588转12345")][:1] == ["95588"]


def test_each_found_number_points_into_the_text_suffix_included() -> None:
    text = "验证码123456，请拨95588转3，或 4006695588;2"
    found = find_numbers(text)
    assert [f.text for f in found] == ["95588转3", "4006695588;2"]
    assert all(text[f.start:f.end] == f.text for f in found)
    assert found[0] == Found("95588转3", text.index("95588"), text.index("，或"))


def test_numbers_of_keeps_only_the_phone_runs_of_a_classification() -> None:
    text = "您尾号1234的卡，验证码654321，请拨95588转3"
    runs = classify_digits(text)
    assert [(r.text, r.kind) for r in runs] == [
        ("1234", DigitKind.card_tail), ("654321", DigitKind.code), ("95588", DigitKind.phone)]
    assert numbers_of(text, runs) == find_numbers(text) == [Found("95588转3", 22, 29)]


def test_numbers_of_reads_the_suffix_from_the_text_it_is_given() -> None:
    text = "请拨95588转3"
    runs = [run for run in classify_digits(text) if run.kind is DigitKind.phone]
    assert [f.text for f in numbers_of(text, runs)] == ["95588转3"]
    assert numbers_of(text, []) == []


def test_at_most_max_numbers_are_found_the_first_ones_in_order() -> None:
    numbers = [f"1391234{i:04d}" for i in range(MAX_NUMBERS + 10)]
    found = find_numbers("、".join(numbers))
    assert [f.text for f in found] == numbers[:MAX_NUMBERS]


def test_found_numbers_come_in_order_without_overlapping() -> None:
    found = find_numbers("95588转3，95599;1，4006695588 ext 2，13912345678")
    assert [f.text for f in found] == ["95588转3", "95599;1", "4006695588 ext 2", "13912345678"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_a_suffix_followed_by_a_space_and_another_number_does_not_overlap_it() -> None:
    found = find_numbers("请拨95588转3 95599")
    assert [f.text for f in found] == ["95588转3", "95599"]

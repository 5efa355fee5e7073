"""verifier.core.doorkeeper: the answer cache keeps an answer only from a question's second asking."""

from __future__ import annotations

import pytest

from verifier.core.doorkeeper import Doorkeeper


def test_a_question_is_new_the_first_time_and_asked_before_the_second() -> None:
    door = Doorkeeper(slots=1 << 10, per_generation=100)
    assert door.asked_before("number=13912345678") is False
    assert door.asked_before("number=13912345678") is True
    assert door.asked_before(("13912345678", None, "工商银行", None, "zh")) is False


def test_a_question_is_remembered_for_a_generation_of_new_ones_and_forgotten_after_two() -> None:
    door = Doorkeeper(slots=1 << 10, per_generation=10)  # small ints hash to themselves: no slot shared
    assert door.asked_before(0) is False
    for question in range(1, 19):  # 18 new questions: the newer generation turned over once
        assert door.asked_before(question) is False
    assert door.asked_before(0) is True
    for question in range(19, 30):  # two turnovers since 0 was marked: forgotten
        door.asked_before(question)
    assert door.asked_before(0) is False


def test_questions_sharing_a_slot_read_as_asked_before() -> None:
    door = Doorkeeper(slots=8, per_generation=100)
    assert door.asked_before(3) is False
    assert door.asked_before(3 + 8) is True  # same low bits: kept on its first asking, never wrong


def test_the_memory_is_fixed_whatever_the_flood() -> None:
    door = Doorkeeper(slots=1 << 12, per_generation=1 << 9)
    marked = sum(not door.asked_before(f"number={n}") for n in range(100_000))
    assert marked > 75_000  # a flood stays new but for those sharing a slot (at most 1 in 4 slots is marked)
    assert sum(door._newer) + sum(door._older) <= 2 * (1 << 9)


@pytest.mark.parametrize(("slots", "per_generation"), [(1000, 10), (0, 10), (1024, 0)])
def test_a_table_that_is_no_power_of_two_or_no_generation_is_refused(slots: int, per_generation: int) -> None:
    with pytest.raises(ValueError):
        Doorkeeper(slots=slots, per_generation=per_generation)

"""The look-alike index finds official numbers exactly one edit away, and nothing else."""

import pytest

from verifier.core.lookalike import LookalikeIndex, one_edit_apart


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("95588", "95589", True),  # substitution
        ("95588", "955888", True),  # insertion
        ("95588", "9558", True),  # deletion
        ("95588", "95858", True),  # adjacent transposition
        ("95588", "95588", False),  # identical is not a look-alike
        ("95588", "95599", False),  # two substitutions
        ("95588", "58895", False),  # rotation
        ("95588", "9558899", False),  # two insertions
        ("12345", "21354", False),  # two transpositions
    ],
)
def test_one_edit_apart_counts_substitution_insertion_deletion_and_swap(a: str, b: str, expected: bool) -> None:
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


def test_index_names_the_official_number_one_digit_off() -> None:
    index = LookalikeIndex([("CN", "95588"), ("CN", "4008205555")])
    assert index.near("CN", "95589") == ["95588"]
    assert index.near("CN", "4008205565") == ["4008205555"]
    assert index.near("CN", "400820555") == ["4008205555"]


def test_index_keeps_regions_apart() -> None:
    index = LookalikeIndex([("CN", "95588")])
    assert index.near("HK", "95589") == []


def test_index_ignores_emergency_length_numbers() -> None:
    index = LookalikeIndex([("CN", "110"), ("CN", "120")])
    assert index.near("CN", "119") == []


def test_index_returns_nothing_for_an_official_number_itself() -> None:
    index = LookalikeIndex([("CN", "95588"), ("CN", "95580")])
    assert index.near("CN", "95588") == []
    assert index.near("CN", "95581") == ["95580", "95588"]

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


def _near_trying_every_fragment(index: LookalikeIndex, region: str, digits: str) -> list[str]:
    """The plain lookup near() shortens: itself and every one-digit deletion, each looked up."""
    table = index._regions.get(region)
    if table is None or len(digits) < 4 or digits in index._exact[region]:
        return []
    candidates: set[str] = set()
    for fragment in {digits, *(digits[:i] + digits[i + 1:] for i in range(len(digits)))}:
        held = table.get(fragment)
        candidates.update((held,) if isinstance(held, str) else held or ())
    return sorted(c for c in candidates if one_edit_apart(digits, c))


def test_near_finds_what_trying_every_fragment_finds(default_registry_knowledge) -> None:  # type: ignore[no-untyped-def]
    import random

    index = default_registry_knowledge.lookalikes
    rng = random.Random(18)
    officials = sorted(index._exact["CN"])
    asked = []
    for digits in officials:  # each official number, and one edit of it at every position
        for i in range(len(digits) + 1):
            x = rng.choice("0123456789")
            asked += [digits[:i] + x + digits[i:], digits[:i] + x + digits[i + 1:], digits[:i] + digits[i + 1:]]
    asked += ["1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9)) for _ in range(20_000)]
    found = 0
    for digits in asked:
        expected = _near_trying_every_fragment(index, "CN", digits)
        first = index.near("CN", digits)
        assert first == expected, digits
        first.append("changed by a caller")
        assert index.near("CN", digits) == expected, digits  # again: kept, and kept apart from callers' lists
        found += bool(expected)
    assert found > len(officials)

"""verifier.core.recent: the bounded memo on the verify path keeps what is asked again."""

from __future__ import annotations

import pytest

from verifier.core.recent import Recent


def test_an_entry_asked_again_survives_a_flood_of_one_off_entries() -> None:
    memo: Recent[str, int] = Recent(size=100)
    memo.put("hotline", 1)
    for round_ in range(10):
        for n in range(90):
            memo.put(f"once-{round_}-{n}", n)
        assert memo.get("hotline") == 1


def test_an_entry_not_asked_again_is_dropped_after_two_generations() -> None:
    memo: Recent[str, int] = Recent(size=10)
    memo.put("cold", 1)
    for n in range(20):
        memo.put(f"other-{n}", n)
    assert memo.get("cold") is None


def test_never_holds_more_than_two_generations() -> None:
    memo: Recent[int, int] = Recent(size=50)
    for n in range(10_000):
        memo.put(n, n)
        if n % 3 == 0:
            memo.get(n // 2)
        assert len(memo) <= 100


def test_putting_a_key_again_replaces_its_value_without_rotating() -> None:
    memo: Recent[str, int] = Recent(size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("b", 3)
    assert (memo.get("a"), memo.get("b"), len(memo)) == (1, 3, 2)


def test_clear_forgets_everything_and_a_size_below_one_is_refused() -> None:
    memo: Recent[str, int] = Recent(size=5)
    memo.put("a", 1)
    memo.clear()
    assert memo.get("a") is None and len(memo) == 0
    with pytest.raises(ValueError):
        Recent(size=0)


def test_a_dropped_generation_is_freed_a_few_entries_a_put_and_never_found_again() -> None:
    from verifier.core.recent import RETIRE_PER_PUT

    memo: Recent[int, int] = Recent(size=100)
    for n in range(200):
        memo.put(n, n)
    assert memo.retiring == 0 and len(memo) == 200
    memo.put(200, 200)  # the newer generation was full: the older one (0-99) is dropped
    assert memo.get(5) is None and len(memo) == 101
    assert memo.retiring == 100 - RETIRE_PER_PUT
    for n in range(201, 201 + 100 // RETIRE_PER_PUT):
        memo.put(n, n)
        assert memo.get(7) is None
    assert memo.retiring == 0


def test_holds_at_most_three_generations_while_one_retires() -> None:
    import gc
    import weakref

    class Value:
        pass

    memo: Recent[int, Value] = Recent(size=40)
    alive: weakref.WeakSet[Value] = weakref.WeakSet()
    for n in range(5_000):
        value = Value()
        alive.add(value)
        memo.put(n, value)
        del value
        if n % 7 == 0:
            memo.put(n - 3, Value())  # replacing keys: puts that add nothing new
        gc.collect(0)
        assert len(alive) <= 3 * 40 + 1

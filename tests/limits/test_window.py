"""The sliding-window arithmetic (verifier.limits.window), by table, and its shortcut proved
equal to the plain arithmetic on random counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.limits.window import (
    Counts,
    fits_even_with_all_of_previous,
    previous_after,
    wait_for_room,
    wait_for_window_end,
    window_start,
)

MINUTE = 60.0


@pytest.mark.parametrize(("now", "period", "start"), [
    (0.0, 60.0, 0.0),
    (59.999, 60.0, 0.0),
    (60.0, 60.0, 60.0),
    (1_700_000_123.456, 60.0, 1_700_000_100.0),
    (1_700_000_123.456, 900.0, 1_700_000_100.0),
    (7_200.5, 3600.0, 7_200.0),
])
def test_windows_start_at_whole_periods(now: float, period: float, start: float) -> None:
    assert window_start(now, period) == start


@pytest.mark.parametrize(("old_start", "start", "previous"), [
    (0.0, 60.0, 7.0),  # the window just before: its count becomes the previous one
    (0.0, 120.0, 0.0),  # a window or more skipped: nothing counts any more
    (0.0, 600.0, 0.0),
])
def test_rolling_keeps_only_the_window_just_before(old_start: float, start: float, previous: float) -> None:
    assert previous_after(old_start, 7.0, start, MINUTE) == previous
    counts = Counts(old_start, 7.0, 3.0, MINUTE)
    counts.roll(start, MINUTE)
    assert (counts.start, counts.current, counts.previous, counts.period) == (start, 0.0, previous, MINUTE)


# previous, current, cost, limit, elapsed → wait_for_room, wait_for_window_end (period: a minute)
DECISIONS = [
    (0, 0, 1, 10, 0, None, None),  # nothing used
    (0, 9, 1, 10, 30, None, None),  # exactly the limit
    (0, 10, 1, 10, 30, 30, 30),  # full, nothing in the previous window: until this one ends
    (0, 10, 1, 10, 59.5, 1, 1),  # at least a second
    (10, 0, 1, 10, 0, 6, 60),  # the previous window weighs fully at the start: wait till 1/10 of it slid out
    (10, 0, 1, 10, 6, None, None),  # ... then there is room: 10 × 54/60 + 1 = 10
    (10, 5, 1, 10, 30, 6, 30),  # 5 + 5 used: until 1 more of the previous slid out (a tenth of it: 6 s)
    (20, 5, 1, 10, 30, 18, 30),  # 10 + 5 + 1 = 16: until 6 of the 20 more slid out (18 s)
    (4, 4, 2, 10, 0, None, None),  # fits even with all of the previous window
    (4, 4, 3, 10, 0, 15, 60),  # over by one at the start: until a quarter of the previous 4 slid out
    (8, 0, 1, 10, 0, None, None),
    (50, 0, 1, 10, 0, 50, 60),  # far over: until 41 of the previous 50 slid out (49.2 s, rounded up)
    (60, 0, 1, 60, 30, None, None),  # half of the previous window left: 30 + 1
    (0, 0, 11, 10, 0, 60, 60),  # a cost larger than the limit never fits: until the window ends
    (0, 3, 2.5, 5.5, 10, None, None),  # fractional costs
    (0, 3, 2.6, 5.5, 10, 50, 50),
]


@pytest.mark.parametrize(("previous", "current", "cost", "limit", "elapsed", "room", "window_end"), DECISIONS)
def test_decisions_by_table(previous: float, current: float, cost: float, limit: float, elapsed: float,
                            room: float | None, window_end: float | None) -> None:
    assert wait_for_room(previous, current, cost, limit, elapsed, MINUTE) == room
    assert wait_for_window_end(previous, current, cost, limit, elapsed, MINUTE) == window_end
    if fits_even_with_all_of_previous(previous, current, cost, limit):
        assert room is None


counts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
periods = st.sampled_from([1.0, 60.0, 900.0, 3600.0, 86_400.0, 0.25, 7.3])


@settings(max_examples=2000, deadline=None)
@given(previous=counts | st.integers(0, 200).map(float), current=counts | st.integers(0, 200).map(float),
       cost=st.floats(min_value=0, max_value=1e3) | st.integers(1, 10).map(float),
       limit=st.integers(0, 1_000_000), period=periods, fraction=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_the_shortcut_agrees_with_the_plain_arithmetic(previous: float, current: float, cost: float, limit: int,
                                                        period: float, fraction: float) -> None:
    elapsed = period * fraction
    if fits_even_with_all_of_previous(previous, current, cost, limit):
        assert wait_for_room(previous, current, cost, limit, elapsed, period) is None
        assert wait_for_window_end(previous, current, cost, limit, elapsed, period) is None


@settings(max_examples=1000, deadline=None)
@given(previous=st.integers(0, 200).map(float), current=st.integers(0, 200).map(float),
       cost=st.integers(1, 10).map(float), limit=st.integers(0, 300), period=periods,
       fraction=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_both_waits_refuse_alike_and_the_window_end_is_never_sooner(previous: float, current: float, cost: float,
                                                                    limit: int, period: float, fraction: float) -> None:
    elapsed = period * fraction
    room = wait_for_room(previous, current, cost, limit, elapsed, period)
    window_end = wait_for_window_end(previous, current, cost, limit, elapsed, period)
    assert (room is None) == (window_end is None)
    if room is not None and window_end is not None:
        assert 1 <= room <= window_end <= max(1, math.ceil(period))

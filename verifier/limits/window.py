"""The sliding-window arithmetic, written once: every limiter in verifier.limits decides with it.

A subject's use is counted in fixed windows of `period` seconds aligned to the clock
(`window_start`: with epoch seconds, every process agrees where a minute starts). The
sliding window ending now covers the current fixed window and the tail of the previous
one, so the previous window's count is weighted by how much of it still overlaps (1 when
the current window has just started, nearly 0 when it is about to end):

    used = previous × (1 − elapsed / period) + current

O(1) memory per subject, accurate to a few per cent: the algorithm nginx and Cloudflare use.

`Counts` is a subject's two counts; the functions decide on counts from anywhere (memory in
verifier.limits.local and .synced, the database in .strict). Nothing here does I/O.
A decision is None (allowed) or the whole seconds to wait, at least 1 (a Retry-After).
"""

from __future__ import annotations

import math


class Counts:
    """One subject's use: the current fixed window (from `start`) and the one just before it."""

    __slots__ = ("start", "current", "previous", "period")

    def __init__(self, start: float, current: float, previous: float, period: float) -> None:
        self.start = start  # the current fixed window's start (a multiple of the period)
        self.current = current
        self.previous = previous
        self.period = period

    def roll(self, start: float, period: float) -> None:
        """Move on to the window starting at `start`: the current count becomes the previous one
        if that window is the one just before, else nothing counts any more."""
        self.previous = previous_after(self.start, self.current, start, period)
        self.current = 0.0
        self.start = start
        self.period = period

    def seen_from(self, start: float, period: float) -> tuple[float, float]:
        """(previous, current) as the window starting at `start` sees them, without rolling."""
        if self.start != start:
            return previous_after(self.start, self.current, start, period), 0.0
        return self.previous, self.current

    def __repr__(self) -> str:
        return f"Counts(start={self.start}, current={self.current}, previous={self.previous}, period={self.period})"


def window_start(now: float, period: float) -> float:
    """Where the fixed window holding `now` starts."""
    return now - now % period


def previous_after(old_start: float, old_current: float, start: float, period: float) -> float:
    """The previous window's count once the window starting at `old_start` (which counted
    `old_current`) has given way to the one starting at `start`."""
    return old_current if start - old_start == period else 0.0


def fits_even_with_all_of_previous(previous: float, current: float, cost: float, limit: float) -> bool:
    """The shortcut: `cost` more fits even if none of the previous window had slid out, so it
    fits the sliding window too (previous × overlap ≤ previous) and the weighing can be skipped.
    Exactly as `wait_for_room(...) is None` whenever it is true (tests/limits/test_window.py)."""
    return previous + current + cost <= limit


def wait_for_room(previous: float, current: float, cost: float, limit: float, elapsed: float,
                  period: float) -> float | None:
    """None if `cost` more fits in the sliding window; else the seconds until it will: until
    enough of the previous window has slid out, at most until the current window ends.
    (`elapsed`: seconds since the current window started.)"""
    overlap = 1 - elapsed / period
    used = previous * overlap + current
    if used + cost <= limit:
        return None
    if previous and overlap > 0:  # waits until enough of the previous window has slid out
        retry = min(period - elapsed, (used + cost - limit) / previous * period)
    else:
        retry = period - elapsed
    return max(1.0, math.ceil(retry))


def wait_for_window_end(previous: float, current: float, cost: float, limit: float, elapsed: float,
                        period: float) -> float | None:
    """The same decision as `wait_for_room`, with a plainer wait when refused: until the current
    window ends. (What `would_allow` answers, on every limiter; it never waits less than
    wait_for_room says.)"""
    if previous * (1 - elapsed / period) + current + cost > limit:
        return max(1.0, math.ceil(period - elapsed))
    return None

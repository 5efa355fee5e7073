"""A settable clock for the limiter tests (limiters take `clock=`), starting on a whole minute."""

from __future__ import annotations

MINUTE = 60.0
T0 = 1_700_000_040.0  # a whole minute (epoch seconds)


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

"""Rate limits: how many things one subject may do in a period.

A sliding-window counter (the current and previous fixed windows, the previous one weighted
by how much of it still overlaps the sliding window): O(1) memory per subject, accurate to a
few per cent, the same algorithm nginx and Cloudflare use. Subjects are keyed hashes, never
raw addresses.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Window:
    start: float
    current: float
    previous: float
    period: float


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_subjects: int = 200_000) -> None:
        self._clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._max_subjects = max_subjects

    def hit(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Count `cost` against the subject; None if allowed, else seconds until it would be."""
        now = self._clock()
        key = (bucket, subject)
        window = self._windows.get(key)
        start = now - (now % period)
        if window is None:
            if len(self._windows) >= self._max_subjects:
                self._prune(now)
            window = self._windows[key] = _Window(start, 0.0, 0.0, period)
        elif window.start != start:
            elapsed_windows = (start - window.start) / period
            window.previous = window.current if elapsed_windows == 1 else 0.0
            window.current = 0.0
            window.start = start
        if window.previous + window.current + cost <= limit:  # within it even if none had slid out
            window.current += cost
            return None
        overlap = 1 - (now - start) / period
        used = window.previous * overlap + window.current
        if used + cost > limit:
            if window.previous and overlap > 0:
                # waits until enough of the previous window has slid out
                needed = used + cost - limit
                retry = min(period - (now - start), needed / window.previous * period)
            else:
                retry = period - (now - start)
            return max(1.0, math.ceil(retry))
        window.current += cost
        return None

    def would_allow(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Like hit, without counting: None if `cost` more would be allowed, else seconds to wait."""
        now = self._clock()
        window = self._windows.get((bucket, subject))
        if window is None:
            return None
        start = now - (now % period)
        if window.start != start:
            previous = window.current if (start - window.start) == period else 0.0
            used = previous * (1 - (now - start) / period)
        else:
            used = window.previous * (1 - (now - start) / period) + window.current
        if used + cost > limit:
            return max(1.0, math.ceil(period - (now - start)))
        return None

    def reset(self, bucket: str, subject: str) -> None:
        self._windows.pop((bucket, subject), None)

    def _prune(self, now: float) -> None:
        stale = [key for key, window in self._windows.items() if now - window.start > 2 * window.period]
        for key in stale:
            del self._windows[key]
        if len(self._windows) >= self._max_subjects:  # still full: drop the oldest half
            for key in sorted(self._windows, key=lambda k: self._windows[k].start)[: self._max_subjects // 2]:
                del self._windows[key]

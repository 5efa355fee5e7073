"""The in-memory limiter: exact within one process (SQLite deployments, one server process).

How many things one subject may do in a period, counted in memory with the sliding window of
verifier.limits.window. Subjects are keyed hashes, never raw addresses. Memory is bounded:
past `max_subjects`, stale subjects are dropped, then the oldest half.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from verifier.limits.window import Counts, wait_for_room, wait_for_window_end


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_subjects: int = 200_000) -> None:
        self._clock = clock
        self._windows: dict[tuple[str, str], Counts] = {}
        self._max_subjects = max_subjects

    def hit(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Count `cost` against the subject; None if allowed, else seconds until it would be.
        (The verify hot path with one process: no calls but the clock while there is room.)"""
        now = self._clock()
        key = (bucket, subject)
        window = self._windows.get(key)
        start = now - (now % period)  # window.window_start, inlined
        if window is None:
            if len(self._windows) >= self._max_subjects:
                self._prune(now)
            window = self._windows[key] = Counts(start, 0.0, 0.0, period)
        elif window.start != start:
            window.roll(start, period)
        # window.fits_even_with_all_of_previous, inlined: most requests stop here, with no call for it
        if window.previous + window.current + cost <= limit:
            window.current += cost
            return None
        retry = wait_for_room(window.previous, window.current, cost, limit, now - start, period)
        if retry is None:
            window.current += cost
        return retry

    def would_allow(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Like hit, without counting: None if `cost` more would be allowed, else seconds to wait."""
        now = self._clock()
        window = self._windows.get((bucket, subject))
        if window is None:
            return None
        start = now - now % period
        previous, current = window.seen_from(start, period)
        return wait_for_window_end(previous, current, cost, limit, now - start, period)

    def reset(self, bucket: str, subject: str) -> None:
        self._windows.pop((bucket, subject), None)

    def _prune(self, now: float) -> None:
        stale = [key for key, window in self._windows.items() if now - window.start > 2 * window.period]
        for key in stale:
            del self._windows[key]
        if len(self._windows) >= self._max_subjects:  # still full: drop the oldest half
            for key in sorted(self._windows, key=lambda k: self._windows[k].start)[: self._max_subjects // 2]:
                del self._windows[key]

"""Limits that several server processes must share: logins, reports, appeals.

These are what an attacker abuses (guessing passwords, mass-reporting a bank's real number),
and they are rare enough to afford a database round trip. With one process (SQLite) the
in-memory limiter is exact and is used as it is; with PostgreSQL the windows live in the
`rate_windows` table, so a login throttled on one process is throttled on all. (Verify limits
use the same table without a round trip per request, being on the hot path: each process
counts in memory and syncs every few hundred milliseconds; see verifier.limits.synced.)

Same algorithm as verifier.limits.local: the current fixed window plus the previous one, weighted by
how much of it still overlaps the sliding window.
"""

from __future__ import annotations

import math
import random
import time

from registry.store import Store
from verifier.limits.local import RateLimiter


class SharedLimiter:
    def __init__(self, store: Store | None, local: RateLimiter) -> None:
        self._store = store  # None: one process, the local limiter is exact
        self._local = local

    @property
    def local_only(self) -> RateLimiter | None:
        """The in-memory limiter when it is exact (one process): callers may skip the coroutines."""
        return self._local if self._store is None else None

    async def would_allow(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        if self._store is None:
            return self._local.would_allow(bucket, subject, limit, period, cost)
        now = time.time()
        start = int(now - now % period)
        current, previous = await self._store.rate_window_counts(bucket, subject, start, start - int(period))
        overlap = 1 - (now - start) / period
        if previous * overlap + current + cost > limit:
            return max(1.0, math.ceil(period - (now - start)))
        return None

    async def hit(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> None:
        if self._store is None:
            self._local.hit(bucket, subject, limit, period, cost)
            return
        now = time.time()
        start = int(now - now % period)
        forget = start - 2 * int(period) if random.random() < 0.01 else None  # tidy up now and then
        await self._store.rate_window_add(bucket, subject, start, cost, forget)

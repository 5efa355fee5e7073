"""The strict limiter: limits every server process shares exactly (logins, reports, appeals).

These are what an attacker abuses (guessing passwords, mass-reporting a bank's real number),
and they are rare enough to afford a database round trip. With one process (SQLite) the
in-memory limiter (verifier.limits.local) is exact and is used as it is; with PostgreSQL the
windows live in the `rate_windows` table (registry.store.limits), so a login throttled on one
process is throttled on all. (Verify limits use the same table without a round trip per
request, being on the hot path: each process counts in memory and syncs every few hundred
milliseconds; see verifier.limits.synced.)

Same arithmetic as the others (verifier.limits.window): the current fixed window plus the
previous one, weighted by how much of it still overlaps the sliding window. Windows are
aligned to wall-clock time (whole epoch seconds), so every process agrees on them.
"""

from __future__ import annotations

import random
import time

from registry.store import Store
from verifier.limits.local import RateLimiter
from verifier.limits.window import wait_for_window_end

TIDY_CHANCE = 0.01  # one hit in this many (on average) deletes its bucket's windows older than the previous


class StrictLimiter:
    def __init__(self, store: Store | None, local: RateLimiter) -> None:
        self._store = store  # None: one process, the local limiter is exact
        self._local = local

    @property
    def local_only(self) -> RateLimiter | None:
        """The in-memory limiter when it is exact (one process): callers may skip the coroutines."""
        return self._local if self._store is None else None

    async def would_allow(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """None if `cost` more would be allowed, else seconds to wait (until the current window ends)."""
        if self._store is None:
            return self._local.would_allow(bucket, subject, limit, period, cost)
        now = time.time()
        start = int(now - now % period)
        current, previous = await self._store.rate_window_counts(bucket, subject, start, start - int(period))
        return wait_for_window_end(previous, current, cost, limit, now - start, period)

    async def hit(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> None:
        """Count `cost` against the subject. Ask `would_allow` first: with several processes this
        counts without checking (with one, the local limiter counts only what it allows)."""
        if self._store is None:
            self._local.hit(bucket, subject, limit, period, cost)
            return
        now = time.time()
        start = int(now - now % period)
        forget = start - 2 * int(period) if random.random() < TIDY_CHANCE else None  # tidy up now and then
        await self._store.rate_window_add(bucket, subject, start, cost, forget)

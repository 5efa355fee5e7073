"""An account's exponential backoff after failed logins from many addresses (verifier.limits.login).

Per account (a keyed hash of the username, never the name) it keeps how many logins failed in
the current and the previous LOGIN_WINDOW and when the last one failed. Once the failures reach
the allowance, each further one makes the account wait `delay(failures)` from the last failure:
FIRST_DELAY seconds, doubled per failure, at most MAX_DELAY. Nothing waits on the server: a
refused login is answered at once with 429 and the seconds left in Retry-After.

One process: in memory. Several (PostgreSQL): in the store's `rate_windows` table, which every
process shares, as two rows per account and window: the failures (added to, as every limiter
does) and the last failure's offset from the window's start (moved forward by adding the
difference; two processes racing may add twice, so it is read back no later than now).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from registry.store import Store

FIRST_DELAY = 1.0  # seconds, after the failure that reaches the allowance
MAX_DELAY = 900.0  # never longer than the window the failures are counted in
FAILURES_BUCKET, LAST_BUCKET = "login-backoff-failures", "login-backoff-last"
MAX_ACCOUNTS = 100_000  # in memory: past this, accounts whose failures have aged out are dropped


def delay(failures: float, allowed: int) -> float:
    """How long an account waits after its last failure, with `failures` in the window."""
    if failures < allowed:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2.0 ** min(failures - allowed, 20))


class AccountBackoff:
    def __init__(self, allowed: int, window: float, store: Store | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._allowed = allowed
        self._window = window
        self._store = store
        self._clock = clock
        # account -> (window start, failures in it, failures in the one before, last failure)
        self._memory: dict[str, tuple[float, float, float, float]] = {}

    async def wait(self, account: str) -> float | None:
        """None when the account is not backing off, else the whole seconds left (at least 1)."""
        now = self._clock()
        failures, last = await self._read(account, now)
        left = last + delay(failures, self._allowed) - now
        return float(max(1, math.ceil(left))) if left > 0 else None

    async def failed(self, account: str) -> None:
        now = self._clock()
        start = now - now % self._window
        if self._store is None:
            if account not in self._memory and len(self._memory) >= MAX_ACCOUNTS:
                self._forget(now)
            current, previous = self._counts(account, start)
            self._memory[account] = (start, current + 1, previous, now)
            return
        begin = int(start)
        current, _ = await self._store.rate_window_counts(LAST_BUCKET, account, begin, begin - int(self._window))
        await self._store.rate_window_add(FAILURES_BUCKET, account, begin, 1.0)
        offset = now - begin
        if offset > current:
            forget = begin - 2 * int(self._window)
            await self._store.rate_window_add(LAST_BUCKET, account, begin, offset - current, forget)

    async def _read(self, account: str, now: float) -> tuple[float, float]:
        """(failures in the sliding window, when the last one was; 0 if none)."""
        if self._store is None:
            return self._seen(account, now)
        begin = int(now - now % self._window)
        previous_start = begin - int(self._window)
        failures_now, failures_before = await self._store.rate_window_counts(FAILURES_BUCKET, account, begin,
                                                                             previous_start)
        if not failures_now and not failures_before:
            return 0.0, 0.0
        offset_now, offset_before = await self._store.rate_window_counts(LAST_BUCKET, account, begin, previous_start)
        last = begin + offset_now if offset_now else (previous_start + offset_before if offset_before else 0.0)
        return self._weighted(failures_before, failures_now, now - begin), min(last, now)

    def _counts(self, account: str, start: float) -> tuple[float, float]:
        """(current, previous) failures as the window starting at `start` sees them."""
        kept = self._memory.get(account)
        if kept is None:
            return 0.0, 0.0
        kept_start, current, previous, _ = kept
        if kept_start == start:
            return current, previous
        return 0.0, (current if start - kept_start == self._window else 0.0)

    def _seen(self, account: str, now: float) -> tuple[float, float]:
        kept = self._memory.get(account)
        if kept is None:
            return 0.0, 0.0
        start = now - now % self._window
        current, previous = self._counts(account, start)
        return self._weighted(previous, current, now - start), kept[3]

    def _weighted(self, previous: float, current: float, elapsed: float) -> float:
        """The sliding window's count, as verifier.limits.window weighs it."""
        return previous * (1 - elapsed / self._window) + current

    def _forget(self, now: float) -> None:
        begin = now - now % self._window
        for account in [a for a, kept in self._memory.items() if begin - kept[0] > self._window]:
            del self._memory[account]
        if len(self._memory) >= MAX_ACCOUNTS:  # still full: drop the oldest half
            for account in sorted(self._memory, key=lambda a: self._memory[a][3])[: MAX_ACCOUNTS // 2]:
                del self._memory[account]

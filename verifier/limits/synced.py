"""Verify limits that hold across server processes, without a database round trip per request.

Verify and batch requests are the hot path: their limits (per API key, per anonymous address)
are decided in memory, synchronously, with the sliding window of verifier.limits.window, as
verifier.limits.local does. With several processes on one
PostgreSQL, each process also keeps what it counted since the last sync, and a background
task (`syncing`) every SYNC_SECONDS:

1. adds those counts to the shared `rate_windows` table (one statement batch);
2. reads back the totals of the current and previous windows of the subjects this process
   served in the last WATCH_SECONDS, and keeps, per subject and window, what the *other*
   processes counted: the total minus what this process has written itself.

A decision is then `this process's count + the others' count` over the same sliding window
(the current fixed window plus the weighted previous one: verifier.limits.window). Windows are aligned to wall-clock
time (epoch seconds), so every process agrees on where a minute starts.

What it costs and what it allows: another process's usage is seen within about one sync
interval (at most two: its flush, then our read). Until then each process decides on what it
knows, so a subject used from several processes at once may get up to what those processes
admit in that time beyond its limit (an overshoot bounded by the request rate times the
interval, not by the number of processes times the limit). A subject a process has not served
in the last WATCH_SECONDS is decided on what it knew when it last served it, until the next
sync. When the database fails, syncing logs, keeps the unsent counts for the next try, and the
limits carry on with what is known (fail open: requests never fail because of it).

SQLite is served by one process, where verifier.limits.local.RateLimiter is exact; this is used
with PostgreSQL only (verifier.http.app). Logins, reports and appeals, rarer and abused on
purpose, use verifier.limits.strict instead (a database round trip per check, no overshoot).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections.abc import AsyncIterator, Callable

from registry.store import Store
from verifier.limits.local import RateLimiter
from verifier.limits.window import Counts, wait_for_room, wait_for_window_end

log = logging.getLogger("verifier.limits.synced")

SYNC_SECONDS = 0.25  # how often counts are written and the others' read back
WATCH_SECONDS = 5.0  # subjects served this recently have the others' counts read at every sync
MAX_WATCHED = 5_000  # beyond this many, only the subjects served since the last sync are read (bounds the reads)
TIDY_SECONDS = 60.0  # about how often windows older than the previous one are deleted
FORGET_SECONDS = 10.0  # how often the bookkeeping of past windows is pruned
FAILURE_LOG_SECONDS = 60.0  # while the database keeps failing, one warning this often
FINAL_SYNC_TIMEOUT = 5.0  # at shutdown, how long the last counts may take to write

Key = tuple[str, str]  # bucket, subject
WindowKey = tuple[str, str, int]  # bucket, subject, window start (epoch seconds)


class _Window(Counts):
    """This process's counts (start: epoch seconds), and what it knows of the others'."""

    __slots__ = ("pending", "dirty", "others_start", "others_current", "others_previous")

    def __init__(self, start: float, period: float) -> None:
        super().__init__(start, 0.0, 0.0, period)
        self.pending = 0.0  # counted in `start`'s window since the last sync (part of `current`)
        self.dirty = False  # listed for the next sync
        self.others_start = -1.0  # the window `others_current` belongs to
        self.others_current = 0.0  # the other processes' count in that window, as of the last sync
        self.others_previous = 0.0  # ... and in the window before it


class SyncedRateLimiter(RateLimiter):
    """RateLimiter's interface and algorithm; counts synced with the other processes by `syncing`."""

    def __init__(self, store: Store | None = None, clock: Callable[[], float] = time.time,
                 max_subjects: int = 200_000, watch_seconds: float = WATCH_SECONDS) -> None:
        super().__init__(clock, max_subjects)
        self._store = store
        self._watch_seconds = watch_seconds
        self._subjects: dict[Key, _Window] = {}
        self._dirty: list[Key] = []  # subjects counted since the last sync
        self._carry: dict[WindowKey, tuple[float, float]] = {}  # unsent counts of past or dropped windows: (count, period)
        self._flushed: dict[WindowKey, float] = {}  # what this process has written to each window
        self._watched: dict[Key, float] = {}  # subject: when it was last written (clock)
        self._periods: dict[str, float] = {}  # bucket: period, for tidying up
        self._lock = asyncio.Lock()
        self._next_forget = 0.0

    @property
    def store(self) -> Store:
        """The store it syncs through."""
        if self._store is None:
            raise RuntimeError("this limiter is not syncing")
        return self._store

    # -- the hot path: in memory, synchronous ------------------------------------------------------
    def hit(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Count `cost` against the subject; None if allowed, else seconds until it would be."""
        now = self._clock()
        start = now - now % period
        key = (bucket, subject)
        window = self._subjects.get(key)
        if window is None:
            if len(self._subjects) >= self._max_subjects:
                self._prune(now)
            window = self._subjects[key] = _Window(start, period)
        elif window.start != start:
            self._roll(key, window, start, period)
        previous, current = window.previous, window.current
        if window.others_start == start:
            previous += window.others_previous
            current += window.others_current
        elif window.others_start == start - period:
            previous += window.others_current
        # window.fits_even_with_all_of_previous, inlined: most requests stop here, with no call for it
        if previous + current + cost > limit:
            retry = wait_for_room(previous, current, cost, limit, now - start, period)
            if retry is not None:
                return retry
        window.current += cost
        window.pending += cost
        if not window.dirty:
            window.dirty = True
            self._dirty.append(key)
        return None

    def would_allow(self, bucket: str, subject: str, limit: int, period: float, cost: float = 1.0) -> float | None:
        """Like hit, without counting: None if `cost` more would be allowed, else seconds to wait."""
        now = self._clock()
        window = self._subjects.get((bucket, subject))
        if window is None:
            return None
        start = now - now % period
        previous, current = window.seen_from(start, period)
        if window.others_start == start:
            previous += window.others_previous
            current += window.others_current
        elif window.others_start == start - period:
            previous += window.others_current
        return wait_for_window_end(previous, current, cost, limit, now - start, period)

    def reset(self, bucket: str, subject: str) -> None:
        """Forget the subject here (what it used is still written, for the other processes)."""
        self._drop((bucket, subject))

    def _roll(self, key: Key, window: _Window, start: float, period: float) -> None:
        if window.pending:
            self._carry_over(key, window)
        window.roll(start, period)

    def _carry_over(self, key: Key, window: _Window) -> None:
        """Keep a window's unsent count for the next sync (it is rolling over or being dropped)."""
        if self._store is not None:  # without a store nobody would ever take it
            window_key = (key[0], key[1], int(window.start))
            count, _ = self._carry.get(window_key, (0.0, window.period))
            self._carry[window_key] = (count + window.pending, window.period)
        window.pending = 0.0

    def _drop(self, key: Key) -> None:
        window = self._subjects.pop(key, None)
        if window is not None and window.pending:
            self._carry_over(key, window)

    def _prune(self, now: float) -> None:
        for key in [key for key, window in self._subjects.items() if now - window.start > 2 * window.period]:
            self._drop(key)
        if len(self._subjects) >= self._max_subjects:  # still full: drop the oldest half
            oldest = sorted(self._subjects, key=lambda k: self._subjects[k].start)[: self._max_subjects // 2]
            for key in oldest:
                self._drop(key)

    # -- syncing with the other processes -------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def syncing(self, store: Store, interval: float = SYNC_SECONDS) -> AsyncIterator[None]:
        """Sync with the other processes through `store` every `interval` seconds while inside;
        on the way out, write the last counts (best effort)."""
        self._store = store
        task = asyncio.create_task(self._run(interval), name="verify-limit-sync")
        try:
            yield
        finally:
            # let a sync under way finish first: cancelled half way, its write might be made and sent again
            try:
                await asyncio.wait_for(self._lock.acquire(), FINAL_SYNC_TIMEOUT)
            except TimeoutError:
                locked = False
            else:
                locked = True
            try:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            finally:
                if locked:
                    self._lock.release()
            try:
                await asyncio.wait_for(self.sync(), FINAL_SYNC_TIMEOUT)
            except Exception:  # noqa: BLE001  (shutting down: the counts are lost, nothing else)
                log.warning("could not write the last verify-limit counts", exc_info=True)
            self._store = None

    async def _run(self, interval: float) -> None:
        failing_since: float | None = None
        last_warning = -math.inf
        next_tidy = time.monotonic() + TIDY_SECONDS * random.uniform(0.5, 1.0)  # processes tidy at different times
        while True:
            await asyncio.sleep(interval)
            try:
                await self.sync()
                if time.monotonic() >= next_tidy:
                    next_tidy = time.monotonic() + TIDY_SECONDS * random.uniform(0.75, 1.25)
                    await self.tidy()
            except Exception:  # never fatal: the unsent counts stay for the next try
                now = time.monotonic()
                failing_since = failing_since if failing_since is not None else now
                if now - last_warning >= FAILURE_LOG_SECONDS:
                    last_warning = now
                    log.warning("could not sync verify limits with the other processes; retrying every %.2fs",
                                interval, exc_info=True)
            else:
                if failing_since is not None:
                    log.info("verify limits are syncing again after %.1fs", time.monotonic() - failing_since)
                    failing_since, last_warning = None, -math.inf

    async def sync(self) -> None:
        """Write the counts since the last sync and read back the others' (raises if the store fails;
        unsent counts are kept for the next call)."""
        store = self._store
        if store is None:
            return
        async with self._lock:
            now = self._clock()
            batch = self._take_unsent()
            if batch:
                try:
                    await store.rate_windows_add_many(
                        (bucket, subject, start, count) for (bucket, subject, start), (count, _) in batch.items())
                except BaseException:
                    self._give_back(batch, now)
                    raise
                for (bucket, subject, start), (count, period) in batch.items():
                    self._flushed[(bucket, subject, start)] = self._flushed.get((bucket, subject, start), 0.0) + count
                    self._watched[(bucket, subject)] = now
                    self._periods[bucket] = period
            await self._read_others(store, now, batch)
            if now >= self._next_forget:
                self._next_forget = now + FORGET_SECONDS
                self._forget(now)

    def _take_unsent(self) -> dict[WindowKey, tuple[float, float]]:
        batch, self._carry = self._carry, {}
        dirty, self._dirty = self._dirty, []
        for key in dirty:
            window = self._subjects.get(key)
            if window is None:  # dropped: its count went to the carry
                continue
            window.dirty = False
            if window.pending:
                window_key = (key[0], key[1], int(window.start))
                count, _ = batch.get(window_key, (0.0, window.period))
                batch[window_key] = (count + window.pending, window.period)
                window.pending = 0.0
        return batch

    def _give_back(self, batch: dict[WindowKey, tuple[float, float]], now: float) -> None:
        """Unsent after all: keep for the next sync what still matters (current and previous windows)."""
        for window_key, (count, period) in batch.items():
            if window_key[2] >= now - now % period - period:
                kept, _ = self._carry.get(window_key, (0.0, period))
                self._carry[window_key] = (kept + count, period)

    async def _read_others(self, store: Store, now: float, batch: dict[WindowKey, tuple[float, float]]) -> None:
        horizon = now - self._watch_seconds
        for key in [key for key, seen in self._watched.items() if seen < horizon or key not in self._subjects]:
            del self._watched[key]
        keys = self._watched.keys() if len(self._watched) <= MAX_WATCHED else {(b, s) for b, s, _ in batch}
        groups: dict[tuple[str, float], list[str]] = {}
        for bucket, subject in keys:
            window = self._subjects.get((bucket, subject))
            if window is not None:
                groups.setdefault((bucket, window.period), []).append(subject)
        for (bucket, period), subjects in groups.items():
            start = now - now % period
            current, previous = int(start), int(start - period)
            totals = await store.rate_windows_totals(bucket, subjects, (current, previous))
            for subject in subjects:
                window = self._subjects.get((bucket, subject))
                if window is None or window.period != period:
                    continue
                window.others_start = start
                window.others_current = max(0.0, totals.get((subject, current), 0.0)
                                            - self._flushed.get((bucket, subject, current), 0.0))
                window.others_previous = max(0.0, totals.get((subject, previous), 0.0)
                                             - self._flushed.get((bucket, subject, previous), 0.0))

    def _forget(self, now: float) -> None:
        """Drop what this process wrote to windows that can no longer count (older than the previous)."""
        stale = []
        for window_key in self._flushed:
            window = self._subjects.get((window_key[0], window_key[1]))
            if window is None or window_key[2] < now - now % window.period - window.period:
                stale.append(window_key)
        for window_key in stale:
            del self._flushed[window_key]

    async def tidy(self) -> int:
        """Delete windows older than the previous one (with a window to spare) of the buckets this
        process writes; returns how many rows went."""
        store = self._store
        if store is None:
            return 0
        now = self._clock()
        deleted = 0
        for bucket, period in list(self._periods.items()):
            deleted += await store.rate_windows_forget(bucket, int(now - now % period - 2 * period))
        return deleted

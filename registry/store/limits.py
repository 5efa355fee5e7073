"""Rate-limit windows kept in the database, so several processes share one count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from registry.db import Database

_ADD = ("INSERT INTO rate_windows (bucket, subject, window_start, count) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (bucket, subject, window_start) DO UPDATE SET count = rate_windows.count + excluded.count")
SUBJECTS_PER_QUERY = 400  # well under SQLite's oldest limit of 999 parameters per statement


class LimitQueries:
    db: Database

    async def rate_window_counts(self, bucket: str, subject: str, current: int, previous: int) -> tuple[float, float]:
        rows = await self.db.fetchall(
            "SELECT window_start, count FROM rate_windows WHERE bucket = ? AND subject = ? AND window_start IN (?, ?)",
            (bucket, subject, current, previous))
        counts = {row["window_start"]: float(row["count"]) for row in rows}
        return counts.get(current, 0.0), counts.get(previous, 0.0)

    async def rate_window_add(self, bucket: str, subject: str, window_start: int, cost: float,
                              forget_before: int | None = None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(_ADD, (bucket, subject, window_start, cost))
            if forget_before is not None:
                await tx.execute("DELETE FROM rate_windows WHERE bucket = ? AND window_start < ?", (bucket, forget_before))

    # -- batches, for verifier.limits.synced ------------------------------------------------------
    async def rate_windows_add_many(self, rows: Iterable[tuple[str, str, int, float]]) -> None:
        """Add each (bucket, subject, window_start, count) to its window, all or none.

        One atomic statement batch, not a write transaction: every row is a single upsert (no
        check then act), so it does not need, and does not wait for, the writer lock that
        serializes the store's transactions across processes. Rows are written in key order, so
        two processes adding to the same windows lock them in the same order (no deadlock).
        Keys must be distinct.
        """
        ordered = sorted(rows)
        if ordered:
            await self.db.executemany(_ADD, ordered)

    async def rate_windows_totals(self, bucket: str, subjects: Sequence[str],
                                  window_starts: Sequence[int]) -> dict[tuple[str, int], float]:
        """The counts of `bucket`'s windows starting at `window_starts` for `subjects`:
        {(subject, window_start): count}, windows without a row left out."""
        totals: dict[tuple[str, int], float] = {}
        if not subjects or not window_starts:
            return totals
        starts = list(dict.fromkeys(window_starts))
        start_marks = ", ".join("?" * len(starts))
        for offset in range(0, len(subjects), SUBJECTS_PER_QUERY):
            chunk = list(subjects[offset:offset + SUBJECTS_PER_QUERY])
            rows = await self.db.fetchall(
                "SELECT subject, window_start, count FROM rate_windows"
                f" WHERE bucket = ? AND window_start IN ({start_marks}) AND subject IN ({', '.join('?' * len(chunk))})",
                (bucket, *starts, *chunk))
            for row in rows:
                totals[(row["subject"], int(row["window_start"]))] = float(row["count"])
        return totals

    async def rate_windows_forget(self, bucket: str, before: int) -> int:
        """Delete `bucket`'s windows that started before `before`; returns how many."""
        return await self.db.execute("DELETE FROM rate_windows WHERE bucket = ? AND window_start < ?", (bucket, before))

"""Rate-limit windows kept in the database, so several processes share one count."""

from __future__ import annotations

from registry.db import Database


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
            await tx.execute(
                "INSERT INTO rate_windows (bucket, subject, window_start, count) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (bucket, subject, window_start) DO UPDATE SET count = rate_windows.count + excluded.count",
                (bucket, subject, window_start, cost))
            if forget_before is not None:
                await tx.execute("DELETE FROM rate_windows WHERE bucket = ? AND window_start < ?", (bucket, forget_before))

"""Per-number aggregates of crowd reports, kept in memory for the verify path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ReportStats:
    approved: int = 0
    pending: int = 0
    distinct_reporters: int = 0


class ReportBook:
    def __init__(self) -> None:
        self._stats: dict[str, ReportStats] = {}

    def get(self, key: str) -> ReportStats | None:
        return self._stats.get(key)

"""Per-number aggregates of crowd reports, kept in memory for the verify path.

Fed from the store at start-up and on every write, so a verify reads a dict, never the
database. The weighting (also in docs/reports.md):

- Each report has a *voice*: the app's opaque reporter id for keyed API calls, the client
  address for anonymous ones. One voice counts once per number however often it reports,
  and one address cannot pose as many reporters by switching cookies.
- A report weighs ``source_weight × recency × trust``: recency halves every
  RECENCY_HALF_LIFE_DAYS; trust is ``(1 + approved) / (1 + approved + 2 × rejected)`` over the
  reporter's decided reports, so a reporter whose reports were rejected counts for less.
- A number's weight is the sum, over its voices, of each voice's heaviest live report
  (pending or approved); its confidence that the number is a scam is
  ``1 − exp(−weight / 3)``, or 1 when a moderator approved a report.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from registry.records import ReportFact, ReportStatus

RECENCY_HALF_LIFE_DAYS = 30.0
SUMMARY_TTL_SECONDS = 600.0
_LIVE = (ReportStatus.pending, ReportStatus.approved)


@dataclass(slots=True)
class ReportStats:
    approved: int = 0
    pending: int = 0
    rejected: int = 0
    overturned: int = 0
    distinct_reporters: int = 0  # voices behind pending and approved reports
    pending_reporters: int = 0  # voices behind pending reports
    categories: dict[str, int] = field(default_factory=dict)
    first_reported_at: dt.datetime | None = None
    last_reported_at: dt.datetime | None = None
    weight: float = 0.0
    confidence: float = 0.0


@dataclass(slots=True)
class _Report:
    voice: str
    reporter: str
    category: str
    status: ReportStatus
    created: float  # POSIX seconds
    source_weight: float


@dataclass(slots=True)
class _Number:
    reports: dict[int, _Report] = field(default_factory=dict)
    summary: ReportStats | None = None
    summary_at: float = 0.0
    summary_generation: int = -1


class ReportBook:
    def __init__(self) -> None:
        self._numbers: dict[str, _Number] = {}
        self._where: dict[int, str] = {}  # report id → number key
        self._record: dict[str, list[int]] = {}  # reporter → [approved, rejected]
        self._generation = 0  # bumped when any reporter's track record changes

    def __len__(self) -> int:
        return len(self._where)

    def add(self, fact: ReportFact) -> None:
        number = self._numbers.setdefault(fact.number_key, _Number())
        voice = fact.reporter_hash if fact.api_key_id is not None or fact.source != "user" else fact.client_hash
        number.reports[fact.id] = _Report(voice, fact.reporter_hash, fact.category.value, fact.status,
                                          fact.created_at.timestamp(), fact.source_weight)
        number.summary = None
        self._where[fact.id] = fact.number_key
        if fact.status in (ReportStatus.approved, ReportStatus.rejected):
            self._count(fact.reporter_hash, fact.status, +1)

    def set_status(self, report_id: int, status: ReportStatus) -> None:
        key = self._where.get(report_id)
        if key is None:
            return
        number = self._numbers[key]
        report = number.reports[report_id]
        if report.status == status:
            return
        if report.status in (ReportStatus.approved, ReportStatus.rejected):
            self._count(report.reporter, report.status, -1)
        if status in (ReportStatus.approved, ReportStatus.rejected):
            self._count(report.reporter, status, +1)
        report.status = status
        number.summary = None

    def keys(self) -> list[str]:
        return list(self._numbers)

    def summary(self, key: str, now: float) -> ReportStats | None:
        """The aggregates of one number, or None when nobody reported it."""
        number = self._numbers.get(key)
        if number is None:
            return None
        if (number.summary is not None and number.summary_generation == self._generation
                and now - number.summary_at < SUMMARY_TTL_SECONDS):
            return number.summary
        number.summary = self._summarise(number, now)
        number.summary_at = now
        number.summary_generation = self._generation
        return number.summary

    def trust(self, reporter: str) -> float:
        approved, rejected = self._record.get(reporter, (0, 0))
        return (1 + approved) / (1 + approved + 2 * rejected)

    def _count(self, reporter: str, status: ReportStatus, delta: int) -> None:
        record = self._record.setdefault(reporter, [0, 0])
        record[0 if status is ReportStatus.approved else 1] += delta
        self._generation += 1

    def _summarise(self, number: _Number, now: float) -> ReportStats:
        stats = ReportStats()
        categories: Counter[str] = Counter()
        heaviest: dict[str, float] = {}
        pending_voices: set[str] = set()
        first = last = None
        for report in number.reports.values():
            if report.status is ReportStatus.rejected:
                stats.rejected += 1
                continue
            if report.status is ReportStatus.overturned:
                stats.overturned += 1
                continue
            if report.status is ReportStatus.approved:
                stats.approved += 1
            else:
                stats.pending += 1
                pending_voices.add(report.voice)
            categories[report.category] += 1
            age_days = max(0.0, now - report.created) / 86400
            weight = report.source_weight * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS) * self.trust(report.reporter)
            heaviest[report.voice] = max(weight, heaviest.get(report.voice, 0.0))
            first = report.created if first is None else min(first, report.created)
            last = report.created if last is None else max(last, report.created)
        stats.distinct_reporters = len(heaviest)
        stats.pending_reporters = len(pending_voices)
        stats.categories = dict(categories.most_common())
        stats.weight = round(sum(heaviest.values()), 3)
        stats.confidence = 1.0 if stats.approved else round(1 - math.exp(-stats.weight / 3), 3)
        stats.first_reported_at = dt.datetime.fromtimestamp(first, dt.UTC) if first is not None else None
        stats.last_reported_at = dt.datetime.fromtimestamp(last, dt.UTC) if last is not None else None
        return stats

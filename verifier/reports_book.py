"""Per-number aggregates of crowd reports, kept in memory for the verify path.

Fed from the store at start-up and on every write, so a verify reads a dict, never the
database. Each report is kept as one small tuple (a million take about 250 MB); a number's
summary is computed from its reports when first asked for and cached until something about
that number (or any reporter's track record) changes, or SUMMARY_TTL_SECONDS pass.

The weighting (also in docs/reports.md):

- Each report has a *voice*: the app's opaque reporter id for keyed API calls (and the source
  for imported evidence), the client address for anonymous ones. One voice counts once per
  number however often it reports, and one address cannot pose as many reporters by
  switching cookies.
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
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

RECENCY_HALF_LIFE_DAYS = 30.0
SUMMARY_TTL_SECONDS = 600.0
PENDING, APPROVED, REJECTED, OVERTURNED = "p", "a", "r", "o"
LIVE = (PENDING, APPROVED)
STATUS_CODES = {"pending": PENDING, "approved": APPROVED, "rejected": REJECTED, "overturned": OVERTURNED}
IDENTITY_CHARS = 16  # hash prefix kept in memory: 64 bits, plenty to tell reporters apart

# (report id, voice, reporter, status code, category, created POSIX seconds, source weight)
Record = tuple[int, str, str, str, str, float, float]


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
class _Number:
    reports: list[Record] = field(default_factory=list)
    changes: int = 0
    approved: int = 0
    summary: ReportStats | None = None
    summary_changes: int = -1
    summary_time: float = 0.0
    summary_generation: int = -1


def record(report_id: int, reporter_hash: str, client_hash: str, app_voice: bool, category: str, status: str,
           created: float, source_weight: float = 1.0) -> Record:
    """One report as the book keeps it. `app_voice`: keyed app or imported source (counted by
    reporter), else anonymous (counted by client address)."""
    reporter = reporter_hash[:IDENTITY_CHARS]
    voice = reporter if app_voice else client_hash[:IDENTITY_CHARS]
    return (report_id, voice, reporter, STATUS_CODES.get(status, status), category, float(created),
            float(source_weight))


class ReportBook:
    def __init__(self) -> None:
        self._numbers: dict[str, _Number] = {}
        self._record: dict[str, list[int]] = {}  # reporter → [approved, rejected]
        self._interned: dict[str, str] = {}
        self._generation = 0  # bumped when any reporter's track record changes
        self._count = 0
        self._by_status: dict[str, int] = dict.fromkeys(STATUS_CODES.values(), 0)

    def __len__(self) -> int:
        return self._count

    def add(self, key: str, rec: Record) -> None:
        voice = self._interned.setdefault(rec[1], rec[1])
        reporter = self._interned.setdefault(rec[2], rec[2])
        rec = (rec[0], voice, reporter, rec[3], sys.intern(rec[4]), rec[5], rec[6])
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = _Number()
        number.reports.append(rec)
        number.changes += 1
        number.approved += rec[3] == APPROVED
        self._count += 1
        self._by_status[rec[3]] += 1
        if rec[3] in (APPROVED, REJECTED):
            self._bump(reporter, rec[3], +1)

    def load(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Bulk-add store rows (id, number_key, reporter_hash, client_hash, app_voice, category,
        status, created_at ISO text, source_weight): the start-up path, one tight loop."""
        interned, numbers, codes, parse = self._interned, self._numbers, STATUS_CODES, dt.datetime.fromisoformat
        decided = []
        for rid, key, reporter_hash, client_hash, app_voice, category, status, created, weight in rows:
            reporter = reporter_hash[:IDENTITY_CHARS]
            reporter = interned.setdefault(reporter, reporter)
            if app_voice:
                voice = reporter
            else:
                voice = client_hash[:IDENTITY_CHARS]
                voice = interned.setdefault(voice, voice)
            code = codes[status]
            rec = (rid, voice, reporter, code, interned.setdefault(category, category), parse(created).timestamp(),
                   float(weight))
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = _Number([rec], 1)
            else:
                number.reports.append(rec)
                number.changes += 1
            if code == APPROVED:
                number.approved += 1
            if code == APPROVED or code == REJECTED:
                decided.append((reporter, code))
            self._count += 1
            self._by_status[code] += 1
        for reporter, code in decided:
            self._bump(reporter, code, +1)

    def has(self, key: str, report_id: int) -> bool:
        number = self._numbers.get(key)
        return number is not None and any(rec[0] == report_id for rec in number.reports)

    def replace(self, key: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Make one number's reports exactly `rows` (store rows, as for load): how a process
        catches up with a change another process made."""
        number = self._numbers.pop(key, None)
        if number is not None:
            for rec in number.reports:
                self._count -= 1
                self._by_status[rec[3]] -= 1
                if rec[3] in (APPROVED, REJECTED):
                    self._bump(rec[2], rec[3], -1)
        self.load(rows)
        fresh = self._numbers.get(key)
        if fresh is not None:
            fresh.changes += 1 + (number.changes if number is not None else 0)

    def set_status(self, key: str, report_id: int, status: str) -> bool:
        """Change one report's status; False when the book does not hold that report."""
        number = self._numbers.get(key)
        code = STATUS_CODES.get(status, status)
        if number is None:
            return False
        for index, rec in enumerate(number.reports):
            if rec[0] == report_id:
                if rec[3] == code:
                    return True
                if rec[3] in (APPROVED, REJECTED):
                    self._bump(rec[2], rec[3], -1)
                if code in (APPROVED, REJECTED):
                    self._bump(rec[2], code, +1)
                number.reports[index] = (*rec[:3], code, *rec[4:])  # type: ignore[assignment]
                number.changes += 1
                self._by_status[rec[3]] -= 1
                self._by_status[code] += 1
                number.approved += (code == APPROVED) - (rec[3] == APPROVED)
                return True
        return False

    def counts(self) -> dict[str, int]:
        """How many reports there are in each status."""
        names = {code: name for name, code in STATUS_CODES.items()}
        return {names[code]: count for code, count in self._by_status.items()}

    def keys(self) -> list[str]:
        return list(self._numbers)

    def approved_keys(self) -> list[str]:
        """Numbers with at least one approved report."""
        return [key for key, number in self._numbers.items() if number.approved]

    def has_approved(self, key: str) -> bool:
        number = self._numbers.get(key)
        return number is not None and number.approved > 0

    def stamp(self, key: str) -> tuple[int, int] | None:
        """Changes whenever anything that feeds this number's summary changes (None: never reported)."""
        number = self._numbers.get(key)
        return None if number is None else (self._generation, number.changes)

    def summary(self, key: str, now: float) -> ReportStats | None:
        """The aggregates of one number, or None when nobody reported it."""
        number = self._numbers.get(key)
        if number is None:
            return None
        if (number.summary is not None and number.summary_generation == self._generation
                and number.summary_changes == number.changes and 0 <= now - number.summary_time < SUMMARY_TTL_SECONDS):
            return number.summary
        return self._summarise(number, now)

    def trust(self, reporter: str) -> float:
        approved, rejected = self._record.get(reporter[:IDENTITY_CHARS], (0, 0))
        return (1 + approved) / (1 + approved + 2 * rejected)

    def _bump(self, reporter: str, code: str, delta: int) -> None:
        counts = self._record.get(reporter)
        if counts is None:
            counts = self._record[reporter] = [0, 0]
        counts[0 if code == APPROVED else 1] += delta
        self._generation += 1

    def _summarise(self, number: _Number, now: float) -> ReportStats:
        stats = ReportStats()
        categories: Counter[str] = Counter()
        heaviest: dict[str, float] = {}
        pending_voices: set[str] = set()
        first = last = None
        for _, voice, reporter, code, category, created, source_weight in number.reports:
            if code == REJECTED:
                stats.rejected += 1
                continue
            if code == OVERTURNED:
                stats.overturned += 1
                continue
            if code == APPROVED:
                stats.approved += 1
            else:
                stats.pending += 1
                pending_voices.add(voice)
            categories[category] += 1
            age_days = max(0.0, now - created) / 86400
            weight = source_weight * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS) * self.trust(reporter)
            if weight > heaviest.get(voice, -1.0):
                heaviest[voice] = weight
            first = created if first is None or created < first else first
            last = created if last is None or created > last else last
        stats.distinct_reporters = len(heaviest)
        stats.pending_reporters = len(pending_voices)
        stats.categories = dict(categories.most_common())
        stats.weight = round(sum(heaviest.values()), 3)
        stats.confidence = 1.0 if stats.approved else round(1 - math.exp(-stats.weight / 3), 3)
        stats.first_reported_at = dt.datetime.fromtimestamp(first, dt.UTC) if first is not None else None
        stats.last_reported_at = dt.datetime.fromtimestamp(last, dt.UTC) if last is not None else None
        number.summary = stats
        number.summary_changes = number.changes
        number.summary_time = now
        number.summary_generation = self._generation
        return stats

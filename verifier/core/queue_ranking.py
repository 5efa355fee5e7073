"""The moderation queue's order, from the same voice counting as the verdict.

Pending reports are ranked number by number, each number's reports together: numbers that
are official first (scammers imitating a real hotline hurt most), then by the number's
pending voices (``ReportStats.pending_voices``: what the verdict counts, one per voice
however many reports or cookies it sends, a heavy imported source up to
``max_source_voices``), then the number whose oldest pending report is oldest. Within a
number, its pending reports oldest first.

A flood of reports on one number changes that number's one entry and nothing else: a page
costs the numbers it walks past, never the reports a number holds (docs/reports.md,
"Moderation"). Pure: the state layer (verifier/state/queue.py) feeds it from the report book.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from sortedcontainers import SortedList

from verifier.core.report_book import _PACKED, PENDING, Record, ReportBook, ReportStats


class Entry(NamedTuple):
    """One number's place in the queue."""

    official: bool
    pending_voices: float  # ReportStats.pending_voices
    pending_reporters: int  # ReportStats.pending_reporters: the voices behind pending reports
    oldest: float  # created (POSIX seconds) of its oldest pending report
    oldest_id: int  # that report's id
    pending: int  # how many pending reports it has

    def order(self, key: str) -> tuple[int, float, float, int, str]:
        return (0 if self.official else 1, -self.pending_voices, self.oldest, self.oldest_id, key)


def entry_of(stats: ReportStats | None, records: Iterable[Record], official: bool) -> Entry | None:
    """A number's entry from its summary and its reports; None when it has no pending report."""
    if stats is None or not stats.pending:
        return None
    oldest = min(((rec.created, rec.id) for rec in records if rec.status == PENDING), default=None)
    if oldest is None:
        return None
    return Entry(official, stats.pending_voices, stats.pending_reporters, oldest[0], oldest[1], stats.pending)


def entry_from_pending(pending: Iterable[tuple[int, str, float, float]], official: bool,
                       max_source_voices: float) -> Entry | None:
    """A number's entry from its pending reports alone, as (id, voice, created, source weight):
    the bulk path of a first build (book_entries). It counts pending voices as
    ReportBook._summarise does, one per voice, a heavy source up to `max_source_voices`;
    tests/core/test_queue_ranking.py holds the two equal."""
    voices: dict[str, float] = {}
    count, oldest = 0, (math.inf, 0)
    for report_id, voice, created, weight in pending:
        counted = max(1.0, weight if weight < max_source_voices else max_source_voices)
        if counted > voices.get(voice, 0.0):
            voices[voice] = counted
        count += 1
        if (created, report_id) < oldest:
            oldest = (created, report_id)
    if not count:
        return None
    return Entry(official, round(sum(voices.values()), 3), len(voices), oldest[0], oldest[1], count)


def book_entries(book: ReportBook, official: Callable[[str], bool]) -> Iterator[tuple[str, Entry | None]]:
    """Every number of `book` with its entry, without summarising or unpacking anything: a first
    build over a million reports costs about a second instead of the summaries' ten, and leaves
    the numbers a snapshot restored packed (read in place, as verifier/core/prefix_index.py
    does: voice the second field, then status code, category, created and weight the last four)."""
    cap = book.max_source_voices
    # Both taken before the first yield: a number unpacked while the caller waits between two
    # chunks is read from its packed bytes, which still say what it holds (a change stamps it:
    # the caller's follow-up catches that).
    unpacked, packed_numbers = list(book._numbers.items()), list(book._packed.items())
    for key, number in unpacked:
        yield key, entry_from_pending(((rec.id, rec.voice, rec.created, rec.weight) for rec in number.reports
                                       if rec.status == PENDING), official(key), cap)
    strings, unpack = book._strings, _PACKED.iter_unpack
    code = strings.index(PENDING) if PENDING in strings else -1
    for key, packed in packed_numbers:
        voices: dict[int, float] = {}  # the voice's index in the string table → what it counts as
        count, oldest = 0, (math.inf, 0)
        for fields in unpack(packed):  # entry_from_pending's loop, inlined: a million reports pass here
            if fields[-4] == code:
                weight = fields[-1]
                counted = 1.0 if weight <= 1.0 else weight if weight < cap else cap
                if counted > voices.get(fields[1], 0.0):
                    voices[fields[1]] = counted
                count += 1
                if fields[-2] < oldest[0] or (fields[-2] == oldest[0] and fields[0] < oldest[1]):
                    oldest = (fields[-2], fields[0])
        yield key, Entry(official(key), round(sum(voices.values()), 3), len(voices), oldest[0], oldest[1],
                         count) if count else None


def pending_ids(records: Iterable[Record]) -> list[int]:
    """A number's pending report ids in queue order: oldest first."""
    return [rec.id for rec in sorted((rec for rec in records if rec.status == PENDING),
                                     key=lambda rec: (rec.created, rec.id))]


class Slice(NamedTuple):
    """Part of one number's pending reports on a page: positions [start, start + count)."""

    key: str
    entry: Entry
    start: int
    count: int


class QueueRanking:
    """Every number with pending reports, in queue order; changed one number at a time."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._order: SortedList = SortedList()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: str, entry: Entry | None) -> None:
        """Set one number's entry (None: it has no pending report, and leaves the queue)."""
        held = self._entries.get(key)
        if held == entry:
            return
        if held is not None:
            self._order.remove(held.order(key))
            del self._entries[key]
        if entry is not None:
            self._entries[key] = entry
            self._order.add(entry.order(key))

    def fill(self, entries: Iterable[tuple[str, Entry | None]]) -> None:
        """put() for many numbers new to the ranking, sorted once (a first build)."""
        fresh = {key: entry for key, entry in entries if entry is not None and key not in self._entries}
        self._entries.update(fresh)
        self._order.update([entry.order(key) for key, entry in fresh.items()])

    def keys(self) -> Iterator[str]:
        """Numbers in queue order."""
        return (order[-1] for order in self._order)

    def slices(self, offset: int, size: int) -> list[Slice]:
        """The page of reports [offset, offset + size) as slices of numbers, in queue order.
        Costs the numbers walked past, not their reports."""
        out: list[Slice] = []
        position = 0
        for order in self._order:
            key = order[-1]
            entry = self._entries[key]
            if position + entry.pending > offset:
                start = max(0, offset - position)
                count = min(entry.pending - start, size)
                out.append(Slice(key, entry, start, count))
                size -= count
                if size <= 0:
                    break
            position += entry.pending
        return out


def ranked(entries: dict[str, Entry]) -> list[str]:
    """The queue order of `entries`, recomputed from scratch (what the ranking must equal)."""
    return sorted(entries, key=lambda key: entries[key].order(key))

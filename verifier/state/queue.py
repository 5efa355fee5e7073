"""The moderation queue: pending reports in the order of verifier/core/queue_ranking.py,
counted from the in-memory report book exactly as the verdict counts them.

The ranking is built on the first queue request of a process (a server that never serves a
moderator never pays for it), in bulk from the book without unpacking it (book_entries; its
counts are tested equal to the summaries'), yielding to other requests every BUILD_CHUNK
numbers. It then follows the book: before each page, the numbers whose reports changed since
the last page get their entry recomputed from the book's summary, the verdict's own counts.
Which numbers changed, the book's change clock says: one look at each number held unpacked,
only when the book changed at all (a few milliseconds per 100,000 unpacked numbers; the book
has no room left for a change log of its own). A rebuilt book (a reconnect) or a new
imported-source cap means a rebuild. A page then walks the ranking to the numbers it shows
and reads those reports from the store by id, in one query, however many reports a number holds.

Decided reports (approved, rejected, overturned) are listed newest first straight from the
store; every row, pending or not, carries its number's voices as the verdict counts them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import weakref
from typing import Any

from registry.records import Page, QueuedReport, Report, ReportCategory, ReportStatus
from verifier.core.knowledge import Knowledge
from verifier.core.queue_ranking import Entry, QueueRanking, Slice, book_entries, entry_of, pending_ids
from verifier.core.report_book import PENDING, ReportBook

BUILD_CHUNK = 2_000  # numbers summarised between two yields to the event loop while building
IDS_CACHED = 256  # numbers whose ordered pending ids are kept between pages


class ModerationQueue:
    def __init__(self, service: Any) -> None:  # verifier.state.service.Service (which does not know of this)
        self._service = service
        self._ranking = QueueRanking()
        self._book: ReportBook | None = None  # the book the ranking follows (None: not built)
        self._cap = 0.0  # the book's max_source_voices when built
        self._knowledge: Knowledge | None = None  # whose official keys the entries' flags come from
        self._clock = -1  # the book's change clock the ranking reflects
        self._lock = asyncio.Lock()
        self._ids: dict[str, tuple[int, list[int]]] = {}  # key → (book version, pending ids oldest first)
        self.builds = 0  # how often the ranking was built from scratch (tests)
        self.pages = PageCache()  # the JSON API's pages as sent (verifier.api.moderation)

    async def ranking(self) -> QueueRanking:
        """The ranking, brought in line with the book."""
        async with self._lock:
            kb = self._service.knowledge
            book = kb.reports
            if book is not self._book or book.max_source_voices != self._cap:
                await self._build(kb)
            self._follow(kb)
            return self._ranking

    async def page(self, page: Page, *, status: ReportStatus = ReportStatus.pending, number_key: str | None = None,
                   category: ReportCategory | None = None) -> list[QueuedReport]:
        """One page of the queue (see the module's docstring for the order)."""
        if status is not ReportStatus.pending:
            decided = await self._service.store.decided_reports(page, status=status, number_key=number_key,
                                                                category=category)
            return self._annotate(decided)
        ranking = await self.ranking()
        book = self._service.knowledge.reports
        if category is None and number_key is None:
            slices = ranking.slices(page.offset, page.size)
            while gone := [part.key for part in slices if book.version(part.key) < 0]:  # deleted from the store
                for key in gone:
                    ranking.put(key, None)
                slices = ranking.slices(page.offset, page.size)
            ids = [(part, report_id) for part in slices for report_id in self._pending_ids(book, part.key)
                   [part.start:part.start + part.count]]
        else:
            ids = self._filtered(ranking, book, page, number_key, category)
        reports = await self._service.store.reports_by_ids([report_id for _, report_id in ids])
        by_id = {report.id: report for report in reports}
        return [_queued(by_id[report_id], part.entry) for part, report_id in ids
                if report_id in by_id and by_id[report_id].status is ReportStatus.pending]

    # -- building and following the book ---------------------------------------------------------
    async def _build(self, kb: Knowledge) -> None:
        book = kb.reports
        self._ranking, self._ids = QueueRanking(), {}
        self._book, self._cap, self._knowledge = book, book.max_source_voices, kb
        self._clock = book.revision[1]  # what changes while building is caught by the next _follow
        entries, found = book_entries(book, lambda key: bool(kb.official_entries(key))), []
        while chunk := list(itertools.islice(entries, BUILD_CHUNK)):
            found += chunk
            await asyncio.sleep(0)  # let /readyz, logins and verifies through
            if self._service.knowledge.reports is not book:  # reloaded meanwhile: start again on the new book
                return await self._build(self._service.knowledge)
        self._ranking.fill(found)  # sorted once
        self.builds += 1

    def _follow(self, kb: Knowledge) -> None:
        book = kb.reports
        if kb is not self._knowledge:  # the registry was reloaded: which numbers are official may differ
            self._knowledge = kb
            for key in list(self._ranking.keys()):
                entry = self._ranking.get(key)
                official = bool(kb.official_entries(key))
                if entry is not None and entry.official != official:
                    self._ranking.put(key, entry._replace(official=official))
        clock = book.revision[1]
        if clock == self._clock:
            return
        # The numbers changed since the last page: each change stamps its number with the clock.
        # (A number still packed from a snapshot was never changed; reading it would unpack it.)
        changed = [key for key, number in book._numbers.items() if number.changes > self._clock]
        self._clock = clock
        now = time.time()
        for key in changed:
            self._refresh(kb, key, now)

    def _refresh(self, kb: Knowledge, key: str, now: float) -> Entry | None:
        book = kb.reports
        entry = entry_of(book.summary(key, now), book.records(key), bool(kb.official_entries(key)))
        self._ranking.put(key, entry)
        return entry

    def _pending_ids(self, book: ReportBook, key: str) -> list[int]:
        version = book.version(key)
        cached = self._ids.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        ids = pending_ids(book.records(key))
        if len(self._ids) >= IDS_CACHED:
            self._ids.clear()
        self._ids[key] = (version, ids)
        return ids

    def _filtered(self, ranking: QueueRanking, book: ReportBook, page: Page, number_key: str | None,
                  category: ReportCategory | None) -> list[tuple[Slice, int]]:
        """A page of one number's, or one category's, pending reports, in queue order."""
        keys = [number_key] if number_key is not None else ranking.keys()
        skip, room, out = page.offset, page.size, []
        now = time.time()
        for key in keys:
            entry = ranking.get(key)
            if entry is None:
                continue
            if category is None:
                ids = self._pending_ids(book, key)
            else:
                stats = book.summary(key, now)
                if stats is None or category.value not in stats.categories:
                    continue
                ids = [rec.id for rec in sorted(book.records(key), key=lambda rec: (rec.created, rec.id))
                       if rec.status == PENDING and rec.category == category.value]
            if skip >= len(ids):
                skip -= len(ids)
                continue
            taken = ids[skip:skip + room]
            skip = 0
            out += [(Slice(key, entry, 0, len(taken)), report_id) for report_id in taken]
            room -= len(taken)
            if room <= 0:
                break
        return out

    def _annotate(self, reports: list[Report]) -> list[QueuedReport]:
        """Decided reports with their numbers' current pending voices, as the verdict counts them."""
        kb = self._service.knowledge
        now = time.time()
        out = []
        for report in reports:
            stats = kb.reports.summary(report.number_key, now)
            entry = Entry(bool(kb.official_entries(report.number_key)), stats.pending_voices if stats else 0.0,
                          stats.pending_reporters if stats else 0, 0.0, 0, stats.pending if stats else 0)
            out.append(_queued(report, entry))
        return out


def _queued(report: Report, entry: Entry) -> QueuedReport:
    return QueuedReport.model_construct(**dict(report), against_official=entry.official,
                                        pending_reporters=entry.pending_reporters,
                                        pending_voices=entry.pending_voices)


class PageCache:
    """The JSON API's queue pages, kept as the bytes sent, while nothing they show can have
    changed: a speed trick that pays (`make bench` target 7: moderators polling a queue at rest
    cost a lookup instead of 50 rows read and serialised, so /readyz and logins are not kept
    waiting behind them). `stamp` is taken before a page is computed, so a change while it was
    computed (the book's clock, a reloaded registry, a rebuilt book) keeps it from being served;
    tests/state/test_queue.py::test_a_cached_queue_page_equals_the_page_computed_afresh."""

    MAX_PAGES = 64

    def __init__(self) -> None:
        self._stamp: tuple[int, ...] | None = None
        self._pages: dict[str, bytes] = {}

    @staticmethod
    def stamp(service: Any) -> tuple[int, ...]:
        kb = service.knowledge
        return (id(kb), *kb.reports.revision)

    def get(self, service: Any, query: str) -> bytes | None:
        if self._stamp != self.stamp(service):
            return None
        return self._pages.get(query)

    def put(self, stamp: tuple[int, ...], query: str, body: bytes) -> None:
        if stamp != self._stamp:
            self._stamp, self._pages = stamp, {}
        if len(self._pages) >= self.MAX_PAGES:
            self._pages.clear()
        self._pages[query] = body


_QUEUES: weakref.WeakKeyDictionary[Any, ModerationQueue] = weakref.WeakKeyDictionary()


def queue_of(service: Any) -> ModerationQueue:
    """The service's moderation queue (one per service; made on first use)."""
    queue = _QUEUES.get(service)
    if queue is None:
        queue = _QUEUES[service] = ModerationQueue(service)
    return queue

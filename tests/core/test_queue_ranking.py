"""The queue's ranking (verifier/core/queue_ranking.py): kept one number at a time, it always
equals the order recomputed from scratch, and a page's slices are that order's reports."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.queue_ranking import Entry, QueueRanking, book_entries, entry_of, pending_ids, ranked
from verifier.core.report_book import ReportBook, capture, decode, encode, record

KEYS = [f"+86139000000{n:02d}" for n in range(8)]
STATUSES = ("pending", "pending", "approved", "rejected")

entries = st.builds(Entry, st.booleans(), st.sampled_from([1.0, 2.0, 2.5, 3.0]), st.integers(1, 5),
                    st.sampled_from([10.0, 20.0, 30.0]), st.integers(1, 50), st.integers(1, 7))


@given(st.lists(st.tuples(st.sampled_from(KEYS), st.none() | entries), max_size=60))
def test_a_ranking_changed_one_number_at_a_time_equals_a_fresh_sort(changes: list[tuple[str, Entry | None]]) -> None:
    ranking, held = QueueRanking(), {}
    for key, entry in changes:
        ranking.put(key, entry)
        if entry is None:
            held.pop(key, None)
        else:
            held[key] = entry
    assert list(ranking.keys()) == ranked(held) and len(ranking) == len(held)
    flat = [(key, n) for key in ranked(held) for n in range(held[key].pending)]
    for offset in range(0, len(flat) + 3, 3):
        page = [(part.key, part.start + n) for part in ranking.slices(offset, 4) for n in range(part.count)]
        assert page == flat[offset:offset + 4]


reports = st.lists(st.tuples(st.sampled_from(KEYS), st.integers(0, 3), st.integers(0, 5), st.sampled_from(STATUSES),
                             st.sampled_from([0.5, 1.0, 5.0]), st.integers(0, 10)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(reports, st.lists(st.tuples(st.integers(0, 39), st.sampled_from(STATUSES)), max_size=10))
def test_entries_followed_through_a_books_changes_equal_entries_recomputed(
        added: list[tuple[str, int, int, str, float, int]], decided: list[tuple[int, str]]) -> None:
    book, ranking = ReportBook(), QueueRanking()
    now = time.time()
    official = {KEYS[0]}

    def follow(key: str) -> None:
        ranking.put(key, entry_of(book.summary(key, now), book.records(key), key in official))

    for report_id, (key, address, reporter, status, weight, age) in enumerate(added, start=1):
        book.add(key, record(report_id, f"reporter-{reporter:011d}", f"address-{address:012d}", weight != 1.0,
                             "refund_scam", status, now - age, weight))
        follow(key)
    for index, status in decided:
        if index < len(added):
            book.set_status(added[index][0], index + 1, status)
            follow(added[index][0])
    fresh = {key: entry for key in book.keys()
             if (entry := entry_of(book.summary(key, now), book.records(key), key in official)) is not None}
    assert list(ranking.keys()) == ranked(fresh)
    for key, entry in fresh.items():
        stats = book.summary(key, now)
        assert stats is not None and (entry.pending_reporters, entry.pending_voices, entry.pending) == (
            stats.pending_reporters, stats.pending_voices, stats.pending)
        assert len(pending_ids(book.records(key))) == entry.pending


@settings(max_examples=60, deadline=None)
@given(reports, st.lists(st.tuples(st.integers(0, 39), st.sampled_from(STATUSES)), max_size=10),
       st.sampled_from([1.0, 3.0]))
def test_a_first_builds_bulk_entries_equal_the_verdicts_summaries_unpacked_and_packed(
        added: list[tuple[str, int, int, str, float, int]], decided: list[tuple[int, str]], cap: float) -> None:
    book = ReportBook()
    book.count_sources_as(cap)
    now = time.time()
    for report_id, (key, address, reporter, status, weight, age) in enumerate(added, start=1):
        book.add(key, record(report_id, f"reporter-{reporter:011d}", f"address-{address:012d}", weight != 1.0,
                             "refund_scam", status, now - age, weight))
    for index, status in decided:
        if index < len(added):
            book.set_status(added[index][0], index + 1, status)
    restored = decode(encode(capture(book)))  # every number packed, as after a start from a snapshot
    restored.count_sources_as(cap)
    official = KEYS[0].__eq__
    from_summaries = {key: entry_of(book.summary(key, now), book.records(key), official(key)) for key in book.keys()}
    assert dict(book_entries(book, official)) == from_summaries
    packed = dict(book_entries(restored, official))
    assert restored._packed and packed == from_summaries

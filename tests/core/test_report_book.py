"""The in-memory report aggregates: voices, weights by recency and track record, confidence."""

from __future__ import annotations

import datetime as dt
import marshal
from dataclasses import dataclass

import pytest

from verifier.core.report_book import (
    APPROVED,
    PENDING,
    RECENCY_HALF_LIFE_DAYS,
    Record,
    ReportBook,
    capture,
    decode,
    encode,
    record,
)

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
KEY = "+8613912345678"
_ids = iter(range(1, 10_000))


@dataclass
class Fact:
    number_key: str
    id: int
    rec: Record


class Book(ReportBook):
    """The book, fed the way the service feeds it."""

    def put(self, fact: Fact) -> None:
        self.add(fact.number_key, fact.rec)

    def set(self, fact: Fact, status: str) -> None:
        self.set_status(fact.number_key, fact.id, status)


def fact(key: str = KEY, reporter: str = "r1", address: str | None = None, days_old: float = 0,
         status: str = "pending", app: bool = False, category: str = "fake_customer_service") -> Fact:
    report_id = next(_ids)
    created = (NOW - dt.timedelta(days=days_old)).timestamp()
    return Fact(key, report_id, record(report_id, reporter, address or f"addr-{reporter}", app, category, status,
                                       created))


def test_a_number_nobody_reported_has_no_summary() -> None:
    assert Book().summary(KEY, NOW.timestamp()) is None


def test_one_address_counts_once_however_many_cookies_it_uses() -> None:
    book = Book()
    for cookie in ("a", "b", "c"):
        book.put(fact(reporter=cookie, address="same-address"))
    stats = book.summary(KEY, NOW.timestamp())
    assert stats.pending == 3 and stats.distinct_reporters == 1 and stats.pending_reporters == 1


def test_app_users_behind_one_api_key_are_distinct_voices() -> None:
    book = Book()
    for user in ("u1", "u2", "u3"):
        book.put(fact(reporter=user, address="app-backend", app=True))
    assert book.summary(KEY, NOW.timestamp()).distinct_reporters == 3


def test_weight_halves_with_each_half_life_of_age() -> None:
    fresh, old = Book(), Book()
    fresh.put(fact(days_old=0))
    old.put(fact(days_old=RECENCY_HALF_LIFE_DAYS))
    assert fresh.summary(KEY, NOW.timestamp()).weight == 1.0
    assert old.summary(KEY, NOW.timestamp()).weight == 0.5


def test_a_reporter_whose_reports_were_rejected_counts_for_less() -> None:
    book = Book()
    book.put(fact(key="+8613700000000", reporter="liar", status="rejected"))
    book.put(fact(reporter="liar"))
    book.put(fact(reporter="honest"))
    assert book.trust("liar") == 1 / 3 and book.trust("honest") == 1.0
    assert book.summary(KEY, NOW.timestamp()).weight == round(1 + 1 / 3, 3)


def test_a_later_rejection_lowers_the_weight_of_the_reporters_other_reports() -> None:
    book = Book()
    target = fact(reporter="r9")
    other = fact(key="+8613700000000", reporter="r9")
    book.put(target)
    book.put(other)
    assert book.summary(KEY, NOW.timestamp()).weight == 1.0
    book.set(other, "rejected")
    assert book.summary(KEY, NOW.timestamp()).weight == round(1 / 3, 3)


def test_confidence_grows_with_weight_and_is_certain_once_approved() -> None:
    book = Book()
    first = fact(reporter="a")
    book.put(first)
    one = book.summary(KEY, NOW.timestamp()).confidence
    book.put(fact(reporter="b"))
    book.put(fact(reporter="c"))
    three = book.summary(KEY, NOW.timestamp()).confidence
    assert 0 < one < three < 1
    book.set(first, "approved")
    assert book.summary(KEY, NOW.timestamp()).confidence == 1.0


def test_rejected_and_overturned_reports_do_not_count_as_live() -> None:
    book = Book()
    approved = fact(reporter="a", status="approved")
    book.put(approved)
    book.put(fact(reporter="b", status="rejected"))
    book.set(approved, "overturned")
    stats = book.summary(KEY, NOW.timestamp())
    assert (stats.approved, stats.pending, stats.rejected, stats.overturned) == (0, 0, 1, 1)
    assert stats.distinct_reporters == 0 and stats.weight == 0


def test_categories_and_first_and_last_dates_are_kept() -> None:
    book = Book()
    book.put(fact(reporter="a", days_old=3, category="loan_scam"))
    book.put(fact(reporter="b", days_old=1))
    stats = book.summary(KEY, NOW.timestamp())
    assert stats.categories == {"loan_scam": 1, "fake_customer_service": 1}
    assert stats.first_reported_at == NOW - dt.timedelta(days=3)
    assert stats.last_reported_at == NOW - dt.timedelta(days=1)


# -- snapshots: a book packed into bytes and restored behaves exactly like the original -----------------

def row(fact_: Fact, status: str = "pending", reporter_hash: str = "r1") -> tuple[object, ...]:
    """A store row (report_facts: its voice and origin, the address) for `fact_`."""
    created = dt.datetime.fromtimestamp(fact_.rec.created, dt.UTC).isoformat(timespec="microseconds")
    return (fact_.id, fact_.number_key, reporter_hash, f"addr-{reporter_hash}", f"addr-{reporter_hash}", "refund_scam",
            status, created, 1.0)


def state(book: ReportBook) -> dict[str, object]:
    """Everything a verify can observe of a book."""
    keys = sorted(book.keys())
    reporters = {rec.reporter for key in keys for rec in book.records(key)}
    return {"records": {key: sorted(book.records(key)) for key in keys}, "counts": book.counts(), "len": len(book),
            "approved": sorted(book.approved_keys()), "trust": {r: book.trust(r) for r in sorted(reporters)},
            "summaries": {key: book.summary(key, NOW.timestamp()) for key in keys},
            "has_approved": {key: book.has_approved(key) for key in keys}}


def mixed_book() -> ReportBook:
    book = Book()
    facts = [fact(key=f"+861391234000{n % 4}", reporter=f"r{n % 5}", days_old=n, app=n % 3 == 0,
                  status=("pending", "approved", "rejected", "overturned")[n % 4]) for n in range(40)]
    for f in facts:
        book.put(f)
    book.set(facts[0], "approved")
    return book


def test_a_book_restored_from_its_snapshot_is_the_same_book() -> None:
    book = mixed_book()
    restored = decode(encode(capture(book)))
    assert restored.keys() and not restored._numbers  # nothing unpacked until asked for
    assert state(restored) == state(book)
    assert decode(encode(capture(restored))).keys() == restored.keys()  # a restored book snapshots again


def test_a_restored_book_changes_like_the_original() -> None:
    book = mixed_book()
    restored = decode(encode(capture(book)))
    for b in (book, restored):
        new = Fact(KEY, 90_001, record(90_001, "r9", "addr-r9", False, "loan_scam", "pending", NOW.timestamp()))
        assert b.add(new.number_key, new.rec)
        assert not b.add(new.number_key, new.rec)  # the same report twice is one report
        first = sorted(b.records("+8613912340001"))[0]
        assert b.set_status("+8613912340001", first.id, "rejected")
        b.replace("+8613912340002", [])
        assert not b.has("+8613912340002", 1)
    assert state(restored) == state(book)


def test_merge_adds_only_the_reports_a_book_does_not_hold() -> None:
    book = Book()
    held = fact(key=KEY, reporter="r1")
    book.put(held)
    newer = fact(key=KEY, reporter="r2")
    fresh = book.merge([row(held), row(newer, reporter_hash="r2")])
    assert [r[0] for r in fresh] == [newer.id] and len(book) == 2  # (store rows: the id first)


def test_a_report_heard_from_another_process_as_a_plain_tuple_is_kept_as_a_record() -> None:
    book = Book()
    sent = fact(status="approved")
    assert book.add(sent.number_key, tuple(sent.rec))  # type: ignore[arg-type]  (as verifier.state.sync delivers it)
    [held] = book.records(KEY)
    assert isinstance(held, Record) and held == sent.rec
    assert (held.id, held.status, held.reporter) == (sent.id, APPROVED, "r1")
    assert record(1, "r", "c", False, "loan_scam", "pending", 0.0).status == PENDING


def test_versions_move_with_every_change_and_never_repeat() -> None:
    book = decode(encode(capture(mixed_book())))
    key = "+8613912340003"
    assert book.version(key) == 0 and book.version("+8600000000000") == -1
    book.summary(key, NOW.timestamp())  # unpacking is not a change
    assert book.version(key) == 0
    seen = {0}
    for status in ("approved", "rejected"):
        book.set_status(key, book.records(key)[0].id, status)
        assert book.version(key) not in seen
        seen.add(book.version(key))
    book.replace(key, [])
    assert book.version(key) == -1


def test_a_snapshot_of_another_layout_is_refused() -> None:
    data = encode(capture(mixed_book()))
    with pytest.raises(ValueError):
        decode(data[:100])
    with pytest.raises(ValueError):
        decode(marshal.dumps((99, [], {}, [], {}, 0, {})))


def test_the_revision_moves_with_every_change_that_moves_any_stamp_and_differs_between_books() -> None:
    book, other = Book(), Book()
    assert book.revision != other.revision  # two books never share one, whatever their clocks
    quiet = book.revision
    book.stamp(KEY), book.summary(KEY, NOW.timestamp())  # reading changes nothing
    assert book.revision == quiet
    seen = [book.revision]
    first, elsewhere = fact(reporter="r1"), fact(key="+8613800138000", reporter="r2")
    for change in (lambda: book.put(first), lambda: book.put(elsewhere), lambda: book.set(first, "approved"),
                   lambda: book.set(elsewhere, "rejected"), lambda: book.replace(KEY, [])):
        stamps = (book.stamp(KEY), book.stamp(elsewhere.number_key))
        change()
        assert book.revision not in seen  # a new revision ...
        assert (book.stamp(KEY), book.stamp(elsewhere.number_key)) != stamps  # ... whenever a stamp moved
        seen.append(book.revision)
    restored = decode(encode(capture(book)))
    assert restored.revision != book.revision

"""The in-memory report aggregates: voices, weights by recency and track record, confidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from verifier.reports_book import RECENCY_HALF_LIFE_DAYS, Record, ReportBook, record

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

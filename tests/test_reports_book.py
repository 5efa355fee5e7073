"""The in-memory report aggregates: voices, weights by recency and track record, confidence."""

from __future__ import annotations

import datetime as dt

from registry.records import ReportCategory, ReportFact, ReportStatus
from verifier.reports_book import RECENCY_HALF_LIFE_DAYS, ReportBook

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
_ids = iter(range(1, 10_000))


def fact(key: str = "+8613912345678", reporter: str = "r1", address: str | None = None, days_old: float = 0,
         status: ReportStatus = ReportStatus.pending, api_key_id: int | None = None,
         category: ReportCategory = ReportCategory.fake_customer_service) -> ReportFact:
    return ReportFact(id=next(_ids), number_key=key, reporter_hash=reporter, client_hash=address or f"addr-{reporter}",
                      api_key_id=api_key_id, category=category, status=status,
                      created_at=NOW - dt.timedelta(days=days_old), source="user", source_weight=1.0)


def test_a_number_nobody_reported_has_no_summary() -> None:
    assert ReportBook().summary("+8613912345678", NOW.timestamp()) is None


def test_one_address_counts_once_however_many_cookies_it_uses() -> None:
    book = ReportBook()
    for cookie in ("a", "b", "c"):
        book.add(fact(reporter=cookie, address="same-address"))
    stats = book.summary("+8613912345678", NOW.timestamp())
    assert stats.pending == 3 and stats.distinct_reporters == 1 and stats.pending_reporters == 1


def test_app_users_behind_one_api_key_are_distinct_voices() -> None:
    book = ReportBook()
    for user in ("u1", "u2", "u3"):
        book.add(fact(reporter=user, address="app-backend", api_key_id=7))
    assert book.summary("+8613912345678", NOW.timestamp()).distinct_reporters == 3


def test_weight_halves_with_each_half_life_of_age() -> None:
    fresh, old = ReportBook(), ReportBook()
    fresh.add(fact(days_old=0))
    old.add(fact(days_old=RECENCY_HALF_LIFE_DAYS))
    assert fresh.summary("+8613912345678", NOW.timestamp()).weight == 1.0
    assert old.summary("+8613912345678", NOW.timestamp()).weight == 0.5


def test_a_reporter_whose_reports_were_rejected_counts_for_less() -> None:
    book = ReportBook()
    book.add(fact(key="+8613700000000", reporter="liar", status=ReportStatus.rejected))
    book.add(fact(reporter="liar"))
    book.add(fact(reporter="honest"))
    assert book.trust("liar") == 1 / 3 and book.trust("honest") == 1.0
    assert book.summary("+8613912345678", NOW.timestamp()).weight == round(1 + 1 / 3, 3)


def test_a_later_rejection_lowers_the_weight_of_the_reporters_other_reports() -> None:
    book = ReportBook()
    target = fact(reporter="r9")
    other = fact(key="+8613700000000", reporter="r9")
    book.add(target)
    book.add(other)
    assert book.summary(target.number_key, NOW.timestamp()).weight == 1.0
    book.set_status(other.id, ReportStatus.rejected)
    assert book.summary(target.number_key, NOW.timestamp()).weight == round(1 / 3, 3)


def test_confidence_grows_with_weight_and_is_certain_once_approved() -> None:
    book = ReportBook()
    first = fact(reporter="a")
    book.add(first)
    one = book.summary(first.number_key, NOW.timestamp()).confidence
    book.add(fact(reporter="b"))
    book.add(fact(reporter="c"))
    three = book.summary(first.number_key, NOW.timestamp()).confidence
    assert 0 < one < three < 1
    book.set_status(first.id, ReportStatus.approved)
    assert book.summary(first.number_key, NOW.timestamp()).confidence == 1.0


def test_rejected_and_overturned_reports_do_not_count_as_live() -> None:
    book = ReportBook()
    approved = fact(reporter="a", status=ReportStatus.approved)
    book.add(approved)
    book.add(fact(reporter="b", status=ReportStatus.rejected))
    book.set_status(approved.id, ReportStatus.overturned)
    stats = book.summary(approved.number_key, NOW.timestamp())
    assert (stats.approved, stats.pending, stats.rejected, stats.overturned) == (0, 0, 1, 1)
    assert stats.distinct_reporters == 0 and stats.weight == 0


def test_categories_and_first_and_last_dates_are_kept() -> None:
    book = ReportBook()
    book.add(fact(reporter="a", days_old=3, category=ReportCategory.loan_scam))
    book.add(fact(reporter="b", days_old=1))
    stats = book.summary("+8613912345678", NOW.timestamp())
    assert stats.categories == {"loan_scam": 1, "fake_customer_service": 1}
    assert stats.first_reported_at == NOW - dt.timedelta(days=3)
    assert stats.last_reported_at == NOW - dt.timedelta(days=1)

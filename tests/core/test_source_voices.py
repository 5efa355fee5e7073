"""Voices and weights: an imported source of weight w counts like w voices, up to a setting
(VERIFIER_IMPORTED_SOURCE_MAX_VOICES), so a heavy, trusted source can make a number suspicious
on its own; never scam, and never anything but official for an official number."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from registry.models import Category, Confidence, OfficialNumber, Organization
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import normalise
from verifier.core.report_book import MAX_SOURCE_VOICES, ReportBook, record
from verifier.core.signals import PENDING_MIN_REPORTERS, Query, Verdict
from verifier.core.verdict import judge

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp()
UNLISTED, OFFICIAL = "13912345678", "95588"
_ids = itertools.count(1)
ORGS = [Organization(id="icbc", name="中国工商银行", name_en="ICBC", aliases=["工商银行"], category=Category.bank,
                     numbers=[OfficialNumber(number=OFFICIAL, source_url="https://example.org/source",
                                             verified_at=dt.date(2026, 8, 21), confidence=Confidence.official_page)])]


def key(raw: str) -> str:
    return normalise(raw, "CN").key


def person(book: ReportBook, raw: str, name: str, status: str = "pending") -> None:
    """An anonymous person: one voice, by address, weight 1."""
    book.add(key(raw), record(next(_ids), f"cookie-{name}", f"address-{name}", False, "refund_scam", status, NOW))


def source(book: ReportBook, raw: str, name: str, weight: float, rows: int = 1) -> None:
    """An imported source: one voice per number however many rows name it, of weight `weight`."""
    for _ in range(rows):
        book.add(key(raw), record(next(_ids), f"source-{name}", f"source-{name}", True, "refund_scam", "pending",
                                  NOW, weight))


def judged(book: ReportBook, raw: str):  # type: ignore[no-untyped-def]
    kb = Knowledge.build(ORGS, book)
    return judge(Query(normalise(raw, "CN"), at=NOW), kb, "en")


@pytest.mark.parametrize(("weight", "cap", "voices", "summed"), [
    (0.3, 3.0, 1.0, 0.3),    # a light source is one voice that weighs little
    (1.0, 3.0, 1.0, 1.0),    # as heavy as a person: one voice
    (2.0, 3.0, 2.0, 2.0),
    (3.0, 3.0, 3.0, 3.0),    # reaches the suspicious threshold alone
    (5.0, 3.0, 3.0, 3.0),    # capped: counts like 3 voices and weighs like 3
    (5.0, 5.0, 5.0, 5.0),    # a higher cap lets it count more
    (5.0, 1.0, 1.0, 1.0),    # cap 1: every source is one voice again, weighing at most a person
])
def test_a_source_of_weight_w_counts_like_w_voices_up_to_the_cap(weight: float, cap: float, voices: float,
                                                                 summed: float) -> None:
    book = ReportBook()
    book.count_sources_as(cap)
    source(book, UNLISTED, "partner", weight, rows=4)  # four rows: still one source
    stats = book.summary(key(UNLISTED), NOW)
    assert stats is not None
    assert (stats.pending, stats.distinct_reporters, stats.pending_reporters) == (4, 1, 1)
    assert (stats.pending_voices, stats.weight) == (voices, summed)


def test_people_count_one_voice_each_beside_a_source() -> None:
    book = ReportBook()
    source(book, UNLISTED, "partner", 2.0)
    person(book, UNLISTED, "a")
    person(book, UNLISTED, "a")  # the same address again: once
    stats = book.summary(key(UNLISTED), NOW)
    assert stats is not None and (stats.pending_reporters, stats.pending_voices, stats.weight) == (2, 3.0, 3.0)


def test_changing_the_cap_changes_a_summary_already_made() -> None:
    book = ReportBook()
    source(book, UNLISTED, "police", 3.0)
    assert book.max_source_voices == MAX_SOURCE_VOICES == 3.0
    stamp = book.stamp(key(UNLISTED))
    assert book.summary(key(UNLISTED), NOW).pending_voices == 3.0  # type: ignore[union-attr]
    book.count_sources_as(1.0)
    assert book.stamp(key(UNLISTED)) != stamp  # what the answer cache compares
    assert book.summary(key(UNLISTED), NOW).pending_voices == 1.0  # type: ignore[union-attr]


def test_a_heavy_trusted_source_alone_makes_an_unlisted_number_suspicious_never_scam() -> None:
    book = ReportBook()
    source(book, UNLISTED, "cn-12321", 3.0)
    judgement = judged(book, UNLISTED)
    assert judgement.verdict is Verdict.suspicious, judgement.reasons
    assert "pending_reports" in [reason.code for reason in judgement.reasons]
    heavier = ReportBook()
    source(heavier, UNLISTED, "police", 10.0, rows=50)
    assert judged(heavier, UNLISTED).verdict is Verdict.suspicious  # scam still needs a moderator


def test_a_lighter_source_alone_stays_under_review() -> None:
    book = ReportBook()
    source(book, UNLISTED, "partner", 2.0)
    judgement = judged(book, UNLISTED)
    assert judgement.verdict is Verdict.unknown
    assert "reports_under_review" in [reason.code for reason in judgement.reasons]
    person(book, UNLISTED, "b")  # 2 + 1 voices: the threshold
    assert PENDING_MIN_REPORTERS == 3 and judged(book, UNLISTED).verdict is Verdict.suspicious


def test_a_light_source_beside_two_people_still_counts_as_a_voice() -> None:
    book = ReportBook()
    source(book, UNLISTED, "ftc-dnc", 0.5)
    person(book, UNLISTED, "a")
    assert judged(book, UNLISTED).verdict is Verdict.unknown
    person(book, UNLISTED, "b")  # 3 voices weighing 2.5, as before the voices model
    assert judged(book, UNLISTED).verdict is Verdict.suspicious


def test_no_source_however_heavy_changes_an_official_numbers_verdict() -> None:
    book = ReportBook()
    book.count_sources_as(10.0)
    for name in ("police", "cn-12321", "partner"):
        source(book, OFFICIAL, name, 10.0, rows=5)
    judgement = judged(book, OFFICIAL)
    assert judgement.verdict is Verdict.official
    assert "official_number_spoofed" in [reason.code for reason in judgement.reasons]

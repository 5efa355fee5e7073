"""Voices and origins (verifier/core/voices.py): a report's trust is the lower of its reporter's
and its origin's (the API key, the address); an official number says it is imitated only on the
evidence that would make an unlisted number suspicious, or a moderator's approval."""

from __future__ import annotations

import datetime as dt
import itertools

from registry.models import Category, Confidence, OfficialNumber, Organization
from registry.records import NewReport, ReportCategory, ReportChannel
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import normalise
from verifier.core.report_book import ReportBook, record
from verifier.core.signals import Query, Verdict
from verifier.core.verdict import judge
from verifier.core.voices import book_record, origin_of, voice_of

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp()
UNLISTED, OFFICIAL = "13912345678", "95588"
_ids = itertools.count(1)
ORGS = [Organization(id="icbc", name="中国工商银行", name_en="ICBC", aliases=["工商银行"], category=Category.bank,
                     numbers=[OfficialNumber(number=OFFICIAL, source_url="https://example.org/source",
                                             verified_at=dt.date(2026, 8, 21), confidence=Confidence.official_page)])]


def key(raw: str) -> str:
    return normalise(raw, "CN").key


def web_report(book: ReportBook, raw: str, cookie: str, address: str, status: str = "pending") -> int:
    report_id = next(_ids)
    book.add(key(raw), record(report_id, f"cookie-{cookie}", f"address-{address}", False, "refund_scam", status, NOW))
    return report_id


def judged(book: ReportBook, raw: str):  # type: ignore[no-untyped-def]
    kb = Knowledge.build(ORGS, book)
    return judge(Query(normalise(raw, "CN"), at=NOW), kb)


def test_a_fresh_cookie_inherits_the_poor_standing_of_its_address() -> None:
    book = ReportBook()
    rejected = web_report(book, "13800000001", "old", "nat")
    book.set_status(key("13800000001"), rejected, "rejected")
    web_report(book, UNLISTED, "brand-new", "nat")  # a new cookie, the same address
    web_report(book, "13800000002", "brand-new-too", "elsewhere")  # a new cookie from a clean address
    assert book.summary(key(UNLISTED), NOW).weight == round(1 / 3, 3)
    assert book.summary(key("13800000002"), NOW).weight == 1.0


def test_a_new_reporter_id_of_a_key_never_has_more_trust_than_the_key() -> None:
    book = ReportBook()
    base = {"number": UNLISTED, "region": "CN", "category": ReportCategory.refund_scam,
            "channel": ReportChannel.incoming_call, "client_hash": "backend", "api_key_id": 7}
    first = NewReport(**{**base, "number_key": key("13800000001"), "reporter_hash": "app-user-1"})
    book.add(first.number_key, book_record(first, 1, "rejected", NOW))
    fresh = NewReport(**{**base, "number_key": key(UNLISTED), "reporter_hash": "app-user-2"})
    book.add(fresh.number_key, book_record(fresh, 2, "pending", NOW))
    assert book.summary(key(UNLISTED), NOW).weight == round(1 / 3, 3)


def test_a_keys_reports_beyond_what_it_vouches_for_are_one_voice() -> None:
    book = ReportBook()
    for n, voice in enumerate(("u1", "the-key", "the-key", "the-key", "the-key")):
        book.add(key(UNLISTED), record(n + 1, f"u{n}", "backend", True, "refund_scam", "pending", NOW, voice=voice,
                                       origin="key:7"))
    stats = book.summary(key(UNLISTED), NOW)
    assert stats.pending == 5 and stats.pending_reporters == 2 and judged(book, UNLISTED).verdict is Verdict.unknown


def test_the_voice_and_origin_rules() -> None:
    assert voice_of("decided", 7, "user", "r", "a") == "decided"
    assert voice_of(None, 7, "user", "r", "a") == "r"  # stored before voices were: the app's user
    assert voice_of(None, None, "user", "r", "a") == "a"  # anonymous and web: the address
    assert voice_of(None, None, "cn-12321", "s", "a") == "s"
    assert origin_of(7, "user", "r", "a") == "key:7"
    assert origin_of(None, "user", "r", "a") == "a"
    assert origin_of(None, "cn-12321", "s", "a") == "s"


def test_one_unreviewed_report_leaves_an_official_numbers_message_and_risk_alone() -> None:
    book = ReportBook()
    quiet = judged(book, OFFICIAL)
    web_report(book, OFFICIAL, "rival", "a")
    one = judged(book, OFFICIAL)
    assert one.verdict is Verdict.official
    assert "official_number_spoofed" not in [reason.code for reason in one.reasons]
    assert one.risk_score == quiet.risk_score
    web_report(book, OFFICIAL, "b", "b")
    assert "official_number_spoofed" not in [reason.code for reason in judged(book, OFFICIAL).reasons]
    web_report(book, OFFICIAL, "c", "c")  # three voices weighing 3: what makes an unlisted number suspicious
    three = judged(book, OFFICIAL)
    assert three.verdict is Verdict.official and "official_number_spoofed" in [r.code for r in three.reasons]
    assert three.risk_score > quiet.risk_score


def test_one_report_a_moderator_approved_says_an_official_number_is_imitated() -> None:
    book = ReportBook()
    approved = web_report(book, OFFICIAL, "victim", "victim-address")
    book.set_status(key(OFFICIAL), approved, "approved")
    judgement = judged(book, OFFICIAL)
    assert judgement.verdict is Verdict.official
    assert "official_number_spoofed" in [reason.code for reason in judgement.reasons]

"""The answer cache on the verify path: what it gives back, and when it stops giving it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import orjson

from verifier.core.knowledge import Knowledge
from verifier.core.report_book import ReportBook, record
from verifier.state.answer_cache import CachedAnswer, VerifyCache


def _asked_twice(cache: VerifyCache, kb: Knowledge, raw: str, query: str | None = None) -> CachedAnswer:
    """An answer is kept from the second time its question is asked (verifier.core.doorkeeper)."""
    cache.answer(kb, raw, query=query)
    return cache.answer(kb, raw, query=query)


def test_a_get_answer_is_found_again_by_its_exact_query_string(default_knowledge: Knowledge) -> None:
    cache = VerifyCache()
    assert cache.for_query(default_knowledge, "number=95588") is None
    answer = _asked_twice(cache, default_knowledge, "95588", query="number=95588")
    found = cache.for_query(default_knowledge, "number=95588")
    assert found is not None and (found.body, found.verdict) == (answer.body, answer.verdict)
    assert answer.verdict == "official" and answer.number_key == "CN:95588"
    assert cache.for_query(default_knowledge, "number=95588&lang=en") is None  # another question
    unqueried = VerifyCache()
    _asked_twice(unqueried, default_knowledge, "95588")  # (POST and batch give no query string)
    assert unqueried.for_query(default_knowledge, "number=95588") is None


def test_an_answer_is_kept_from_the_second_asking_and_given_again_from_the_third(default_knowledge: Knowledge) -> None:
    cache = VerifyCache()
    first = cache.answer(default_knowledge, "95588", query="number=95588")
    assert cache.for_query(default_knowledge, "number=95588") is None  # asked once: not kept
    second = cache.answer(default_knowledge, "95588", query="number=95588")
    third = cache.for_query(default_knowledge, "number=95588")
    assert third is second and second.body == first.body
    posted = VerifyCache()
    for _ in range(3):
        posted.answer(default_knowledge, "95588", claimed_org="工商银行")
    assert (posted.misses, posted.hits, len(posted)) == (2, 1, 1)


def test_a_flood_of_questions_asked_once_keeps_no_answer(default_knowledge: Knowledge) -> None:
    cache = VerifyCache()
    for i in range(5000):
        cache.answer(default_knowledge, f"1391234{i:04d}", query=f"number=1391234{i:04d}")
        cache.answer(default_knowledge, f"1381234{i:04d}")
    kept_by_query = sum(cache.for_query(default_knowledge, f"number=1391234{i:04d}") is not None for i in range(5000))
    # only those whose hash shares a doorkeeper slot with an earlier question's (about 1 in 200 here)
    assert len(cache) + kept_by_query <= 200 and cache.misses == 10_000
    again = next(i for i in range(5000) if cache.for_query(default_knowledge, f"number=1391234{i:04d}") is None)
    cache.answer(default_knowledge, f"1391234{again:04d}", query=f"number=1391234{again:04d}")  # asked again: kept
    assert cache.for_query(default_knowledge, f"number=1391234{again:04d}") is not None


def test_answers_found_by_query_string_expire_and_follow_the_registry_version(default_knowledge: Knowledge) -> None:
    expired = VerifyCache(ttl=0.0)
    _asked_twice(expired, default_knowledge, "95588", query="number=95588")
    assert expired.for_query(default_knowledge, "number=95588") is None

    cache = VerifyCache()
    _asked_twice(cache, default_knowledge, "95588", query="number=95588")
    newer = dataclasses.replace(default_knowledge, version=default_knowledge.version + 1)
    assert cache.for_query(newer, "number=95588") is None
    assert cache.for_query(default_knowledge, "number=95588") is not None


def test_a_report_about_the_number_stales_its_answer_and_one_about_another_does_not(
        default_knowledge: Knowledge) -> None:
    kb = dataclasses.replace(default_knowledge, reports=ReportBook())
    cache = VerifyCache()
    _asked_twice(cache, kb, "95588", query="number=95588")
    created = dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp()
    kb.reports.add("+8613912345678", record(1, "r1", "a1", False, "fake_customer_service", "pending", created))
    assert cache.for_query(kb, "number=95588") is not None  # the book moved on, this number's stamp did not
    kb.reports.add("CN:95588", record(2, "r1", "a1", False, "fake_customer_service", "pending", created))
    assert cache.for_query(kb, "number=95588") is None
    answer = cache.answer(kb, "95588", query="number=95588")
    assert b'"pending":1' in answer.body and cache.for_query(kb, "number=95588") is not None


def test_kept_answers_take_their_own_size_in_memory_not_the_serialiser_buffer(default_knowledge: Knowledge) -> None:
    import tracemalloc

    cache = VerifyCache()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(2000):
            _asked_twice(cache, default_knowledge, f"1391234{i:04d}")
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(cache) == 2000
    body = cache.answer(default_knowledge, "13912340000").body
    assert body == orjson.dumps(orjson.loads(body))
    assert grown / 2000 < 2.5 * len(body)  # orjson's own buffers held about 4 KB each, kept as they were

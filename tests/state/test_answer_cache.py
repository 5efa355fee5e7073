"""The answer cache on the verify path: what it gives back, and when it stops giving it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import orjson

from verifier.core.knowledge import Knowledge
from verifier.core.report_book import ReportBook, record
from verifier.state.answer_cache import VerifyCache


def test_a_get_answer_is_found_again_by_its_exact_query_string(default_knowledge: Knowledge) -> None:
    cache = VerifyCache()
    assert cache.for_query(default_knowledge, "number=95588") is None
    answer = cache.answer(default_knowledge, "95588", query="number=95588")
    found = cache.for_query(default_knowledge, "number=95588")
    assert found is not None and (found.body, found.verdict) == (answer.body, answer.verdict)
    assert answer.verdict == "official" and answer.number_key == "CN:95588"
    assert cache.for_query(default_knowledge, "number=95588&lang=en") is None  # another question
    unqueried = VerifyCache()
    unqueried.answer(default_knowledge, "95588")  # (POST and batch give no query string)
    assert unqueried.for_query(default_knowledge, "number=95588") is None


def test_answers_found_by_query_string_expire_and_follow_the_registry_version(default_knowledge: Knowledge) -> None:
    expired = VerifyCache(ttl=0.0)
    expired.answer(default_knowledge, "95588", query="number=95588")
    assert expired.for_query(default_knowledge, "number=95588") is None

    cache = VerifyCache()
    cache.answer(default_knowledge, "95588", query="number=95588")
    newer = dataclasses.replace(default_knowledge, version=default_knowledge.version + 1)
    assert cache.for_query(newer, "number=95588") is None
    assert cache.for_query(default_knowledge, "number=95588") is not None


def test_a_report_about_the_number_stales_its_answer_and_one_about_another_does_not(
        default_knowledge: Knowledge) -> None:
    kb = dataclasses.replace(default_knowledge, reports=ReportBook())
    cache = VerifyCache()
    cache.answer(kb, "95588", query="number=95588")
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
            cache.answer(default_knowledge, f"1391234{i:04d}")
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    body = cache.answer(default_knowledge, "13912340000").body
    assert body == orjson.dumps(orjson.loads(body))
    assert grown / 2000 < 2.5 * len(body)  # orjson's own buffers held about 4 KB each, kept as they were

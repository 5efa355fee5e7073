"""verify_json (the answer cache's path) writes exactly the bytes orjson writes for verify_payload
(the plain path): for quiet new numbers, written from a kept rest of the answer, and for every
other kind, in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.answers import verify_json, verify_payload
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import NotANumber
from verifier.core.report_book import ReportBook, record
from verifier.core.signals import Context

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()


def _same(kb: Knowledge, raw: str, **options: object) -> str | None:
    """The verdict, after checking both paths agree; None when it is no number."""
    try:
        plain = orjson.dumps(verify_payload(kb, raw, now=NOW, **options))  # type: ignore[arg-type]
    except NotANumber:
        return None
    body, verdict, key = verify_json(kb, raw, now=NOW, **options)  # type: ignore[arg-type]
    assert body == plain, raw
    assert (verdict, key) == (orjson.loads(plain)["verdict"], orjson.loads(plain)["number"]["key"])
    return verdict


@settings(max_examples=500, deadline=None)
@given(raw=st.from_regex(r"1[3-9][0-9]{9}|\+86 ?1[3-9][0-9]{9}|0[1-9][0-9]{9,10}|[48]00[0-9]{7}|9[56][0-9]{3,4}"
                         r"|\+[1-9][0-9]{7,12}|[0-9a-z +\-()]{1,16}", fullmatch=True),
       lang=st.sampled_from(["zh", "en"]), claimed_org=st.sampled_from([None, "工商银行", "无名公司"]),
       context=st.sampled_from([None, *Context]), region=st.sampled_from([None, "CN", "HK", "us"]))
def test_any_question_is_answered_in_the_same_bytes_either_way(default_registry_knowledge: Knowledge, raw: str,
                                                                lang: str, claimed_org: str | None,
                                                                context: Context | None, region: str | None) -> None:
    _same(default_registry_knowledge, raw, lang=lang, claimed_org=claimed_org, context=context, region=region)


def test_quiet_new_numbers_are_written_from_the_kept_rest_byte_for_byte(default_registry_knowledge: Knowledge) -> None:
    verdicts = [_same(default_registry_knowledge, f"139{i:08d}", lang=lang)
                for i in range(0, 10**8, 10**8 // 300) for lang in ("zh", "en")]
    assert verdicts.count("unknown") > 550  # nearly all of them quiet: the kept rest was used


def test_a_reported_number_is_written_in_full_with_its_reports(default_registry_knowledge: Knowledge) -> None:
    kb = dataclasses.replace(default_registry_knowledge, reports=ReportBook())
    kb.reports.add("+8613912345678", record(1, "r1", "a1", False, "fake_customer_service", "approved", NOW - 3600))
    kb.reports.add("+8613912345679", record(2, "r2", "a2", False, "fake_customer_service", "rejected", NOW - 3600))
    assert _same(kb, "13912345678") == "scam"
    assert _same(kb, "13912345679") == "unknown"  # nothing said, but a summary to show

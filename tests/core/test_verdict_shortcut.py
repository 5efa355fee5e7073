"""judge()'s shortcut for a number nothing is said about (nothing_said) gives what weigh(), the
plain path, gives: on new numbers of every kind, on the shipped registry's own numbers and their
look-alikes, with and without claims and contexts, in both languages."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import NotANumber, normalise
from verifier.core.signals import SIGNALS, Context, Query
from verifier.core.verdict import judge, weigh

CONTEXTS = [None, *Context]
CLAIMS = [None, "工商银行", "百信银行", "某某不存在的公司", "京东"]


def _both(kb: Knowledge, raw: str, claim: str | None, context: Context | None, lang: str) -> bool:
    """True when the number was read and the shortcut was taken; asserts the two agree."""
    try:
        number = normalise(raw)
    except NotANumber:
        return False
    query = Query(number, claim, kb.names.match(claim) if claim else None, context, 1.8e9)
    signals = [signal for check in SIGNALS for signal in check(query, kb)]
    assert judge(query, kb, lang) == weigh(query, kb, signals, lang), (raw, claim, context, lang)  # type: ignore[arg-type]
    return not signals


@settings(max_examples=400, deadline=None)
@given(digits=st.from_regex(r"1[3-9][0-9]{9}|0[1-9][0-9]{8,10}|[48]00[0-9]{7}|9[56][0-9]{3,4}|\+[1-9][0-9]{6,12}",
                            fullmatch=True),
       claim=st.sampled_from(CLAIMS), context=st.sampled_from(CONTEXTS), lang=st.sampled_from(["zh", "en"]))
def test_the_shortcut_answers_any_number_as_the_plain_path_does(default_registry_knowledge: Knowledge, digits: str,
                                                                 claim: str | None, context: Context | None,
                                                                 lang: str) -> None:
    _both(default_registry_knowledge, digits, claim, context, lang)


def test_official_numbers_and_their_neighbours_are_judged_alike_either_way(default_registry_knowledge: Knowledge) -> None:
    kb = default_registry_knowledge
    keys = sorted(kb.by_key)[::5]
    for key, lang in itertools.product(keys, ("zh", "en")):
        national = key.split(":", 1)[1] if ":" in key else "+" + key[1:]
        neighbour = national[:-1] + str((int(national[-1]) + 1) % 10)
        for raw in (national, neighbour):
            assert not _both(kb, raw, None, None, lang)  # each says something: the registry's, or resembles it
    assert len(keys) > 250


def test_new_mobiles_take_the_shortcut(default_registry_knowledge: Knowledge) -> None:
    kb = default_registry_knowledge
    taken = sum(_both(kb, f"1391234{i:04d}", None, None, "zh") for i in range(200))
    assert taken >= 190


def test_silent_knows_every_signal() -> None:
    from verifier.core.signals import SILENT_KNOWS

    assert SILENT_KNOWS == {check.__name__ for check in SIGNALS}  # a new signal needs its word in silent()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.from_regex(r"1[3-9][0-9]{9}|0[1-9][0-9]{8,10}|[48]00[0-9]{7}|9[56][0-9]{3,4}|1[0-2][0-9]{3,4}"
                            r"|106[0-9]{5,12}|17[01][0-9]{8}|\+[1-9][0-9]{6,12}|00[1-9][0-9]{6,12}", fullmatch=True),
       claim=st.sampled_from(CLAIMS), context=st.sampled_from(CONTEXTS))
def test_silent_says_true_only_when_every_signal_says_nothing(default_knowledge: Knowledge, digits: str,
                                                              claim: str | None, context: Context | None) -> None:
    from verifier.core.report_book import record
    from verifier.core.signals import silent

    kb = default_knowledge  # (one per test, shared by its examples)
    if not kb.reports.stamp("+8613912340007"):  # one reported number among the new ones
        kb.reports.add("+8613912340007", record(1, "r1", "a1", False, "fake_customer_service", "pending", 1.7e9))
    for raw in (digits, "13912340007", "13912340008"):
        try:
            number = normalise(raw)
        except NotANumber:
            continue
        query = Query(number, claim, kb.names.match(claim) if claim else None, context, 1.8e9)
        if silent(query, kb):
            assert [signal for check in SIGNALS for signal in check(query, kb)] == [], (raw, claim, context)


def test_silent_is_true_for_new_numbers_and_false_for_official_reported_and_spoofed_ones(
        default_knowledge: Knowledge) -> None:
    from verifier.core.report_book import record
    from verifier.core.signals import silent

    kb = default_knowledge
    kb.reports.add("+8613912340007", record(1, "r1", "a1", False, "fake_customer_service", "pending", 1.7e9))

    def asked(raw: str, context: Context | None = None) -> bool:
        return silent(Query(normalise(raw), None, None, context, 1.8e9), kb)

    assert all(asked(raw) for raw in ("13912340008", "01062345678", "4006543217", "+8615800300000", "+12122200000"))
    assert not any(asked(raw) for raw in ("95588", "13912340007", "+95588", "95589", "1709876543", "12345"))
    assert not asked("13912340008", Context.incoming_call)

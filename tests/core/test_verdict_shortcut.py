"""judge()'s shortcut for a number nothing is said about (nothing_said) gives what weigh(), the
plain path, gives: on new numbers of every kind, on the shipped registry's own numbers and their
look-alikes, with and without claims and contexts, in both languages."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
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

"""A signal about the claimed organisation alone is made once per snapshot and its reason's words
kept with it (verifier.core.signals._about_claim, verifier.core.verdict.reason_text): the words are
exactly those the plain path (`_message` of a signal made afresh) writes, for every organisation
and language, and nothing of the number asked about is in such a signal. So are the signals about
an official entry (a look-alike's) and those that say only their code; and a judgement weighed
from kept signals alone is kept too (verifier.core.verdict.weighed), the same as weigh() gives."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core import signals
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import normalise
from verifier.core.signals import (
    SIGNALS,
    Context,
    Signal,
    Verdict,
    _about_entry,
    claimed_org_mismatch,
    display_number,
    query_of,
)
from verifier.core.verdict import _message, judge, reason_text, weigh, weighed

CLAIM_CODES = {"claimed_org_mismatch", "claimed_org_mismatch_other_owner", "claimed_org_not_in_list"}
# numbers no organisation or few own: a mobile, a landline, a short code, a foreign number, one
# that is another organisation's (ICBC's 95588, China Construction Bank's 95533)
NUMBERS = ["13912345678", "01065529988", "95123", "+442079460958", "95588", "95533", "4008205555"]


def _claims(kb: Knowledge) -> list[tuple[str, str]]:
    return [(org.id, org.name) for org in sorted({e.organization.id: e.organization for entries in kb.by_org.values()
                                                  for e in entries}.values(), key=lambda o: o.id)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kept_reasons_are_the_words_the_plain_path_writes_for_every_organisation(
        default_registry_knowledge: Knowledge, lang: str) -> None:
    kb = default_registry_knowledge
    checked = 0
    for org_id, _name in _claims(kb):
        claim = kb.names.match(org_id)
        if claim.organization is None or claim.organization.id != org_id:
            continue
        for raw in NUMBERS:
            query = query_of(normalise(raw, "CN"), org_id, claim, None, 0.0, False)
            for signal in claimed_org_mismatch(query, kb):
                assert signal.kept and signal.code in CLAIM_CODES
                plain = _message(dataclasses.replace(signal, kept=False), lang)
                assert reason_text(kb, signal, lang) == plain  # made, then kept
                assert reason_text(kb, signal, lang) is reason_text(kb, signal, lang)  # kept: the same words
                assert [r.message for r in judge(query, kb, lang).reasons if r.code == signal.code] == [plain]
                checked += 1
    assert checked > 100


def test_a_claim_signal_holds_nothing_of_the_number_so_one_is_shared(default_registry_knowledge: Knowledge) -> None:
    kb = default_registry_knowledge
    claim = kb.names.match("工商银行")
    made = [claimed_org_mismatch(query_of(normalise(raw, "CN"), "工商银行", claim, None, 0.0, False), kb)
            for raw in ("13912345678", "13987654321", "01065529988")]
    assert [len(signals) for signals in made] == [1, 1, 1]
    assert made[0][0] is made[1][0] is made[2][0]
    assert set(made[0][0].fields) == {"claimed", "numbers"}


def test_a_reason_is_never_taken_from_another_object_that_reused_an_id(default_registry_knowledge: Knowledge) -> None:
    kb = default_registry_knowledge
    claim = kb.names.match("工商银行")
    signal = claimed_org_mismatch(query_of(normalise("13912345678", "CN"), "工商银行", claim, None, 0.0, False), kb)[0]
    stranger = dataclasses.replace(signal, fields={**signal.fields, "numbers": []})  # kept, but not the snapshot's
    kb.made[("reason", "zh", id(stranger))] = (signal, "words of another signal")
    try:
        assert reason_text(kb, stranger, "zh") == _message(dataclasses.replace(stranger, kept=False), "zh")
    finally:
        del kb.made[("reason", "zh", id(stranger))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signals_about_an_official_entry_are_kept_with_the_plain_words(default_registry_knowledge: Knowledge,
                                                                      lang: str) -> None:
    kb = default_registry_knowledge
    entries = [entry for org_entries in kb.by_org.values() for entry in org_entries]
    for entry in entries:
        for code, verdict, risk, imitates in (("lookalike", Verdict.suspicious, 75, True),
                                              ("letters_substituted", Verdict.suspicious, 80, True),
                                              ("resembles_official", None, 0, False)):
            signal = _about_entry(kb, code, verdict, risk, entry, imitates)
            plain = Signal(code, verdict, risk, {"org": entry.organization, "official": display_number(entry)},
                           imitated=entry if imitates else None)
            assert signal is _about_entry(kb, code, verdict, risk, entry, imitates)  # one per snapshot
            assert dataclasses.replace(signal, kept=False) == plain
            assert reason_text(kb, signal, lang) == _message(plain, lang)
    assert len(entries) > 300


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signals_that_say_only_their_code_have_the_plain_words(default_registry_knowledge: Knowledge,
                                                               lang: str) -> None:
    constants = [value for name, value in vars(signals).items() if name.isupper() and isinstance(value, Signal)]
    assert {s.code for s in constants} >= {"invalid_number", "premium_rate", "sms_sender", "inbound_only_spoof"}
    for signal in constants:
        assert signal.kept and not signal.fields
        assert reason_text(default_registry_knowledge, signal, lang) == \
            _message(dataclasses.replace(signal, kept=False), lang)


@settings(max_examples=400, deadline=None)
@given(raw=st.one_of(st.from_regex(r"9[56][0-9]{3}|1[0-2][0-9]{3}|400[0-9]{7}|1[3-9][0-9]{9}|\+95 ?9[0-9]{8}",
                                   fullmatch=True), st.sampled_from(["95588", "95533", "95599", "95555", "10086"])),
       claim=st.sampled_from([None, "工商银行", "建设银行", "支付宝", "中国移动", "招商银行"]),
       context=st.sampled_from([None, *Context]), lang=st.sampled_from(["zh", "en"]))
def test_a_kept_judgement_is_the_one_weigh_gives(default_registry_knowledge: Knowledge, raw: str, claim: str | None,
                                                  context: Context | None, lang: str) -> None:
    kb = default_registry_knowledge
    match = kb.names.match(claim) if claim else None
    query = query_of(normalise(raw, "CN"), claim, match, context, 0.0, False)
    signals_said = [signal for check in SIGNALS for signal in check(query, kb)]
    if not signals_said:
        return
    plain = weigh(query, kb, signals_said, lang)
    assert weighed(query, kb, signals_said, lang) == plain  # made, or kept by an earlier example
    assert weighed(query, kb, signals_said, lang) == plain  # kept
    if all(signal.kept for signal in signals_said):
        assert weighed(query, kb, signals_said, lang) is weighed(query, kb, signals_said, lang)


def test_a_judgement_is_kept_only_when_every_signal_is(default_registry_knowledge: Knowledge) -> None:
    kb = default_registry_knowledge
    match = kb.names.match("工商银行")
    kept = query_of(normalise("95123", "CN"), "工商银行", match, None, 0.0, False)
    said = [signal for check in SIGNALS for signal in check(kept, kb)]
    assert said and all(signal.kept for signal in said)
    assert weighed(kept, kb, said, "zh") is weighed(kept, kb, said, "zh")
    fresh = [dataclasses.replace(signal, kept=False) for signal in said]  # equal, but not made once
    assert weighed(kept, kb, fresh, "zh") == weighed(kept, kb, said, "zh")
    assert weighed(kept, kb, fresh, "zh") is not weighed(kept, kb, fresh, "zh")

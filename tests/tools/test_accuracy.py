"""make accuracy's measurements, on a fixed sample, held to the targets of docs/accuracy.md."""

from __future__ import annotations

import pytest

from tools import accuracy


@pytest.fixture(scope="module")
def rates() -> dict[str, accuracy.Rate]:
    return {rate.name: rate for rate in accuracy.run(sample=300)}


@pytest.mark.parametrize("name", sorted(accuracy.TARGETS))
def test_each_accuracy_target_is_met_on_the_fixed_sample(rates: dict[str, accuracy.Rate], name: str) -> None:
    rate = rates[name]
    assert rate.total > 0, f"{name}: nothing measured"
    assert rate.met, f"{name}: {rate.value:.2%} ({rate.hits}/{rate.total}); wrong: {rate.defects[:20]}"


def test_the_held_out_sms_are_a_fixed_third_of_the_corpus_and_the_fresh_set_is_apart() -> None:
    texts = [row["text"] for name in ("sms_legitimate.csv", "sms_scam.csv")
             for row in accuracy.read_csv(accuracy.DATA / name)]
    held = [text for text in texts if accuracy.held_out(text)]
    assert 0.2 < len(held) / len(texts) < 0.45
    fresh = {row["text"] for row in accuracy.read_csv(accuracy.DATA / "fresh_scam.csv")}
    assert fresh and not fresh & set(texts)
    assert all(row["source"] and row["licence"] for name in ("sms_legitimate.csv", "sms_scam.csv", "fresh_scam.csv")
               for row in accuracy.read_csv(accuracy.DATA / name))


def test_a_rate_lists_its_wrong_answers_by_name() -> None:
    low = accuracy.Rate("legitimate SMS flagged (held out)", low_is_good=True)
    low.add(True, "a false alarm")
    low.add(False, "fine")
    high = accuracy.Rate("scam SMS caught (fresh set, never tuned on)")
    high.add(False, "a miss")
    high.add(True, "caught")
    assert low.defects == ["a false alarm"] and high.defects == ["a miss"]
    assert low.value == 0.5 and low.met is False and high.met is False


def test_one_edit_variants_are_exactly_the_strings_one_edit_away() -> None:
    from verifier.core.lookalike import one_edit_apart

    variants = set(accuracy.one_edit_variants("95588"))
    assert "95588" not in variants
    assert {"95589", "9558", "955888", "95858", "195588"} <= variants
    assert all(one_edit_apart("95588", v) for v in variants)

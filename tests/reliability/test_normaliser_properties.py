"""Properties of the number normaliser that tests/core/numbers/test_numbers.py does not state.

- Any Unicode string at all (surrogates, controls, every plane) in any region text either reads
  as a number or raises NotANumber with one of its documented codes: nothing else escapes.
- The canonical key is a fixed point, for numbers written with any script's digits, invisible
  characters and separators, whatever region the key is read in: an E.164 key reads as itself,
  and the text after "CN:" of any other key (a short code, an area-qualified local code such as
  "CN:0731-96511", a 106 SMS sender) reads as the same key in the key's region.
- Bidi controls and zero-width characters are handled on purpose: every Unicode format
  character (category Cf, not only the listed ones) inside a number is removed and flagged, at
  the edges removed silently, and a bidi override never changes which digits are read: the key
  is the number a phone would dial (the logical order), not the one the eye sees.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.numbers.reading import NormalisedNumber, NotANumber, NumberType, key_parts, normalise

CODES = {"empty", "no_digits", "too_long", "too_short", "bad_characters", "unknown_region"}
FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
DIGIT_SCRIPTS = sorted({chr(c - unicodedata.decimal(chr(c))) for c in range(sys.maxunicode + 1)
                        if unicodedata.decimal(chr(c), None) is not None})  # each script's zero
VALID = ["95588", "021-95561", "13800138000", "+86 21 2891 3888", "400-820-9999", "+44 7737 359848", "96110",
         "+852 2287 6767", "0519-96005", "17012345678", "+1 866 410 0458", "0086 10 6608 5566",
         "0731-96511", "96511", "1065795555", "95105555", "1008611", "17975003547"]
OVERRIDES = [("\u202e", "\u202c"), ("\u202d", "\u202c"), ("\u2067", "\u2069"), ("\u2066", "\u2069"),
             ("\u200f", ""), ("\u061c", "")]

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)  # surrogates included
REGION_TEXT = st.one_of(st.sampled_from(["CN", "cn", "US", "GB", "HK", "MO", "TW", "XX", "", "C", "CHN"]),
                        st.text(max_size=4))


def _check(text: object, region: object) -> NormalisedNumber | None:
    try:
        number = normalise(text, region)  # type: ignore[arg-type]
    except NotANumber as exc:
        assert exc.code in CODES, (text, region, exc.code)
        assert str(exc).strip(), (text, region)
        assert isinstance(exc, ValueError)
        return None
    assert isinstance(number, NormalisedNumber)
    assert number.key.startswith("+") or number.key.split(":", 1)[0].isalpha()
    return number


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT, REGION_TEXT)
def test_any_unicode_text_in_any_region_normalises_or_raises_a_documented_not_a_number(text: str,
                                                                                       region: str) -> None:
    _check(text, region)


@pytest.mark.parametrize("value", [None, b"95588", 95588, 95588.0, ["95588"], {"number": "95588"}, object()])
def test_things_that_are_not_text_raise_not_a_number(value: object) -> None:
    with pytest.raises(NotANumber):
        normalise(value)  # type: ignore[arg-type]


def _in_script(text: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(ch)) if ch.isdigit() and ch.isascii() else ch for ch in text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.sampled_from(DIGIT_SCRIPTS))
def test_digits_of_any_script_read_as_the_same_number(text: str, zero: str) -> None:
    assert normalise(_in_script(text, zero)).key == normalise(text).key


NUMBERISH = st.lists(
    st.one_of(
        st.sampled_from(list("0123456789") * 4 + list(" -.()+/")),
        st.sampled_from(DIGIT_SCRIPTS).flatmap(lambda zero: st.integers(0, 9).map(lambda d: chr(ord(zero) + d))),
        st.sampled_from(FORMAT_CHARACTERS),
        st.sampled_from(["00", "+86", "+1", "+44", "tel:", "转3", ";", "(0)", "96511", "0731", "106", "95"]),
    ),
    min_size=1, max_size=24,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(NUMBERISH, st.sampled_from(VALID)), st.sampled_from(["CN", "US", "GB", "HK", "DE"]),
       st.sampled_from(["CN", "US", "GB", "HK", "DE"]))
def test_the_canonical_key_is_a_fixed_point_whatever_region_reads_it(text: str, region: str, other: str) -> None:
    number = _check(text, region)
    if number is None:
        return
    if number.type is NumberType.short_code or not number.key.startswith("+"):
        assert number.region is not None
        region_part, written = key_parts(number.key)  # "CN:0731-96511" → ("CN", "0731-96511")
        assert region_part == number.region
        again = normalise(written, number.region)  # the text after "CN:" is the code as dialled
    else:
        again = normalise(number.key, other)  # an E.164 key means the same number from anywhere
    assert again.key == number.key
    assert normalise(again.key if again.key.startswith("+") else key_parts(again.key)[1],
                     again.region or other).key == number.key


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(VALID), st.data())
def test_every_format_character_inside_a_number_is_removed_and_flagged(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    hidden = "".join(data.draw(st.lists(st.sampled_from(FORMAT_CHARACTERS), min_size=1, max_size=4)))
    number = normalise(text[:position] + hidden + text[position:])
    assert number.key == normalise(text).key
    assert "invisible_characters_removed" in number.flags


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.lists(st.sampled_from(FORMAT_CHARACTERS), max_size=3).map("".join),
       st.lists(st.sampled_from(FORMAT_CHARACTERS), max_size=3).map("".join))
def test_format_characters_at_the_edges_are_removed_without_a_flag(text: str, before: str, after: str) -> None:
    plain = normalise(text)
    number = normalise(before + text + after)
    assert number.key == plain.key and number.flags == plain.flags


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FORMAT_CHARACTERS + [" ", "\t"]), min_size=0, max_size=10).map("".join))
def test_text_of_nothing_but_invisible_characters_is_empty(text: str) -> None:
    with pytest.raises(NotANumber) as caught:
        normalise(text)
    assert caught.value.code == "empty"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.sampled_from(OVERRIDES), st.integers(min_value=0, max_value=2))
def test_a_bidi_override_never_changes_which_digits_are_read(text: str, override: tuple[str, str],
                                                             where: int) -> None:
    start, end = override
    if where == 0:  # the whole number, as a page would wrap it
        wrapped = start + text + end
    elif where == 1:  # inside, where it hides
        middle = len(text) // 2
        wrapped = text[:middle] + start + text[middle:] + end
    else:  # around its second half only
        middle = len(text) // 2
        wrapped = text[:middle] + start + text[middle:][::-1] + end
    logical = "".join(ch for ch in wrapped if unicodedata.category(ch) != "Cf")
    assert _outcome(wrapped) == _outcome(logical)  # the digits in the order they are stored and dialled


def _outcome(text: str) -> str:
    try:
        return normalise(text).key
    except NotANumber as exc:
        return exc.code


def test_a_reversed_display_is_not_mistaken_for_the_number_it_shows() -> None:
    """'\\u202e88559' shows as 95588 (ICBC) but dials 88559: it is read as 88559, never as ICBC's number."""
    shown_as_icbc = normalise("\u202e88559")
    assert shown_as_icbc.key == normalise("88559").key != normalise("95588").key
    hidden = normalise("955\u202e88\u202c")
    assert hidden.key == "CN:95588" and "invisible_characters_removed" in hidden.flags

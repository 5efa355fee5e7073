"""verifier.core.numbers.reading: pasted text → one canonical number (see the module docstring)."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.numbers.places import describe
from verifier.core.numbers.reading import NormalisedNumber, NotANumber, NumberType, normalise

DATA = Path(__file__).resolve().parents[2] / "data" / "format_examples.tsv"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c",
             "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


# --- the shared format examples, one case per row ---------------------------------------

def test_format_examples_file_keeps_every_original_row_and_column() -> None:
    assert len(ROWS) == 51
    assert list(ROWS[0])[:3] == ["raw_string", "kind", "source"]
    assert all(row["raw_string"] and row["kind"] and row["source"] for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[f"{i:02d}-{r['raw_string']}" for i, r in enumerate(ROWS)])
def test_format_example_reads_as_the_row_expects(row: dict[str, str]) -> None:
    text = row["input"] or row["raw_string"]
    if row["expected_error"]:
        with pytest.raises(NotANumber) as caught:
            normalise(text, row["region"])
        assert caught.value.code == row["expected_error"]
        return
    number = normalise(text, row["region"])
    assert number.key == row["expected_key"]
    assert number.region == (row["expected_region"] or None)
    assert number.type == NumberType(row["expected_type"])
    assert number.valid is (row["expected_valid"] == "true")
    assert number.extension == (row["expected_extension"] or None)
    assert number.area_code == (row["expected_area_code"] or None)
    assert number.dialled_international is (row["expected_international"] == "true")
    assert set(number.flags) == set(filter(None, row["expected_flags"].split(";")))
    assert number.raw == text
    if number.type is NumberType.short_code:
        assert number.e164 is None
        qualified = f"0{number.area_code}-" if number.family == "cn_local_96" else ""
        assert number.key == f"{number.region}:{qualified}{number.national_number}"
    else:
        assert number.e164 == (number.key if number.country_code else None)


# --- table tests --------------------------------------------------------------------------

@pytest.mark.parametrize(("fullwidth", "ascii_"), [
    ("９５５８８", "95588"),
    ("＋８６ １３８ ００１３ ８０００", "+86 138 0013 8000"),
    ("０５１９－９６００５", "0519-96005"),
    ("４００－８２０－９９９９", "400-820-9999"),
    ("（０１０）６５８８３００１", "(010)65883001"),
])
def test_fullwidth_digits_normalise_to_the_same_key(fullwidth: str, ascii_: str) -> None:
    assert normalise(fullwidth).key == normalise(ascii_).key


@pytest.mark.parametrize(("uri", "key", "extension"), [
    ("tel:+86-10-6608-5566", "+861066085566", None),
    ("TEL:+86-10-6608-5566;ext=12", "+861066085566", "12"),
    ("tel:010-6608-5566;phone-context=+86", "+861066085566", None),
    ("tel:+64-3-331-6005;isub=12345", "+6433316005", None),
    ("tel:95188;3", "CN:95188", "3"),
    ("tel:95588", "CN:95588", None),
])
def test_tel_uris_give_number_and_extension(uri: str, key: str, extension: str | None) -> None:
    number = normalise(uri)
    assert (number.key, number.extension) == (key, extension)


@pytest.mark.parametrize(("text", "key", "extension"), [
    ("95511转3", "CN:95511", "3"),
    ("95511 转 3", "CN:95511", "3"),
    ("95511转分机3", "CN:95511", "3"),
    ("95188;3", "CN:95188", "3"),
    ("4009-100-100,1", "+864009100100", "1"),
    ("95561,1,777", "CN:95561", "1,777"),
    ("+86 10 6608 5566 ext. 12", "+861066085566", "12"),
    ("+86 10 6608 5566 ext 12", "+861066085566", "12"),
    ("+1 866 410 0458 x 7", "+18664100458", "7"),
    ("95588#1", "CN:95588", "1"),
    ("95588按1", "CN:95588", "1"),
    ("95561-6", "CN:95561", "6"),
    ("95561 - 6", "CN:95561", "6"),
    ("95588-12", "CN:95588", "12"),
    ("95561-1 then 777", "CN:95561", "1,777"),
    ("95588;", "CN:95588", None),
])
def test_extensions_and_ivr_digits_are_split_off(text: str, key: str, extension: str) -> None:
    number = normalise(text)
    assert (number.key, number.extension) == (key, extension)


def test_a_dash_inside_a_number_is_not_a_menu_suffix() -> None:
    assert normalise("400-8209999").extension is None
    assert normalise("955616").key == "CN:955616"  # a 6-digit short code written in one piece


@pytest.mark.parametrize("text", [
    "+86 21 2891 3888", "0086 21 2891 3888", "86-21-28913888", "+86-021-28913888",
    "+86 (0)21 2891 3888", "021-2891 3888", "(021) 2891-3888", "＋８６２１２８９１３８８８",
])
def test_international_prefixes_and_trunk_zero_give_the_same_key(text: str) -> None:
    assert normalise(text).key == "+862128913888"


@pytest.mark.parametrize(("text", "international"), [
    ("+86 21 2891 3888", True), ("0086 21 2891 3888", True), ("86-21-28913888", True),
    ("021-2891 3888", False), ("2128913888", False),
])
def test_dialled_international_is_set_by_plus_00_or_country_code(text: str, international: bool) -> None:
    assert normalise(text).dialled_international is international


def test_trunk_zero_after_country_code_is_dropped_and_flagged() -> None:
    number = normalise("+86-010-12345678")
    assert number.key == "+861012345678"
    assert number.national_number == "1012345678"
    assert "trunk_prefix_after_country_code" in number.flags
    assert "trunk_prefix_after_country_code" not in normalise("+86-10-12345678").flags


@pytest.mark.parametrize("text", ["+95588", "0095588", "＋９５５８８", "+95 588", "00 95 588"])
def test_foreign_prefix_on_95588_reads_as_an_invalid_myanmar_number(text: str) -> None:
    number = normalise(text)
    assert number.key == "+95588"
    assert (number.region, number.country_code, number.national_number) == ("MM", 95, "588")
    assert number.valid is False
    assert number.type is NumberType.unknown
    assert number.dialled_international is True


@pytest.mark.parametrize(("text", "key", "area"), [
    ("010-95580", "CN:95580", "10"),
    ("021-95561", "CN:95561", "21"),
    ("025-96110", "CN:96110", "25"),
    ("0519-96005", "CN:0519-96005", "519"),
    ("0871-96533", "CN:0871-96533", "871"),
    ("(010)95580", "CN:95580", "10"),
    ("+86 21 95561", "CN:95561", "21"),
    ("+86-021-95561", "CN:95561", "21"),
    ("86-21-962811", "CN:021-962811", "21"),
])
def test_area_code_before_a_short_code_is_split_off(text: str, key: str, area: str) -> None:
    number = normalise(text)
    assert (number.key, number.area_code, number.type) == (key, area, NumberType.short_code)
    assert number.e164 is None


@pytest.mark.parametrize(("text", "key"), [
    ("021-28913888", "+862128913888"),  # a real 8-digit local number stays a fixed line
    ("0600-95588", "+8660095588"),  # 0600 is no area code: not read as 95588
])
def test_no_area_code_split_without_a_real_area_code_and_short_code(text: str, key: str) -> None:
    number = normalise(text)
    assert (number.key, number.area_code) == (key, None)


@pytest.mark.parametrize(("text", "key"), [
    ("95588", "CN:95588"), ("96110", "CN:96110"), ("10086", "CN:10086"), ("12321", "CN:12321"),
    ("110", "CN:110"), ("955 16", "CN:95516"), ("“96110”", "CN:96110"), ("Tel: 95588", "CN:95588"),
    ("+86 95566", "CN:95566"), ("0086 95566", "CN:95566"),
])
def test_china_short_service_numbers_are_short_codes(text: str, key: str) -> None:
    number = normalise(text)
    assert (number.key, number.type, number.valid, number.e164) == (key, NumberType.short_code, True, None)
    assert number.letters_mapped is False


def test_placeholder_area_code_is_removed_and_flagged() -> None:
    number = normalise("+86(区号)95566")
    assert (number.key, number.dialled_international) == ("CN:95566", True)
    assert number.flags == ("placeholder_area_code",)
    assert normalise("+86 (area code) 95566").key == "CN:95566"


@pytest.mark.parametrize(("text", "key"), [
    ("9558O", "CN:95580"), ("955l8", "CN:95518"), ("955I8", "CN:95518"), ("955|8", "CN:95518"),
    ("l0086", "CN:10086"), ("+86 l38 OOl3 8OOO", "+8613800138000"), ("9558о", "CN:95580"),
])
def test_homoglyph_letters_are_mapped_and_flagged(text: str, key: str) -> None:
    number = normalise(text)
    assert (number.key, number.letters_mapped) == (key, True)


def test_letters_of_a_label_are_not_mapped() -> None:
    for text in ("Tel95588", "Tel: 95588", "Num-123", "Hello 95588"):
        assert normalise(text).letters_mapped is False


@pytest.mark.parametrize("text", ["Tel:0800 FOR PIZZA", "1-800-FLOWERS", "95588 工商银行", "955a88",
                                  "95588 ext", "95588\n95566"])
def test_vanity_letters_text_after_the_number_and_line_breaks_are_rejected(text: str) -> None:
    with pytest.raises(NotANumber) as caught:
        normalise(text)
    assert caught.value.code == "bad_characters"


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_invisible_characters_inside_a_number_are_removed_and_flagged(invisible: str) -> None:
    number = normalise(f"955{invisible}88")
    assert number.key == "CN:95588"
    assert "invisible_characters_removed" in number.flags


def test_invisible_characters_at_the_edges_are_removed_without_a_flag() -> None:
    number = normalise("\ufeff95588\u200b")
    assert (number.key, number.flags) == ("CN:95588", ())


@pytest.mark.parametrize("text", ["17012345678", "17112345678", "16212345678", "16512345678",
                                  "16712345678"])
def test_virtual_operator_mobile_ranges_are_flagged(text: str) -> None:
    number = normalise(text)
    assert number.type is NumberType.mobile
    assert "virtual_operator_range" in number.flags


def test_ordinary_mobile_has_no_virtual_operator_flag() -> None:
    number = normalise("13800138000")
    assert (number.key, number.type, number.flags) == ("+8613800138000", NumberType.mobile, ())


@pytest.mark.parametrize(("text", "kind"), [
    ("400-820-9999", NumberType.shared_cost), ("4008209999", NumberType.shared_cost),
    ("800-820-8820", NumberType.toll_free), ("+86 800 820 8820", NumberType.toll_free),
])
def test_china_400_is_shared_cost_and_800_is_toll_free(text: str, kind: NumberType) -> None:
    assert normalise(text).type is kind


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty"), ("   ", "empty"), ("\u200b", "empty"), ("abc", "no_digits"), ("+", "no_digits"),
    ("1" * 65, "too_long"), ("9" * 19, "too_long"), ("12", "too_short"), ("1", "too_short"),
    ("+86", "too_short"), ("001", "too_short"),
])
def test_text_that_is_not_a_number_raises_not_a_number_with_a_code(text: str, code: str) -> None:
    with pytest.raises(NotANumber) as caught:
        normalise(text)
    assert caught.value.code == code
    assert str(caught.value)[:1].isupper() or str(caught.value)[:1] in "'\""


def test_unknown_region_raises_not_a_number_and_region_is_case_insensitive() -> None:
    with pytest.raises(NotANumber) as caught:
        normalise("95588", "XX")
    assert caught.value.code == "unknown_region"
    assert normalise("95588", "cn") == normalise("95588", "CN")


def test_text_that_is_not_a_string_raises_not_a_number() -> None:
    with pytest.raises(NotANumber):
        normalise(95588)  # type: ignore[arg-type]


def test_unassigned_country_code_is_an_invalid_number_not_an_error() -> None:
    number = normalise("+999 1234")
    assert (number.key, number.valid, number.country_code, number.region) == ("+9991234", False, None, None)


@pytest.mark.parametrize(("text", "region", "key", "number_region"), [
    ("+44 7737 359848", "CN", "+447737359848", "GB"),
    ("07737359848", "GB", "+447737359848", "GB"),
    ("866-410-0458", "US", "+18664100458", "US"),
    ("(852) 2287-6767", "CN", "+85222876767", "HK"),
    ("2287 6767", "HK", "+85222876767", "HK"),
    ("+853 1888", "CN", "+8531888", "MO"),
    ("999", "GB", "GB:999", "GB"),
    ("+1 911", "CN", "US:911", "US"),
])
def test_numbers_of_other_regions(text: str, region: str, key: str, number_region: str) -> None:
    number = normalise(text, region)
    assert (number.key, number.region) == (key, number_region)


def test_fixed_line_or_mobile_maps_to_fixed_line_with_a_flag() -> None:
    number = normalise("6785050054", "US")
    assert (number.type, number.flags) == (NumberType.fixed_line, ("fixed_line_or_mobile",))


def test_readings_of_short_texts_are_kept_longer_ones_read_again_and_all_are_frozen() -> None:
    first = normalise("95561-6")
    assert normalise("95561-6") is first  # a short code, asked again and again: kept
    longer = normalise("021-95561")
    assert normalise("021-95561") == longer and normalise("021-95561") is not longer
    for reading in (first, longer):
        with pytest.raises(dataclasses.FrozenInstanceError):
            reading.key = "x"  # type: ignore[misc]


# --- describe -----------------------------------------------------------------------------

def test_describe_gives_carrier_and_location_in_chinese_and_english() -> None:
    mobile = normalise("13800138000")
    assert describe(mobile, "zh") == ("中国移动", "北京市")
    assert describe(mobile, "en") == ("China Mobile", "Beijing")
    assert describe(normalise("021-2891 3888"), "en") == (None, "Shanghai")


def test_describe_is_none_for_short_codes_and_invalid_numbers() -> None:
    assert describe(normalise("95588")) == (None, None)
    assert describe(normalise("021-95561")) == (None, None)
    assert describe(normalise("+95588")) == (None, None)


# --- properties ---------------------------------------------------------------------------

PHONEISH = st.lists(
    st.sampled_from(list("0123456789+-() .;,#x转lIO|０１９５＋") + ["ext", "tel:", "\u200b", "区号"]),
    max_size=20,
).map("".join)
REGIONS = st.sampled_from(["CN", "US", "GB", "HK"])
VALID_NUMBERS = ["95588", "021-95561", "13800138000", "+86 21 2891 3888", "400-820-9999",
                 "+44 7737 359848", "96110", "+852 2287 6767", "0519-96005", "17012345678"]


def _normalise_or_none(text: str, region: str = "CN") -> NormalisedNumber | None:
    try:
        return normalise(text, region)
    except NotANumber:
        return None


@settings(max_examples=300, deadline=None)
@given(st.text(), REGIONS)
def test_any_text_either_normalises_or_raises_not_a_number(text: str, region: str) -> None:
    result = _normalise_or_none(text, region)
    assert result is None or isinstance(result, NormalisedNumber)


@settings(max_examples=300, deadline=None)
@given(PHONEISH, REGIONS)
def test_phone_like_text_either_normalises_or_raises_not_a_number(text: str, region: str) -> None:
    result = _normalise_or_none(text, region)
    assert result is None or isinstance(result, NormalisedNumber)


@settings(max_examples=300, deadline=None)
@given(st.one_of(PHONEISH, st.sampled_from(VALID_NUMBERS)), REGIONS)
def test_normalising_the_key_again_gives_the_same_key(text: str, region: str) -> None:
    number = _normalise_or_none(text, region)
    if number is None:
        return
    if not number.key.startswith("+"):  # short codes and SMS senders: the text after "CN:" reads as the key
        assert number.region is not None
        again = normalise(number.key.split(":", 1)[1], number.region)
    else:
        again = normalise(number.key, region)
    assert again.key == number.key


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID_NUMBERS), st.data())
def test_invisible_characters_inserted_into_a_valid_number_keep_its_key_and_set_the_flag(
        text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    hidden = "".join(data.draw(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=3)))
    number = normalise(text[:position] + hidden + text[position:])
    assert number.key == normalise(text).key
    assert "invisible_characters_removed" in number.flags

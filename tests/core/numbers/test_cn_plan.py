"""China's numbering plan beyond phonenumbers' metadata (verifier.core.numbers.cn_plan, docs/numbers.md):
the families it misses, 106 SMS senders, area-qualified keys for local 96 codes, and 11-digit
numbers starting with 1. Every fact here is in ../shared/data/README.md or docs/numbers.md."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.numbers import cn_plan
from verifier.core.numbers.places import describe
from verifier.core.numbers.reading import KEY_SCHEME, NotANumber, NumberType, key_parts, normalise

# --- families phonenumbers' metadata misses: valid short codes, each with its family ---------

@pytest.mark.parametrize(("text", "family"), [
    ("95105555", "cn_national_95"), ("9510-5555", "cn_national_95"), ("95169999", "cn_national_95"),
    ("95071950", "cn_national_95"),
    ("12580", "cn_service_125"), ("12530", "cn_service_125"),
    ("11185", "cn_postal_11"), ("11183", "cn_postal_11"), ("11888", "cn_postal_11"),
    ("1008611", "cn_operator_line"), ("1001011", "cn_operator_line"),
    ("118114", "cn_directory"), ("116114", "cn_directory"),
    ("999", "cn_emergency"),
])
def test_a_family_phonenumbers_misses_reads_as_a_valid_short_code_of_its_family(text: str, family: str) -> None:
    number = normalise(text)
    digits = text.replace("-", "")
    assert (number.key, number.type, number.valid, number.family) == (f"CN:{digits}", NumberType.short_code, True,
                                                                      family)
    assert (number.e164, number.region, number.national_number, number.flags) == (None, "CN", digits, ())


@pytest.mark.parametrize("text", ["+86 95105555", "0086 12580", "+86 11185", "+86 999", "+86 118114"])
def test_a_family_phonenumbers_misses_reads_the_same_behind_plus_86(text: str) -> None:
    number = normalise(text)
    assert number.key == normalise(text.split(" ", 1)[1]).key and number.dialled_international


@pytest.mark.parametrize(("text", "family"), [
    ("95588", "cn_national_95"), ("956186", "cn_national_95"), ("110", "cn_emergency"), ("120", "cn_emergency"),
    ("114", "cn_directory"), ("10086", "cn_operator_line"), ("12345", "cn_public_12"), ("12306", "cn_public_12"),
    ("96110", "cn_nationwide_96"), ("96511", "cn_local_96"), ("962811", "cn_local_96"),
])
def test_short_codes_phonenumbers_knows_are_named_by_their_family(text: str, family: str) -> None:
    assert normalise(text).family == family


@pytest.mark.parametrize("text", ["13800138000", "+86 21 2891 3888", "400-820-9999", "+44 7737 359848", "+95588"])
def test_ordinary_numbers_have_no_family(text: str) -> None:
    assert normalise(text).family is None


def test_a_menu_digit_after_a_family_phonenumbers_misses_is_an_extension() -> None:
    number = normalise("11185-1")
    assert (number.key, number.extension) == ("CN:11185", "1")


# --- 106 SMS sender codes ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["10690000", "1065795555", "10657955555", "106980095588", "1069 1969 9555 68",
                                  "106" + "9" * 17, "+86 10657955555", "+86 106980095588"])
def test_a_106_sender_code_reads_as_an_sms_sender_that_cannot_be_called(text: str) -> None:
    number = normalise(text)
    digits = text.removeprefix("+86 ").replace(" ", "")
    assert (number.key, number.type, number.valid, number.family) == (f"CN:{digits}", NumberType.sms_sender, True,
                                                                      "cn_sms_sender_106")
    assert number.e164 is None and describe(number) == (None, None)
    assert normalise(digits).key == number.key  # a fixed point


def test_a_sender_code_of_twenty_digits_is_read_and_one_of_twenty_one_is_too_long() -> None:
    assert normalise("106" + "1" * 17).type is NumberType.sms_sender
    with pytest.raises(NotANumber) as caught:
        normalise("106" + "1" * 18)
    assert caught.value.code == "too_long"


@pytest.mark.parametrize("text", ["9" * 19, "9" * 20, "+86 138 0013 8000 123456", "00 86 138 0013 8000 1234"])
def test_numbers_other_than_sender_codes_keep_the_limit_of_eighteen_digits(text: str) -> None:
    with pytest.raises(NotANumber) as caught:
        normalise(text)
    assert caught.value.code == "too_long"


def test_a_beijing_line_behind_plus_86_is_not_a_sender_but_the_same_digits_dialled_in_china_are() -> None:
    beijing = normalise("+86 10 6579 5555")  # 010-6579 5555
    assert (beijing.key, beijing.type, beijing.family) == ("+861065795555", NumberType.fixed_line, None)
    assert normalise("010-6579 5555").key == "+861065795555"
    assert normalise("1065795555").type is NumberType.sms_sender  # no trunk 0: no Beijing line dialled in China


def test_a_short_106_code_of_fewer_than_eight_digits_is_not_a_sender() -> None:
    number = normalise("10655")
    assert (number.type, number.family) == (NumberType.short_code, None)


# --- area-qualified keys for local 96 codes ----------------------------------------------------

@pytest.mark.parametrize("text", ["0731-96511", "+86 731 96511", "073196511", "(0731) 96511", "0086 731 96511",
                                  "86-731-96511", "０７３１－９６５１１"])
def test_a_local_96_code_written_with_its_area_code_is_keyed_with_it(text: str) -> None:
    number = normalise(text)
    assert (number.key, number.area_code, number.national_number, number.family) == (
        "CN:0731-96511", "731", "96511", "cn_local_96")
    assert (number.type, number.valid, number.e164) == (NumberType.short_code, True, None)
    assert "area_code_needed" not in number.flags


def test_the_same_local_code_in_two_cities_is_two_numbers() -> None:
    keys = {normalise(text).key for text in ("0731-96511", "0755-96511", "028-96511", "010-96511")}
    assert keys == {"CN:0731-96511", "CN:0755-96511", "CN:028-96511", "CN:010-96511"}


@pytest.mark.parametrize("text", ["96511", "+86 96511", "962811", "“96533”"])
def test_a_bare_local_code_is_valid_but_flagged_area_code_needed(text: str) -> None:
    number = normalise(text)
    digits = text.strip("“”").removeprefix("+86 ")
    assert (number.key, number.type, number.valid, number.family) == (f"CN:{digits}", NumberType.short_code, True,
                                                                      "cn_local_96")
    assert number.area_code is None and "area_code_needed" in number.flags


@pytest.mark.parametrize(("text", "key", "area"), [
    ("025-96110", "CN:96110", "25"), ("96110", "CN:96110", None), ("+86 25 96110", "CN:96110", "25"),
    ("021-12345", "CN:12345", "21"), ("021-95561", "CN:95561", "21"), ("0731 95511", "CN:95511", "731"),
])
def test_codes_meaning_the_same_service_in_every_city_stay_keyed_bare(text: str, key: str, area: str | None) -> None:
    number = normalise(text)
    assert (number.key, number.area_code) == (key, area)
    assert "area_code_needed" not in number.flags


def test_the_nationwide_96_codes_are_a_small_sourced_list() -> None:
    assert cn_plan.NATIONWIDE_96_CODES == frozenset({"96110"})
    assert not cn_plan.is_area_local("96110") and cn_plan.is_area_local("96511")


@pytest.mark.parametrize("key", ["CN:0731-96511", "CN:028-96511", "CN:010-962811", "CN:96511", "CN:96110",
                                 "CN:1065795555", "CN:95105555", "CN:1008611"])
def test_every_new_kind_of_key_is_a_fixed_point_of_the_text_after_its_colon(key: str) -> None:
    region, written = key_parts(key)
    assert region == "CN" and written == key.removeprefix("CN:")
    assert normalise(written, region).key == key


@settings(max_examples=300, deadline=None)
@given(area=st.sampled_from(["10", "21", "28", "731", "755", "871", "519"]),
       code=st.from_regex(r"96[0-9]{3,4}", fullmatch=True),
       form=st.sampled_from(["0{a}-{c}", "+86 {a} {c}", "0{a}{c}", "(0{a}){c}", "86-{a}-{c}"]))
def test_any_area_code_before_any_96_code_gives_a_key_that_reads_as_itself(area: str, code: str, form: str) -> None:
    try:
        number = normalise(form.format(a=area, c=code))
    except NotANumber:
        return
    if number.type is NumberType.short_code and number.area_code is not None:
        expected = f"CN:0{area}-{code}" if code not in cn_plan.NATIONWIDE_96_CODES else f"CN:{code}"
        assert number.key == expected
    assert normalise(key_parts(number.key)[1], number.region or "CN").key == number.key


def test_the_key_scheme_records_the_area_qualified_rules() -> None:
    assert KEY_SCHEME == 2


# --- 11-digit numbers starting with 1 are phone number questions --------------------------

def test_an_eleven_digit_number_behind_a_carrier_prefix_is_an_impossible_number_not_an_error() -> None:
    number = normalise("17975003547")
    assert (number.key, number.valid, number.type, number.region) == ("+8617975003547", False, NumberType.unknown,
                                                                      "CN")
    assert normalise(number.key).key == number.key


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_any_eleven_digits_starting_with_1_read_in_china_is_a_number(digits: str) -> None:
    number = normalise(digits)
    if number.type is NumberType.sms_sender:
        assert number.key == f"CN:{digits}"
    else:
        assert (number.key, number.national_number) == (f"+86{digits}", digits)
    assert normalise(number.key if number.key.startswith("+") else digits).key == number.key


async def test_the_verify_answer_names_the_number_family(client: Any) -> None:
    answer = await (await client.get("/api/v1/verify", params={"number": "0731-96511"})).json()
    assert answer["number"]["key"] == "CN:0731-96511" and answer["number"]["family"] == "cn_local_96"
    sender = await (await client.get("/api/v1/verify", params={"number": "1065795555"})).json()
    assert (sender["number"]["type"], sender["number"]["family"]) == ("sms_sender", "cn_sms_sender_106")
    impossible = await client.get("/api/v1/verify", params={"number": "17975003547"})
    assert impossible.status == 200 and (await impossible.json())["number"]["valid"] is False


@pytest.mark.parametrize("raw", ["9555801", "955981112", "10086021", "121231100", "100003", "101906", "12583110086"])
def test_a_nationwide_code_with_its_menu_digits_reads_as_a_valid_short_code_keyed_whole(raw: str) -> None:
    number = normalise(raw)
    assert (number.valid, number.type, number.family, number.key) == \
        (True, NumberType.short_code, "cn_code_with_menu", f"CN:{raw}")


@pytest.mark.parametrize("raw", ["+86 1380013800", "4008205555", "13800138000", "0731-96511", "95588"])
def test_the_menu_reading_never_replaces_another_reading(raw: str) -> None:
    assert normalise(raw).family != "cn_code_with_menu"

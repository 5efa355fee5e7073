"""verifier.core.numbers.fast_path's shortcut past phonenumbers.parse for mobile-shaped CN numbers must give
exactly what phonenumbers.parse gives, for every input it takes, and leave the rest to it."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.core.numbers import fast_path, places
from verifier.core.numbers import reading as numbers
from verifier.core.numbers.reading import normalise

REGIONS = ["CN", "US", "GB", "HK", "MM"]


def _parse(dial: str, region: str) -> phonenumbers.PhoneNumber | str:
    try:
        return phonenumbers.parse(dial, region, keep_raw_input=True)
    except phonenumbers.NumberParseException as exc:
        return f"error {exc.error_type}"


def _fast(dial: str, region: str) -> phonenumbers.PhoneNumber | str:
    try:
        return fast_path.parse_dial(dial, region)
    except phonenumbers.NumberParseException as exc:
        return f"error {exc.error_type}"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("plus", ["", "+86"])
def test_shortcut_parses_every_three_digit_prefix_as_phonenumbers_does(region: str, plus: str) -> None:
    for prefix in range(100, 200):
        for rest in ("00000000", "12345678", "99999999", "00010000", "79510086", "51001234", "51008613"):
            dial = f"{plus}{prefix}{rest}"
            assert _fast(dial, region) == _parse(dial, region), dial


@settings(max_examples=400, deadline=None)
@given(dial=st.from_regex(r"(\+86|\+)?1[0-9]{9,11}", fullmatch=True), region=st.sampled_from(REGIONS))
def test_shortcut_agrees_with_phonenumbers_on_any_number_starting_with_1(dial: str, region: str) -> None:
    assert _fast(dial, region) == _parse(dial, region)


def test_shortcut_is_taken_for_plain_cn_mobiles_and_not_for_carrier_prefixes(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = phonenumbers.parse
    monkeypatch.setattr(phonenumbers, "parse", lambda dial, *a, **k: calls.append(dial) or real(dial, *a, **k))
    fast_path.parse_dial("13812345678", "CN")
    fast_path.parse_dial("+8613812345678", "US")
    assert calls == []
    fast_path.parse_dial("17951013812345678", "CN")  # 17951: a carrier's dialling prefix, parse strips it
    fast_path.parse_dial("13812345678", "US")  # not a CN number when dialled from the US
    assert calls == ["17951013812345678", "13812345678"]


@pytest.mark.parametrize("text", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678",
                                  "8613812345678", "17012345678", "19912345678", "14012345678"])
def test_numbers_read_through_the_shortcut_normalise_as_before(text: str) -> None:
    number = normalise(text)
    assert number.key == "+86" + number.national_number
    assert number.region == "CN"
    assert number.valid == phonenumbers.is_valid_number(phonenumbers.parse(number.key))
    assert normalise(number.key).key == number.key


Direct = Callable[[str, str], "numbers.NormalisedNumber | None"]


def _both_readings(raw: str, region: str, direct: Direct = fast_path.read_plain_cn_mobile) \
        -> tuple[numbers.NormalisedNumber | None, numbers.NormalisedNumber | str]:
    """(the direct reading or None, the general reading or why it is no number)."""
    try:
        general: numbers.NormalisedNumber | str = numbers._read(raw, region)
    except numbers.NotANumber as exc:
        general = f"not a number: {exc.code}"
    return direct(raw, region), general


@pytest.mark.parametrize("region", ["CN", "US", "MM"])
@pytest.mark.parametrize("plus", ["", "+86", "0086"])
def test_direct_reading_of_plain_cn_mobiles_equals_the_general_reading_on_every_four_digit_prefix(
        region: str, plus: str) -> None:
    taken = 0
    for prefix in range(1000, 2000):
        for rest in ("0000000", "1234567", "9999999", "0010000", "5100861"):
            raw = f"{plus}{prefix}{rest}"
            direct, general = _both_readings(raw, region)
            if direct is None:
                continue
            taken += 1
            assert direct == general, raw
    if plus == "" and region != "CN":
        assert taken == 0  # national digits dialled outside CN are not a CN number
    else:
        assert taken >= 600 * 5  # 1300-1999 but 179x, less any short codes


@settings(max_examples=400, deadline=None)
@given(raw=st.from_regex(r"(\+86|\+|00|0086|086|86)?1[0-9]{9,11}", fullmatch=True), region=st.sampled_from(REGIONS))
def test_direct_reading_agrees_with_the_general_reading_wherever_it_answers(raw: str, region: str) -> None:
    direct, general = _both_readings(raw, region)
    if direct is not None:
        assert direct == general


@pytest.mark.parametrize(("raw", "region", "taken"), [
    ("13812345678", "CN", True), ("+8613812345678", "GB", True), ("13812345678", "US", False),
    ("138 1234 5678", "CN", False), ("17951013812345678", "CN", False), ("17912345678", "CN", False),
    ("008613812345678", "CN", True), ("008613812345678", "US", True), ("00861791234567", "CN", False),
    ("0008613812345678", "CN", False), ("8613812345678", "CN", False), ("12345678901", "CN", False),
])
def test_direct_reading_is_taken_only_for_bare_cn_mobiles(raw: str, region: str, taken: bool) -> None:
    assert (fast_path.read_plain_cn_mobile(raw, region) is not None) is taken
    assert numbers.normalise(raw, region) == numbers._read(raw, region)


@pytest.mark.parametrize("raw", ["13812345678", "+8613912345678", "17012345678", "19912345678", "16512345678"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_direct_reading_is_described_like_the_general_one(raw: str, lang: str) -> None:
    direct, general = _both_readings(raw, "CN")
    assert direct is not None and isinstance(general, numbers.NormalisedNumber)
    named = direct.type is numbers.NumberType.mobile
    assert places.described(direct, lang, named) == places.described(general, lang, named) != (None, None)


def test_a_reading_made_through_its_slots_equals_the_constructors_and_stays_frozen() -> None:
    import dataclasses

    from verifier.core.numbers.model import NormalisedNumber, NumberType, reading_of

    values = {"raw": "13812345678", "key": "+8613812345678", "e164": "+8613812345678", "region": "CN",
              "type": NumberType.mobile, "valid": True, "country_code": 86, "national_number": "13812345678",
              "extension": "1", "dialled_international": True, "area_code": None, "letters_mapped": False,
              "flags": ("virtual_operator_range",), "family": None, "parsed": None}
    made, built = reading_of(**values), NormalisedNumber(**values)  # type: ignore[arg-type]
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert [getattr(made, name) for name in values] == list(values.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.key = "x"  # type: ignore[misc]


@pytest.mark.parametrize("lead", ["0", ""])
def test_cn_national_digits_parse_as_phonenumbers_parses_them_on_every_three_digit_prefix(lead: str) -> None:
    taken = 0
    for prefix in range(100, 1000):
        for rest in ("", "0", "00", "12", "000", "123", "1234", "00000", "1234567", "00000000", "12345678", "99999999", "123456789",
                     "0000000000", "12345678901", "123456789012", "1234567890123", "12345678901234"):
            dial = f"{lead}{prefix}{rest}"
            taken += fast_path.plain_cn_national(dial, "CN") is not None
            assert _fast(dial, "CN") == _parse(dial, "CN"), dial
            assert _fast(dial, "US") == _parse(dial, "US"), dial
    assert taken > (2000 if lead else 8000)


@settings(max_examples=600, deadline=None)
@given(dial=st.from_regex(r"0?[0-9]{2,18}", fullmatch=True), region=st.sampled_from(REGIONS))
def test_cn_national_shortcut_agrees_with_phonenumbers_on_any_digits(dial: str, region: str) -> None:
    assert _fast(dial, region) == _parse(dial, region)


def test_every_five_digit_code_starting_with_1_parses_as_phonenumbers_parses_it() -> None:
    for code in range(10_000, 20_000):
        assert _fast(str(code), "CN") == _parse(str(code), "CN"), code


def test_a_query_made_through_its_slots_equals_the_constructors_and_stays_frozen() -> None:
    import dataclasses

    from verifier.core.numbers.reading import normalise
    from verifier.core.signals import Context, Query, query_of

    values = {"number": normalise("95588"), "claim_text": "工商银行", "claim": None, "context": Context.sms,
              "at": 1.8e9, "claim_inferred": True}
    made, built = query_of(**values), Query(**values)  # type: ignore[arg-type]
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert [getattr(made, name) for name in values] == list(values.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.at = 0.0  # type: ignore[misc]


def test_only_a_slots_dataclass_without_post_init_gets_a_slot_constructor() -> None:
    import dataclasses

    from verifier.core.slots import slot_constructor

    @dataclasses.dataclass
    class Plain:
        a: int

    @dataclasses.dataclass(slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            raise ValueError

    for cls in (Plain, Checked):
        with pytest.raises(TypeError):
            slot_constructor(cls)


def _same_reading(direct: numbers.NormalisedNumber, general: numbers.NormalisedNumber | str, raw: str) -> None:
    assert direct == general, raw
    assert isinstance(general, numbers.NormalisedNumber)
    for lang in ("zh", "en"):  # (`parsed` is left out of equality: what describe() reads from it must agree)
        assert places.describe(direct, lang) == places.describe(general, lang), raw


@pytest.mark.parametrize("region", ["CN", "US", "HK"])
def test_direct_reading_of_cn_landlines_and_400_800_numbers_equals_the_general_reading_on_every_prefix(
        region: str) -> None:
    taken = 0
    rests = ("0000000", "1234567", "9999999", "5100861", "00000000", "12345678", "99999999", "95588000", "955880")
    for lead in ("0", ""):
        for prefix in range(100, 1000):
            for rest in rests:
                raw = f"{lead}{prefix}{rest}"
                direct, general = _both_readings(raw, region, fast_path.read_plain_cn_fixed)
                if direct is None:
                    continue
                taken += 1
                _same_reading(direct, general, raw)
    if region == "CN":
        assert taken > 1000
    else:
        assert taken == 0  # dialled outside CN, national digits are no CN number


@settings(max_examples=600, deadline=None)
@given(raw=st.from_regex(r"0[0-9]{9,12}|[48]0[0-9]{8}|[2-9][0-9]{8,11}", fullmatch=True))
def test_direct_reading_of_cn_fixed_numbers_agrees_with_the_general_reading_on_random_digits(raw: str) -> None:
    direct, general = _both_readings(raw, "CN", fast_path.read_plain_cn_fixed)
    if direct is not None:
        _same_reading(direct, general, raw)


def test_landlines_and_400_numbers_take_the_direct_reading_and_invalid_ones_do_not() -> None:
    for raw in ("01062345678", "02150300000", "075520300000", "4006543217", "8008208820"):
        assert fast_path.read_plain_cn_fixed(raw, "CN") is not None, raw
    for raw in ("010123", "0755-2030-0000", "+862150300000", "010000000000", "13812345678", "021955880"):
        assert fast_path.read_plain_cn_fixed(raw, "CN") is None, raw


@pytest.mark.parametrize("region", REGIONS)
def test_shortcut_parses_every_country_code_with_a_plus_as_phonenumbers_does(region: str) -> None:
    taken = 0
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for national in ("0", "12", "0123456789", "1234567", "2125550123", "9123456789", "7911123456", "11234567890",
                         "812345678", "123456789012345678", "31234567", "612345678", "8613812345678"):
            dial = f"+{code}{national}"
            assert _fast(dial, region) == _parse(dial, region), dial
            taken += fast_path.plain_international(dial) is not None
    assert taken > 1000


@settings(max_examples=800, deadline=None)
@given(dial=st.from_regex(r"\+[0-9]{1,21}", fullmatch=True), region=st.sampled_from(REGIONS))
def test_shortcut_agrees_with_phonenumbers_on_any_plus_and_digits(dial: str, region: str) -> None:
    assert _fast(dial, region) == _parse(dial, region)

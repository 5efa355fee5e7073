"""verifier.core.numbers.patterns gives exactly what phonenumbers' number_type and
is_valid_short_number_for_region give: on every region's example numbers (each type, each
short-number kind), those numbers with a digit changed or added or dropped, and random digits."""

from __future__ import annotations

import random

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata, shortnumberinfo

from verifier.core.numbers import patterns as number_patterns

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPE_FIELDS = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number", "voip",
               "pager", "uan", "voicemail")
SHORT_FIELDS = ("toll_free", "standard_rate", "premium_rate", "short_code", "emergency", "carrier_specific", "sms_services")


def _examples() -> list[tuple[str, str]]:
    found = []
    for region in REGIONS:
        metadata = PhoneMetadata.metadata_for_region(region)
        short = PhoneMetadata.short_metadata_for_region(region)
        for source, fields in ((metadata, TYPE_FIELDS), (short, SHORT_FIELDS)):
            for field in fields:
                desc = getattr(source, field, None) if source is not None else None
                if desc is not None and desc.example_number:
                    found.append((region, desc.example_number))
    return found


EXAMPLES = _examples()


def _variants(digits: str, rng: random.Random) -> list[str]:
    position = rng.randrange(len(digits))
    return [digits, digits[:position] + str((int(digits[position]) + 1) % 10) + digits[position + 1:],
            digits + str(rng.randrange(10)), digits[:-1] or "1"]


def _same(region: str, digits: str) -> None:
    number = phonenumbers.PhoneNumber(country_code=phonenumbers.country_code_for_region(region),
                                      national_number=int(digits))
    assert number_patterns.number_type(number) == phonenumbers.number_type(number), (region, digits)
    assert number_patterns.region_code_for_number(number) == phonenumbers.region_code_for_number(number), (region, digits)
    assert number_patterns.is_valid_short_number_for_region(number, region) \
        == shortnumberinfo.is_valid_short_number_for_region(number, region), (region, digits)
    assert number_patterns.is_valid_short_number_for_region(number, "CN") \
        == shortnumberinfo.is_valid_short_number_for_region(number, "CN"), (region, digits)
    _same_valid_regions(number)


def _same_valid_regions(number: phonenumbers.PhoneNumber) -> None:
    code, nsn = number.country_code, phonenumbers.national_significant_number(number)
    assert number_patterns.valid_regions(code, nsn) == tuple(
        region for region in phonenumbers.region_codes_for_country_code(code)
        if phonenumbers.is_valid_number_for_region(number, region)), (code, nsn)


def test_examples_exist_for_nearly_every_region() -> None:
    assert len({region for region, _ in EXAMPLES}) > 200 and len(EXAMPLES) > 1000


def test_type_and_short_code_checks_agree_with_phonenumbers_on_every_example_and_its_neighbours() -> None:
    rng = random.Random(5)
    for region, example in EXAMPLES:
        for digits in _variants(example, rng):
            _same(region, digits)


@settings(max_examples=500, deadline=None)
@given(region=st.sampled_from(REGIONS), digits=st.from_regex(r"[1-9][0-9]{2,14}", fullmatch=True))
def test_type_and_short_code_checks_agree_with_phonenumbers_on_random_digits(region: str, digits: str) -> None:
    _same(region, digits)


@settings(max_examples=300, deadline=None)
@given(digits=st.from_regex(r"1[0-9]{10}|[2-9][0-9]{6,10}|9[0-9]{2,5}|[14]00[0-9]{7}", fullmatch=True))
def test_type_and_short_code_checks_agree_with_phonenumbers_on_chinese_shapes(digits: str) -> None:
    _same("CN", digits)


SHARED_CODES = sorted(code for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items() if len(regions) > 1)


@settings(max_examples=1500, deadline=None)
@given(code=st.sampled_from(SHARED_CODES), digits=st.from_regex(r"[1-9][0-9]{0,16}", fullmatch=True))
def test_the_regions_a_number_of_a_shared_code_is_valid_in_are_phonenumbers_regions(code: int, digits: str) -> None:
    _same_valid_regions(phonenumbers.PhoneNumber(country_code=code, national_number=int(digits)))


def test_a_number_of_an_unknown_country_code_has_no_type() -> None:
    number = phonenumbers.PhoneNumber(country_code=999, national_number=1234567)
    assert number_patterns.number_type(number) == phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.UNKNOWN

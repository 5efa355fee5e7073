"""describe() keeps a CN number's carrier and place by its prefix: equal to phonenumbers' own
lookups (places.described) for every number, whichever number of the block came first."""

from __future__ import annotations

import random

import pytest
from phonenumbers.carrierdata import CARRIER_DATA
from phonenumbers.geodata import GEOCODE_DATA

from verifier.core.numbers import places
from verifier.core.numbers.model import NumberType
from verifier.core.numbers.reading import normalise


def _cn_prefixes() -> list[str]:
    """Every CN prefix phonenumbers' geocoder and carrier data hold (about 130,000)."""
    return sorted({key[2:] for data in (GEOCODE_DATA, CARRIER_DATA) for key in data if key.startswith("86")})


def _plain(number, lang: str):  # type: ignore[no-untyped-def]
    if number.type is NumberType.short_code or not number.valid or number.e164 is None:
        return None, None
    named = number.type is NumberType.mobile or "fixed_line_or_mobile" in number.flags
    return places.described(number, "zh" if lang.startswith("zh") else "en", named)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cn_prefix_is_described_as_phonenumbers_describes_each_number_of_it(lang: str) -> None:
    rng = random.Random(18)
    places._BY_PREFIX.clear()
    checked = described = 0
    for prefix in _cn_prefixes():
        length = 11 if prefix.startswith("1") else rng.choice((10, 11))
        if len(prefix) >= length:
            continue
        for _ in range(2):  # the first fills the block's entry, the second is answered from it
            digits = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
            number = normalise("+86" + digits)
            got = places.describe(number, lang)
            assert got == _plain(number, lang), digits
            checked += 1
            described += got != (None, None)
    assert checked > 200_000 and described > 100_000


def test_a_block_of_another_kind_of_number_is_not_given_a_mobile_description() -> None:
    places._BY_PREFIX.clear()
    mobile = normalise("13812345678")
    assert places.describe(mobile, "zh")[0] == "中国移动"
    landline = normalise("010-6552 9988")
    assert places.describe(landline, "en") == (None, "Beijing") == _plain(landline, "en")


def test_foreign_numbers_are_described_as_phonenumbers_describes_them() -> None:
    places._BY_PREFIX.clear()
    assert places.describe(normalise("+44 20 7946 0000"), "en") == (None, "London")
    assert places.describe(normalise("+44 20 7946 0000"), "zh") == (None, "英国")  # no Chinese name for London
    assert places.describe(normalise("+1 212 555 0100", "US"), "en")[1] == "New York, NY"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_regions_example_numbers_and_their_neighbours_are_described_as_phonenumbers_does(lang: str) -> None:
    import phonenumbers

    rng = random.Random(18)
    places._BY_PREFIX.clear()
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
                     phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.VOIP):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            for raw in (e164, e164[:-2] + f"{rng.randrange(100):02d}", e164[:-4] + f"{rng.randrange(10000):04d}"):
                try:
                    number = normalise(raw)
                except Exception:  # noqa: BLE001 (a neighbour may be no number at all)
                    continue
                assert places.describe(number, lang) == _plain(number, lang), (region, raw)
                checked += 1
    assert checked > 1500

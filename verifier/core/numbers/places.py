"""A number's carrier and place as phonenumbers names them (`describe`), in Chinese or English.

phonenumbers finds both by the longest prefix of the E.164 digits that its data holds, at most
`PREFIX_DIGITS` digits (geocoder and carrier alike). For a number of country code 86 nothing
else goes in: one region (CN), no mobile token, so its description is a function of
"+86" and its next PREFIX_DIGITS - 2 digits. `describe` keeps it by that prefix
(`_BY_CN_PREFIX`): every later number of the same 10,000-number block is described with one
dictionary lookup, a number never seen before included, where the lookups cost about 4 µs.
Other country codes are looked up each time (Argentina's mobile token, +1's many regions: the
prefix alone may not decide). tests/core/numbers/test_places.py proves the kept description
equal to phonenumbers' own on every CN prefix its data holds. Pure, no I/O.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import carrier, geocoder
from phonenumbers.carrierdata import CARRIER_LONGEST_PREFIX
from phonenumbers.geodata import GEOCODE_LONGEST_PREFIX

from verifier.core.numbers.model import NormalisedNumber, NumberType
from verifier.core.recent import Recent

PREFIX_DIGITS = max(GEOCODE_LONGEST_PREFIX, CARRIER_LONGEST_PREFIX)  # 9: "86" and 7 national digits
Description = tuple[str | None, str | None]  # (carrier, place)

_BY_CN_PREFIX: Recent[tuple[str, str, bool], Description] = Recent(32_768)  # in use: about 40,000 blocks


def describe(number: NormalisedNumber, lang: str = "zh") -> Description:
    """(carrier, location) as phonenumbers knows them, in Chinese or English.

    None for what phonenumbers does not know, and always for short codes and invalid numbers.
    """
    if number.type is NumberType.short_code or not number.valid or number.e164 is None:
        return None, None
    language = "zh" if str(lang).lower().startswith("zh") else "en"
    named = number.type is NumberType.mobile or "fixed_line_or_mobile" in number.flags
    if number.country_code != 86:
        return described(number, language, named)
    key = (number.e164[:1 + PREFIX_DIGITS], language, named)
    found = _BY_CN_PREFIX.get(key)
    if found is None:
        found = described(number, language, named)
        _BY_CN_PREFIX.put(key, found)
    return found


def described(number: NormalisedNumber, language: str, named: bool) -> Description:
    """The plain lookups, every time: what `describe` keeps."""
    parsed = number.parsed
    if parsed is None:  # a bare CN mobile's direct reading (CN numbers never start with a 0)
        parsed = phonenumbers.PhoneNumber(country_code=86, national_number=int(number.national_number)) \
            if number.country_code == 86 else phonenumbers.parse(number.e164, None)
    # the *_for_valid_number lookups: validity and type are already known
    name = carrier.name_for_valid_number(parsed, language) if named else ""
    place = geocoder.description_for_valid_number(parsed, language)
    return name or None, place or None

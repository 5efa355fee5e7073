"""A number's carrier and place as phonenumbers names them (`describe`), in Chinese or English.

phonenumbers finds the carrier, and the place within a country, by the longest prefix of the
E.164 digits its data holds: at most `PREFIX_DIGITS` digits, the same for every number of a
block. Only the fallback to the country's name looks at the whole number (in which of the
country code's regions it is valid; for +86 there is one). So `describe` keeps the prefix part
by the block (`_BY_PREFIX`, dictionary lookups where the lookups cost about 4 µs) and names the
country with verifier.core.numbers.patterns' compiled patterns (phonenumbers tries each region's
patterns afresh: 25-50 µs for +1 and +44 numbers in Chinese, which the geocoder names by country).
Countries with a mobile token (Argentina, Mexico: phonenumbers geocodes the number without it)
are described the plain way (`described`), as are numbers of no known country code.
tests/core/numbers/test_places.py proves `describe` equal to `described` on every CN prefix of
phonenumbers' data and on the example numbers of every region. Pure, no I/O.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import carrier, geocoder
from phonenumbers.carrierdata import CARRIER_LONGEST_PREFIX
from phonenumbers.geocoder import _region_display_name
from phonenumbers.geodata import GEOCODE_DATA, GEOCODE_LONGEST_PREFIX
from phonenumbers.prefix import _prefix_description_for_number

from verifier.core.numbers.model import NormalisedNumber, NumberType
from verifier.core.numbers.patterns import valid_regions
from verifier.core.recent import Recent

PREFIX_DIGITS = max(GEOCODE_LONGEST_PREFIX, CARRIER_LONGEST_PREFIX)  # 9: "86" and 7 national digits
Description = tuple[str | None, str | None]  # (carrier, place)

_BY_PREFIX: Recent[tuple[str, str, bool], tuple[str, str]] = Recent(32_768)  # (carrier, place in the country)


def describe(number: NormalisedNumber, lang: str = "zh") -> Description:
    """(carrier, location) as phonenumbers knows them, in Chinese or English.

    None for what phonenumbers does not know, and always for short codes and invalid numbers.
    """
    if number.type is NumberType.short_code or not number.valid or number.e164 is None:
        return None, None
    language = "zh" if str(lang).lower().startswith("zh") else "en"
    named = number.type is NumberType.mobile or "fixed_line_or_mobile" in number.flags
    code = number.country_code
    if code is None or phonenumbers.country_mobile_token(code):
        return described(number, language, named)
    key = (number.e164[:1 + PREFIX_DIGITS], language, named)
    found = _BY_PREFIX.get(key)
    if found is None:
        parsed = _parsed(number)
        found = (carrier.name_for_valid_number(parsed, language) if named else "",
                 _prefix_description_for_number(GEOCODE_DATA, GEOCODE_LONGEST_PREFIX, parsed, language))
        _BY_PREFIX.put(key, found)
    name, place = found
    return name or None, place or _country_name(number, code, language) or None


def _country_name(number: NormalisedNumber, code: int, language: str) -> str:
    """geocoder.country_name_for_number: the name of the one region of `code` the number is
    valid in ("" when it is valid in several), validity by the compiled patterns."""
    regions = phonenumbers.region_codes_for_country_code(code)
    if len(regions) == 1:
        return _region_display_name(regions[0], language)
    valid = valid_regions(code, phonenumbers.national_significant_number(_parsed(number)))
    if len(valid) > 1:
        return ""
    return _region_display_name(valid[0] if valid else phonenumbers.UNKNOWN_REGION, language)


def _parsed(number: NormalisedNumber) -> phonenumbers.PhoneNumber:
    if number.parsed is not None:
        return number.parsed
    # a bare CN mobile's direct reading (CN numbers never start with a 0)
    return phonenumbers.PhoneNumber(country_code=86, national_number=int(number.national_number)) \
        if number.country_code == 86 else phonenumbers.parse(number.e164, None)


def described(number: NormalisedNumber, language: str, named: bool) -> Description:
    """The plain lookups, every time: what `describe` keeps."""
    parsed = _parsed(number)
    # the *_for_valid_number lookups: validity and type are already known
    name = carrier.name_for_valid_number(parsed, language) if named else ""
    place = geocoder.description_for_valid_number(parsed, language)
    return name or None, place or None

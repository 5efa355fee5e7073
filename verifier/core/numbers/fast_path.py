"""The fast path for the commonest input by far: a bare mobile-shaped CN number
("13812345678" dialled in CN, "+8613812345678" from anywhere).

One guard, `plain_cn_mobile`, decides when it may be taken; two shortcuts take it:

- `read_plain_cn_mobile`: the whole reading, tried first by verifier.core.numbers.reading's
  normalise(), of the mobile alone, behind +86 or behind 0086 (00 is read as an international
  prefix from any region). What the general reading would give, without the steps that cannot apply to
  such a number: no text to clean, no menu suffix, no prefix to strip, no area code (the
  digits start 1[3-9]), always region CN. An 11-digit CN short code (there are some) is left
  to the general reading.
- `read_plain_cn_fixed`: the whole reading of a valid CN landline behind its trunk 0, or a
  400/800 number, digits alone (the next commonest), the same way.
- `parse_dial`: ``phonenumbers.parse(dial, region, keep_raw_input=True)`` for the general
  reading, skipping parse's machinery (about half of a new number's cost) where parse has
  nothing to do: no international or national prefix to strip, no extension, no country code
  in the digits; or only a country code to split off after a + (`plain_international`).

CN's carrier prefixes (11xxx, 12xxx, 179xx) are never taken: the general reading deals with
them. Pure, no I/O. tests/core/numbers/test_numbers_fast_path.py proves both shortcuts equal to
the general path, on every four-digit prefix and on random digits.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumberType
from phonenumbers.phonenumber import CountryCodeSource

from verifier.core.numbers.model import CN_VIRTUAL_OPERATOR_PREFIXES, TYPES, NormalisedNumber, NumberType, reading_of
from verifier.core.numbers.patterns import is_short_nsn_for_region, national_prefix_pattern, nsn_type

_PLAIN_CN_MOBILE = re.compile(r"(\+86)?(1[3-9][0-9]{9})")


def plain_cn_mobile(text: str, region: str) -> re.Match[str] | None:
    """The fast path's guard: the match of `text` (group 1 "+86" or None, group 2 the 11
    national digits) when it is a mobile-shaped CN number, 11 digits from 13 to 19 national in
    CN or behind +86, and no 179xx carrier prefix (parse strips those); None otherwise."""
    match = _PLAIN_CN_MOBILE.fullmatch(text)
    if match is None or match[2].startswith("179") or not (match[1] or region == "CN"):
        return None
    return match


def read_plain_cn_mobile(raw: str, region: str) -> NormalisedNumber | None:
    """The whole reading of `raw` when it is a bare mobile-shaped CN number (see the module
    docstring), or None: read it the general way."""
    match = plain_cn_mobile("+" + raw[2:] if raw[:4] == "0086" else raw, region)  # 00: read as "+" in any region
    if match is None:
        return None
    nsn = match[2]
    if is_short_nsn_for_region(nsn, "CN"):
        return None
    return cn_number_as_written(nsn, match[1] is not None, raw=raw)


_PLAIN_CN_FIXED = re.compile(r"0(?:10[0-9]{8,9}|[2-9][0-9]{9,10})|[48]00[0-9]{7}")


def read_plain_cn_fixed(raw: str, region: str) -> NormalisedNumber | None:
    """The whole reading of `raw` when it is a valid CN landline written as dialled in CN (its
    trunk 0, then 10 or 11 national digits: "01062345678", "075523456789") or a 400/800 number,
    digits alone; None otherwise (read it the general way). What the general reading gives for
    them, without its steps that cannot apply: nothing to clean or split off, no CN numbering
    family (those start 1 or 9), too long for a short code behind an area code (at least 7
    digits follow any area code), no national prefix left to strip. Invalid ones are left to
    the general reading (a code with a menu choice is read there)."""
    if region != "CN" or _PLAIN_CN_FIXED.fullmatch(raw) is None:
        return None
    nsn = raw[1:] if raw[0] == "0" else raw
    if is_short_nsn_for_region(nsn, "CN"):
        return None
    number = cn_number_as_written(nsn, False, raw=raw)
    return number if number.valid else None


def parse_dial(dial: str, region: str) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse(dial, region, keep_raw_input=True)``, built directly when `dial`
    is a bare mobile-shaped CN number or plain CN national digits (see the module docstring)."""
    match = plain_cn_mobile(dial, region)
    if match is not None:
        source = CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN if match[1] else CountryCodeSource.FROM_DEFAULT_COUNTRY
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(match[2]), raw_input=dial,
                                        country_code_source=source)
    if dial[:1] == "+":
        return plain_international(dial) or phonenumbers.parse(dial, region, keep_raw_input=True)
    national = plain_cn_national(dial, region)
    if national is None:
        return phonenumbers.parse(dial, region, keep_raw_input=True)
    return phonenumbers.PhoneNumber(country_code=86, national_number=int(national), raw_input=dial,
                                    country_code_source=CountryCodeSource.FROM_DEFAULT_COUNTRY)


_PLUS_DIGITS = re.compile(r"\+([1-9][0-9]{2,19})")
_MAX_COUNTRY_CODE_DIGITS = 3


def plain_international(dial: str) -> phonenumbers.PhoneNumber | None:
    """``phonenumbers.parse(dial, region, keep_raw_input=True)`` of "+" and digits (any region:
    the + decides) when parse has nothing to do but split off the country code: the national
    digits neither start with 0 nor with anything the country strips as a national prefix or
    carrier code, and number 2 to 17; None otherwise (parse it)."""
    match = _PLUS_DIGITS.fullmatch(dial)
    if match is None:
        return None
    digits = match[1]
    for length in range(1, _MAX_COUNTRY_CODE_DIGITS + 1):  # country codes are prefix-free: the first found is it
        code = int(digits[:length])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[length:]
    if not 2 <= len(national) <= 17 or national[0] == "0":
        return None
    prefix = national_prefix_pattern(code)
    if prefix is None or prefix.match(national) is not None:
        return None
    return phonenumbers.PhoneNumber(country_code=code, national_number=int(national), raw_input=dial,
                                    country_code_source=CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN)


_CN_NATIONAL = re.compile(r"0[1-9][0-9]{8,10}|[2-79][0-9]{4,16}|8[0-57-9][0-9]{3,15}|1[0-9]{4,5}")


def plain_cn_national(dial: str, region: str) -> str | None:
    """The national significant digits of `dial` when parse has nothing to do but read them: CN
    national digits dialled in CN, a landline behind its trunk 0 ("01062345678": 0 and 9-11
    digits, which parse strips: CN's numbers never start with 0 and these lengths are possible),
    or digits starting 2-9 (400/800 numbers, 95xxx and 96xxx codes), never 86 (parse may read a
    country code), or five or six starting with 1 (10xxx, 12xxx codes: too short for parse to
    strip a carrier prefix from); None otherwise."""
    if region != "CN" or _CN_NATIONAL.fullmatch(dial) is None:
        return None
    return dial[1:] if dial[0] == "0" else dial


def cn_number_as_written(nsn: str, international: bool, raw: str = "") -> NormalisedNumber:
    """The CN full number of exactly these national digits, valid or not (no prefix stripped)."""
    kind = nsn_type(86, "CN", nsn)  # (86 is CN's alone: region_code_for_number is "CN")
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        flags: tuple[str, ...] = ("fixed_line_or_mobile",)
    elif kind == PhoneNumberType.MOBILE and nsn.startswith(CN_VIRTUAL_OPERATOR_PREFIXES):
        flags = ("virtual_operator_range",)
    else:
        flags = ()
    e164 = "+86" + nsn
    return reading_of(raw, e164, e164, "CN", TYPES.get(kind, NumberType.unknown), kind != PhoneNumberType.UNKNOWN, 86,
                      nsn, None, international, None, False, flags, None, None)  # parsed: made if describe() asks

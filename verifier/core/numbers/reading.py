"""Raw text → one canonical phone number: the reading rules.

Pure functions, no I/O. What a reading gives (NormalisedNumber, NumberType, NotANumber) is
defined in verifier.core.numbers.model, and the verdict engine relies on exactly its fields;
the commonest input, a bare CN mobile, takes verifier.core.numbers.fast_path, which gives
exactly what these rules give.

Canonical key (clients can compute it themselves):

* a full number has its E.164 form as key: ``"+8613800138000"``, ``"+442079460000"``.
  This holds for numbers phonenumbers does not consider valid too, as long as the country
  code exists: ``+95588`` is Myanmar ``"+95588"`` (valid=False), never China's 95588.
  An unassigned country code (``+999 1234``) gives ``"+9991234"`` with country_code None.
* a short code (China's 95588, 96110, 10086, 110, …; the UK's 999) has the key
  ``"<REGION>:<digits>"`` — ISO region, a colon, the digits as dialled inside the country
  without an area code: ``"CN:95588"``. ``021-95561``, ``+86 21 95561`` and ``95561`` all
  give ``"CN:95561"`` (the first two with ``area_code="21"``), ``95561-6`` gives
  ``"CN:95561"`` with extension ``"6"``. ``e164`` is None for short codes.
* a China short code allocated per city (local ``96xxx``/``96xxxx``, family ``cn_local_96``)
  written behind an area code has the area-qualified key ``"CN:0<area>-<code>"``:
  ``0731-96511``, ``+86 731 96511`` and ``073196511`` all give ``"CN:0731-96511"``
  (area_code ``"731"``, national_number ``"96511"``); ``028-96511`` is ``"CN:028-96511"``,
  another number. Written bare (``96511``) it keys ``"CN:96511"`` with the flag
  ``area_code_needed``: nobody can tell which city's it is. Codes meaning the same service in
  every city stay bare behind an area code: ``025-96110`` is ``"CN:96110"`` (area_code
  ``"25"``; ``cn_plan.NATIONWIDE_96_CODES``), as are 95xxx, 12345 and every other family.
* a 106 SMS sender code (``1065795555``, 8 to 20 digits, type ``sms_sender``) keys
  ``"CN:<digits>"`` like a short code: it sends, it is never called. Behind +86 only when it
  is no valid full number (``+86 10 6579 5555`` is a Beijing line, ``"+861065795555"``).
* ``family`` names the China numbering family (verifier.core.numbers.cn_plan: ``cn_national_95``,
  ``cn_local_96``, ``cn_nationwide_96``, ``cn_sms_sender_106``, ``cn_service_125``,
  ``cn_postal_11``, ``cn_operator_line``, ``cn_directory``, ``cn_emergency``,
  ``cn_public_12``), None for full numbers and other codes. The families phonenumbers'
  metadata misses (8-digit 95 codes, 125xx, 11xxx, 1008611, 118114, 999) are read as valid
  short codes by verifier.core.numbers.cn_plan: docs/numbers.md has the table and the sources.
* An 11-digit number starting with 1, national in CN or behind +86, is read as exactly those
  digits (``"17975003547"`` → ``"+8617975003547"``, valid=False): no carrier prefix is
  stripped from it, and it is never NotANumber.

Reading rules (text clean-up is in ``verifier.core.numbers.text``):

* default region CN; the caller may name another (``normalise("07737359848", "GB")``).
* ``+``, a leading ``00`` and an explicit country code (``86-21-…``, ``(852) 2287-6767``)
  set ``dialled_international``. A country code without ``+`` is read only when
  phonenumbers recognises the region's own code (``86…``) or, when the national reading
  is not valid, when the code is written as its own group (``(852) …``, ``852 …``);
  flag ``country_code_without_plus``. A trunk 0 after a country code (``+86-010-…``) is
  dropped with the flag ``trunk_prefix_after_country_code``.
* Short codes (at least 3 digits): ``phonenumbers.shortnumberinfo`` decides, for the
  number's own region, also behind a country code (``+86 95566`` → ``"CN:95566"``,
  dialled_international; ``+95 588`` is no Myanmar short code, so it stays ``"+95588"``).
  Next, for +86, an area code in front of a short code of at most 6 digits is split off
  before any fixed-line reading (phonenumbers calls ``021-95561`` a valid fixed line;
  real local numbers have 7-8 digits). The area code must be 10, 2X or 3-digit [3-9]XX and known to the geocoder.
* ``95561-6``: a short code, ``-`` and 1-2 digits whose concatenation is not a valid full
  number → the digits are an IVR menu choice (extension). Further DTMF is appended after a
  comma: ``95561-1 then 777`` → extension ``"1,777"``.
* Types: FIXED_LINE_OR_MOBILE (US, CA, …) → ``fixed_line`` with the flag
  ``fixed_line_or_mobile``; UAN, PERSONAL_NUMBER, PAGER, VOICEMAIL → ``unknown``; an
  invalid number is always ``unknown``. Valid CN mobiles in the virtual-operator ranges
  (170, 171, 162, 165, 167) carry the flag ``virtual_operator_range``.
* ``e164`` is the E.164 string whenever the country code is known, even when
  ``valid`` is False; only ``valid`` says the number can exist.
* Keys are fixed points: ``normalise(n.key).key == n.key`` for full numbers and, for every
  other key, the text after the colon read in the key's region gives the key again:
  ``normalise(key_parts(n.key)[1], n.region).key == n.key`` (``"96511"``, ``"0731-96511"``,
  ``"1065795555"``). The key rules have a version, ``KEY_SCHEME``: stored keys are
  recomputed when it changes (registry/store/rekey.py).
* NotANumber codes: "empty", "no_digits", "too_long" (over 64 characters, more than 20
  digits, or more than 18 for anything but a 106 SMS sender), "too_short" (fewer than 3 digits), "bad_characters" (letters or
  symbols inside/after the number, vanity numbers), "unknown_region" (bad ``region``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, geocoder
from phonenumbers.phonenumber import CountryCodeSource

from verifier.core.numbers import cn_plan
from verifier.core.numbers.fast_path import cn_number_as_written, parse_dial, read_plain_cn_fixed, read_plain_cn_mobile
from verifier.core.numbers.model import (
    CN_VIRTUAL_OPERATOR_PREFIXES,
    TYPES,
    NormalisedNumber,
    NotANumber,
    NumberType,
    reading_of,
)
from verifier.core.numbers.patterns import (
    is_short_nsn_for_region,
    is_valid_short_number_for_region,
    national_prefix_pattern,
    nsn_type,
    region_and_type,
)
from verifier.core.numbers.text import MIN_DIGITS, NumberText, TextRejected, read_number_text

KEY_SCHEME = 2
"""Version of the canonical key rules. Stored keys are recomputed once when it changes
(registry/store/rekey.py, run by verifier.state.service at start-up): bump it with every change to
what normalise() gives as a key. 1: before area-qualified local codes; 2: area-qualified
96xxx keys ("CN:0731-96511"), the families phonenumbers misses, 106 SMS senders, 11-digit
numbers starting with 1 read as they are."""

MAX_NUMBER_DIGITS = 18  # any number but a 106 SMS sender (up to MAX_DIGITS = 20): E.164's 15 and an IDD
_PARSE_ERRORS = {  # NumberParseException.error_type → (code, reason)
    NumberParseException.TOO_SHORT_AFTER_IDD: ("too_short", "too few digits after the prefix"),
    NumberParseException.TOO_SHORT_NSN: ("too_short", "too few digits after the country code"),
    NumberParseException.TOO_LONG: ("too_long", "too many digits"),
}
_CN_AREA_CODE = re.compile(r"10|2[0-9]|[3-9][0-9]{2}")
_MENU_SUFFIX = re.compile(r"(?P<left>[0-9][0-9 ]*[0-9])\s*-\s*(?P<menu>[0-9]{1,2})")
_COUNTRY_CODE_GROUP = re.compile(r"\(\s*([1-9][0-9]{0,2})\s*\)|([1-9][0-9]{0,2})[\s\-./]")
_INTERNATIONAL = (CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN,
                  CountryCodeSource.FROM_NUMBER_WITH_IDD,
                  CountryCodeSource.FROM_NUMBER_WITHOUT_PLUS_SIGN)


def normalise(raw: str, region: str = "CN") -> NormalisedNumber:
    """Read ``raw`` as one phone number dialled from ``region``; raise NotANumber."""
    if not isinstance(raw, str):
        raise NotANumber("bad_characters", f"Expected text, got {type(raw).__name__}.")
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise NotANumber("unknown_region", f"{region!r} is not a region phonenumbers knows.")
    region = region.upper()
    plain = read_plain_cn_mobile(raw, region) or read_plain_cn_fixed(raw, region)
    if plain is not None:
        return plain
    return _read_kept(raw, region) if len(raw) <= KEPT_READING_CHARS else _read(raw, region)


KEPT_READING_CHARS = 8
"""Readings of texts this short are kept (`_read_kept`): short codes and their written forms
("95588", "10086", "95555-1"), a small space asked about again and again, with claims and
contexts that make each question new to the answer cache. Longer texts (full numbers: most
are asked once) are read each time: keeping them cost a cache entry each and, in a flood of
new numbers, pushed the short codes out. A bare CN mobile is read faster than kept."""


@lru_cache(maxsize=8192)
def _read_kept(raw: str, region: str) -> NormalisedNumber:
    return _read(raw, region)


def _read(raw: str, region: str) -> NormalisedNumber:
    """The general reading: clean the text, split a menu suffix, interpret the digits."""
    try:
        text = read_number_text(raw)
    except TextRejected as exc:
        raise NotANumber(exc.code, str(exc)) from None
    text = _split_menu_suffix(text, region)
    digits = text.digits
    if text.has_plus:
        dial = "+" + digits
    elif text.context:
        dial = text.context + digits
    elif re.match(r"00[1-9]", digits):  # 00 is read as an international prefix everywhere
        dial = "+" + digits[2:]
    else:
        dial = digits
    if len(digits) > MAX_NUMBER_DIGITS and getattr(_cn_plan_reading(dial, region), "type", None) \
            is not NumberType.sms_sender:  # the reader lets 20 digits through for these only
        raise NotANumber("too_long", f"{text.main!r} has more digits than any phone number.")
    number = _interpret(dial, region, trunk_flag=text.context is None or text.has_plus)
    group = None if number.valid or number.dialled_international else _COUNTRY_CODE_GROUP.match(text.main)
    if group:
        code = int(group.group(1) or group.group(2))
        if phonenumbers.region_code_for_country_code(code) != phonenumbers.UNKNOWN_REGION:
            retry = _interpret("+" + digits, region, trunk_flag=True)
            if retry.valid:
                number = replace(retry, flags=("country_code_without_plus", *retry.flags))
    n = number
    return reading_of(raw, n.key, n.e164, n.region, n.type, n.valid, n.country_code, n.national_number, text.extension,
                      n.dialled_international, n.area_code, text.letters_mapped, text.flags + n.flags, n.family, n.parsed)


def _split_menu_suffix(text: NumberText, region: str) -> NumberText:
    """``95561-6`` → main ``95561``, extension ``6`` (see the module docstring)."""
    match = _MENU_SUFFIX.fullmatch(text.main)
    if match is None or text.context:
        return text
    left = match["left"].replace(" ", "")
    parsed_left, parsed_whole = _parse(left, region), _parse(left + match["menu"], region)
    if (parsed_left is None or not is_valid_short_number_for_region(parsed_left, region)) \
            and not (region == "CN" and cn_plan.extra_short_code_family(left)):
        return text
    if parsed_whole is not None and phonenumbers.is_valid_number(parsed_whole):
        return text
    extension = ",".join(part for part in (match["menu"], text.extension) if part)
    return replace(text, main=left, extension=extension)


def _parse(dial: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(dial, region, keep_raw_input=True)
    except NumberParseException:
        return None


def _interpret(dial: str, region: str, *, trunk_flag: bool) -> NormalisedNumber:
    """Read ``dial`` ("+8621…" or national digits) with phonenumbers; raw/extension unset."""
    if len(dial.lstrip("+")) < MIN_DIGITS:  # "001" is an international prefix and one digit
        raise NotANumber("too_short", f"{dial!r} has too few digits to be a phone number.")
    planned = _cn_plan_reading(dial, region)
    if planned is not None:
        return planned
    if len(dial.lstrip("+")) > MAX_NUMBER_DIGITS:
        raise NotANumber("too_long", f"{dial!r} has more digits than any phone number.")
    try:
        parsed = parse_dial(dial, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and dial[:1] == "+":
            return NormalisedNumber(raw="", key=dial, e164=None, region=None,
                                    type=NumberType.unknown, valid=False, country_code=None,
                                    national_number=dial[1:], dialled_international=True)
        code, reason = _PARSE_ERRORS.get(exc.error_type, ("bad_characters", "not a number"))
        raise NotANumber(code, f"{dial!r} is not a phone number: {reason}.") from None
    flags: list[str] = []
    code, nsn = parsed.country_code, phonenumbers.national_significant_number(parsed)
    international = parsed.country_code_source in _INTERNATIONAL
    if parsed.country_code_source == CountryCodeSource.FROM_NUMBER_WITHOUT_PLUS_SIGN:
        # phonenumbers also reads "866-410-0458" in CN as 86 + 64100458; only a valid
        # reading counts as an explicit country code (the key stays phonenumbers' reading)
        international = phonenumbers.is_valid_number(parsed)
        if international:
            flags.append("country_code_without_plus")
    if trunk_flag and dial[:1] == "+" and dial[1 + len(str(code)):][:1] == "0" and nsn[:1] != "0":
        flags.append("trunk_prefix_after_country_code")
    home = region if _country_code_of(region) == code else phonenumbers.region_code_for_country_code(code)
    if len(nsn) >= MIN_DIGITS and home.isalpha() and home != phonenumbers.UNKNOWN_REGION \
            and is_valid_short_number_for_region(parsed, home):
        family = cn_plan.family_of(nsn) if home == "CN" else None
        if family == cn_plan.LOCAL_96:  # a city's code, but which city's? (key: the bare code)
            flags.append("area_code_needed")
        return NormalisedNumber(raw="", key=f"{home}:{nsn}", e164=None, region=home, type=NumberType.short_code,
                                valid=True, country_code=code, national_number=nsn,
                                dialled_international=international, flags=tuple(flags), family=family)
    area = _cn_area_code_before_short_code(nsn) if code == 86 else None
    if area is not None:  # before the fixed-line reading: 2195561 is a "valid" fixed line
        digits = nsn[len(area):]
        family = cn_plan.family_of(digits)
        key = f"CN:0{area}-{digits}" if family == cn_plan.LOCAL_96 else f"CN:{digits}"
        return NormalisedNumber(raw="", key=key, e164=None, region="CN", type=NumberType.short_code,
                                valid=True, country_code=code, national_number=digits,
                                dialled_international=international, area_code=area, flags=tuple(flags),
                                family=family)

    # format_number(parsed, E164) is "+", the code and the significant digits, but of a national number 0
    e164 = f"+{code}{nsn}" if parsed.national_number else \
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    found_region, kind = region_and_type(parsed)  # asked once: the type and the region both follow it
    valid = kind != PhoneNumberType.UNKNOWN  # what is_valid_number computes, without computing it twice
    if len(e164) > MAX_NUMBER_DIGITS + 1:
        raise NotANumber("too_long", f"{e164!r} has more digits than any phone number.")
    if _may_strip_again(code, nsn) and _e164_of(e164, region) != e164:
        # "+86 00 8386895": phonenumbers drops one more 0 (BY: 8) each time it reads the
        # result; read the key until it is a fixed point, so that normalise(key).key == key
        again = _interpret(e164, region, trunk_flag=False)
        return replace(again, dialled_international=international,
                       flags=tuple(dict.fromkeys(flags + list(again.flags))))
    if not valid and code == 86 and cn_plan.code_with_menu(nsn):  # 9555801: 95558 and its menu choice 01
        return NormalisedNumber(raw="", key=f"CN:{nsn}", e164=None, region="CN", type=NumberType.short_code,
                                valid=True, country_code=code, national_number=nsn,
                                dialled_international=international, flags=tuple(flags),
                                family=cn_plan.CODE_WITH_MENU)
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        flags.append("fixed_line_or_mobile")
    if valid and code == 86 and kind == PhoneNumberType.MOBILE \
            and nsn.startswith(CN_VIRTUAL_OPERATOR_PREFIXES):
        flags.append("virtual_operator_range")
    return reading_of("", e164, e164, _region_of(parsed, found_region), TYPES.get(kind, NumberType.unknown), valid, code,
                      nsn, None, international, None, False, tuple(flags), None, parsed)


def _cn_plan_reading(dial: str, region: str) -> NormalisedNumber | None:
    """What verifier.core.numbers.cn_plan reads in China's digits before phonenumbers does, or None.

    ``dial`` is national digits dialled in CN or "+86" and the national digits: a 106 SMS
    sender (behind +86 only when it is no valid full number: +86 10 6xxxxxxx is a Beijing
    line), a short code of a family phonenumbers misses, or an 11-digit number starting with 1,
    read as exactly those digits (no 179xx/12xxx carrier prefix stripped: "17975003547" is an
    impossible number, not "too few digits")."""
    if dial[:3] == "+86":
        digits, international = dial[3:], True
    elif region == "CN" and dial[:1] != "+":
        digits, international = dial, False
    else:
        return None
    if digits[:1] != "1" and digits[:1] != "9":
        return None
    if cn_plan.is_sms_sender(digits) and (not international or nsn_type(86, "CN", digits) == PhoneNumberType.UNKNOWN):
        return NormalisedNumber(raw="", key=f"CN:{digits}", e164=None, region="CN", type=NumberType.sms_sender,
                                valid=True, country_code=86, national_number=digits,
                                dialled_international=international, family=cn_plan.SMS_SENDER_106)
    family = cn_plan.extra_short_code_family(digits)
    if family is not None:
        return NormalisedNumber(raw="", key=f"CN:{digits}", e164=None, region="CN", type=NumberType.short_code,
                                valid=True, country_code=86, national_number=digits,
                                dialled_international=international, family=family)
    if digits[:5] == "12583" and cn_plan.code_with_menu(digits):  # 和多号: 12583 + sub-number + the number called
        return NormalisedNumber(raw="", key=f"CN:{digits}", e164=None, region="CN", type=NumberType.short_code,
                                valid=True, country_code=86, national_number=digits,
                                dialled_international=international, family=cn_plan.CODE_WITH_MENU)
    if len(digits) == 11 and digits[0] == "1" and digits.isdigit() and not is_short_nsn_for_region(digits, "CN"):
        return cn_number_as_written(digits, international)
    return None


def _may_strip_again(code: int, nsn: str) -> bool:
    """Would reading ``+<code><nsn>`` strip a national prefix or carrier code again? Only then
    can the key differ from a second reading (phonenumbers strips exactly what this pattern
    matches at the start), so only then is the second reading needed."""
    pattern = national_prefix_pattern(code)
    return pattern is None or pattern.match(nsn) is not None or nsn[:1] == "0"


def _e164_of(dial: str, region: str) -> str | None:
    parsed = _parse(dial, region)
    return None if parsed is None else \
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=512)
def _country_code_of(region: str) -> int:
    """phonenumbers.country_code_for_region (a lookup of the region's metadata each call)."""
    return phonenumbers.country_code_for_region(region)


def _region_of(parsed: phonenumbers.PhoneNumber, region: str | None) -> str | None:
    """The region of `parsed`, from `region` (region_code_for_number's of it)."""
    if region and region.isalpha() and region != phonenumbers.UNKNOWN_REGION:
        return region
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(parsed.country_code, ())
    return regions[0] if len(regions) == 1 and regions[0].isalpha() else None


def _cn_area_code_before_short_code(nsn: str) -> str | None:
    """"2195561" → "21" when 95561 is a CN short code of at most 6 digits behind a real area code."""
    match = _CN_AREA_CODE.match(nsn)
    if match is None or not 3 <= len(nsn) - match.end() <= 6 or not _is_cn_area_code(match[0]):
        return None
    short = _parse(nsn[match.end():], "CN")
    if short is None or phonenumbers.national_significant_number(short) != nsn[match.end():]:
        return None
    return match[0] if is_valid_short_number_for_region(short, "CN") else None


@lru_cache(maxsize=512)
def _is_cn_area_code(area: str) -> bool:
    """True when the geocoder names a place for numbers behind ``area`` (not just "China")."""
    sample = phonenumbers.PhoneNumber(country_code=86, national_number=int(area.ljust(10, "0")))
    place = geocoder.description_for_valid_number(sample, "en")
    return bool(place) and place != geocoder.country_name_for_number(sample, "en")


@lru_cache(maxsize=65536)
def key_parts(key: str) -> tuple[str | None, str]:
    """(region, national digits) of a canonical key, without parsing it again when it can.

    "CN:95588" → ("CN", "95588"); "+8613800138000" → ("CN", "13800138000"); an
    area-qualified local code keeps its area code: "CN:0731-96511" → ("CN", "0731-96511"),
    which normalise() reads as the same key again. Used to load a large registry quickly from
    the keys the store keeps.
    """
    if not key.startswith("+"):
        region, _, digits = key.partition(":")
        return region, digits
    for length in (1, 2, 3):
        code = int(key[1 : 1 + length]) if key[1 : 1 + length].isdigit() else 0
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
        if regions:
            if len(regions) == 1 and regions[0].isalpha():
                return regions[0], key[1 + length :]
            number = normalise(key)
            return number.region, number.national_number
    return None, key[1:]


def number_key(raw: str, region: str = "CN") -> str:
    """The canonical key of ``raw`` read in ``region`` (raises NotANumber, a ValueError): the
    key function registry/store/rekey.py recomputes stored report and appeal keys with."""
    return normalise(raw, region).key


"""phonenumbers' own number-type and short-code checks, with its patterns compiled once.

`phonenumbers.number_type` and `shortnumberinfo.is_valid_short_number_for_region` look each
pattern up again on every call (a dozen lookups and calls for one number): most of what is
left of reading a new number once `verifier.core.numbers.reading` skips `parse` for it. These functions
apply the same metadata, in the same order, to the same effect;
tests/core/numbers/test_number_patterns.py compares them with phonenumbers' on every region's example
numbers and on random digits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    UNKNOWN_REGION,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberType,
    national_significant_number,
    region_code_for_country_code,
    region_codes_for_country_code,
)

Desc = tuple[frozenset[int], re.Pattern[str] | None] | None  # possible lengths (empty: any), pattern

# the order of phonenumbers' _number_type_helper: the first description that matches decides
_SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)


def _compile(desc: object) -> Desc:
    if desc is None:
        return None
    pattern = getattr(desc, "national_number_pattern", None)
    return frozenset(getattr(desc, "possible_length", ()) or ()), re.compile(pattern) if pattern else None


def _matches(number: str, desc: Desc) -> bool:
    """phonenumbers' _is_number_matching_desc (and shortnumberinfo's equivalent)."""
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths and len(number) not in lengths:
        return False
    return pattern is not None and pattern.fullmatch(number) is not None


@lru_cache(maxsize=512)
def _types_of(country_code: int, region: str | None) -> tuple[Desc, tuple[tuple[Desc, int], ...], Desc, Desc, bool] | None:
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return None
    special = tuple((_compile(getattr(metadata, name)), kind) for name, kind in _SPECIAL_TYPES)
    return (_compile(metadata.general_desc), special, _compile(metadata.fixed_line), _compile(metadata.mobile),
            bool(metadata.same_mobile_and_fixed_line_pattern))


def number_type(number: PhoneNumber) -> int:
    """What `phonenumbers.number_type(number)` returns."""
    return region_and_type(number)[1]


def region_code_for_number(number: PhoneNumber) -> str | None:
    """What `phonenumbers.region_code_for_number(number)` returns: of a country code shared by
    several regions (+1, +7, +44…), the first whose leading digits or patterns the number fits."""
    return region_and_type(number)[0]


def region_and_type(number: PhoneNumber) -> tuple[str | None, int]:
    """(`region_code_for_number(number)`, `number_type(number)`): the type of a region found by
    its patterns is the one that found it, not asked twice."""
    code = number.country_code
    regions = COUNTRY_CODE_TO_REGION_CODE.get(code)
    nsn = national_significant_number(number)
    if regions is None:
        return None, nsn_type(code, None, nsn)
    if len(regions) == 1:
        return regions[0], nsn_type(code, regions[0], nsn)
    for region in regions:
        leading = _leading_digits(region)
        if leading is None:  # no metadata
            continue
        if leading is not False:
            if leading.match(nsn):
                return region, nsn_type(code, region, nsn)
        else:
            kind = nsn_type(code, region, nsn)
            if kind != PhoneNumberType.UNKNOWN:
                return region, kind
    return None, nsn_type(code, None, nsn)


@lru_cache(maxsize=512)
def _leading_digits(region: str) -> re.Pattern[str] | bool | None:
    """The region's leading-digits pattern; False: it has none (its patterns decide); None: no metadata."""
    metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
    if metadata is None:
        return None
    return re.compile(metadata.leading_digits) if metadata.leading_digits is not None else False


def nsn_type(country_code: int, region: str | None, nsn: str) -> int:
    """number_type() of the number with these parts (region: `region_code_for_number`'s): the
    descriptions tried in phonenumbers' order, all in one regular expression (`_typer`)."""
    typer = _typer(country_code, region, len(nsn))
    if typer is None:
        return PhoneNumberType.UNKNOWN
    pattern, kinds = typer
    match = pattern.match(nsn)
    return PhoneNumberType.UNKNOWN if match is None else kinds[match.lastgroup]  # type: ignore[index]


@lru_cache(maxsize=8192)  # every country code's regions (and None) x 17 lengths: 7,973 keys, 640 patterns, 4 MB
def _typer(country_code: int, region: str | None, length: int) -> tuple[re.Pattern[str], dict[str, int]] | None:
    """One pattern for nsn_type's tests on a number of `length` digits, and the type each of its
    end groups names: the general description must match the whole number (a look-ahead), then
    the first alternative to match it whole decides, in phonenumbers' order: each special type,
    fixed line that is also mobile, fixed line, mobile. An alternative ends with an empty group
    of its own, the last group a match closes (`lastgroup`). Anchored with \\Z, never $ (which
    also matches before a final newline)."""
    types = _types_for_length(country_code, region, length)
    if types is None or types[0] is None:
        return None
    general, special, fixed_line, mobile, same_pattern = types
    alternatives: list[tuple[str, int]] = [(f"(?:{pattern.pattern})", kind) for pattern, kind in special]
    if fixed_line is not None:
        if same_pattern:
            alternatives.append((f"(?:{fixed_line.pattern})", PhoneNumberType.FIXED_LINE_OR_MOBILE))
        else:
            if mobile is not None:
                alternatives.append((f"(?=(?:{mobile.pattern})\\Z)(?:{fixed_line.pattern})",
                                     PhoneNumberType.FIXED_LINE_OR_MOBILE))
            alternatives.append((f"(?:{fixed_line.pattern})", PhoneNumberType.FIXED_LINE))
    if not same_pattern and mobile is not None:
        alternatives.append((f"(?:{mobile.pattern})", PhoneNumberType.MOBILE))
    body = "|".join(f"{pattern}\\Z(?P<t{index}>)" for index, (pattern, _kind) in enumerate(alternatives)) or "(?!)"
    return (re.compile(f"(?=(?:{general.pattern})\\Z)(?:{body})"),
            {f"t{index}": kind for index, (_pattern, kind) in enumerate(alternatives)})


Pattern = re.Pattern[str] | None  # None: this description cannot match a number of that length


@lru_cache(maxsize=4096)
def _types_for_length(country_code: int, region: str | None, length: int) \
        -> tuple[Pattern, tuple[tuple[re.Pattern[str], int], ...], Pattern, Pattern, bool] | None:
    """_types_of() with the possible-length checks done once per length: only the patterns a
    number of `length` digits can match (_matches' length test, ahead of time)."""
    types = _types_of(country_code, region)
    if types is None:
        return None
    general, special, fixed_line, mobile, same_pattern = types

    def pattern(desc: Desc) -> Pattern:
        if desc is None or (desc[0] and length not in desc[0]):
            return None
        return desc[1]

    kept = tuple((found, kind) for desc, kind in special if (found := pattern(desc)) is not None)
    return pattern(general), kept, pattern(fixed_line), pattern(mobile), same_pattern


@lru_cache(maxsize=1024)
def national_prefix_pattern(code: int) -> re.Pattern[str] | None:
    """The national prefix (and carrier code) phonenumbers strips from a number of country code
    `code` when it parses one, as a pattern matched at the start; None when it strips nothing
    or knows no metadata for the code."""
    region = region_code_for_country_code(code)
    metadata = (PhoneMetadata.metadata_for_region(region) if region != UNKNOWN_REGION and region.isalpha()
                else PhoneMetadata.metadata_for_nongeo_region(code))
    pattern = getattr(metadata, "national_prefix_for_parsing", None) if metadata else None
    return re.compile(pattern) if pattern else None


@lru_cache(maxsize=512)
def _short_codes_of(region: str) -> tuple[Desc, Desc] | None:
    metadata = PhoneMetadata.short_metadata_for_region(region)
    if metadata is None:
        return None
    return _compile(metadata.general_desc), _compile(metadata.short_code)


@lru_cache(maxsize=1024)
def _regions_of(country_code: int) -> tuple[str, ...]:
    return tuple(region_codes_for_country_code(country_code))


def is_valid_short_number_for_region(number: PhoneNumber, region: str) -> bool:
    """What `phonenumbers.shortnumberinfo.is_valid_short_number_for_region` returns."""
    if region not in _regions_of(number.country_code):
        return False
    return is_short_nsn_for_region(national_significant_number(number), region)


def is_short_nsn_for_region(nsn: str, region: str) -> bool:
    """is_valid_short_number_for_region() of a number of `region`'s own country code."""
    descs = _short_codes_of(region)
    if descs is None:
        return False
    general, short_code = descs
    return _matches(nsn, general) and _matches(nsn, short_code)


def valid_regions(country_code: int, nsn: str) -> tuple[str, ...]:
    """The regions of `country_code` (in phonenumbers' order) whose patterns make the number
    valid: those where `nsn_type(country_code, region, nsn)` is not UNKNOWN. One regular
    expression per code and length asks all of them at once (`_validity_of`): the 25 regions of
    +1 cost 25 calls of nsn_type, about 11 us, on every +1 number named in an answer
    (verifier.core.numbers.places). tests/core/numbers/test_number_patterns.py proves it equal."""
    found = _validity_of(country_code, len(nsn))
    if found is None:
        return ()
    pattern, names = found
    match = pattern.match(nsn)
    if match is None:
        return ()
    return tuple(region for region, group in names if match.group(group) is not None)


@lru_cache(maxsize=1024)
def _validity_of(country_code: int, length: int) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]] | None:
    """A pattern that matches every string (zero-width) and sets group r<i> when region i of the
    code would make a number of `length` digits valid: its general pattern matches it whole, and
    so does one of its special types', its fixed-line one or (unless both are the same) its mobile
    one: nsn_type's tests, each in a look-ahead anchored at the end (\\Z, never $, which also
    matches before a final newline)."""
    parts, names = [], []
    for index, region in enumerate(_regions_of(country_code)):
        types = _types_for_length(country_code, region, length)
        if types is None:
            continue
        general, special, fixed_line, mobile, same_pattern = types
        kinds = [pattern for pattern, _kind in special] + [fixed_line] + ([mobile] if not same_pattern else [])
        kinds = [pattern for pattern in kinds if pattern is not None]
        if general is None or not kinds:
            continue
        either = "|".join(f"(?:{pattern.pattern})" for pattern in kinds)
        parts.append(f"(?:(?=(?:{general.pattern})\\Z)(?=(?:{either})\\Z)(?P<r{index}>))?")
        names.append((region, f"r{index}"))
    if not names:
        return None
    return re.compile("".join(parts)), tuple(names)

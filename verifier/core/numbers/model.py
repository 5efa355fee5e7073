"""What reading a phone number gives: NormalisedNumber, its NumberType, and NotANumber.

Pure, no I/O. The rules that fill these fields (the canonical key, the flags, the families)
are verifier.core.numbers.reading's, and its module docstring spells them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import phonenumbers
from phonenumbers import PhoneNumberType

from verifier.core.slots import slot_constructor


class NumberType(StrEnum):
    mobile = "mobile"
    fixed_line = "fixed_line"
    shared_cost = "shared_cost"  # China's 400 numbers
    toll_free = "toll_free"  # China's 800 numbers
    short_code = "short_code"
    sms_sender = "sms_sender"  # China's 106 codes: a bank's or platform's SMS sender, it cannot be called back
    premium_rate = "premium_rate"
    voip = "voip"
    unknown = "unknown"


class NotANumber(ValueError):
    """The text is not a phone number at all (empty, no digits, over 64 characters...).

    ``code`` is a stable machine-readable reason ("empty", "no_digits", "too_long",
    "too_short", "bad_characters", "unknown_region"); ``str(exc)`` a plain English sentence.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NormalisedNumber:
    raw: str
    key: str  # "+8613800138000" (E.164) for full numbers; "CN:95588" for short codes, "CN:0731-96511" for local ones
    e164: str | None  # None for short codes
    region: str | None  # ISO region the number belongs to ("CN", "MM"); None when unknown
    type: NumberType
    valid: bool
    country_code: int | None
    national_number: str  # national significant digits, no trunk prefix ("95588", "2128913888")
    extension: str | None = None  # IVR / extension digits split off ("3" for 95511转3)
    dialled_international: bool = False  # written with +, 00 or a country code
    area_code: str | None = None  # short code dialled behind an area code ("21" for 021-95561)
    letters_mapped: bool = False  # l/I/| → 1, O/o → 0 were substituted: never a clean match
    flags: tuple[str, ...] = field(default_factory=tuple)
    family: str | None = None  # China's numbering family ("cn_local_96", "cn_sms_sender_106", …: verifier.core.numbers.cn_plan)
    parsed: phonenumbers.PhoneNumber | None = field(default=None, compare=False, repr=False)  # for describe()


TYPES = {  # phonenumbers' type → ours (any other: NumberType.unknown)
    PhoneNumberType.MOBILE: NumberType.mobile,
    PhoneNumberType.FIXED_LINE: NumberType.fixed_line,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: NumberType.fixed_line,
    PhoneNumberType.SHARED_COST: NumberType.shared_cost,
    PhoneNumberType.TOLL_FREE: NumberType.toll_free,
    PhoneNumberType.PREMIUM_RATE: NumberType.premium_rate,
    PhoneNumberType.VOIP: NumberType.voip,
}
CN_VIRTUAL_OPERATOR_PREFIXES = ("170", "171", "162", "165", "167")  # valid mobiles here: "virtual_operator_range"


reading_of: Callable[..., NormalisedNumber] = slot_constructor(NormalisedNumber)
"""NormalisedNumber(...) with every field given, in field order, made by setting its slots directly
(verifier.core.slots): for the readings made on every verify (fast_path, reading);
tests/core/numbers/test_numbers_fast_path.py proves it equal to the constructor."""

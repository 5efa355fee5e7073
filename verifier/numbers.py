"""Raw text → one canonical phone number (CONTRACT; implementation in progress).

Pure functions, no I/O. See the docstrings: the verdict engine relies on exactly these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class NumberType(StrEnum):
    mobile = "mobile"
    fixed_line = "fixed_line"
    shared_cost = "shared_cost"  # China's 400 numbers
    toll_free = "toll_free"  # China's 800 numbers
    short_code = "short_code"
    premium_rate = "premium_rate"
    voip = "voip"
    unknown = "unknown"


class NotANumber(ValueError):
    """The text is not a phone number at all (empty, no digits, over 64 characters...).

    ``code`` is a stable machine-readable reason ("empty", "no_digits", "too_long",
    "too_short", "bad_characters"); ``str(exc)`` a plain English sentence.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NormalisedNumber:
    raw: str
    key: str  # "+8613800138000" (E.164) for full numbers; "CN:95588" for short codes
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


def normalise(raw: str, region: str = "CN") -> NormalisedNumber:
    raise NotImplementedError


def describe(number: NormalisedNumber, lang: str = "zh") -> tuple[str | None, str | None]:
    """(carrier, location) as phonenumbers knows them, in Chinese or English."""
    raise NotImplementedError

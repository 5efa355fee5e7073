"""China's numbering plan where phonenumbers' metadata falls short (helper of ``verifier.core.numbers.reading``).

Pure functions, no I/O. phonenumbers knows China's full numbers and most short codes
(95xxx, 96xxx, 10086, 12345, 110, …); this module adds, from the facts in docs/numbers.md
(each family there with its source):

* the **families** phonenumbers misses, read as valid short codes: 8-digit national 95 codes
  (``95105555``, ``95169999``, ``95071950``), China Mobile's ``125xx`` (``12580``, ``12530``),
  ``11xxx`` (``11185`` China Post, ``11183`` EMS, ``11888`` China Telecom), 7-digit operator
  lines (``1008611``, ``1001011``), 6-digit directory lines (``118114``, ``116114``) and
  ``999`` (Beijing emergency medical);
* **SMS sender codes** of the 106 family (``1065…``, ``1069…``, 8 to 20 digits): a bank's or
  platform's SMS sender, which cannot be called back (``NumberType.sms_sender``);
* the **family** of every China short code (``family_of``), and which families are allocated
  per city (``is_area_local``): local ``96xxx``/``96xxxx`` codes are, so ``0731-96511`` and
  ``028-96511`` are different numbers; the codes in ``NATIONWIDE_96`` are not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phonenumbers import PhoneMetadata

from verifier.core.numbers.patterns import is_short_nsn_for_region

# Family names, exposed as NormalisedNumber.family and in the verify answer's "number" object.
NATIONAL_95 = "cn_national_95"  # 95xxx, 95xxxx, 95xxxxxx: one organisation's number in every city
LOCAL_96 = "cn_local_96"  # 96xxx, 96xxxx: allocated per city (area code + code)
NATIONWIDE_96 = "cn_nationwide_96"  # a 96 code meaning the same service in every city (NATIONWIDE_96_CODES)
SMS_SENDER_106 = "cn_sms_sender_106"  # 106…, 8 to 20 digits: SMS senders, never called
SERVICE_125 = "cn_service_125"  # China Mobile's 125xx service codes
POSTAL_11 = "cn_postal_11"  # 11xxx: 11185 China Post, 11183 EMS, 11888 China Telecom
OPERATOR_LINE = "cn_operator_line"  # the operators' own lines: 100xx and 7-digit 100xxxx
DIRECTORY = "cn_directory"  # directory enquiries: 114, 118114, 116114
EMERGENCY = "cn_emergency"  # 110, 119, 120 (phonenumbers' emergency metadata) and 999
PUBLIC_12 = "cn_public_12"  # 12xxx public-service codes (12345, 12315, 12306, …) but 125xx

# 96 codes that mean the same service in every city, so keyed bare ("CN:96110") even when
# written behind an area code. 96110 is the national anti-fraud warning line, answered by each
# city's police and genuine only when shown as area code + 96110 (../shared/data/README.md;
# police advisories in docs/numbers.md). Add a code here only with such a source.
NATIONWIDE_96_CODES = frozenset({"96110"})

SMS_SENDER_DIGITS = (8, 20)  # 106 + 5 to 17 digits
_SMS_SENDER = re.compile(r"106[0-9]{5,17}")

# Short codes phonenumbers' ShortNumberMetadata (9.0.x) does not have, each a fact of
# docs/numbers.md's table: (pattern of the national digits, family).
_EXTRA_SHORT_CODES = (
    (re.compile(r"95[0-9]{6}"), NATIONAL_95),  # 8-digit 95 codes: 9510xxxx (95105555), 95169999, 95071950
    (re.compile(r"125[0-9]{2}"), SERVICE_125),  # 12580, 12530
    (re.compile(r"11[0-9]{3}"), POSTAL_11),  # 11185, 11183, 11888
    (re.compile(r"100[0-9]{4}"), OPERATOR_LINE),  # 1008611, 1001011
    (re.compile(r"11[68]114"), DIRECTORY),  # 118114, 116114
    (re.compile(r"999"), EMERGENCY),  # Beijing emergency medical
)


@lru_cache(maxsize=1)
def _emergency() -> re.Pattern[str]:
    metadata = PhoneMetadata.short_metadata_for_region("CN")
    pattern = getattr(getattr(metadata, "emergency", None), "national_number_pattern", None) or "1(?:1[09]|20)"
    return re.compile(f"(?:{pattern})|999")


def is_sms_sender(digits: str) -> bool:
    """True for national digits of a 106-family SMS sender code (8 to 20 digits)."""
    return _SMS_SENDER.fullmatch(digits) is not None


def extra_short_code_family(digits: str) -> str | None:
    """The family of a China short code phonenumbers' metadata misses, else None."""
    for pattern, family in _EXTRA_SHORT_CODES:
        if pattern.fullmatch(digits):
            return family
    return None


@lru_cache(maxsize=4096)
def family_of(digits: str) -> str | None:
    """The family of the national digits of a China short code or SMS sender (None: none of
    the documented families). Only classifies: whether the digits are a valid code at all
    is decided by phonenumbers' metadata and extra_short_code_family()."""
    if is_sms_sender(digits):
        return SMS_SENDER_106
    extra = extra_short_code_family(digits)
    if extra is not None:
        return extra
    if _emergency().fullmatch(digits):
        return EMERGENCY
    if digits.startswith("95"):
        return NATIONAL_95
    if digits.startswith("96"):
        return NATIONWIDE_96 if digits in NATIONWIDE_96_CODES else LOCAL_96
    if digits.startswith("101") and len(digits) == 5:  # 101xx: the operators' value-added lines (10190)
        return OPERATOR_LINE
    if digits.startswith("100"):
        return OPERATOR_LINE
    if digits == "114":
        return DIRECTORY
    if re.fullmatch(r"12[0-9]{3}", digits):
        return PUBLIC_12
    return None


CODE_WITH_MENU = "cn_code_with_menu"  # a nationwide code with its IVR menu digits dialled straight after it
_MENU_BASES = frozenset({NATIONAL_95, OPERATOR_LINE, PUBLIC_12, SERVICE_125})
_HEDUOHAO = re.compile(r"12583[1-3][0-9]{3,11}")  # China Mobile 和多号: 12583 + sub-number 1-3 + the number called


@lru_cache(maxsize=4096)
def code_with_menu(digits: str) -> bool:
    """Is `digits` a nationwide service code followed by up to 4 menu digits (``9555801``,
    ``955981112``, ``10086021``, ``121231100``), or China Mobile's 和多号 prefix followed by the
    number called (``12583110086``)? The network routes on the code and the service's voice menu
    reads the rest, so organisations publish such numbers (the registry's sources list 33 of
    them: docs/numbers.md). Asked only when no other reading of the digits is valid."""
    if _HEDUOHAO.fullmatch(digits):
        return True
    for split in (5, 6, 4, 3):
        base, rest = digits[:split], digits[split:]
        if 1 <= len(rest) <= 4 and rest.isdigit() and family_of(base) in _MENU_BASES \
                and (is_short_nsn_for_region(base, "CN") or extra_short_code_family(base)):
            return True
    return False


def is_area_local(digits: str) -> bool:
    """Is this short code allocated per city (its key must carry the area code)?"""
    return family_of(digits) == LOCAL_96

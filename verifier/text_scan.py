"""Finding the phone numbers in a pasted SMS or web page.

Two passes: phonenumbers' own matcher (full numbers in any layout), then a pattern for
what it leaves out (China's short service codes like 95588 or 021-95561, and numbers
written with a foreign prefix such as +95588). An extension or IVR suffix directly after a
number (转3, ;3) stays with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

_EXTRA = re.compile(
    r"(?<![\d+＋])(?:[+＋]\s?\d[\d \-]{2,18}\d"  # +95588, + 95 588...
    r"|(?:0\d{2,3}[-\s]?)?9[56]\d{3,4}"  # 95588, 956186, 021-95561, 025-96110
    r"|1[0-2]\d{1,3})"  # 110, 10086, 12321
    r"(?!\d)"
)
_UNIT_AFTER = re.compile(r"\s*[元块万%年月日号个次秒分]")  # an amount or a date, not a number to call
_SUFFIX = re.compile(r"\s*(?:转|;|,|#|ext\.?\s*)\s*\d{1,4}(?!\d)")
MAX_NUMBERS = 50


@dataclass(frozen=True, slots=True)
class Found:
    text: str
    start: int
    end: int


def find_numbers(text: str, region: str = "CN") -> list[Found]:
    """Every number-like run in `text`, in order, not overlapping, at most MAX_NUMBERS."""
    spans: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if not _UNIT_AFTER.match(text, match.end):
            spans.append((match.start, match.end))
    for extra in _EXTRA.finditer(text):
        overlaps = any(start < extra.end() and extra.start() < end for start, end in spans)
        if not overlaps and not _UNIT_AFTER.match(text, extra.end()):
            spans.append((extra.start(), extra.end()))
    found = []
    for start, end in sorted(spans)[:MAX_NUMBERS]:
        suffix = _SUFFIX.match(text, end)
        if suffix:
            end = suffix.end()
        found.append(Found(text[start:end], start, end))
    return found

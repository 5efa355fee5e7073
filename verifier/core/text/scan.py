"""Finding the phone numbers in a pasted SMS or web page.

Every digit run is first classified by its shape and the words around it
(`verifier.core.text.digits`): card tails, verification codes, amounts, dates, order and pickup
codes, digits inside links and masked digits are not numbers to verify. What is left is
what phonenumbers' own matcher finds (full numbers in any layout) and China's short service
codes it leaves out (95588, 021-95561, 106 sender codes, numbers written with a foreign
prefix such as +95588). An extension or IVR suffix directly after a number (转3, ;3) stays
with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from verifier.core.text.digits import DigitKind, DigitRun, classify_digits

_SUFFIX = re.compile(r"\s*(?:转|;|,|#|ext\.?\s*)\s*\d{1,4}(?!\d)")
MAX_NUMBERS = 50
MIN_DIGITS = 3
_SEPARATORS = " \t-./()"


@dataclass(frozen=True, slots=True)
class Found:
    text: str
    start: int
    end: int


def numbers_of(text: str, runs: Iterable[DigitRun], limit: int = MAX_NUMBERS) -> list[Found]:
    """The phone-number runs of a classification, each with its extension suffix, at most
    `limit` (MAX_NUMBERS)."""
    found: list[Found] = []
    taken = 0  # where the last number (with its suffix) ended: runs never overlap it
    for run in runs:
        if run.kind is not DigitKind.phone or run.end <= taken:
            continue
        start = run.start
        if start < taken:  # "95588转3 95599": the 3 was the suffix; the number starts after it
            start = taken + len(text[taken:run.end]) - len(text[taken:run.end].lstrip(_SEPARATORS))
            if sum(ch.isdigit() for ch in text[start:run.end]) < MIN_DIGITS:
                continue
        end = run.end
        suffix = _SUFFIX.match(text, end)
        if suffix:
            end = suffix.end()
        found.append(Found(text[start:end], start, end))
        taken = end
        if len(found) >= limit:
            break
    return found


def find_numbers(text: str, region: str = "CN", links: Iterable[tuple[int, int]] = ()) -> list[Found]:
    """Every run of the text that is plausibly a phone number, in order, not overlapping."""
    return numbers_of(text, classify_digits(text, region, links))

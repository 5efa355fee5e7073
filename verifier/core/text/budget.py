"""How much checking one pasted text may ask for (docs/errors.md, docs/security.md).

A text's cost is the numbers it verifies and the links it judges (and its length, for a long
text with little to check: CHARS_PER_UNIT): each is charged like one verify (verifier.http.callers.charge_verify), and a text with more than its cap of them is
refused whole (413) before any is verified. The cap is counted cheaply first: digit runs and
digits with one regular expression (`too_many_candidates`), then links and phone-number
candidates with early stops, so refusing a text full of numbers costs well under a millisecond
of reading, not the hundreds the full reading of every candidate would (phonenumbers' matcher
costs a fraction of a millisecond per candidate).
"""

from __future__ import annotations

import re

CANDIDATES_PER_CHECK = 2
"""Digit runs (and phone-number candidates) allowed per allowed check before a text is refused
as too many: runs that turn out to be dates, amounts or codes count too. Real messages are far
under it: no SMS of the accuracy sets has more than 3 phone-number candidates."""
DIGITS_PER_CHECK = 11 * CANDIDATES_PER_CHECK  # a mobile number has 11 digits
_RUN = re.compile(r"\d{3,}")


def too_many_candidates(text: str, max_checks: int) -> bool:
    """The cheap count, before any reading: more runs of three or more digits than
    CANDIDATES_PER_CHECK × `max_checks`, or more digits than DIGITS_PER_CHECK × `max_checks`
    (numbers written digit by digit, "1 3 9 …", have no long runs). Linear, well under a
    millisecond for the longest text allowed."""
    limit = CANDIDATES_PER_CHECK * max_checks
    runs = 0
    for _ in _RUN.finditer(text):
        runs += 1
        if runs > limit:
            return True
    return sum(map(str.isdigit, text)) > DIGITS_PER_CHECK * max_checks


class TooManyChecks(Exception):
    """The text holds more numbers and links than `limit`."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} numbers and links to check")
        self.limit = limit


CHARS_PER_UNIT = 250
"""Reading a text (its names, cues, links and digits) costs with its length even where it holds
nothing to check: a text costs at least one unit per this many characters (a real SMS: one)."""


def checks_cost(numbers: int, links: int, chars: int = 0) -> int:
    """What a text costs in verify units: one per number verified and per link judged, and at
    least one per CHARS_PER_UNIT characters started."""
    return max(1, numbers + links, -(-chars // CHARS_PER_UNIT))

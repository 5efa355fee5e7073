"""One readable way to write a number for people, used by every answer and page.

Pure, no I/O. By canonical key (verifier.core.numbers.reading): a short code as its digits (``95588``),
an area-local code behind its area code (``0731 96511``), a Chinese full number in
phonenumbers' national layout (``400 820 5555``, ``010 6608 5566``, ``138 0013 8000``) and any
other country's number in its international layout (``+852 2287 6767``).
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


@lru_cache(maxsize=8192)
def display_key(key: str) -> str:
    """The number a canonical key stands for, written for people."""
    if not key.startswith("+"):
        _, _, digits = key.partition(":")
        area, dash, code = digits.partition("-")
        return f"{area} {code}" if dash else digits
    try:
        parsed = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        return key
    layout = phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 86 \
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, layout)

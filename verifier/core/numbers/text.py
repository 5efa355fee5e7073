"""Text clean-up before a phone number is read (helper of ``verifier.core.numbers.reading``).

Pure functions, no I/O and no phonenumbers calls: this module only turns pasted text into
the number as written (``main``), an optional extension and a few observations. The steps,
in order:

1. NFKC (fullwidth ``９５５８８``/``＋`` → ASCII), every Unicode decimal digit → ASCII,
   every dash (``‐ – — −``) → ``-``.
2. Invisible characters are dropped: zero-width (U+200B..U+200D, U+2060, U+FEFF), bidi
   controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F) and any other format
   character (Unicode category Cf). At the edges of the text silently; inside it with the
   flag ``invisible_characters_removed`` (a fraudster may hide them in a number).
3. ``tel:`` URIs (RFC 3966): ``;ext=`` becomes the extension, ``;phone-context=+64`` is
   the number's prefix, a domain phone-context is ignored (flag ``domain_phone_context``)
   and ``;isub=`` (ISDN subaddress, not part of the number) is dropped.
4. An area-code placeholder written inside a number (``+86(区号)95566``, ``+86 (area
   code) 95566``) is removed (flag ``placeholder_area_code``).
5. Homoglyph letters: ``l I | ǀ`` → 1, ``O o`` (and Cyrillic/Greek O) → 0, only when a run
   made of nothing but such letters touches a digit (``955l8``, ``9558O``); ``Tel95588``
   keeps its ``l``. Vanity numbers (``0800 FOR PIZZA``) are NOT supported: other letters
   next to or after the digits are rejected ("bad_characters").
6. Text before the number is a label and is dropped (``Num-123``, ``电话：95588``,
   quotes); the number starts at its first digit, ``+`` or ``(``.
7. Extensions / IVR digits are split off behind ``转``, ``分机``, ``ext``, ``x``, ``#``,
   ``;`` (wait), ``,`` (pause), ``按`` (press), ``then``/``然后``/``再按`` (further DTMF).
   Several groups are joined with ``,`` (the dialler pause): ``95561-1 then 777`` →
   ``1,777`` once ``verifier.core.numbers.reading`` has split the ``-1`` menu digit.
8. What remains must be ``+``, digits and separators (space, tab, ``-`` ``.`` ``/`` ``()``);
   trailing quotes and punctuation are dropped. A line break inside is "bad_characters":
   ``95588\n95566`` is two numbers, not one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_INPUT_CHARS = 64
MIN_DIGITS = 3  # "110" is the shortest thing worth reading; "1", "12" are too short
MAX_DIGITS = 20  # a 106 SMS sender code has up to 20; any other number up to 18 (verifier.core.numbers.reading)

# Listed for the reader; every other Unicode "Cf" (format) character is treated the same.
INVISIBLE_CHARACTERS = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space/non-joiner/joiner, word joiner, BOM
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"  # bidi controls
)
HOMOGLYPHS = {"l": "1", "I": "1", "|": "1", "ǀ": "1",
              "O": "0", "o": "0", "О": "0", "о": "0", "Ο": "0", "ο": "0"}  # Latin, Cyrillic, Greek
_DIGITS = frozenset("0123456789")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043")

_SP = r"[ \t]"  # the only blanks inside a number: a line break means another line of text
_TEL_URI = re.compile(rf"tel:{_SP}*(?P<body>[^;]*)(?P<params>(?:;[A-Za-z0-9-]+=[^;]*)*)", re.I)
_TEL_PARAM = re.compile(r";([A-Za-z0-9-]+)=([^;]*)")
_PLACEHOLDER = re.compile(rf"(?<=[0-9]){_SP}*[(\[]?{_SP}*(?:区号|area{_SP}*code){_SP}*[)\]]?", re.I)
_LETTER_RUN = re.compile(r"(?:[^\W\d_]|[|ǀ])+")
_NUMBER_START = re.compile(rf"\(?{_SP}*\+?{_SP}*\(?{_SP}*[0-9]")
_MARK = r"(?:转分机|分机号?|转|ext(?:ension)?\.?|x|#|;|,|then|然后|再按|按)"
_EXT_START = re.compile(rf"{_SP}*{_MARK}{_SP}*(?=[0-9])", re.I)
_EXT_TAIL = re.compile(rf"(?:{_SP}*{_MARK}{_SP}*[0-9]+)+", re.I)
_EXT_GROUP = re.compile(rf"{_MARK}{_SP}*([0-9]+)", re.I)
_TRAILING_JUNK = re.compile(r"[\s\"'“”‘’「」『』《》〈〉<>【】\[\]{}.,;:!?#、。*]+$")
_MAIN = re.compile(r"[( \t]*\+?[0-9 \t\-./()]+")
_NOT_DIGITS = re.compile(r"[^0-9]")


class TextRejected(ValueError):
    """Raised for text that cannot be a phone number; ``verifier.core.numbers.reading`` re-raises it as
    ``NotANumber`` with the same ``code`` and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NumberText:
    main: str  # the number as written, separators kept: "+86 21 95561", "95561-6"
    extension: str | None = None  # "3", "1,777"
    context: str | None = None  # "+64" from tel:...;phone-context=+64
    letters_mapped: bool = False
    flags: tuple[str, ...] = ()

    @property
    def digits(self) -> str:
        return _NOT_DIGITS.sub("", self.main)

    @property
    def has_plus(self) -> bool:
        return self.main.lstrip("( ").startswith("+")


def _is_invisible(ch: str) -> bool:
    return ch in INVISIBLE_CHARACTERS or unicodedata.category(ch) == "Cf"


def _fold(ch: str) -> str:
    if ch.isdecimal():
        value = unicodedata.decimal(ch, None)
        return ch if value is None else str(value)
    return "-" if ch in _DASHES else ch


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or _is_invisible(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or _is_invisible(text[end - 1])):
        end -= 1
    return text[start:end]


def _map_homoglyphs(text: str) -> tuple[str, bool]:
    mapped = False

    def replace(match: re.Match[str]) -> str:
        nonlocal mapped
        run, before, after = match.group(), match.start() - 1, match.end()
        touches_digit = (before >= 0 and text[before] in _DIGITS) or (
            after < len(text) and text[after] in _DIGITS)
        if not touches_digit or any(ch not in HOMOGLYPHS for ch in run):
            return run
        mapped = True
        return "".join(HOMOGLYPHS[ch] for ch in run)

    return _LETTER_RUN.sub(replace, text), mapped


def _read_tel_uri(text: str, flags: list[str]) -> tuple[str, str | None, str | None]:
    """(body, extension, context) of a ``tel:`` URI; other text comes back unchanged."""
    if not text[:4].lower() == "tel:":
        return text, None, None
    match = _TEL_URI.fullmatch(text)
    if match is None:  # "tel:95188;3": not URI parameters, the ';' is a DTMF wait
        return text[4:], None, None
    extension = context = None
    for name, value in _TEL_PARAM.findall(match["params"]):
        name = name.lower()
        if name == "ext":
            extension = re.sub(r"[^0-9]", "", value) or None
        elif name == "phone-context":
            if value.strip().startswith("+") and re.search(r"[0-9]", value):
                context = "+" + re.sub(r"[^0-9]", "", value)
            else:
                flags.append("domain_phone_context")
    return match["body"], extension, context


def _split_extension(number: str) -> tuple[str, list[str]]:
    first_digit = re.search(r"[0-9]", number)
    start = _EXT_START.search(number, first_digit.end() if first_digit else 0)
    if start is None:
        return number, []
    tail = number[start.start():]
    if not _EXT_TAIL.fullmatch(tail):
        raise TextRejected("bad_characters",
                           f"Unexpected characters after the number: {tail.strip()!r}.")
    return number[:start.start()], _EXT_GROUP.findall(tail)


def read_number_text(raw: str) -> NumberText:
    """Clean ``raw`` into the written number and its extension; raise TextRejected."""
    if len(raw) > MAX_INPUT_CHARS:
        raise TextRejected("too_long", f"The text is longer than {MAX_INPUT_CHARS} characters.")
    if MIN_DIGITS <= len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit():
        return NumberText(main=raw)  # the common case from apps: plain digits, nothing to clean
    if raw.isascii() and _PLAIN_WRITTEN.fullmatch(raw) \
            and MIN_DIGITS <= len(raw) - raw.count(" ") - raw.count("-") - (raw[0] == "+") <= MAX_DIGITS:
        return NumberText(main=raw)  # "+44 20 7946 0000", "010-6552 9988": nothing to clean either
    return _cleaned(raw)


_PLAIN_WRITTEN = re.compile(r"\+?[0-9](?:[0-9 \-]*[0-9])?")  # what read_number_text gives back as it is


def _cleaned(raw: str) -> NumberText:
    """read_number_text's general path (tests/core/numbers/test_number_text.py proves the
    shortcuts above equal to it)."""
    flags: list[str] = []
    text = _strip_edges("".join(_fold(ch) for ch in unicodedata.normalize("NFKC", raw)))
    visible = "".join(ch for ch in text if not _is_invisible(ch))
    if visible != text:
        flags.append("invisible_characters_removed")
    text = visible.strip()
    if not text:
        raise TextRejected("empty", "The text is empty.")
    text, uri_extension, context = _read_tel_uri(text, flags)
    text, placeholders = _PLACEHOLDER.subn(" ", text)
    if placeholders:
        flags.append("placeholder_area_code")
    text, letters_mapped = _map_homoglyphs(text)
    start = _NUMBER_START.search(text)
    if start is None:
        raise TextRejected("no_digits", "The text contains no digits.")
    number, groups = _split_extension(_TRAILING_JUNK.sub("", text[start.start():]))
    number = _TRAILING_JUNK.sub("", number.strip())
    if not _MAIN.fullmatch(number):
        raise TextRejected("bad_characters",
                           f"{number!r} contains characters that do not belong in a phone "
                           "number (vanity letters such as 0800 FOR PIZZA are not supported).")
    digit_count = sum(ch in _DIGITS for ch in number)
    if digit_count < MIN_DIGITS:
        raise TextRejected("too_short", f"{number!r} has too few digits to be a phone number.")
    if digit_count > MAX_DIGITS:
        raise TextRejected("too_long", f"{number!r} has more digits than any phone number.")
    if uri_extension:
        groups.insert(0, uri_extension)
    return NumberText(main=number, extension=",".join(groups) or None, context=context,
                      letters_mapped=letters_mapped, flags=tuple(flags))

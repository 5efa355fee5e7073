"""find_cues runs a cue's pattern only when the text holds the strings its every match needs
(read from the parsed pattern): it must find exactly what find_cues_plain (every pattern over
the whole text) finds, on the real messages, on mutated ones and on generated ones."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.text.real_texts import real_texts
from verifier.core.text.cues import _ALWAYS, CUES, _cue_needs, find_cues, find_cues_plain, fold_case

TEXTS = real_texts()
# every character the cue patterns are written with, the texts' own, and those IGNORECASE
# equates to ASCII letters: what generated texts are made of
ALPHABET = sorted(set("".join(cue.pattern.pattern for cue in CUES)) | set("".join(TEXTS))
                  | set("\u0130\u0131\u017f\u212a Σσς\n"))


def test_the_real_messages_find_the_same_cues() -> None:
    assert len(TEXTS) > 200
    for text in TEXTS:
        assert find_cues(text) == find_cues_plain(text), text


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TEXTS), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 3), st.text(ALPHABET, max_size=12)),
                                        max_size=6))
def test_mutated_messages_find_the_same_cues(text: str, edits: list[tuple[int, int, str]]) -> None:
    for at, kind, insert in edits:
        at %= len(text) + 1
        if kind == 0:
            text = text[:at] + insert + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + len(insert):]
        elif kind == 2:
            text = text[:at] + text[at:at + 8].swapcase() + text[at + 8:]
        else:
            text = text[:at] + text[at:at + 8].upper() + text[at + 8:]
    assert find_cues(text) == find_cues_plain(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([cue.pattern.pattern for cue in CUES]) | st.text(ALPHABET, max_size=20), max_size=8))
def test_generated_texts_find_the_same_cues(pieces: list[str]) -> None:
    # pieces of the patterns themselves put their literals next to each other
    text = "".join(pieces)
    assert find_cues(text) == find_cues_plain(text)


def test_every_cue_found_in_the_real_messages_passes_its_prefilter() -> None:
    """Not vacuous: the prefilter lets through every cue that is there (and skips most)."""
    found = {finding.code for text in TEXTS for finding in find_cues_plain(text)}
    assert found >= {"cue_account_frozen", "cue_new_number", "cue_follow_unseen_link"}
    assert all(_ALWAYS not in first for first, _alternatives in _cue_needs())  # every cue needs some string


def test_fold_case_maps_what_ignorecase_equates_to_an_ascii_letter_onto_that_letter() -> None:
    """The prefilter looks for a pattern's ASCII literals in fold_case(text): every character
    IGNORECASE lets match an ASCII letter must fold to that letter, one character for one."""
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    assert len(fold_case(every)) == len(every)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for match in re.finditer(letter, every, re.IGNORECASE):
            assert fold_case(match.group()) == letter, (letter, hex(ord(match.group())))
    # the fullwidth Latin letters are read as literals too (_case_safe)
    for letter in map(chr, range(0xFF21, 0xFF5B)):
        for match in re.finditer(re.escape(letter), every, re.IGNORECASE):
            assert fold_case(match.group()) == fold_case(letter), (letter, hex(ord(match.group())))

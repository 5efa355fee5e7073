"""find_links folds a text with str.translate and a memo of each character's form, and runs
the scheme pattern only on a text holding "://": it must find exactly what find_links_plain
(character-by-character fold, every pattern) finds."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.text.real_texts import real_texts
from verifier.core.text.links import _fold, _fold_plain, find_links, find_links_plain

TEXTS = real_texts()
# ideographic stops written and folded from other forms (︒ folds to 。), fullwidth letters
# and digits, what links are made of
ALPHABET = "a1Z9。｡︒．.:/@-_ 中文ＡＢ１２ｃｏｍ httpswww.cnICBC\uff0e\u3000"


def test_the_fold_equals_the_plain_fold_on_every_character() -> None:
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    assert _fold(every) == _fold_plain(every)


@settings(max_examples=500, deadline=None)
@given(st.text(ALPHABET, max_size=30))
def test_the_fold_equals_the_plain_fold_around_ideographic_stops(text: str) -> None:
    assert _fold(text) == _fold_plain(text)


def test_the_real_messages_find_the_same_links() -> None:
    assert sum(bool(find_links(text)) for text in TEXTS) > 20
    for text in TEXTS:
        assert _fold(text) == _fold_plain(text)
        assert find_links(text) == find_links_plain(text), text
        assert find_links(text, stop_after=1) == find_links_plain(text, stop_after=1), text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TEXTS), st.integers(0, 400), st.text(ALPHABET, max_size=25))
def test_mutated_messages_find_the_same_links(text: str, at: int, insert: str) -> None:
    at %= len(text) + 1
    text = text[:at] + insert + text[at:]
    assert find_links(text) == find_links_plain(text)

"""classify_digits runs phonenumbers' matcher only on the stretches of a text (between
barrier characters) with room for a free number or holding a free short code, tries the date,
amount and masked-digits patterns only where a match can start, runs the link, card and mask
patterns only on a text holding their hint, and finds free spans by binary search: it must
classify exactly as classify_digits_plain does (the matcher over the whole text, every pattern
at every position), raising TooManyCandidates alike. The facts the shortcuts rest on are
checked here too: no candidate of the matcher holds a barrier character, its tries cannot run
out, a number it finds in China holds five letters or digits (without a plus), _STARTS matches
wherever its pattern does and every match holds its hint."""

from __future__ import annotations

import random
import re
import re._compiler as sre_compile
import re._constants as sre
import re._parser as sre_parse

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import phonenumbermatcher

from tests.core.text.real_texts import real_texts
from verifier.core.text import digits
from verifier.core.text.digits import TooManyCandidates, classify_digits, classify_digits_plain
from verifier.core.text.links import find_links

TEXTS = real_texts()
ALPHABET = sorted(set("".join(TEXTS)) | set("0123456789０１２３４５６７８９+＋-()（）[]/.:：;,#＃*＊xX ext 分机"
                                           "年月日号时点分元￥$%尾号验证码客服电话jan Dec am pm\n\t\u3000"))


def outcome(classify, text: str, links: list[tuple[int, int]], limit: int | None, region: str = "CN") -> object:
    try:
        return classify(text, region, links, limit)
    except TooManyCandidates as exc:
        return ("too many", exc.limit)


def same(text: str, limit: int | None = None, with_links: bool = True, region: str = "CN") -> None:
    links = [(link.start, link.end) for link in find_links(text)] if with_links else []
    assert outcome(classify_digits, text, links, limit, region) == \
        outcome(classify_digits_plain, text, links, limit, region), text


def test_the_real_messages_are_classified_the_same() -> None:
    assert len(TEXTS) > 200
    for text in TEXTS:
        same(text)
        same(text, limit=1)
        same(text, with_links=False)
        same(text, region="HK")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TEXTS), st.lists(st.tuples(st.integers(0, 400), st.booleans(), st.text(ALPHABET, max_size=14)),
                                        max_size=6), st.sampled_from([None, None, 1, 2]))
def test_mutated_messages_are_classified_the_same(text: str, edits: list[tuple[int, bool, str]],
                                                  limit: int | None) -> None:
    for at, insert, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:] if insert else text[:at] + text[at + len(piece):]
    same(text, limit)


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=80), st.sampled_from([None, 1, 3]), st.sampled_from(["CN", "CN", "HK", "US"]))
def test_generated_texts_are_classified_the_same(text: str, limit: int | None, region: str) -> None:
    same(text, limit, with_links=False, region=region)


def test_a_text_whose_matcher_tries_might_run_out_takes_the_whole_walk() -> None:
    text = "12-34 " * 400 + "电话95588"  # one stretch of 2,400 characters: the plain walk, exactly
    stretches = [(m.start(), m.end()) for m in digits._STRETCH.finditer(text)]
    assert sum((e - s) * (1 + digits.INNER_PATTERNS * (e - s + 1)) for s, e in stretches) >= digits.MATCHER_TRIES
    same(text, with_links=False)


# -- the facts the shortcuts rest on ---------------------------------------------------------

def _atoms(items: sre_parse.SubPattern) -> list[tuple[object, object]]:
    """Every one-character item of a parsed pattern; fails on anything else (a look-around, an
    anchor, a back-reference): the matcher's pattern must be made of characters only."""
    found: list[tuple[object, object]] = []
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            found.append((op, av))
        elif op is sre.SUBPATTERN:
            found += _atoms(av[-1])
        elif op is sre.BRANCH:
            for branch in av[1]:
                found += _atoms(branch)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            found += _atoms(av[2])
        else:
            raise AssertionError(f"phonenumbers' matcher pattern holds {op}: the stretch walk needs rethinking")
    return found


def test_no_candidate_of_the_matcher_holds_a_barrier_character() -> None:
    pattern = phonenumbermatcher._PATTERN
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    barriers = "".join(ch for ch in map(chr, range(0x110000)) if re.fullmatch(f"[{digits._BARRIER}]", ch))
    assert len(barriers) > 27_000
    for atom in _atoms(parsed):
        one = sre_compile.compile(sre_parse.SubPattern(parsed.state, [atom]), pattern.flags)
        assert one.search(barriers) is None, atom
    # a short code the matcher left out lies within its stretch: made of digits, +, spaces, dashes
    assert re.search(r"[\d+＋\s\-]", barriers) is None


def test_the_matcher_tries_are_bounded_as_the_stretch_walk_assumes() -> None:
    assert len(phonenumbermatcher._INNER_MATCHES) <= digits.INNER_PATTERNS
    matcher = phonenumbers.PhoneNumberMatcher("", "CN", leniency=phonenumbers.Leniency.POSSIBLE)
    assert matcher._max_tries == digits.MATCHER_TRIES


def test_a_pattern_matches_only_where_its_starts_do() -> None:
    samples = TEXTS + ["Jan 5, 2024 12:30pm", "￥1,299.00 RMB 5", "sept. 3rd 2024", "人民币 100元 USD5"]
    for pattern, starts in digits._STARTS.items():
        assert pattern.match("") is None
        for text in samples:
            for at in range(len(text) + 1):
                if pattern.match(text, at):
                    assert starts.match(text, at), (pattern.pattern[:30], text, at)



def holds_its_hints(text: str) -> None:
    for pattern, hint in digits._HINTS.items():
        for match in pattern.finditer(text):
            assert hint.search(match.group()), (pattern.pattern[:30], match.group())


def test_every_match_of_a_hinted_pattern_in_the_real_messages_holds_its_hint() -> None:
    for text in TEXTS + ["http://1.2.3.4:80/a", "a@b.cn", "WWW.ICBC.COM.CN", "6222 0212 3456 7890", "138****1234"]:
        holds_its_hints(text)


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET + list("wW@:/.comcnICBC-_%\u0130\u0131\u017f\u212a×●•"), max_size=60))
def test_every_match_of_a_hinted_pattern_in_generated_texts_holds_its_hint(text: str) -> None:
    holds_its_hints(text)


def test_a_number_found_in_china_holds_five_letters_or_digits_without_a_plus() -> None:
    """What _MIN_LETTERS_OR_DIGITS rests on, from phonenumbers' metadata: +86 is China's alone,
    its shortest possible (or local-only) national number has five digits, its international
    prefix two or more; and on every short string, what the matcher finds."""
    assert phonenumbers.region_codes_for_country_code(86) == ("CN",)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    lengths = [*metadata.general_desc.possible_length, *(metadata.general_desc.possible_length_local_only or ())]
    assert min(length for length in lengths if length > 0) >= digits._MIN_LETTERS_OR_DIGITS["CN"]
    assert not any(re.fullmatch(metadata.international_prefix, d) for d in ["", *"0123456789"])
    alphabet = "0123456789 -(+＋"
    strings = [""]
    for _ in range(4):
        strings = [s + c for s in strings for c in alphabet] + strings
    for string in set(strings):
        for region in ("CN", "US"):
            for match in phonenumbers.PhoneNumberMatcher(string, region, leniency=phonenumbers.Leniency.POSSIBLE):
                assert digits._could_be_a_number(match.raw_string, 0, len(match.raw_string), region), match


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789０１２ -–/.()（）+＋ext#x,")), max_size=12), st.sampled_from(["CN", "HK", "DE"]))
def test_what_the_matcher_finds_holds_the_letters_or_digits_it_needs(chars: list[str], region: str) -> None:
    string = "".join(chars)
    for match in phonenumbers.PhoneNumberMatcher(string, region, leniency=phonenumbers.Leniency.POSSIBLE):
        assert digits._could_be_a_number(match.raw_string, 0, len(match.raw_string), region), match


# Pieces of messages that meet at the edges of what each pass takes: times, dates and amounts
# next to short codes and numbers, masks, links, words that say what a run is.
PIECES = ["2024年1月5日", "12:30", "10月04日", "2024-10-14", "08:30-11:05", "3天", "45分钟", "103.55元", "￥1,299.00",
          "5,000", "100.00", "138****1234", "400-xxx-xxxx", "****", "*7SN", "110", "120", "95588", "021-95561", "+95588",
          "10086", "1069000123", "12321", "13812345678", "0871-1234567", "4001234567", "+86 138 1234 5678",
          "(010) 12345678", "0086 10 12345678", "00", "86", "尾号", "验证码", "客服", "电话", "拨打", "ext", "转3", "#",
          "第", "共", "号", "元", "年", "号码", "用户", " ", "-", "/", ".", ",", ":", "：", "，", "。", "\n", "(", ")", "+",
          "＋", "x", "X", "SN", "abc", "tel", "CZ", "www.icbc.com.cn", "http://1.2.3.4", "a@b.cn", "6222 0212 3456 7890",
          "１２３４５", "٣٤٥", "Jan 5", "5pm", "RMB", "USD5", "中文", "的", "您"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.integers(0, 10**8).map(str), min_size=1, max_size=9),
       st.sampled_from(["CN", "CN", "HK", "US", "DE"]), st.sampled_from([None, None, 1, 2]))
def test_texts_made_of_message_pieces_are_classified_the_same(pieces: list[str], region: str, limit: int | None) -> None:
    same("".join(pieces), limit, with_links=False, region=region)


@pytest.mark.parametrize("text", ["时间12:30 110到", "120/2024年1月5日年文7 67", "110 2024年1月5日a@b.cn)",
                                  "于12:30 95588", "请于2024-10-14 12321处理"])
def test_a_free_short_code_next_to_a_number_that_is_not_free_is_read_the_same(text: str) -> None:
    """The matcher's number 30 110 overlaps the time 12:30, and hides the short code 110 after
    it: a stretch with a free short code is walked even when no number could be free there."""
    same(text, with_links=False)


def test_many_seeded_texts_made_of_message_pieces_are_classified_the_same() -> None:
    """A seeded sweep (hypothesis shrinks well but samples such meetings rarely)."""
    chance = random.Random(18)
    for _ in range(6000):
        pieces = [chance.choice(PIECES) if chance.random() < 0.8 else str(chance.randint(0, 10 ** chance.randint(1, 8)))
                  for _ in range(chance.randint(1, 9))]
        same("".join(pieces), chance.choice([None, None, 1, 2]), with_links=False,
             region=chance.choice(["CN", "CN", "CN", "HK", "US", "DE"]))

"""Finding organisations by what people call them: id, name, English name or alias.

Matching is forgiving (width, case, spaces and punctuation do not matter, and a claim may
carry extra words such as 客服 or "customer service"), but never guesses between
several organisations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from registry.models import FINANCIAL_CATEGORIES, Confidence, Organization

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_FILLER = ("官方客服", "客服中心", "客服热线", "客服电话", "客服", "热线", "官方",
           "customerservice", "hotline", "official", "support")
MIN_NAME_LENGTH = 2


def fold(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, without spaces or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _strip_filler(folded: str) -> str:
    for word in _FILLER:
        folded = folded.replace(word, "")
    return folded


def _fold_mapped_plain(text: str) -> tuple[str, list[int]]:
    """`fold(text)` character by character, with the index in `text` each folded character
    came from: the plain path `_fold_mapped` must equal (tests/core/test_names.py)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            chars.append(folded_char)
            origin.append(index)
    return "".join(chars), origin


class _CharFolds(dict[int, str]):
    """fold() of each character (by code point, for str.translate), each distinct character
    folded once: fold() (NFKC, casefold, a regex substitution) costs a microsecond a call, and
    texts repeat few distinct characters. Bounded: past LIMIT, new characters are not kept."""

    LIMIT = 20_000

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_CHAR_FOLDS = _CharFolds()


class _LazyOrigin:
    """The origin list of `_fold_mapped_plain`, made on first use: only a name that starts or
    ends with a Latin character needs it (`_on_boundaries`)."""

    __slots__ = ("_text", "_origin")

    def __init__(self, text: str) -> None:
        self._text = text
        self._origin: list[int] | None = None

    def __getitem__(self, index: int) -> int:
        if self._origin is None:
            folds = _CHAR_FOLDS
            self._origin = [at for at, char in enumerate(self._text) for _ in folds[ord(char)]]
        return self._origin[index]


def _fold_mapped(text: str) -> tuple[str, _LazyOrigin]:
    """`_fold_mapped_plain(text)` from the memo of per-character folds (`_CHAR_FOLDS`), the
    origins made only when asked for."""
    return text.translate(_CHAR_FOLDS), _LazyOrigin(text)


def _latin(char: str) -> bool:
    folded = unicodedata.normalize("NFKC", char)
    return len(folded) == 1 and folded.isascii() and folded.isalnum()


def _on_boundaries(text: str, folded: str, origin: Sequence[int] | _LazyOrigin, start: int, end: int) -> bool:
    """A folded match [start, end) begins and ends on a word boundary wherever it is Latin."""
    if _latin(folded[start]):
        first = origin[start]
        if first > 0 and _latin(text[first - 1]):
            return False
    if _latin(folded[end - 1]):
        last = origin[end - 1]
        if last + 1 < len(text) and _latin(text[last + 1]):
            return False
    return True


_CONFIDENCE_RANK = {level: index for index, level in enumerate(Confidence)}
_BANKS_AND_WALLETS = frozenset({"bank", "payment"})


def relevance_key(org: Organization) -> tuple[bool, bool, bool, bool, int, int, str]:
    """Where an organisation comes in lists made for people in China (/orgs, name suggestions,
    /api/v1/organizations without q), first to last:

    1. Chinese before foreign: the registry records no country, so an organisation with numbers
       none of which is a mainland Chinese one (CommBank, Telstra, Google, banks of Hong Kong
       only) counts as foreign;
    2. financial organisations (bank, payment, insurer, securities) before the rest: they are
       whom fake customer service imitates;
    3. how often people ask about it. The registry has no ask counts, so a stable proxy stands in:
       organisations with a main hotline first (the shipped registry marks one only for the
       organisations of hotlines_cn.csv: the big banks, wallets, insurers, carriers and public
       lines people ask about most); then banks and wallets before insurers and securities; then
       the strongest confidence of its numbers; then more numbers first (bigger organisations
       publish more lines);
    4. its id, so the order is total and stable.
    """
    numbers = org.numbers
    category = org.category.value
    return (
        bool(numbers) and not any(n.region == "CN" for n in numbers),
        category not in FINANCIAL_CATEGORIES,
        not any(n.main for n in numbers),
        category not in _BANKS_AND_WALLETS,
        min((_CONFIDENCE_RANK[n.confidence] for n in numbers), default=len(_CONFIDENCE_RANK)),
        -len(numbers),
        org.id,
    )


@dataclass(frozen=True, slots=True)
class NameMatch:
    organization: Organization | None
    candidates: tuple[Organization, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.organization is None and len(self.candidates) > 1


class OrgNameIndex:
    """Names → organisation ids. No regular expression over all names: a registry of tens of
    thousands of organisations must load in well under a second."""

    MATCH_CACHE = 10_000

    def __init__(self, organizations: Iterable[Organization]) -> None:
        self._names: dict[str, set[str]] = {}
        self._orgs: dict[str, Organization] = {}
        for org in organizations:
            self._orgs[org.id] = org
            for name in (org.id, org.name, org.name_en or "", *org.aliases):
                folded = fold(name)
                if len(folded) >= MIN_NAME_LENGTH:
                    ids = self._names.get(folded)
                    if ids is None:
                        self._names[folded] = {org.id}
                    else:
                        ids.add(org.id)
        self._longest = max(map(len, self._names), default=0)
        # the lengths of the names that start with each two characters, longest first: what
        # `mentions` tries at a position (most positions of a text start no name at all)
        starts: dict[str, set[int]] = {}
        for name in self._names:
            starts.setdefault(name[:MIN_NAME_LENGTH], set()).add(len(name))
        self._starts = {pair: tuple(sorted(lengths, reverse=True)) for pair, lengths in starts.items()}
        self._matches: dict[str, NameMatch] = {}
        self._ranked: list[Organization] | None = None  # relevance order, made on first use (not at start-up)
        self._rank: dict[str, int] = {}  # id -> position in _ranked

    def match(self, claim: str) -> NameMatch:
        """The one organisation a claim names, forgivingly; cached, since claims repeat."""
        cached = self._matches.get(claim)
        if cached is None:
            if len(self._matches) >= self.MATCH_CACHE:
                self._matches.clear()
            cached = self._matches[claim] = self._match(claim)
        return cached

    def _match(self, claim: str) -> NameMatch:
        folded = _strip_filler(fold(claim)) or fold(claim)
        if len(folded) < MIN_NAME_LENGTH:
            return NameMatch(None)
        exact = self._names.get(folded)
        if exact:
            return self._pick(exact)
        # The claim contains a known name (百信银行客服部): the longest such names win.
        for length in range(min(len(folded), self._longest), MIN_NAME_LENGTH - 1, -1):
            found: set[str] = set()
            for start in range(len(folded) - length + 1):
                ids = self._names.get(folded[start : start + length])
                if ids:
                    found |= ids
            if found:
                return self._pick(found)
        # A name contains the claim (工商 → 中国工商银行).
        contained: set[str] = set()
        for name, ids in self._names.items():
            if folded in name:
                contained |= ids
        return self._pick(contained)

    def _pick(self, ids: set[str]) -> NameMatch:
        orgs = tuple(self._orgs[i] for i in sorted(ids))
        if len(orgs) == 1:
            return NameMatch(orgs[0], orgs)
        return NameMatch(None, orgs)

    def mentions(self, text: str) -> list[Organization]:
        """Organisations named in a text, in order of first mention, without repeats
        (leftmost-longest: 中信百信银行 is not also 中信银行). A name that starts or ends with a
        Latin letter or digit counts only on a word boundary there: "ABC" and "ABC银行" name the
        Agricultural Bank, "abcd1234" does not."""
        starts: dict[str, tuple[int, ...]] | None = getattr(self, "_starts", None)  # None: an older snapshot's
        if starts is None:
            return self.mentions_plain(text)
        folded, origin = _fold_mapped(text)
        found: list[Organization] = []
        seen: set[str] = set()
        position = 0
        # only where two folded characters start a name can one be (what mentions_plain walks to)
        for at in [at for at in range(len(folded) - MIN_NAME_LENGTH + 1)
                   if folded[at : at + MIN_NAME_LENGTH] in starts]:
            if at < position:
                continue
            for length in starts[folded[at : at + MIN_NAME_LENGTH]]:
                if at + length > len(folded):
                    continue
                ids = self._names.get(folded[at : at + length])
                if ids and _on_boundaries(text, folded, origin, at, at + length):
                    for org_id in sorted(ids - seen):
                        seen.add(org_id)
                        found.append(self._orgs[org_id])
                    position = at + length
                    break
        return found

    def mentions_plain(self, text: str) -> list[Organization]:
        """`mentions` walking every position of the per-character fold (`_fold_mapped_plain`):
        the plain path `mentions` must equal (tests/core/test_names.py)."""
        folded, origin = _fold_mapped_plain(text)
        found: list[Organization] = []
        seen: set[str] = set()
        position = 0
        starts: dict[str, tuple[int, ...]] | None = getattr(self, "_starts", None)  # None: an older snapshot's
        every = tuple(range(self._longest, MIN_NAME_LENGTH - 1, -1))
        while position <= len(folded) - MIN_NAME_LENGTH:
            lengths = every if starts is None else starts.get(folded[position : position + MIN_NAME_LENGTH], ())
            for length in lengths:
                if position + length > len(folded):
                    continue
                ids = self._names.get(folded[position : position + length])
                if ids and _on_boundaries(text, folded, origin, position, position + length):
                    for org_id in sorted(ids - seen):
                        seen.add(org_id)
                        found.append(self._orgs[org_id])
                    position += length
                    break
            else:
                position += 1
        return found

    def ranked(self) -> list[Organization]:
        """Every organisation, most relevant first (`relevance_key`; do not change the list)."""
        if self._ranked is None:
            self._ranked = sorted(self._orgs.values(), key=relevance_key)
            self._rank = {org.id: position for position, org in enumerate(self._ranked)}
        return self._ranked

    def search(self, query: str, limit: int = 20) -> list[Organization]:
        """Organisations whose id, name or an alias contains the query (all when empty), most
        relevant first (`relevance_key`)."""
        folded = fold(query)
        if not folded:
            return self.ranked()[:limit]
        ids: set[str] = set()
        for name, owners in self._names.items():
            if folded in name:
                ids |= owners
        self.ranked()
        return [self._orgs[i] for i in sorted(ids, key=self._rank.__getitem__)][:limit]

"""Finding organisations by what people call them: id, name, English name or alias.

Matching is forgiving (width, case, spaces and punctuation do not matter, and a claim may
carry extra words such as 客服 or "customer service"), but never guesses between
several organisations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from registry.models import Organization

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


def _fold_mapped(text: str) -> tuple[str, list[int]]:
    """`fold(text)` character by character, with the index in `text` each folded character
    came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            chars.append(folded_char)
            origin.append(index)
    return "".join(chars), origin


def _latin(char: str) -> bool:
    folded = unicodedata.normalize("NFKC", char)
    return len(folded) == 1 and folded.isascii() and folded.isalnum()


def _on_boundaries(text: str, folded: str, origin: list[int], start: int, end: int) -> bool:
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
        self._matches: dict[str, NameMatch] = {}

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
        folded, origin = _fold_mapped(text)
        found: list[Organization] = []
        seen: set[str] = set()
        position = 0
        while position <= len(folded) - MIN_NAME_LENGTH:
            for length in range(min(self._longest, len(folded) - position), MIN_NAME_LENGTH - 1, -1):
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

    def search(self, query: str, limit: int = 20) -> list[Organization]:
        """Organisations whose id, name or an alias contains the query (all when empty)."""
        folded = fold(query)
        if not folded:
            return list(self._orgs.values())[:limit]
        ids: set[str] = set()
        for name, owners in self._names.items():
            if folded in name:
                ids |= owners
        return [self._orgs[i] for i in sorted(ids)][:limit]

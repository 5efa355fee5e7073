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


@dataclass(frozen=True, slots=True)
class NameMatch:
    organization: Organization | None
    candidates: tuple[Organization, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.organization is None and len(self.candidates) > 1


class OrgNameIndex:
    def __init__(self, organizations: Iterable[Organization]) -> None:
        self._names: dict[str, set[str]] = {}
        self._orgs: dict[str, Organization] = {}
        for org in organizations:
            self._orgs[org.id] = org
            for name in (org.id, org.name, org.name_en or "", *org.aliases):
                folded = fold(name)
                if len(folded) >= MIN_NAME_LENGTH:
                    self._names.setdefault(folded, set()).add(org.id)
        # Longest names first, so that 中信百信银行 wins over 中信银行 inside a text.
        ordered = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(name) for name in ordered)) if ordered else None

    def match(self, claim: str) -> NameMatch:
        folded = _strip_filler(fold(claim)) or fold(claim)
        if len(folded) < MIN_NAME_LENGTH:
            return NameMatch(None)
        exact = self._names.get(folded)
        if exact:
            return self._pick(exact)
        # The claim contains a known name (百信银行客服部), or a name contains the claim (工商).
        containing = {n for n in self._names if n in folded}
        if containing:
            longest = max(len(n) for n in containing)
            return self._pick(set().union(*(self._names[n] for n in containing if len(n) == longest)))
        contained = set().union(*(ids for n, ids in self._names.items() if folded in n)) if len(folded) >= 2 else set()
        return self._pick(contained)

    def _pick(self, ids: set[str]) -> NameMatch:
        orgs = tuple(self._orgs[i] for i in sorted(ids))
        if len(orgs) == 1:
            return NameMatch(orgs[0], orgs)
        return NameMatch(None, orgs)

    def mentions(self, text: str) -> list[Organization]:
        """Organisations named in a text, in order of first mention, without repeats."""
        if self._pattern is None:
            return []
        found: list[Organization] = []
        seen: set[str] = set()
        for match in self._pattern.finditer(fold(text)):
            for org_id in sorted(self._names[match.group(0)]):
                if org_id not in seen:
                    seen.add(org_id)
                    found.append(self._orgs[org_id])
        return found

    def search(self, query: str, limit: int = 20) -> list[Organization]:
        """Organisations whose id, name or an alias contains the query (all when empty)."""
        folded = fold(query)
        if not folded:
            return list(self._orgs.values())[:limit]
        ids = set().union(*(ids for name, ids in self._names.items() if folded in name))
        return [self._orgs[i] for i in sorted(ids)][:limit]

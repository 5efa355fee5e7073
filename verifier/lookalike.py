"""Index of official numbers for finding look-alikes one edit away.

Built once when the registry loads (symmetric-delete: every official digit string and
each of its one-digit deletions point back to it), so a lookup costs O(length) dict hits
instead of a scan of the registry.
"""

from __future__ import annotations

from collections import defaultdict

MIN_LENGTH = 5
"""Official numbers shorter than this (110, 119, 120...) are too dense to flag neighbours."""


def _deletions(digits: str) -> set[str]:
    return {digits[:i] + digits[i + 1 :] for i in range(len(digits))}


def one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion, deletion or adjacent swap."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class LookalikeIndex:
    def __init__(self, official: list[tuple[str, str]]) -> None:
        """official: (region, digits) of every official number."""
        self._exact: set[tuple[str, str]] = set()
        self._by_fragment: dict[tuple[str, str], set[str]] = defaultdict(set)
        for region, digits in official:
            if len(digits) < MIN_LENGTH:
                continue
            self._exact.add((region, digits))
            self._by_fragment[(region, digits)].add(digits)
            for fragment in _deletions(digits):
                self._by_fragment[(region, fragment)].add(digits)

    def near(self, region: str, digits: str) -> list[str]:
        """Official digit strings of `region` exactly one edit away from `digits`, sorted."""
        if len(digits) < MIN_LENGTH - 1 or (region, digits) in self._exact:
            return []
        candidates: set[str] = set()
        for fragment in _deletions(digits) | {digits}:
            candidates |= self._by_fragment.get((region, fragment), set())
        return sorted(candidate for candidate in candidates if one_edit_apart(digits, candidate))

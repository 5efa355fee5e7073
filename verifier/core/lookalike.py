"""Index of official numbers for finding look-alikes one edit away.

Built once when the registry loads (symmetric delete: every official digit string and each of
its one-digit deletions point back to it), so a lookup costs O(length) dict hits instead of
a scan of the registry. A fragment maps to one official string, or to a tuple of them when
several share it (rare), which keeps 100,000 official numbers to about a million small
entries.
"""

from __future__ import annotations

from collections.abc import Iterable

from verifier.core.recent import Recent

FOUND_KEPT = 8192  # near() results kept per index, in two generations (verifier.core.recent)
PLANS_KEPT = 16_384  # _plan()s kept per index: one per (region, length, first five digits) asked about
MIN_LENGTH = 5
"""Official numbers shorter than this (110, 119, 120...) are too dense to flag neighbours."""

Bucket = str | tuple[str, ...]
HEAD = 4
"""Digits of a fragment's head: deleting any digit after them leaves the head as it was."""


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


def _put(index: dict[str, Bucket], fragment: str, digits: str) -> None:
    held = index.get(fragment)
    if held is None:
        index[fragment] = digits
    elif isinstance(held, str):
        if held != digits:
            index[fragment] = (held, digits)
    elif digits not in held:
        index[fragment] = (*held, digits)


class LookalikeIndex:
    def __init__(self, official: Iterable[tuple[str, str]]) -> None:
        """official: (region, digits) of every official number."""
        self._regions: dict[str, dict[str, Bucket]] = {}
        self._exact: dict[str, set[str]] = {}
        for region, digits in official:
            if len(digits) < MIN_LENGTH:
                continue
            index = self._regions.get(region)
            if index is None:
                index = self._regions[region] = {}
                self._exact[region] = set()
            self._exact[region].add(digits)
            _put(index, digits, digits)
            for i in range(len(digits)):
                _put(index, digits[:i] + digits[i + 1 :], digits)
        # (length, first HEAD digits) of every fragment: most fragments of a number asked about
        # are ruled out by their head and length together, before any is cut out of it
        self._heads = {region: {(len(fragment), fragment[:HEAD]) for fragment in index}
                       for region, index in self._regions.items()}
        # what near() found for strings next to official ones: in the dense short-code spaces
        # (95xxx, 10xxx, 400…) nearly every code is, and a code is asked about again and again
        self._found: Recent[tuple[str, str], tuple[str, ...]] = Recent(FOUND_KEPT)
        # which fragments can be held, by a string's region, length and first HEAD + 1 digits
        self._plans: Recent[tuple[str, int, str], Plan] = Recent(PLANS_KEPT)

    def near(self, region: str, digits: str) -> list[str]:
        """Official digit strings of `region` exactly one edit away from `digits`, sorted."""
        index = self._regions.get(region)
        if index is None or len(digits) < MIN_LENGTH - 1 or digits in self._exact[region]:
            return []
        size, wider = len(digits), digits[:HEAD + 1]
        plan = self._plans.get((region, size, wider))  # kept: the same for every number of that start
        if plan is None:
            plan = _plan(size, wider, self._heads[region])
            self._plans.put((region, size, wider), plan)
        if plan is NO_FRAGMENT:  # nearly every number asked about
            return []
        get = index.get
        found = [held for fragment in _fragments(digits, plan) if (held := get(fragment)) is not None]
        if not found:  # nearly every number asked about
            return []
        kept = self._found.get((region, digits))
        if kept is not None:
            return list(kept)
        near = self.near_plain(digits, found)
        self._found.put((region, digits), tuple(near))
        return near

    @staticmethod
    def near_plain(digits: str, found: list[Bucket]) -> list[str]:
        """The official strings of the fragments' buckets one edit from `digits`, sorted."""
        candidates: set[str] = set()
        for held in found:
            if isinstance(held, str):
                candidates.add(held)
            else:
                candidates.update(held)
        return sorted(candidate for candidate in candidates if one_edit_apart(digits, candidate))


Plan = tuple[tuple[int, ...], bool, bool]  # deletions within the head to try, itself?, deletions past the head?
NO_FRAGMENT: Plan = ((), False, False)


def _plan(size: int, wider: str, heads: set[tuple[int, str]]) -> Plan:
    """Which fragments of a string of `size` digits starting with `wider` (its first HEAD + 1)
    the index can hold. Itself and the deletions past the head all start with the head: when no
    fragment of their length does, none of them is. A deletion within the head starts with that
    deletion of `wider`: it is tried only when some fragment of its length starts so."""
    head = wider[:HEAD]
    within = tuple(i for i in range(min(HEAD, size)) if (size - 1, wider[:i] + wider[i + 1:]) in heads)
    plan = (within, (size, head) in heads, (size - 1, head) in heads)
    return NO_FRAGMENT if plan == NO_FRAGMENT else plan


def _fragments(digits: str, plan: Plan) -> list[str]:
    """The fragments of `digits` (itself, and each one-digit deletion) that `plan` (_plan's)
    says the index can hold. tests/core/test_lookalike.py proves near() equal to trying every
    fragment."""
    within, itself, past = plan
    fragments = [digits[:i] + digits[i + 1 :] for i in within]
    if itself:
        fragments.append(digits)
    if past:
        fragments.extend(digits[:i] + digits[i + 1 :] for i in range(HEAD, len(digits)))
    return fragments

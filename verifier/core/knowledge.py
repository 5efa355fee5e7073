"""What a verify reads, in memory: derived from the store, never written by requests.

Built at start-up from the store's facts, so a verify does no database round trip. Its two
parts follow writes differently:

- The registry part (every field but `reports`: the organisations, the indexes by number key
  and by organisation, look-alikes, names, domains, `version`, `registry_seq`) is immutable
  once built. A registry change builds a new Knowledge (Knowledge.build, with a new `version`)
  and verifier.state.service swaps it in with a single attribute assignment, so a verify
  sees one registry or the other, never a mix.
- `reports`, the report book (verifier.core.report_book), is the one part that changes in
  place. The same book is handed on from one Knowledge to the next, and verifier.state.service
  adds every committed report and decision to it (its own and those other processes announce),
  as verifier.state.snapshots' catch-up does with what it reads. It changes only between
  verifies, never during one (a verify never awaits while it reads), and the answer cache
  notices each change by the book's revision and stamps (verifier.state.answer_cache).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import phonenumbers

from registry.models import OfficialNumber, Organization
from verifier.core.lookalike import LookalikeIndex
from verifier.core.names import OrgNameIndex
from verifier.core.numbers.reading import NotANumber, key_parts, normalise
from verifier.core.report_book import ReportBook
from verifier.core.text.domains import DomainIndex

T = TypeVar("T")


class OfficialEntry(NamedTuple):
    """One official number of one organisation, with the key and digits it is found by."""

    organization: Organization
    number: OfficialNumber
    key: str  # canonical key (verifier.core.numbers.reading)
    region: str  # region the number belongs to
    digits: str  # national digits, for look-alikes and foreign-prefix spoofs


def official_key(number: OfficialNumber) -> str:
    """The canonical key of a registry number (raises NotANumber, a ValueError, if it has none)."""
    return normalise(number.number, number.region).key


@dataclass(frozen=True, slots=True)
class Knowledge:
    organizations: dict[str, Organization]
    by_key: dict[str, list[OfficialEntry]]  # every accepted written form's key → its entries
    by_org: dict[str, list[OfficialEntry]]
    keys_by_org: dict[str, set[str]]
    lookalikes: LookalikeIndex
    names: OrgNameIndex
    domains: DomainIndex = field(default_factory=DomainIndex)  # official domains and look-alikes (links in texts)
    reports: ReportBook = field(default_factory=ReportBook)  # changed in place: see the module docstring
    version: int = 0  # of the registry part: each rebuild while serving gets the next one
    registry_seq: int | None = None  # the store's registry change counter, read before the registry was
    made: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)  # see once()

    @classmethod
    def build(
        cls,
        organizations: list[Organization],
        reports: ReportBook | None = None,
        version: int = 0,
        keys: list[list[str]] | None = None,
        registry_seq: int | None = None,
    ) -> Knowledge:
        """`keys`, when given, are the stored canonical keys of each organisation's numbers
        (aligned with ``org.numbers``), so a large registry loads without re-parsing.
        `registry_seq`: the store's registry change counter as read before `organizations`
        (what a registry snapshot of this knowledge covers; None: unknown)."""
        by_key: dict[str, list[OfficialEntry]] = {}
        by_org: dict[str, list[OfficialEntry]] = {}
        keys_by_org: dict[str, set[str]] = {}
        digits: list[tuple[str, str]] = []
        for position, org in enumerate(organizations):
            for index, number in enumerate(org.numbers):
                entry = _entry(org, number, keys[position][index] if keys is not None else None)
                if entry is None:
                    continue
                number_keys = [entry.key]
                for variant in number.variants:
                    try:
                        number_keys.append(normalise(variant, number.region).key)
                    except NotANumber:
                        continue
                for key in number_keys:
                    held = by_key.get(key)
                    if held is None:
                        by_key[key] = [entry]
                    elif entry not in held:
                        held.append(entry)
                by_org.setdefault(org.id, []).append(entry)
                keys_by_org.setdefault(org.id, set()).update(number_keys)
                digits.append((entry.region, entry.digits))
        return cls(
            organizations={org.id: org for org in organizations},
            by_key=by_key,
            by_org=by_org,
            keys_by_org=keys_by_org,
            lookalikes=LookalikeIndex(digits),
            names=OrgNameIndex(organizations),
            domains=DomainIndex(organizations),
            reports=reports if reports is not None else ReportBook(),
            version=version,
            registry_seq=registry_seq,
        )

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """What `make()` gives, made once for this snapshot's registry part (which never changes;
        never anything of the report book). `key` names it, with what it is of: ("by_display",
        org_id). An organisation's numbers in page order, an official number as answers show it:
        asked again for every answer that names them."""
        try:
            return self.made[key]  # type: ignore[no-any-return]
        except KeyError:
            made = self.made[key] = make()
            return made

    def once_of(self, of: object, key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """`once((*key, id(of)), make)` for what is made of the object `of` (an entry, a signal,
        a tuple of entries), kept with it: an id is only unique while its object lives, so what
        was kept for another object under a reused id is never returned (made afresh instead)."""
        made = self.once((*key, id(of)), lambda: (of, make()))
        return made[1] if made[0] is of else make()  # type: ignore[no-any-return]

    def official_entries(self, key: str) -> Sequence[OfficialEntry]:
        return self.by_key.get(key, ())

    def entries_for_digits(self, region: str, digits: str) -> Sequence[OfficialEntry]:
        """Official entries of `region` whose national digits are `digits` (short code or full number)."""
        return self.by_key.get(f"{region}:{digits}") or self.by_key.get(f"+{_country_code(region)}{digits}", ())

    def numbers_of(self, org_id: str) -> Sequence[OfficialEntry]:
        return self.by_org.get(org_id, ())

    def keys_of(self, org_id: str) -> set[str] | frozenset[str]:
        return self.keys_by_org.get(org_id, frozenset())

    @property
    def size(self) -> int:
        """How many official numbers the registry holds."""
        return sum(len(entries) for entries in self.by_org.values())


@lru_cache(maxsize=512)
def _country_code(region: str) -> int:
    return phonenumbers.country_code_for_region(region)


def _entry(org: Organization, number: OfficialNumber, key: str | None) -> OfficialEntry | None:
    if key is None:
        try:
            key = official_key(number)
        except NotANumber:
            return None
    if key.startswith("+86"):  # the common case, without a lookup
        region, digits = "CN", key[3:]
    elif key.startswith("CN:"):
        region, digits = "CN", key[3:]
    else:
        region, digits = key_parts(key)
    return OfficialEntry(org, number, key, region or number.region, digits)


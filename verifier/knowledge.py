"""The in-memory snapshot a verify reads: derived from the store, never written by requests.

Built at start-up from the store's facts and rebuilt (or patched) after every write, so a
verify does no database round trip. Everything here is immutable once built; a new
snapshot replaces the old one atomically (a single attribute assignment).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from registry.models import OfficialNumber, Organization
from verifier.lookalike import LookalikeIndex
from verifier.numbers import NotANumber, key_parts, normalise
from verifier.org_names import OrgNameIndex
from verifier.reports_book import ReportBook


@dataclass(frozen=True, slots=True)
class OfficialEntry:
    organization: Organization
    number: OfficialNumber
    key: str  # canonical key (verifier.numbers)
    region: str  # region the number belongs to
    digits: str  # national digits, for look-alikes and foreign-prefix spoofs


def official_key(number: OfficialNumber) -> str:
    """The canonical key of a registry number (raises NotANumber, a ValueError, if it has none)."""
    return normalise(number.number, number.region).key


@dataclass(frozen=True, slots=True)
class Knowledge:
    organizations: dict[str, Organization]
    by_key: dict[str, tuple[OfficialEntry, ...]]
    by_digits: dict[tuple[str, str], tuple[OfficialEntry, ...]]
    by_org: dict[str, tuple[OfficialEntry, ...]]
    keys_by_org: dict[str, frozenset[str]]
    lookalikes: LookalikeIndex
    names: OrgNameIndex
    reports: ReportBook = field(default_factory=ReportBook)
    version: int = 0

    @classmethod
    def build(
        cls,
        organizations: list[Organization],
        reports: ReportBook | None = None,
        version: int = 0,
        keys: list[list[str]] | None = None,
    ) -> Knowledge:
        """`keys`, when given, are the stored canonical keys of each organisation's numbers
        (aligned with ``org.numbers``), so a large registry loads without re-parsing."""
        by_key: dict[str, list[OfficialEntry]] = defaultdict(list)
        by_digits: dict[tuple[str, str], list[OfficialEntry]] = defaultdict(list)
        by_org: dict[str, list[OfficialEntry]] = defaultdict(list)
        keys_by_org: dict[str, set[str]] = defaultdict(set)
        for position, org in enumerate(organizations):
            for index, number in enumerate(org.numbers):
                entry = _entry(org, number, keys[position][index] if keys is not None else None)
                if entry is None:
                    continue
                number_keys = {entry.key}
                for variant in number.variants:
                    try:
                        number_keys.add(normalise(variant, number.region).key)
                    except NotANumber:
                        continue
                for key in number_keys:
                    by_key[key].append(entry)
                by_org[org.id].append(entry)
                keys_by_org[org.id] |= number_keys
                by_digits[(entry.region, entry.digits)].append(entry)
        lookalikes = LookalikeIndex(sorted(by_digits))
        return cls(
            organizations={org.id: org for org in organizations},
            by_key={key: tuple(entries) for key, entries in by_key.items()},
            by_digits={digits: tuple(entries) for digits, entries in by_digits.items()},
            by_org={org_id: tuple(entries) for org_id, entries in by_org.items()},
            keys_by_org={org_id: frozenset(keys) for org_id, keys in keys_by_org.items()},
            lookalikes=lookalikes,
            names=OrgNameIndex(organizations),
            reports=reports if reports is not None else ReportBook(),
            version=version,
        )

    def official_entries(self, key: str) -> tuple[OfficialEntry, ...]:
        return self.by_key.get(key, ())

    def entries_for_digits(self, region: str, digits: str) -> tuple[OfficialEntry, ...]:
        """Official entries of `region` whose national digits are `digits`."""
        return self.by_digits.get((region, digits), ())

    def numbers_of(self, org_id: str) -> tuple[OfficialEntry, ...]:
        return self.by_org.get(org_id, ())

    def keys_of(self, org_id: str) -> frozenset[str]:
        return self.keys_by_org.get(org_id, frozenset())

    @property
    def size(self) -> int:
        """How many official numbers the registry holds."""
        return sum(len(entries) for entries in self.by_org.values())


def _entry(org: Organization, number: OfficialNumber, key: str | None) -> OfficialEntry | None:
    if key is None:
        try:
            key = official_key(number)
        except NotANumber:
            return None
    region, digits = key_parts(key)
    return OfficialEntry(org, number, key, region or number.region, digits)


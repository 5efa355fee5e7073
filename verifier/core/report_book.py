"""Per-number aggregates of crowd reports, kept in memory for the verify path.

Fed from the store at start-up and on every write, so a verify reads a dict, never the
database. Each report is kept as one small Record, a named tuple (a million take about 250
MB); a number's summary is computed from its reports when first asked for and cached until
something about that number (or any reporter's track record) changes, or SUMMARY_TTL_SECONDS
pass (how the answer cache above it decides freshness: verifier/state/answer_cache.py).

A book restored from a snapshot (verifier/state/snapshots.py) keeps each number packed (40
bytes a report, strings as indices into one table) until something first asks about it:
a start-up costs one dict of bytes, not a million tuples.

The weighting (also in docs/reports.md):

- Each report has a *voice*, who counts once per number however often it reports, and an
  *origin*, the API key, address or source it came through (verifier/core/voices.py decides both).
- A report weighs ``source_weight × recency × trust``: recency halves every
  RECENCY_HALF_LIFE_DAYS; trust is the lower of the reporter's and the origin's
  ``(1 + approved) / (1 + approved + 2 × rejected)`` over their decided reports.
- A number's weight is the sum, over its voices, of each voice's heaviest live report
  (pending or approved); its confidence that the number is a scam is
  ``1 − exp(−weight / 3)``, or 1 when a moderator approved a report.
- An imported source's report of weight w > 1 counts like w voices, up to `max_source_voices`
  (weighing ``min(w, max) × recency × trust``); every other voice counts as one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import marshal
import math
import struct
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

RECENCY_HALF_LIFE_DAYS = 30.0
SUMMARY_TTL_SECONDS = 600.0
MAX_SOURCE_VOICES = 3.0  # the default of VERIFIER_IMPORTED_SOURCE_MAX_VOICES (docs/reports.md)
# A report's status as the book keeps it (Record.status): one letter, a plain str (a StrEnum
# member would not marshal into a snapshot). STATUS_CODES maps the store's status names to them.
PENDING, APPROVED, REJECTED, OVERTURNED = "p", "a", "r", "o"
LIVE = (PENDING, APPROVED)
STATUS_CODES = {"pending": PENDING, "approved": APPROVED, "rejected": REJECTED, "overturned": OVERTURNED}
IDENTITY_CHARS = 16  # hash prefix kept in memory: 64 bits, plenty to tell reporters apart


class Record(NamedTuple):
    """One report as the book keeps it. A named tuple: as small as a plain one, and it unpacks,
    packs into a snapshot and travels to other processes (verifier.state.sync) as one."""

    id: int  # the store's report id
    voice: str  # who counts once per number (verifier/core/voices.py)
    reporter: str  # whose track record (trust) the report counts towards
    origin: str  # the API key, client address or source it came through: its track record too
    status: str  # PENDING, APPROVED, REJECTED or OVERTURNED
    category: str
    created: float  # POSIX seconds
    weight: float  # the source's weight (1.0 for users; imports may weigh less)


# Record(...) runs a Python-level __new__: this builds the same record at C speed, for the loops
# that make one per stored report (a full load makes millions).
_new_tuple = tuple.__new__

# A packed record: id, then voice, reporter, origin, status code and category as indices into
# the snapshot's string table, then created and weight.
_PACKED = struct.Struct("<q5I2d")
_BOOKS = itertools.count(1)  # each book's serial: revisions of two books never compare equal
SNAPSHOT_LAYOUT = 2  # bump when the packed layout or the snapshot tuple changes


class Coverage(NamedTuple):
    """What a book is known to hold (see verifier/state/snapshots.py): every report with an id up
    to `report_id` (that report is `report_key`'s, created at `report_at`, so a snapshot can
    tell it belongs to this database), and every change logged in the store's report_changes
    up to `change_seq`, or something newer."""

    report_id: int
    report_key: str
    report_at: str
    change_seq: int


@dataclass(slots=True)
class ReportStats:
    approved: int = 0
    pending: int = 0
    rejected: int = 0
    overturned: int = 0
    distinct_reporters: int = 0  # voices behind pending and approved reports
    pending_reporters: int = 0  # voices behind pending reports
    pending_voices: float = 0.0  # what they count as: one each, a heavy imported source up to max_source_voices
    categories: dict[str, int] = field(default_factory=dict)
    first_reported_at: dt.datetime | None = None
    last_reported_at: dt.datetime | None = None
    weight: float = 0.0
    confidence: float = 0.0


@dataclass(slots=True)
class _Number:
    reports: list[Record] = field(default_factory=list)
    changes: int = 0  # the book's change clock at this number's last change (0: unchanged since loaded)
    approved: int = 0
    top: int = 0  # the highest report id held
    summary: ReportStats | None = None
    summary_changes: int = -1
    summary_time: float = 0.0
    summary_generation: int = -1


def record(report_id: int, reporter_hash: str, client_hash: str, app_voice: bool, category: str, status: str,
           created: float, source_weight: float = 1.0, *, voice: str | None = None, origin: str | None = None) -> Record:
    """One report as the book keeps it. Without `voice` and `origin` (verifier/core/voices.py):
    both are the reporter for `app_voice` (keyed app or imported source), else the client address."""
    default = reporter_hash if app_voice else client_hash
    return Record(report_id, (voice or default)[:IDENTITY_CHARS], reporter_hash[:IDENTITY_CHARS],
                  (origin or default)[:IDENTITY_CHARS], STATUS_CODES.get(status, status), category, float(created),
                  float(source_weight))


class ReportBook:
    def __init__(self) -> None:
        self._numbers: dict[str, _Number] = {}
        self._record: dict[str, list[int]] = {}  # reporter → [approved, rejected]
        self._interned: dict[str, str] = {}
        self._generation = 0  # bumped when any reporter's track record changes
        self._count = 0
        self._by_status: dict[str, int] = dict.fromkeys(STATUS_CODES.values(), 0)
        self._clock = 0  # bumped by every change: a number's `changes` is the clock at its last change
        self._serial = next(_BOOKS)
        self._packed: dict[str, bytes] = {}  # numbers restored from a snapshot, not yet asked about
        self._packed_approved: set[str] = set()  # those of them with an approved report
        self._strings: list[str] = []  # the snapshot's string table
        self.writes = 0  # reports added or changed since the book was made (when to write a snapshot)
        self.covered: Coverage | None = None  # set by whoever filled the book from the store
        self.max_source_voices = MAX_SOURCE_VOICES  # how many voices one source of weight > 1 can count as

    def count_sources_as(self, max_voices: float) -> None:
        """Let a source of weight w count like min(w, max_voices) voices (every summary changes)."""
        if max_voices != self.max_source_voices:
            self.max_source_voices = max(1.0, float(max_voices))
            self._generation += 1

    def __len__(self) -> int:
        return self._count

    def _number(self, key: str) -> _Number | None:
        number = self._numbers.get(key)
        if number is None and key in self._packed:
            number = self._unpack(key, self._packed.pop(key))
        return number

    def _unpack(self, key: str, packed: bytes) -> _Number:
        strings, new = self._strings, _new_tuple
        reports = [new(Record, (rid, strings[voice], strings[reporter], strings[origin], strings[code],
                                strings[category], created, weight))
                   for rid, voice, reporter, origin, code, category, created, weight in _PACKED.iter_unpack(packed)]
        self._packed_approved.discard(key)
        number = self._numbers[key] = _Number(reports, 0, sum(rec.status == APPROVED for rec in reports),
                                              max(rec.id for rec in reports) if reports else 0)
        return number

    def add(self, key: str, rec: Record) -> bool:
        """Add one report (a Record, or a tuple of its fields); False (and nothing changes) when
        the book already holds its id."""
        report_id, voice, reporter, origin, status, category, created, weight = rec
        number = self._number(key)
        if number is None:
            number = self._numbers[key] = _Number()
        elif report_id <= number.top and any(held.id == report_id for held in number.reports):
            return False
        voice = self._interned.setdefault(voice, voice)
        reporter = self._interned.setdefault(reporter, reporter)
        origin = self._interned.setdefault(origin, origin)
        rec = Record(report_id, voice, reporter, origin, status, sys.intern(category), created, weight)
        number.reports.append(rec)
        self._clock += 1
        number.changes = self._clock
        number.approved += rec.status == APPROVED
        number.top = max(number.top, rec.id)
        self._count += 1
        self.writes += 1
        self._by_status[rec.status] += 1
        if rec.status in (APPROVED, REJECTED):
            self._bump(rec, rec.status, +1)
        return True

    def load(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Bulk-add store rows (id, number_key, reporter_hash, voice, origin, category, status,
        created_at ISO text, source_weight: registry.store.reports.FACT_COLUMNS): the start-up
        path, one tight loop."""
        interned, numbers, codes, parse = self._interned, self._numbers, STATUS_CODES, dt.datetime.fromisoformat
        packed, new = self._packed, _new_tuple
        self._clock += 1
        clock = self._clock
        decided = []
        added = 0
        for rid, key, reporter_hash, voice_hash, origin_hash, category, status, created, weight in rows:
            reporter = reporter_hash[:IDENTITY_CHARS]
            reporter = interned.setdefault(reporter, reporter)
            voice = voice_hash[:IDENTITY_CHARS]
            voice = interned.setdefault(voice, voice)
            origin = origin_hash[:IDENTITY_CHARS]
            origin = interned.setdefault(origin, origin)
            code = codes[status]
            rec = new(Record, (rid, voice, reporter, origin, code, interned.setdefault(category, category),
                               parse(created).timestamp(), float(weight)))
            number = numbers.get(key)
            if number is None and packed and key in packed:
                number = self._unpack(key, packed.pop(key))
            if number is None:
                number = numbers[key] = _Number([rec], clock, 0, rid)
            else:
                number.reports.append(rec)
                number.changes = clock
                if rid > number.top:
                    number.top = rid
            if code == APPROVED:
                number.approved += 1
            if code == APPROVED or code == REJECTED:
                decided.append((rec, code))
            added += 1
            self._by_status[code] += 1
        self._count += added
        self.writes += added
        for rec, code in decided:
            self._bump(rec, code, +1)

    def merge(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """load() the store rows whose report the book does not hold yet (by id); returns them."""
        fresh: list[tuple[Any, ...]] = []
        held: dict[str, set[int]] = {}
        for row in rows:
            report_id, key = row[0], row[1]  # a store row: (id, number_key, ...) as load() reads it
            ids = held.get(key)
            if ids is None:
                number = self._number(key)
                ids = held[key] = {rec.id for rec in number.reports} if number is not None else set()
            if report_id not in ids:
                ids.add(report_id)
                fresh.append(row)
        self.load(fresh)
        return fresh

    def has(self, key: str, report_id: int) -> bool:
        number = self._number(key)
        return number is not None and report_id <= number.top and any(rec.id == report_id for rec in number.reports)

    def version(self, key: str) -> int:
        """Changes whenever this number's reports change (-1: the book has none): compared
        around a read of the store, it tells whether the book moved meanwhile."""
        number = self._numbers.get(key)
        if number is not None:
            return number.changes
        return 0 if key in self._packed else -1

    def replace(self, key: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Make one number's reports exactly `rows` (store rows, as for load): how a process
        catches up with a change another process made."""
        number = self._number(key)
        if number is not None:
            del self._numbers[key]
            for rec in number.reports:
                self._count -= 1
                self._by_status[rec.status] -= 1
                if rec.status in (APPROVED, REJECTED):
                    self._bump(rec, rec.status, -1)
        writes = self.writes
        self.load(rows)
        self.writes = writes + 1
        fresh = self._numbers.get(key)
        if fresh is not None:
            self._clock += 1
            fresh.changes = self._clock

    def set_status(self, key: str, report_id: int, status: str) -> bool:
        """Change one report's status; False when the book does not hold that report."""
        number = self._number(key)
        code = STATUS_CODES.get(status, status)
        if number is None:
            return False
        for index, rec in enumerate(number.reports):
            if rec.id == report_id:
                if rec.status == code:
                    return True
                if rec.status in (APPROVED, REJECTED):
                    self._bump(rec, rec.status, -1)
                if code in (APPROVED, REJECTED):
                    self._bump(rec, code, +1)
                number.reports[index] = rec._replace(status=code)
                self._clock += 1
                number.changes = self._clock
                self.writes += 1
                self._by_status[rec.status] -= 1
                self._by_status[code] += 1
                number.approved += (code == APPROVED) - (rec.status == APPROVED)
                return True
        return False

    def counts(self) -> dict[str, int]:
        """How many reports there are in each status."""
        names = {code: name for name, code in STATUS_CODES.items()}
        return {names[code]: count for code, count in self._by_status.items()}

    def keys(self) -> list[str]:
        return [*self._numbers, *self._packed]

    def approved_keys(self) -> list[str]:
        """Numbers with at least one approved report."""
        return [*(key for key, number in self._numbers.items() if number.approved), *self._packed_approved]

    def has_approved(self, key: str) -> bool:
        number = self._numbers.get(key)
        return number.approved > 0 if number is not None else key in self._packed_approved

    @property
    def revision(self) -> tuple[int, int, int]:
        """Changes whenever any number's stamp may have changed (every stamp changes with the
        clock or the track-record generation): one cheap check before looking up a stamp."""
        return (self._serial, self._clock, self._generation)

    def stamp(self, key: str) -> tuple[int, int] | None:
        """Changes whenever anything that feeds this number's summary changes (None: never reported)."""
        number = self._number(key)
        return None if number is None else (self._generation, number.changes)

    def summary(self, key: str, now: float) -> ReportStats | None:
        """The aggregates of one number, or None when nobody reported it."""
        number = self._number(key)
        if number is None:
            return None
        if (number.summary is not None and number.summary_generation == self._generation
                and number.summary_changes == number.changes and 0 <= now - number.summary_time < SUMMARY_TTL_SECONDS):
            return number.summary
        return self._summarise(number, now)

    def records(self, key: str) -> list[Record]:
        """One number's reports as the book keeps them (a copy)."""
        number = self._number(key)
        return [] if number is None else list(number.reports)

    def trust(self, reporter: str, origin: str | None = None) -> float:
        """A reporter's trust, or a report's: the lower of its reporter's and its origin's."""
        approved, rejected = self._record.get(reporter[:IDENTITY_CHARS], (0, 0))
        mine = (1 + approved) / (1 + approved + 2 * rejected)
        if origin is None or origin == reporter:
            return mine
        approved, rejected = self._record.get(origin[:IDENTITY_CHARS], (0, 0))
        return min(mine, (1 + approved) / (1 + approved + 2 * rejected))

    def _bump(self, rec: Record, code: str, delta: int) -> None:
        """A decided report counts towards its reporter's track record and its origin's."""
        for who in (rec.reporter,) if rec.origin == rec.reporter else (rec.reporter, rec.origin):
            counts = self._record.get(who)
            if counts is None:
                counts = self._record[who] = [0, 0]
            counts[0 if code == APPROVED else 1] += delta
        self._generation += 1

    def _summarise(self, number: _Number, now: float) -> ReportStats:
        stats = ReportStats()
        categories: Counter[str] = Counter()
        heaviest: dict[str, float] = {}
        pending_voices: dict[str, float] = {}  # voice → how many voices it counts as
        cap = self.max_source_voices
        first = last = None
        for _, voice, reporter, origin, code, category, created, source_weight in number.reports:
            if code == REJECTED:
                stats.rejected += 1
                continue
            if code == OVERTURNED:
                stats.overturned += 1
                continue
            counted = source_weight if source_weight < cap else cap
            if code == APPROVED:
                stats.approved += 1
            else:
                stats.pending += 1
                pending_voices[voice] = max(counted, 1.0, pending_voices.get(voice, 0.0))
            categories[category] += 1
            age_days = max(0.0, now - created) / 86400
            weight = counted * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS) * self.trust(reporter, origin)
            if weight > heaviest.get(voice, -1.0):
                heaviest[voice] = weight
            first = created if first is None or created < first else first
            last = created if last is None or created > last else last
        stats.distinct_reporters = len(heaviest)
        stats.pending_reporters = len(pending_voices)
        stats.pending_voices = round(sum(pending_voices.values()), 3)
        stats.categories = dict(categories.most_common())
        stats.weight = round(sum(heaviest.values()), 3)
        stats.confidence = 1.0 if stats.approved else round(1 - math.exp(-stats.weight / 3), 3)
        stats.first_reported_at = dt.datetime.fromtimestamp(first, dt.UTC) if first is not None else None
        stats.last_reported_at = dt.datetime.fromtimestamp(last, dt.UTC) if last is not None else None
        number.summary = stats
        number.summary_changes = number.changes
        number.summary_time = now
        number.summary_generation = self._generation
        return stats


# -- snapshots (verifier/state/snapshots.py stores them) ------------------------------------------

class BookImage(NamedTuple):
    """What a snapshot of a book holds, copied out of it by capture()."""

    strings: list[str]  # the string table of the numbers still packed
    packed: dict[str, bytes]  # numbers still packed: key → their records, _PACKED each
    packed_approved: list[str]  # those of them with an approved report
    numbers: dict[str, tuple[list[Record], int]]  # numbers unpacked: key → (records, how many approved)
    track_records: dict[str, list[int]]  # reporter → [approved, rejected]
    count: int  # reports held
    by_status: dict[str, int]  # status code → reports held in it


def capture(book: ReportBook) -> BookImage:
    """Everything a snapshot of `book` needs, copied (tuples and bytes are shared, being
    immutable), so it can be encoded in another thread while the book goes on changing."""
    return BookImage(
        strings=list(book._strings), packed=dict(book._packed), packed_approved=list(book._packed_approved),
        numbers={key: (list(number.reports), number.approved) for key, number in book._numbers.items()},
        track_records={reporter: list(counts) for reporter, counts in book._record.items() if counts != [0, 0]},
        count=book._count, by_status=dict(book._by_status))


def encode(image: BookImage) -> bytes:
    """A captured book as bytes (marshal: builtins only, shared strings written once). Numbers
    still packed are copied as they are, so the string table only ever grows at its end.

    The bytes are marshal of the plain tuple (SNAPSHOT_LAYOUT, strings, packed, packed_approved,
    track_records, count, by_status): BookImage's fields but `numbers`, packed into `packed`."""
    strings, packed, approved = image.strings, image.packed, image.packed_approved
    index = {text: position for position, text in enumerate(strings)}

    def at(text: str) -> int:
        position = index.get(text)
        if position is None:
            position = index[text] = len(strings)
            strings.append(text)
        return position

    pack = _PACKED.pack
    for key, (reports, approved_count) in image.numbers.items():
        packed[key] = b"".join([pack(rid, at(voice), at(reporter), at(origin), at(code), at(category), created, weight)
                                for rid, voice, reporter, origin, code, category, created, weight in reports])
        if approved_count:
            approved.append(key)
    return marshal.dumps((SNAPSHOT_LAYOUT, strings, packed, approved, image.track_records, image.count,
                          image.by_status))


def decode(data: bytes) -> ReportBook:
    """A book from encode()'s bytes; raises ValueError when they are not in this layout."""
    try:
        layout, strings, packed, approved, track_records, count, by_status = marshal.loads(data)
    except (EOFError, TypeError, ValueError) as exc:
        raise ValueError(f"not a report book snapshot: {exc}") from exc
    if layout != SNAPSHOT_LAYOUT or set(by_status) != set(STATUS_CODES.values()):
        raise ValueError(f"report book snapshot layout {layout!r}, expected {SNAPSHOT_LAYOUT}")
    book = ReportBook()
    book._strings, book._packed, book._packed_approved = strings, packed, set(approved)
    book._record, book._count, book._by_status = track_records, count, by_status
    return book

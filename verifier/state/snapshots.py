"""Snapshots of the in-memory state, kept in the database itself, so that a start loads them and
catches up instead of rebuilding everything from every row.

Building the report book from a million report rows and the registry (its indexes, look-alikes,
names) from 100,000 official numbers takes ten seconds and more; loading both snapshots and
catching up takes about one. Two parts, each one row of ``memory_snapshots`` (migration 0005;
SQL in registry/store/snapshots.py):

- ``reports``: the report book (verifier/core/report_book.py ``encode``: marshal of builtins, each
  number's reports packed into bytes that are unpacked only when the number is asked about);
- ``registry``: the built registry part of Knowledge (pickle of the organisations, the entries
  by key and by organisation, the look-alike and name indexes).

**Why loading these is safe.** marshal and pickle can build arbitrary objects (pickle can run
code), so they must never read bytes from anyone else. These bytes are only ever written by
this service, into its own database, and read back from there; whoever can write that table
can already rewrite every report and registry row, so trusting it gives nobody anything new.
Nothing else is ever loaded this way, and a snapshot is never read from a file or a request.

**What a snapshot covers, and why a catch-up cannot miss a change.** The ``format`` of a
snapshot is a hash of the code that made it (this module, the book, the registry builders, the
number normaliser, the models) and of the Python, pydantic and phonenumbers versions: after an
upgrade an old snapshot is simply not used. Its ``covers`` say what it holds:

- both: the database's random id (drawn once by the migration; a copy or a restored backup
  has the same id and carries its own snapshots along), so another database's snapshot is
  never used.
- reports: every report with an id up to ``report_id`` (that report's number and creation
  time are kept too, so a database whose reports were rewritten under it, or restored to an
  earlier state, is recognised), and every change in ``report_changes`` up to
  ``change_seq``. Report ids and change seqs are handed out in commit order (SQLite has one
  writer; PostgreSQL writers hold one advisory lock until they commit), so a later change
  always has a higher id or seq. ``report_changes`` is filled by triggers on every UPDATE and
  DELETE of ``reports`` (decisions, decisions of a whole number, appeals that overturn, and
  anything written by hand or by a future write path alike): nothing that changes a stored
  report can skip it. New reports (user reports, API reports, imports) are new ids. So a
  catch-up reads the reports after ``report_id`` and re-reads every number in the log after
  ``change_seq``; the book then holds everything the database held when it read them.
  A deletion in the log (nothing deletes reports today) or a log pruned past the snapshot
  makes the start fall back to the full load.
- registry: the registry's change counter (bumped by triggers on every change to the
  organisation and number tables), read before the registry was; the snapshot is used only
  while the counter is unchanged, otherwise the registry is rebuilt from its tables.

Coverage is conservative: the numbers are read from the database *before* what they describe,
and a catch-up is idempotent (a report already held is not added twice; a re-read number
replaces what was held), so a book holding more than its covers claim is harmless.

**When snapshots are written.** At clean shutdown (Service.stop) and in the background when
enough changed (verifier/state/service.py). Before writing, the running book is caught up like a
start would (so its covers are exact, whatever other processes or the CLI wrote meanwhile)
and the blocklist is reconciled with it. With several processes on one PostgreSQL database
each may write; the newest wins (a snapshot behind the stored one is not written), so the
stored one only ever moves forward, and pruning the change log happens in the same
transaction as the write that makes the pruned rows unnecessary. It prunes only what the
snapshot *before* it covered, not the new one: a running server on SQLite follows what the
command line writes (verifier/state/sync.py) from its own covers, which a CLI run's snapshot
(written as it exits) is ahead of; so the server still catches up rather than reloading.

A snapshot that does not fit (another format, ahead of the database, another database's,
unreadable) is ignored with a log line, and the full load is used; so is the first start.
"""

from __future__ import annotations

import asyncio
import copyreg
import gc
import hashlib
import inspect
import io
import logging
import marshal
import pickle
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
import pydantic

from registry.store import Store, official
from registry.store import reports as reports_store
from registry.store.snapshots import ChangeMarks
from verifier.core.knowledge import Knowledge
from verifier.core.names import OrgNameIndex
from verifier.core.report_book import Coverage, ReportBook, capture, decode, encode
from verifier.core.text.domains import DomainIndex

log = logging.getLogger("verifier.snapshots")

REPORTS, REGISTRY = "reports", "registry"
LAYOUT = 1  # bump whenever what is stored changes shape (the code hash below catches most of it anyway)
START_PAGE, LIVE_PAGE = 50_000, 5_000  # reports per read: at start-up, and while serving (short pauses)
SETTLE_ATTEMPTS = 5  # a number that keeps changing while it is re-read: give up advancing the covers

_REPORTS_CODE = ("verifier/core/report_book.py", "verifier/core/voices.py", "verifier/state/snapshots.py")
_REGISTRY_CODE = ("verifier/core/knowledge.py", "verifier/core/lookalike.py", "verifier/core/names.py",
                  "verifier/core/numbers/reading.py", "verifier/core/numbers/model.py",
                  "verifier/core/numbers/fast_path.py", "verifier/core/numbers/cn_plan.py",
                  "verifier/core/numbers/text.py", "verifier/core/numbers/patterns.py",
                  "registry/models.py", "verifier/state/snapshots.py")
_ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout (verifier/state/snapshots.py)


@cache
def snapshot_format(part: str) -> int:
    """A 31-bit hash of what makes `part`'s snapshot readable: the layout, the code that builds
    and reads it (whole modules, and of the store only what reads the rows, so that changes to
    its write paths keep snapshots valid), and the Python, pydantic and phonenumbers versions."""
    digest = hashlib.sha256(f"{part} {LAYOUT} {sys.version_info[:2]} {marshal.version} {pickle.HIGHEST_PROTOCOL}"
                            f" {pydantic.VERSION} {phonenumbers.__version__}".encode())
    for name in _REPORTS_CODE if part == REPORTS else _REGISTRY_CODE:
        digest.update((_ROOT / name).read_bytes())
    if part == REPORTS:
        digest.update(reports_store.FACT_COLUMNS.encode())
    else:
        for reader in (official.number_from_row, official.org_from_row, official.OfficialQueries.load_registry):
            digest.update(inspect.getsource(reader).encode())
        digest.update(official._NUMBER_COLUMNS.encode())
    return int.from_bytes(digest.digest()[:4], "big") >> 1


@dataclass
class Loaded:
    """What a start built, and how (for the log and for tests)."""

    knowledge: Knowledge
    blocklist_keys: set[str] | None  # the numbers whose blocklist entry may be stale (None: all)
    reports: str = "full"  # "snapshot" or "full"
    registry: str = "full"
    caught_up_reports: int = 0
    caught_up_numbers: int = 0
    fallbacks: list[str] = field(default_factory=list)  # why a snapshot was not used


async def load_reports(store: Store, *, page: int = START_PAGE) -> ReportBook:
    """Every report into a new book, a page at a time (the full load)."""
    marks = await store.change_marks()  # before the reads: what they cover is at least this
    book, last = ReportBook(), None
    collecting = gc.isenabled()
    gc.disable()  # millions of new records and none of them garbage: no collections meanwhile
    try:
        while rows := await store.report_facts(last["id"] if last else 0, limit=page):
            book.load(rows)
            last = rows[-1]
    finally:
        if collecting:
            gc.enable()
    book.covered = Coverage(last["id"], last["number_key"], last["created_at"], marks.change_seq) if last \
        else Coverage(0, "", "", marks.change_seq)
    book.writes = 0
    return book


async def catch_up(store: Store, book: ReportBook, *, live: bool = False,
                   fresh_keys: set[str] | None = None) -> tuple[Coverage, set[str], int] | None:
    """Bring `book` up to the store from what it covers: add the reports after its report id,
    re-read every number changed after its change seq. Returns the new covers, the numbers
    that may now be blocklisted differently and how many reports were added; None when the
    book cannot be caught up (no covers, a deletion or a pruned log), which the caller
    answers with a full load. `live`: the book is in use meanwhile (small pages; a number
    that changes in memory while it is re-read is read again). `fresh_keys` gets the numbers
    of the reports added."""
    covered = book.covered
    if covered is None:
        return None
    changes = await store.report_changes_since(covered.change_seq)
    if changes.deleted or changes.pruned > covered.change_seq:
        return None
    report_id, report_key, report_at, _ = covered
    touched: set[str] = set()
    added = 0
    while rows := await store.report_facts(report_id, limit=LIVE_PAGE if live else START_PAGE):
        fresh = book.merge(rows)
        added += len(fresh)
        if fresh_keys is not None:
            fresh_keys.update(row["number_key"] for row in fresh)
        touched.update(row["number_key"] for row in fresh if row["status"] == "approved")
        last = rows[-1]
        report_id, report_key, report_at = last["id"], last["number_key"], last["created_at"]
        if live:
            await asyncio.sleep(0)
    pending = sorted(changes.keys)
    for _ in range(SETTLE_ATTEMPTS):
        moved: list[str] = []
        for start in range(0, len(pending), 500):
            chunk = pending[start:start + 500]
            before = [book.version(key) for key in chunk]
            facts = await store.numbers_facts(chunk)
            for key, version in zip(chunk, before, strict=True):
                if book.version(key) != version:  # changed in memory while being read: read it again
                    moved.append(key)
                else:
                    book.replace(key, facts.get(key, []))
        if not moved:
            break
        pending = moved
    else:
        return None
    return Coverage(report_id, report_key, report_at, changes.last_seq), touched | changes.keys, added


async def _held_snapshot(store: Store, part: str, loaded: Loaded) -> Any | None:
    """The stored snapshot of `part` if there is one of this code's format; else None, with the
    reason recorded."""
    held = await store.read_snapshot(part)
    if held is None:
        loaded.fallbacks.append(f"{part}: no snapshot")
        return None
    if held.format != snapshot_format(part):
        loaded.fallbacks.append(f"{part}: snapshot of another format")
        return None
    return held


async def _book_from_snapshot(store: Store, marks: ChangeMarks, loaded: Loaded) -> tuple[ReportBook, set[str]] | None:
    held = await _held_snapshot(store, REPORTS, loaded)
    if held is None:
        return None
    try:
        covers = held.covers
        covered = Coverage(int(covers["report_id"]), str(covers["report_key"]), str(covers["report_at"]),
                           int(covers["change_seq"]))
    except (KeyError, TypeError, ValueError):
        loaded.fallbacks.append("reports: snapshot covers unreadable")
        return None
    if covers.get("database") != marks.database:
        loaded.fallbacks.append("reports: snapshot of another database")
        return None
    if covered.report_id > marks.report_id or covered.change_seq > marks.change_seq:
        loaded.fallbacks.append("reports: snapshot ahead of the database")
        return None
    if covered.report_id and await store.report_identity(covered.report_id) != (covered.report_key,
                                                                                covered.report_at):
        loaded.fallbacks.append("reports: snapshot of another database (its last report is not this one's)")
        return None
    try:
        book = decode(held.data or b"")
    except ValueError as exc:
        loaded.fallbacks.append(f"reports: {exc}")
        return None
    del held
    book.covered = covered
    result = await catch_up(store, book)
    if result is None:
        loaded.fallbacks.append("reports: changes since the snapshot cannot be replayed (deleted or pruned)")
        return None
    book.covered, touched, loaded.caught_up_reports = result
    loaded.caught_up_numbers = len(touched)
    book.writes = 0
    blocklist_registry = covers.get("blocklist_registry")
    return book, touched if isinstance(blocklist_registry, int) and blocklist_registry == marks.registry else None


def _restore_names(state: dict[str, Any]) -> OrgNameIndex:
    index = OrgNameIndex.__new__(OrgNameIndex)
    index.__dict__.update(state)
    index._matches = {}
    return index


def _reduce_names(index: OrgNameIndex) -> tuple[Any, ...]:
    # without the match cache, which verifies fill while the snapshot is pickled in a thread
    return _restore_names, ({name: value for name, value in vars(index).items() if name != "_matches"},)


def _pickle_registry(kb: Knowledge) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, OrgNameIndex: _reduce_names}  # type: ignore[assignment]
    pickler.dump((kb.organizations, kb.by_key, kb.by_org, kb.keys_by_org, kb.lookalikes, kb.names))
    return buffer.getvalue()


async def _registry_from_snapshot(store: Store, registry_seq: int, marks: ChangeMarks,
                                  loaded: Loaded) -> tuple[Any, ...] | None:
    held = await _held_snapshot(store, REGISTRY, loaded)
    if held is None:
        return None
    if held.covers.get("database") != marks.database:
        loaded.fallbacks.append("registry: snapshot of another database")
        return None
    if held.covers.get("registry") != registry_seq:
        loaded.fallbacks.append("registry: changed since the snapshot")
        return None
    try:
        parts = pickle.loads(held.data or b"")  # noqa: S301  (our own bytes from our own database: see the docstring)
    except Exception as exc:  # noqa: BLE001  (an unreadable snapshot is rebuilt, never fatal)
        loaded.fallbacks.append(f"registry: snapshot unreadable ({exc!r})")
        return None
    if not isinstance(parts, tuple) or len(parts) != 6:
        loaded.fallbacks.append("registry: snapshot unreadable")
        return None
    return parts


async def load_state(store: Store, *, use_snapshots: bool = True) -> Loaded:
    """The knowledge a start serves from: from the snapshots plus a catch-up where they fit,
    else (and for whichever part does not fit) from every row."""
    marks = await store.change_marks()
    loaded = Loaded(Knowledge.build([]), None)
    from_snapshot = await _book_from_snapshot(store, marks, loaded) if use_snapshots else None
    if from_snapshot is None:
        book, loaded.blocklist_keys = await load_reports(store), None
    else:
        (book, loaded.blocklist_keys), loaded.reports = from_snapshot, "snapshot"
    registry_seq = await store.registry_change_count()
    if registry_seq != marks.registry:
        loaded.blocklist_keys = None  # the registry changed during the start: check every number
    parts = await _registry_from_snapshot(store, registry_seq, marks, loaded) if use_snapshots else None
    if parts is None:
        organizations, keys = await store.load_registry()
        loaded.knowledge = Knowledge.build(organizations, book, keys=keys, registry_seq=registry_seq)
    else:
        organizations_by_id, by_key, by_org, keys_by_org, lookalikes, names = parts
        loaded.knowledge = Knowledge(organizations=organizations_by_id, by_key=by_key, by_org=by_org,
                                     keys_by_org=keys_by_org, lookalikes=lookalikes, names=names,
                                     domains=DomainIndex(organizations_by_id.values()), reports=book,
                                     registry_seq=registry_seq)
        loaded.registry = "snapshot"
    return loaded


async def save_reports(store: Store, book: ReportBook, *, blocklist_registry: int | None,
                       rewrite: bool = False) -> bool:
    """Write `book` (caught up: its covers exact) unless the stored snapshot already has the
    same covers (and `rewrite` is false: it is not known to be unusable) or is further on.
    `blocklist_registry`: the registry counter the blocklist was just reconciled against with
    this book (None: it was not)."""
    covered = book.covered
    if covered is None:
        return False
    covers = {**covered._asdict(), "blocklist_registry": blocklist_registry,
              "database": (await store.change_marks()).database}
    fmt = snapshot_format(REPORTS)
    held = await store.read_snapshot(REPORTS, with_data=False)
    if not rewrite and held is not None and held.format == fmt and held.covers == covers:
        return False
    previous = held.covers.get("change_seq") if held is not None else None  # prune only what it covered
    data = await asyncio.to_thread(encode, capture(book))
    return await store.write_snapshot(REPORTS, fmt, covers, data,
                                      not_behind=() if rewrite else ("report_id", "change_seq"),
                                      prune_changes_before=min(previous, covered.change_seq)
                                      if isinstance(previous, int) else None)


async def save_registry(store: Store, kb: Knowledge, *, rewrite: bool = False) -> bool:
    """Write the registry part of `kb` unless the stored snapshot is of the same registry (and
    `rewrite` is false: it is not known to be unusable) or of a newer one."""
    if kb.registry_seq is None:
        return False
    fmt = snapshot_format(REGISTRY)
    held = await store.read_snapshot(REGISTRY, with_data=False)
    if not rewrite and held is not None and held.format == fmt and held.covers.get("registry") == kb.registry_seq:
        return False  # (a snapshot of another database would have been found out at the start: rewrite)
    data = await asyncio.to_thread(_pickle_registry, kb)  # kb's registry part is never changed once built
    covers = {"registry": kb.registry_seq, "database": (await store.change_marks()).database}
    return await store.write_snapshot(REGISTRY, fmt, covers, data,
                                      not_behind=() if rewrite else ("registry",))

"""The running service's state: the store, and the knowledge derived from it.

Every write goes to the store first (committed, audited) and only then into the in-memory
knowledge, so what a verify sees is never ahead of what is durable. Reports and decisions
change the report book in place (`knowledge.reports`: _commit_reports, _take_reports,
_statuses_changed, and what other processes announce, _heard_reports and _heard_statuses);
a registry change builds a new Knowledge and swaps it in (reload_registry). Which part of the
knowledge is immutable and which follows writes: verifier/core/knowledge.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any

from registry.default import load_default_registry
from registry.models import OfficialNumber, Organization
from registry.records import (
    ApiKey,
    Appeal,
    AppealDecision,
    Decision,
    NewAppeal,
    NewReport,
    Report,
    ReportStatus,
)
from registry.store import ImportResult, Store
from registry.store.reports import EvidenceImport
from verifier.core.knowledge import Knowledge, official_key
from verifier.core.numbers.reading import KEY_SCHEME, number_key
from verifier.core.prefix_index import PrefixIndex
from verifier.core.report_book import MAX_SOURCE_VOICES, Record, ReportBook
from verifier.core.voices import book_record
from verifier.ops.crypto import token_digest
from verifier.state.answer_cache import VerifyCache
from verifier.state.group_commit import GroupCommit
from verifier.state.snapshots import catch_up, load_reports, load_state, save_registry, save_reports
from verifier.state.sync import CHANNEL, FOLLOW_SECONDS, Announcer, follow

log = logging.getLogger("verifier.state.service")
API_KEY_CACHE_SECONDS = 30.0
# Snapshots of the in-memory state (verifier/state/snapshots.py): written at shutdown, and in the
# background once SNAPSHOT_AFTER_WRITES reports were added or changed (but not within
# SNAPSHOT_MIN_SECONDS of the last one), or SNAPSHOT_EVERY_SECONDS after the last one when
# anything changed at all; checked every SNAPSHOT_CHECK_SECONDS. What a start after a crash
# must catch up with stays small: about a second per 10,000 reports and 5,000 changed numbers.
SNAPSHOT_CHECK_SECONDS = 30.0
SNAPSHOT_MIN_SECONDS = 60.0
SNAPSHOT_EVERY_SECONDS = 600.0
SNAPSHOT_AFTER_WRITES = 10_000
MISSING = object()  # "not in the cache" (None means "known to be no key")


def record_of(report: Report) -> Record:
    return book_record(report, report.id, report.status.value, report.created_at.timestamp())


class Service:
    def __init__(self, store: Store, *, load_default_registry: bool = True, snapshots: bool = True,
                 imported_source_max_voices: float = MAX_SOURCE_VOICES, follow: bool = False) -> None:
        self.store = store
        self.source_voices = imported_source_max_voices  # VERIFIER_IMPORTED_SOURCE_MAX_VOICES
        self._follow = follow  # a server: catch up with what other processes write where nobody announces it
        self._follow_task: asyncio.Task[None] | None = None
        self.knowledge = Knowledge.build([])
        self._load_default = load_default_registry
        # start from, and write, snapshots of the in-memory state; not where writers are not serialized
        # (their ids could commit out of order, and a catch-up relies on that order: verifier/state/snapshots.py)
        self.snapshots = snapshots and getattr(store.db, "serialize_writes", True)
        self.started_from: dict[str, Any] = {}  # how the last start built its state (log line, tests)
        self.snapshots_written = 0
        self._snapshot_lock = asyncio.Lock()
        self._snapshot_task: asyncio.Task[None] | None = None
        self._saved: tuple[ReportBook | None, int, int | None] = (None, 0, None)  # book, its writes, registry seq
        self._saved_at = time.monotonic()
        self._snapshot_due = False
        self._rewrite = {"reports": False, "registry": False}  # the stored snapshot did not fit: replace it
        self.answers = VerifyCache()
        self._report_writer: GroupCommit[NewReport, int] = GroupCommit(self._commit_reports)
        self.prefixes = PrefixIndex()
        self._announcer = Announcer(lambda channel, payload: self.store.db.notify(channel, payload),
                                    enabled=store.db.shares_changes)
        self.blocklist_version = 0
        self._api_keys: dict[str, tuple[float, ApiKey | None]] = {}
        self._usage: dict[int, int] = {}

    # -- lifetime ------------------------------------------------------------------------
    async def start(self) -> None:
        """Open the store and build the state verifies read: from the snapshots and a catch-up
        where they fit, else from every row (verifier/state/snapshots.py). Returns once every
        report and the whole registry are in memory: nothing is served before."""
        started = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()  # millions of new objects and none of them garbage: no collections meanwhile
        try:
            await self.store.open()
            rekeyed = await self.store.rekey(number_key, official_key, KEY_SCHEME)  # once per key scheme
            if rekeyed.ran:
                log.info("number keys recomputed for key scheme %d: %s", rekeyed.scheme, rekeyed)
            if self._load_default and await self.store.registry_is_empty():
                result = await self.store.import_registry(load_default_registry(official_key), official_key,
                                                          actor="system:default-registry")
                log.info("loaded the shipped default registry: %s", result)
            loaded = await load_state(self.store, use_snapshots=self.snapshots)
            self.knowledge = loaded.knowledge
            self.knowledge.reports.count_sources_as(self.source_voices)
            self.blocklist_version = await self.store.blocklist_version()
            await self.sync_blocklist(loaded.blocklist_keys)  # all of them, unless a snapshot says which
            await self.store.db.listen(CHANNEL, self._on_change, on_reconnect=self._on_reconnect)
        except BaseException:
            with contextlib.suppress(Exception):  # its connection threads would keep the process from exiting
                await self.store.close()
            raise
        finally:
            if collecting:
                gc.enable()
        # What was just loaded lives as long as the process: keep the garbage collector from
        # walking millions of objects again and again (pauses of a second at a million reports).
        # No gc.collect() first: it walked the whole heap for most of a second to find next to nothing.
        gc.freeze()
        self.started_from = {"reports": loaded.reports, "registry": loaded.registry,
                             "caught_up_reports": loaded.caught_up_reports,
                             "caught_up_numbers": loaded.caught_up_numbers, "fallbacks": loaded.fallbacks,
                             "seconds": round(time.perf_counter() - started, 3)}
        log.info("state loaded in %.2f s: reports from %s (%d reports and %d numbers caught up), registry from %s%s",
                 self.started_from["seconds"], loaded.reports, loaded.caught_up_reports, loaded.caught_up_numbers,
                 loaded.registry, f" ({'; '.join(loaded.fallbacks)})" if loaded.fallbacks else "")
        self._saved = (self.knowledge.reports, 0, self.knowledge.registry_seq)
        self._saved_at = time.monotonic()
        self._snapshot_due = loaded.reports != "snapshot" or loaded.registry != "snapshot" \
            or loaded.caught_up_reports + loaded.caught_up_numbers > 0
        self._rewrite = {"reports": loaded.reports != "snapshot", "registry": loaded.registry != "snapshot"}
        if self.snapshots:
            self._snapshot_task = asyncio.create_task(self._snapshot_loop(), name="snapshots")
        if self._follow and not self.store.db.shares_changes:  # nobody announces the CLI's writes: look (.sync)
            self._follow_task = asyncio.create_task(follow(self.follow_store, FOLLOW_SECONDS), name="follow")

    async def stop(self) -> None:
        for task in (self._snapshot_task, self._follow_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._snapshot_task = self._follow_task = None
        await self._report_writer.drain()
        await self.flush_usage()
        if self.snapshots:
            try:
                await self.save_snapshots()
            except Exception:  # a shutdown must finish; the next start falls back to the full load
                log.warning("could not write the snapshots at shutdown", exc_info=True)
        await self.store.close()

    # -- snapshots of the in-memory state (verifier/state/snapshots.py) ---------------------
    async def save_snapshots(self) -> int:
        """Catch the report book up with the store (so what its snapshot claims to cover is
        exact), bring the blocklist in line with it, and write the report book and registry
        snapshots the store does not hold yet. Returns how many were written."""
        async with self._snapshot_lock:
            book = self.knowledge.reports
            caught = await catch_up(self.store, book, live=True)
            written = 0
            if caught is None:
                log.info("report book snapshot not written: the changes since the last one cannot be replayed")
            else:
                book.covered = caught[0]
                registry_seq = self.knowledge.registry_seq
                current = self.knowledge.reports is book
                if current:
                    await self.sync_blocklist()
                if await save_reports(self.store, book, blocklist_registry=registry_seq if current else None,
                                      rewrite=self._rewrite["reports"]):
                    written += 1
                    self._rewrite["reports"] = False
            kb = self.knowledge
            if await save_registry(self.store, kb, rewrite=self._rewrite["registry"]):
                written += 1
                self._rewrite["registry"] = False
            self._saved = (book, book.writes, kb.registry_seq)
            self._saved_at = time.monotonic()
            self._snapshot_due = caught is None
            self.snapshots_written += written
            if written:
                log.info("wrote %d snapshot(s) of the in-memory state", written)
            return written

    def _snapshot_wanted(self) -> bool:
        book, writes, registry_seq = self._saved
        kb = self.knowledge
        changed = kb.reports.writes - writes if kb.reports is book else SNAPSHOT_AFTER_WRITES
        if not (changed or kb.registry_seq != registry_seq or self._snapshot_due):
            return False
        since = time.monotonic() - self._saved_at
        return (changed >= SNAPSHOT_AFTER_WRITES and since >= SNAPSHOT_MIN_SECONDS) or since >= SNAPSHOT_EVERY_SECONDS

    async def _snapshot_loop(self) -> None:
        while True:
            await asyncio.sleep(SNAPSHOT_CHECK_SECONDS)
            if self._snapshot_wanted():
                try:
                    await self.save_snapshots()
                except Exception:  # tried again at the next check
                    log.warning("could not write the snapshots", exc_info=True)
                    self._saved_at = time.monotonic()

    async def registry_changed(self) -> None:
        """After this process changed the registry: rebuild, reconcile the blocklist, tell the others."""
        await self.reload_registry()
        await self.sync_blocklist()  # a number that became official leaves the blocklist
        await self._announcer.announce("registry")

    async def reload_registry(self) -> None:
        """Rebuild the registry part of the snapshot from the store (reports are kept)."""
        registry_seq = await self.store.registry_change_count()  # before the registry: what it covers at least
        organizations, keys = await self.store.load_registry()
        self.knowledge = Knowledge.build(organizations, self.knowledge.reports, version=self.knowledge.version + 1,
                                         keys=keys, registry_seq=registry_seq)
        self.prefixes.invalidate()

    # -- the registry ----------------------------------------------------------------------
    async def import_registry(self, organizations: list[Organization], *, actor: str,
                              strict: bool = False) -> ImportResult:
        result = await self.store.import_registry(organizations, official_key, actor=actor, strict=strict)
        if result.changed:
            await self.registry_changed()
        return result

    async def create_organization(self, org: Organization, *, actor: str) -> None:
        await self.store.create_organization(org, official_key, actor=actor)
        await self.registry_changed()

    async def update_organization(self, org_id: str, values: dict[str, Any], *, actor: str) -> None:
        await self.store.update_organization(org_id, values, actor=actor)
        await self.registry_changed()

    async def put_number(self, org_id: str, number: OfficialNumber, *, actor: str,
                         must_exist: bool | None = None) -> str:
        outcome = await self.store.put_number(org_id, number, official_key(number), actor=actor,
                                              must_exist=must_exist)
        await self.registry_changed()
        return outcome

    async def delete_number(self, org_id: str, key: str, *, actor: str) -> None:
        await self.store.delete_number(org_id, key, actor=actor)
        await self.registry_changed()

    # -- reports and appeals ---------------------------------------------------------------
    async def submit_report(self, report: NewReport) -> int:
        """Stores one report (sharing a transaction with concurrent ones); returns its id once
        it is committed."""
        return await self._report_writer.submit(report)

    async def _commit_reports(self, reports: Sequence[NewReport]) -> list[int]:
        """The group commit's write: one statement, then the in-memory book, then the others."""
        ids, moment = await self.store.insert_reports(reports)
        created = moment.timestamp()
        book, prefixes = self.knowledge.reports, self.prefixes
        records = [(report.number_key, book_record(report, report_id, ReportStatus.pending.value, created))
                   for report, report_id in zip(reports, ids, strict=True)]
        for key, rec in records:
            book.add(key, rec)
            prefixes.add(key)
        if self._announcer.enabled:
            await self._announcer.announce("reports", [[key, *rec] for key, rec in records])
        return ids

    async def submit_reports(self, reports: Sequence[NewReport]) -> list[Report]:
        """Stores several reports in one transaction (imports)."""
        return await self._write_reports(reports)

    async def _write_reports(self, reports: Sequence[NewReport]) -> list[Report]:
        stored = await self.store.add_reports(reports)
        self._take_reports(stored)
        await self._announcer.announce("reports", [[r.number_key, *record_of(r)] for r in stored])
        return stored

    def _take_reports(self, stored: Sequence[Report]) -> None:
        for report in stored:
            self.knowledge.reports.add(report.number_key, record_of(report))
            self.prefixes.add(report.number_key)

    async def decide_report(self, report_id: int, decision: Decision, *, actor: str, note: str | None) -> Report:
        report = await self.store.decide_report(report_id, decision, actor=actor, note=note)
        await self._statuses_changed([(report.number_key, report.id, report.status.value)])
        return report

    async def decide_number(self, number_key: str, decision: Decision, *, actor: str,
                            note: str | None) -> list[Report]:
        reports = await self.store.decide_number(number_key, decision, actor=actor, note=note)
        await self._statuses_changed([(r.number_key, r.id, r.status.value) for r in reports])
        return reports

    async def submit_appeal(self, appeal: NewAppeal) -> Appeal:
        return await self.store.add_appeal(appeal)

    async def decide_appeal(self, appeal_id: int, decision: AppealDecision, *, actor: str,
                            note: str | None) -> tuple[Appeal, list[int]]:
        appeal, overturned = await self.store.decide_appeal(appeal_id, decision, actor=actor, note=note)
        await self._statuses_changed([(appeal.number_key, report_id, ReportStatus.overturned.value)
                                      for report_id in overturned])
        return appeal, overturned

    async def _statuses_changed(self, changes: list[tuple[str, int, str]]) -> None:
        keys = {key for key, _, _ in changes}
        for key, report_id, status in changes:
            self.knowledge.reports.set_status(key, report_id, status)
        self.prefixes.follow(self.knowledge.reports, keys)  # only live evidence stays in the private lookup
        await self.sync_blocklist(keys)
        await self._announcer.announce("statuses", [list(change) for change in changes])

    # -- what other processes changed ----------------------------------------------------------
    def _on_change(self, payload: str) -> Awaitable[None] | None:
        """What another process announced (verifier.state.sync): None when there is nothing to
        do, else the work, for the listener to run (the "maybe awaitable" protocol: verifier.http.edge)."""
        message = self._announcer.decode(payload)
        if message is None:
            return None
        kind, items = message
        if kind == "registry":
            return self.reload_registry()
        if kind == "reports":
            return self._heard_reports(items)
        if kind == "statuses":
            return self._heard_statuses(items)
        if kind == "numbers":
            return self._heard_numbers(items)
        return None

    async def _heard_reports(self, items: list[Any]) -> None:
        book = self.knowledge.reports
        for key, *rec in items:
            heard = Record(*rec)  # (a list, as JSON carries it)
            if not book.has(key, heard.id):
                book.add(key, heard)
                self.prefixes.add(key)

    async def _heard_statuses(self, items: list[Any]) -> None:
        unknown = {key for key, report_id, status in items if not self.knowledge.reports.set_status(key, report_id,
                                                                                                    status)}
        for key in unknown:  # its "reports" message has not arrived yet: read the number afresh
            self.knowledge.reports.replace(key, await self.store.number_facts(key))
        self.prefixes.follow(self.knowledge.reports, {key for key, _, _ in items})

    async def _heard_numbers(self, keys: list[Any]) -> None:
        facts = await self.store.numbers_facts(keys)
        for key in keys:
            self.knowledge.reports.replace(key, facts.get(key, []))
        self.prefixes.follow(self.knowledge.reports, keys)

    async def follow_store(self) -> bool:
        """Catch up with what another process (the CLI) wrote where nothing is announced (SQLite):
        when the store's change marks moved past what memory covers, as a start from a snapshot
        does (verifier/state/snapshots.py). Returns whether anything was read."""
        marks, kb = await self.store.change_marks(), self.knowledge
        registry_moved = kb.registry_seq is not None and marks.registry != kb.registry_seq
        if registry_moved:
            await self.reload_registry()
            await self.sync_blocklist()
        covered = kb.reports.covered
        if covered is None or (marks.report_id <= covered.report_id and marks.change_seq <= covered.change_seq):
            return registry_moved
        async with self._snapshot_lock:
            book, fresh, touched = self.knowledge.reports, set[str](), None  # (touched None: every number)
            caught = await catch_up(self.store, book, live=True, fresh_keys=fresh)
            if caught is None:  # a deletion, or the log pruned past the book: read everything again
                await self._on_reconnect()
            else:
                book.covered, touched, _ = caught
        self.prefixes.follow(self.knowledge.reports, fresh | (touched or set()))
        if touched is None or touched:
            await self.sync_blocklist(touched)
        return True

    async def _on_reconnect(self) -> None:
        """Messages may have been missed while the connection was down: re-read everything."""
        reports = await load_reports(self.store)
        reports.count_sources_as(self.source_voices)
        registry_seq = await self.store.registry_change_count()
        organizations, keys = await self.store.load_registry()
        self.knowledge = Knowledge.build(organizations, reports, version=self.knowledge.version + 1, keys=keys,
                                         registry_seq=registry_seq)
        self.prefixes.invalidate()

    # -- the blocklist -----------------------------------------------------------------------
    async def sync_blocklist(self, keys: Iterable[str] | None = None) -> None:
        """Bring the stored blocklist in line with the verdicts: a number with an approved report
        that is not official is on it. `keys`: the numbers that may have changed (None: all).
        What is on the list now is read from the database, which every process shares."""
        kb = self.knowledge
        if keys is None:
            listed = await self.store.blocklist_keys()
            candidates = set(kb.reports.approved_keys()) | listed
        else:
            candidates = set(keys)
            listed = await self.store.blocklisted(candidates) if candidates else set()
        should = {key for key in candidates if kb.reports.has_approved(key) and not kb.official_entries(key)}
        added, removed = should - listed, (candidates & listed) - should
        if added or removed:
            self.blocklist_version = await self.store.apply_blocklist(added, removed)
        else:
            self.blocklist_version = await self.store.blocklist_version()

    # -- imported evidence -------------------------------------------------------------------
    async def import_reports(self, reports: Sequence[NewReport]) -> list[Report]:
        return (await self.import_evidence(reports)).stored

    async def import_evidence(self, reports: Sequence[NewReport], *, reweigh: bool = True,
                              actor: str = "import") -> EvidenceImport:
        """Outside evidence into the store (`reweigh`: rows imported before take its weight), memory, the others."""
        result = await self.store.import_evidence(reports, reweigh=reweigh, actor=actor)
        self._take_reports(result.stored)
        reweighed = sorted({change.number_key for change in result.reweighed})
        await self._heard_numbers(reweighed)
        await self._announcer.announce("reports", [[r.number_key, *record_of(r)] for r in result.stored])
        if reweighed:
            await self._announcer.announce("numbers", reweighed)
        return result

    def bucket(self, prefix: str) -> list[tuple[str, str]]:
        """Known keys (official, or with live reports) whose SHA-256 starts with `prefix`: (hash, key)."""
        self.prefixes.ensure(self.knowledge.by_key, self.knowledge.reports)
        return self.prefixes.lookup(prefix)

    # -- API keys ----------------------------------------------------------------------------
    def cached_api_key(self, token: str) -> ApiKey | None | object:
        """The key for `token` if it was looked up within API_KEY_CACHE_SECONDS (None: unknown or
        revoked), else MISSING: the hot path's check, without a coroutine (the "maybe awaitable"
        protocol: verifier.http.edge)."""
        cached = self._api_keys.get(token)
        if cached is None or time.monotonic() - cached[0] > API_KEY_CACHE_SECONDS:
            return MISSING
        return cached[1]

    async def api_key(self, token: str) -> ApiKey | None:
        """The live API key for a presented token (cached briefly, so a revocation takes effect
        within API_KEY_CACHE_SECONDS), or None."""
        now = time.monotonic()
        cached = self._api_keys.get(token)  # in this process's memory only, like the key itself in the request
        if cached is None or now - cached[0] > API_KEY_CACHE_SECONDS:
            key = await self.store.api_key_by_hash(token_digest(token))
            if len(self._api_keys) > 10_000:
                self._api_keys.clear()
            cached = self._api_keys[token] = (now, key if key is not None and key.revoked_at is None else None)
        return cached[1]

    def count_usage(self, key: ApiKey, n: int = 1) -> None:
        self._usage[key.id] = self._usage.get(key.id, 0) + n

    async def flush_usage(self) -> None:
        usage, self._usage = self._usage, {}
        if not usage:
            return
        try:
            await self.store.add_api_key_usage(usage)
        except Exception:
            for key_id, n in usage.items():  # keep them for the next flush
                self._usage[key_id] = self._usage.get(key_id, 0) + n
            raise

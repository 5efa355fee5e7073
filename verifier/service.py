"""The running service's state: the store, and the knowledge snapshot derived from it.

Every write goes to the store first (committed, audited) and only then into the in-memory
knowledge, so what a verify sees is never ahead of what is durable.
"""

from __future__ import annotations

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
from verifier.group_commit import GroupCommit
from verifier.knowledge import Knowledge, official_key
from verifier.prefix_index import PrefixIndex
from verifier.reports_book import ReportBook, record
from verifier.secrets import token_digest
from verifier.sync import CHANNEL, Announcer
from verifier.verify_cache import VerifyCache

log = logging.getLogger("verifier.service")
API_KEY_CACHE_SECONDS = 30.0
MISSING = object()  # "not in the cache" (None means "known to be no key")


def record_of(report: Report) -> tuple:  # type: ignore[type-arg]
    return record(report.id, report.reporter_hash, report.client_hash,
                  report.api_key_id is not None or report.source != "user", report.category.value,
                  report.status.value, report.created_at.timestamp(), report.source_weight)


async def load_reports(store: Store) -> ReportBook:
    """Every report into a new book, a page at a time."""
    book, after = ReportBook(), 0
    collecting = gc.isenabled()
    gc.disable()  # millions of new tuples and none of them garbage: no collections meanwhile
    try:
        while page := await store.report_facts(after):
            book.load(page)
            after = page[-1][0]
    finally:
        if collecting:
            gc.enable()
    return book


class Service:
    def __init__(self, store: Store, *, load_default_registry: bool = True) -> None:
        self.store = store
        self.knowledge = Knowledge.build([])
        self._load_default = load_default_registry
        self.answers = VerifyCache()
        self._report_writer: GroupCommit[NewReport, Report] = GroupCommit(self._write_reports)
        self.prefixes = PrefixIndex()
        self._announcer = Announcer(lambda channel, payload: self.store.db.notify(channel, payload),
                                    enabled=store.db.shares_changes)
        self.blocklist_version = 0
        self._api_keys: dict[str, tuple[float, ApiKey | None]] = {}
        self._usage: dict[int, int] = {}

    # -- lifetime ------------------------------------------------------------------------
    async def start(self) -> None:
        await self.store.open()
        if self._load_default and await self.store.registry_is_empty():
            result = await self.store.import_registry(load_default_registry(official_key), official_key,
                                                      actor="system:default-registry")
            log.info("loaded the shipped default registry: %s", result)
        reports = await load_reports(self.store)
        organizations, keys = await self.store.load_registry()
        self.knowledge = Knowledge.build(organizations, reports, keys=keys)
        self.blocklist_version = await self.store.blocklist_version()
        await self.sync_blocklist()
        await self.store.db.listen(CHANNEL, self._on_change, on_reconnect=self._on_reconnect)
        # What was just loaded lives as long as the process: keep the garbage collector from
        # walking millions of objects again and again (pauses of a second at a million reports).
        gc.collect()
        gc.freeze()

    async def stop(self) -> None:
        await self._report_writer.drain()
        await self.flush_usage()
        await self.store.close()

    async def registry_changed(self) -> None:
        """After this process changed the registry: rebuild, reconcile the blocklist, tell the others."""
        await self.reload_registry()
        await self.sync_blocklist()  # a number that became official leaves the blocklist
        await self._announcer.announce("registry")

    async def reload_registry(self) -> None:
        """Rebuild the registry part of the snapshot from the store (reports are kept)."""
        organizations, keys = await self.store.load_registry()
        self.knowledge = Knowledge.build(organizations, self.knowledge.reports, version=self.knowledge.version + 1,
                                         keys=keys)
        self.prefixes.invalidate()

    # -- the registry ----------------------------------------------------------------------
    async def import_registry(self, organizations: list[Organization], *, actor: str) -> ImportResult:
        result = await self.store.import_registry(organizations, official_key, actor=actor)
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
    async def submit_report(self, report: NewReport) -> Report:
        """Stores one report (sharing a transaction with concurrent ones); returns once committed."""
        return await self._report_writer.submit(report)

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
        for key, report_id, status in changes:
            self.knowledge.reports.set_status(key, report_id, status)
        await self.sync_blocklist({key for key, _, _ in changes})
        await self._announcer.announce("statuses", [list(change) for change in changes])

    # -- what other processes changed ----------------------------------------------------------
    def _on_change(self, payload: str) -> Awaitable[None] | None:
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
        return None

    async def _heard_reports(self, items: list[Any]) -> None:
        book = self.knowledge.reports
        for key, *rec in items:
            if not book.has(key, rec[0]):
                book.add(key, tuple(rec))  # type: ignore[arg-type]
                self.prefixes.add(key)

    async def _heard_statuses(self, items: list[Any]) -> None:
        unknown = {key for key, report_id, status in items if not self.knowledge.reports.set_status(key, report_id,
                                                                                                    status)}
        for key in unknown:  # its "reports" message has not arrived yet: read the number afresh
            self.knowledge.reports.replace(key, await self.store.number_facts(key))

    async def _on_reconnect(self) -> None:
        """Messages may have been missed while the connection was down: re-read everything."""
        reports = await load_reports(self.store)
        organizations, keys = await self.store.load_registry()
        self.knowledge = Knowledge.build(organizations, reports, version=self.knowledge.version + 1, keys=keys)
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
        stored = await self.store.import_reports(reports)
        self._take_reports(stored)
        await self._announcer.announce("reports", [[r.number_key, *record_of(r)] for r in stored])
        return stored

    def bucket(self, prefix: str) -> list[tuple[str, str]]:
        """Known keys (official or reported) whose SHA-256 starts with `prefix`: (hash, key)."""
        self.prefixes.ensure([*self.knowledge.by_key, *self.knowledge.reports.keys()])
        return self.prefixes.lookup(prefix)

    # -- API keys ----------------------------------------------------------------------------
    def cached_api_key(self, token: str) -> ApiKey | None | object:
        """The key for `token` if it was looked up within API_KEY_CACHE_SECONDS (None: unknown or
        revoked), else MISSING: the hot path's check, without a coroutine."""
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

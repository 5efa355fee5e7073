"""Answers to repeated questions, kept as ready JSON.

Wallet apps ask about the same numbers again and again (every incoming call from a bank's
hotline), so an answer is kept (a CachedAnswer) and given again while it is still the answer.

How freshness is decided: the one place that says it. Two caches stand between a verify and
the reports, and both follow the same signal:

1. This cache. An answer is given again while (a) the registry snapshot is the same one
   (`Knowledge.version`: every rebuild of the knowledge gets a new one), (b) it is younger than
   TTL_SECONDS, and (c) nothing that feeds the number's report summary changed: the report
   book's `revision` is the one it was computed at (nothing changed anywhere in the book), or
   else the number's `stamp` is (a report about it, a decision about one, or a change in any
   of its reporters' track records moves it). Anything else computes the answer afresh.
2. Beneath it, the report book's own summary of each number (ReportBook.summary in
   verifier/core/report_book.py), which an answer is computed from. It is recomputed when the
   number's stamp moves (the same test as (c)) or when it is SUMMARY_TTL_SECONDS old.

What is kept: an answer is kept from the second time its question is asked lately
(verifier.core.doorkeeper says which were): most questions are asked once (every incoming call
from a number nobody asked about), and keeping their answers cost every miss a cache entry made,
put and later freed, and filled the memory with answers never given again.

So a report, a decision or a registry change shows in the very next answer. Only the decay of
report weights with age lags: an answer computed afresh may still carry the weights of a summary
made up to SUMMARY_TTL_SECONDS earlier, and is then kept up to TTL_SECONDS more (weights halve
every RECENCY_HALF_LIFE_DAYS = 30 days: eleven minutes move them by less than 0.02 %).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from verifier.core.answers import verify_json
from verifier.core.doorkeeper import Doorkeeper
from verifier.core.knowledge import Knowledge
from verifier.core.recent import Recent
from verifier.core.signals import Context
from verifier.schemas.answers import Lang

TTL_SECONDS = 60.0
MAX_ENTRIES = 100_000  # in two generations (verifier.core.recent): what is asked again stays

CacheKey = tuple[str, str | None, str | None, Context | None, str]  # number, region, claimed org, context, lang


@dataclass(slots=True)
class CachedAnswer:
    """One verify answer as the cache keeps it, and what it was computed from; never changed
    once made. A slots class: on the hot path its fields read as fast as a tuple's positions
    (a named tuple's are slower)."""

    body: bytes  # the answer as JSON
    verdict: str  # its verdict (for the metrics)
    knowledge_version: int  # Knowledge.version it was computed on
    number_key: str  # the number's canonical key
    stamp: tuple[int, int] | None  # the report book's stamp of that number then (None: never reported, or not kept)
    book_revision: tuple[int, int, int]  # the report book's revision then
    expires: float  # POSIX seconds: computed afresh from then on


class VerifyCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, ttl: float = TTL_SECONDS) -> None:
        self._entries: Recent[CacheKey, CachedAnswer] = Recent(max(1, max_entries // 2))
        # GET /verify's answers by the raw query string as sent: a repeated question is answered
        # without reading its parameters at all. Same entries, same freshness rules; a GET's
        # new answer is kept here only (the other map holds the POSTs' and batches').
        self._by_query: Recent[str, CachedAnswer] = Recent(max(1, max_entries // 2))
        self._asked = Doorkeeper()  # which questions were asked before: only their answers are kept
        self._ttl = ttl
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def for_query(self, kb: Knowledge, query: str) -> CachedAnswer | None:
        """The answer last given to exactly this query string, while it is still good; None:
        read the query and call answer()."""
        entry = self._by_query.get(query)
        if entry is not None and _fresh(entry, kb, time.time()):
            self.hits += 1
            return entry
        return None

    def answer(self, kb: Knowledge, raw: str, region: str | None = None, claimed_org: str | None = None,
               context: Context | None = None, lang: Lang = "zh", query: str | None = None) -> CachedAnswer:
        """The verify answer (its JSON bytes and verdict); raises NotANumber like verify_payload.
        `query`: the raw query string these parameters were read from, to answer it by for_query."""
        cache_key = (raw, region, claimed_org, context, lang) if query is None else None
        now = time.time()
        entry = self._entries.get(cache_key) if cache_key is not None else None  # a GET's: in _by_query only
        if entry is not None and _fresh(entry, kb, now):
            self.hits += 1
            return entry
        self.misses += 1
        revision = kb.reports.revision
        body, verdict, number_key = verify_json(kb, raw, region=region, claimed_org=claimed_org, context=context,
                                                lang=lang, now=now)
        keep = entry is not None or self._asked.asked_before(query if cache_key is None else cache_key)
        entry = CachedAnswer(body=body, verdict=verdict, knowledge_version=kb.version, number_key=number_key,
                             stamp=kb.reports.stamp(number_key) if keep else None, book_revision=revision,
                             expires=now + self._ttl)
        if keep:  # one entry in one map: a GET's is found again by its query string
            if query is not None:
                self._by_query.put(query, entry)
            else:
                self._entries.put(cache_key, entry)
        return entry


def _fresh(entry: CachedAnswer, kb: Knowledge, now: float) -> bool:
    """Still the answer (the module docstring says when). When nothing changed anywhere in the
    book, the number's stamp is not looked up: a lookup in a book of a million reports is the
    one cost that grew with the store."""
    if entry.knowledge_version != kb.version or now >= entry.expires:
        return False
    reports = kb.reports
    return entry.book_revision == reports.revision or reports.stamp(entry.number_key) == entry.stamp

"""Answers to repeated questions, kept as ready JSON.

Wallet apps ask about the same numbers again and again (every incoming call from a bank's
hotline). An answer is reused while the registry snapshot is the same version, nothing was
reported or decided about that number since, and it is younger than TTL_SECONDS (report
weights decay with age). Anything else computes afresh.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from verifier.core.answers import verify_payload
from verifier.core.knowledge import Knowledge
from verifier.core.recent import Recent
from verifier.core.signals import Context
from verifier.schemas.answers import Lang

TTL_SECONDS = 60.0
MAX_ENTRIES = 100_000  # in two generations (verifier.core.recent): what is asked again stays

CacheKey = tuple[str, str | None, str | None, Context | None, str]
# knowledge version, number key, its report stamp, expiry, JSON, verdict, the report book's revision
Entry = tuple[int, str, Any, float, bytes, str, tuple[int, int, int]]


class VerifyCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, ttl: float = TTL_SECONDS) -> None:
        self._entries: Recent[CacheKey, Entry] = Recent(max(1, max_entries // 2))
        # GET /verify's answers by the raw query string as sent: a repeated question is answered
        # without reading its parameters at all. The same entries, so the same freshness rules.
        self._by_query: Recent[str, Entry] = Recent(max(1, max_entries // 2))
        self._ttl = ttl
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def for_query(self, kb: Knowledge, query: str) -> Entry | None:
        """The entry last answered to exactly this query string, while it is still good (its
        JSON is entry[4], its verdict entry[5]); None: read the query and call answer()."""
        entry = self._by_query.get(query)
        if entry is not None and _fresh(entry, kb, time.time()):
            self.hits += 1
            return entry
        return None

    def answer(self, kb: Knowledge, raw: str, region: str | None = None, claimed_org: str | None = None,
               context: Context | None = None, lang: Lang = "zh", query: str | None = None) -> tuple[bytes, str]:
        """The verify answer as JSON bytes, and its verdict; raises NotANumber like verify_payload.
        `query`: the raw query string these parameters were read from, to answer it by for_query."""
        cache_key = (raw, region, claimed_org, context, lang)
        now = time.time()
        entry = self._entries.get(cache_key)
        if entry is None or not _fresh(entry, kb, now):
            self.misses += 1
            revision = kb.reports.revision
            payload = verify_payload(kb, raw, region=region, claimed_org=claimed_org, context=context, lang=lang, now=now)
            number_key = payload["number"]["key"]
            entry = (kb.version, number_key, kb.reports.stamp(number_key), now + self._ttl, orjson.dumps(payload),
                     payload["verdict"], revision)
            self._entries.put(cache_key, entry)
        else:
            self.hits += 1
        if query is not None:
            self._by_query.put(query, entry)
        return entry[4], entry[5]


def _fresh(entry: Entry, kb: Knowledge, now: float) -> bool:
    """Still the answer: the same registry, not expired, and nothing reported or decided about
    the number since (when nothing changed anywhere in the book, its stamp is not looked up:
    a lookup in a book of a million reports is the one cost that grew with the store)."""
    if entry[0] != kb.version or now >= entry[3]:
        return False
    reports = kb.reports
    return entry[6] == reports.revision or reports.stamp(entry[1]) == entry[2]

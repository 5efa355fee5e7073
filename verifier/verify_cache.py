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

from verifier.api.schemas import Lang
from verifier.knowledge import Knowledge
from verifier.recent import Recent
from verifier.signals import Context
from verifier.verification import verify_payload

TTL_SECONDS = 60.0
MAX_ENTRIES = 100_000  # in two generations (verifier.recent): what is asked again stays

CacheKey = tuple[str, str | None, str | None, Context | None, str]


class VerifyCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, ttl: float = TTL_SECONDS) -> None:
        self._entries: Recent[CacheKey, tuple[int, str, Any, float, bytes, str]] = Recent(max(1, max_entries // 2))
        self._ttl = ttl
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def answer(self, kb: Knowledge, raw: str, region: str | None = None, claimed_org: str | None = None,
               context: Context | None = None, lang: Lang = "zh") -> tuple[bytes, str]:
        """The verify answer as JSON bytes, and its verdict; raises NotANumber like verify_payload."""
        cache_key = (raw, region, claimed_org, context, lang)
        now = time.time()
        entry = self._entries.get(cache_key)
        if entry is not None:
            version, number_key, stamp, expires, body, verdict = entry
            if version == kb.version and now < expires and kb.reports.stamp(number_key) == stamp:
                self.hits += 1
                return body, verdict
        self.misses += 1
        payload = verify_payload(kb, raw, region=region, claimed_org=claimed_org, context=context, lang=lang, now=now)
        body = orjson.dumps(payload)
        number_key, verdict = payload["number"]["key"], payload["verdict"]
        self._entries.put(cache_key, (kb.version, number_key, kb.reports.stamp(number_key), now + self._ttl, body,
                                     verdict))
        return body, verdict

"""k-anonymity buckets: the first hex digits of SHA-256(canonical key) → the known keys.

A wallet app checks a contact without disclosing it: it hashes the number's canonical key
(docs/private-lookup.md), sends only the first 4–6 hex digits, and looks for the full hash in
the bucket that comes back. The index covers every official number and every reported one;
it is built on first use and kept current as reports arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

BUCKET_CHARS = 4  # 65,536 buckets; a request may narrow further with 5 or 6 digits


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class PrefixIndex:
    def __init__(self) -> None:
        self._buckets: dict[str, dict[str, str]] | None = None  # bucket → {hash: key}

    def invalidate(self) -> None:
        self._buckets = None

    def ensure(self, keys: Iterable[str]) -> None:
        if self._buckets is None:
            self._buckets = {}
            for key in keys:
                self._put(key)

    def add(self, key: str) -> None:
        if self._buckets is not None:
            self._put(key)

    def lookup(self, prefix: str) -> list[tuple[str, str]]:
        """(hash, key) of every known key whose hash starts with `prefix`, sorted by hash."""
        assert self._buckets is not None, "ensure() first"
        bucket = self._buckets.get(prefix[:BUCKET_CHARS], {})
        return sorted((digest, key) for digest, key in bucket.items() if digest.startswith(prefix))

    def _put(self, key: str) -> None:
        assert self._buckets is not None
        digest = key_hash(key)
        self._buckets.setdefault(digest[:BUCKET_CHARS], {})[digest] = key

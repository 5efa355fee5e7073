"""k-anonymity buckets: the first hex digits of SHA-256(canonical key) → the known keys.

A wallet app checks a contact without disclosing it: it hashes the number's canonical key
(docs/private-lookup.md), sends only the first 4–6 hex digits, and looks for the full hash in
the bucket that comes back. The index covers every official number and every number with
live evidence: a pending or approved report. A number whose reports were all rejected (or
overturned on appeal) is not in it, and leaves it when its last live report is decided
(`follow`). It is built on first use and kept current as reports arrive and are decided.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

from verifier.core.report_book import _PACKED, LIVE, Record, ReportBook

BUCKET_CHARS = 4  # 65,536 buckets; a request may narrow further with 5 or 6 digits
_STATUS = Record._fields.index("status")  # a packed record holds a Record's fields in order (strings as indices)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def has_live_report(book: ReportBook, key: str) -> bool:
    """Whether `key` has a pending or approved report. A number still packed from a snapshot is
    read in place (its status codes only): asking about every number must not unpack them all."""
    number = book._numbers.get(key)
    if number is not None:
        return any(rec.status in LIVE for rec in number.reports)
    packed = book._packed.get(key)
    if packed is None:
        return False
    if key in book._packed_approved:
        return True
    strings = book._strings
    return any(strings[fields[_STATUS]] in LIVE for fields in _PACKED.iter_unpack(packed))


def live_keys(book: ReportBook) -> list[str]:
    """Every number in the book with live evidence."""
    return [key for key in book.keys() if has_live_report(book, key)]


class PrefixIndex:
    def __init__(self) -> None:
        self._buckets: dict[str, dict[str, str]] | None = None  # bucket → {hash: key}
        self._official: Collection[str] = ()

    def invalidate(self) -> None:
        self._buckets = None

    def ensure(self, official: Collection[str], book: ReportBook) -> None:
        """Build the index, if it is not built: every official key and every key of `book` with
        live evidence. `official` is kept to tell, later, which keys stay whatever their reports."""
        if self._buckets is None:
            self._buckets = {}
            self._official = official
            for key in official:
                self._put(key)
            for key in live_keys(book):
                self._put(key)

    def add(self, key: str) -> None:
        """A new pending report on `key`: live evidence."""
        if self._buckets is not None:
            self._put(key)

    def follow(self, book: ReportBook, keys: Iterable[str]) -> None:
        """After the statuses of `keys`' reports changed: each is in the index exactly when it is
        official or has live evidence."""
        if self._buckets is None:
            return
        for key in keys:
            if key in self._official or has_live_report(book, key):
                self._put(key)
            else:
                self._drop(key)

    def lookup(self, prefix: str) -> list[tuple[str, str]]:
        """(hash, key) of every known key whose hash starts with `prefix`, sorted by hash."""
        assert self._buckets is not None, "ensure() first"
        bucket = self._buckets.get(prefix[:BUCKET_CHARS], {})
        return sorted((digest, key) for digest, key in bucket.items() if digest.startswith(prefix))

    def _put(self, key: str) -> None:
        assert self._buckets is not None
        digest = key_hash(key)
        self._buckets.setdefault(digest[:BUCKET_CHARS], {})[digest] = key

    def _drop(self, key: str) -> None:
        assert self._buckets is not None
        digest = key_hash(key)
        bucket = self._buckets.get(digest[:BUCKET_CHARS])
        if bucket is not None:
            bucket.pop(digest, None)

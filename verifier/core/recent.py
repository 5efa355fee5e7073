"""A bounded memo that keeps what is in use: the caches on the verify path.

Two generations of at most `size` entries each. Lookups try the newer one, then the older one
(an entry found there moves to the newer). When the newer one is full, the older one is
dropped and the newer one takes its place. So a flood of one-off questions (a contact-list
scan, every number new) cannot evict what wallet apps ask again and again, as emptying one
dict when full did; and a hit in the newer generation costs one dict lookup, with none of an
LRU's bookkeeping per hit. Holds at most 2 × size entries.

The dropped generation is not freed at once: freeing 50,000 cached answers in one go held the
server for 7-16 ms (a p99 of its own under a flood of new numbers). It is retired instead, a few
entries with every put (RETIRE_PER_PUT), which empties it long before the next drop; it is never
looked in again. So up to 2 × size entries are found, and up to 3 × size held for a while.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


RETIRE_PER_PUT = 4  # entries of the dropped generation freed with each put: gone within size / 4 puts


class Recent(Generic[K, V]):
    __slots__ = ("_newer", "_older", "_retiring", "_size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self._size = size
        self._newer: dict[K, V] = {}
        self._older: dict[K, V] = {}
        self._retiring: dict[K, V] = {}  # the dropped generation, freed a few entries a put

    def __len__(self) -> int:
        """Entries that can be found (the retiring ones cannot)."""
        return len(self._newer) + len(self._older)

    @property
    def retiring(self) -> int:
        """Entries dropped and not yet freed."""
        return len(self._retiring)

    def get(self, key: K) -> V | None:
        found = self._newer.get(key)
        if found is None:
            found = self._older.pop(key, None)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: K, value: V) -> None:
        newer = self._newer
        if len(newer) >= self._size and key not in newer:
            if self._retiring:  # (only when puts replace keys: fewer than size / 4 new ones since)
                self._retiring.clear()
            self._retiring, self._older, self._newer = self._older, newer, {}
            newer = self._newer
        newer[key] = value
        if self._retiring:
            _retire(self._retiring)

    def clear(self) -> None:
        self._newer, self._older, self._retiring = {}, {}, {}


def _retire(entries: dict[K, V]) -> None:
    """Free up to RETIRE_PER_PUT entries (the last ones put: popitem's order)."""
    pop = entries.popitem
    for _ in range(min(RETIRE_PER_PUT, len(entries))):
        pop()

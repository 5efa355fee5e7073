"""A bounded memo that keeps what is in use: the caches on the verify path.

Two generations of at most `size` entries each. Lookups try the newer one, then the older one
(an entry found there moves to the newer). When the newer one is full, the older one is
dropped and the newer one takes its place. So a flood of one-off questions (a contact-list
scan, every number new) cannot evict what wallet apps ask again and again, as emptying one
dict when full did; and a hit in the newer generation costs one dict lookup, with none of an
LRU's bookkeeping per hit. Holds at most 2 × size entries.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    __slots__ = ("_newer", "_older", "_size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self._size = size
        self._newer: dict[K, V] = {}
        self._older: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._newer) + len(self._older)

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
            self._older, self._newer = newer, {}
            newer = self._newer
        newer[key] = value

    def clear(self) -> None:
        self._newer, self._older = {}, {}

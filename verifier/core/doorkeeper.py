"""Which questions were asked before, lately: the answer cache's admission rule.

Most questions on the verify path are asked once: a wallet app screening incoming calls asks
about numbers nobody asked about a minute ago, and a contact-list scan sends thousands of new
ones. Keeping each of their answers costs time on every miss (a cache entry made, put, and
later freed) and memory (about 1 KB an answer), and the answer is never given again. So the
answer cache (verifier.state.answer_cache) keeps an answer only from the second time its
question is asked lately, as a "doorkeeper" in front of a cache does (TinyLFU's): the first
time, the question is only marked here.

The marks are one byte per slot of a fixed table, by the question's hash, in two generations:
a question marked in either counts as asked before. After PER_GENERATION new marks the older
table is cleared and becomes the newer one, so a question is remembered for at least
PER_GENERATION and at most 2 × PER_GENERATION new questions after it. Two questions whose
hashes share a slot read as asked before: the second is kept on its first asking, which is
what happened to every question before this rule (never an answer wrong, only one kept that
need not be). The memory is fixed (2 × SLOTS bytes) whatever the flood. Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Hashable

SLOTS = 1 << 20  # a power of two: a slot is the hash's low bits
PER_GENERATION = 1 << 16  # new marks per generation: at most 2 x this of SLOTS are marked, 1 in 8


class Doorkeeper:
    __slots__ = ("_newer", "_older", "_mask", "_marked", "_per_generation", "_blank")

    def __init__(self, slots: int = SLOTS, per_generation: int = PER_GENERATION) -> None:
        if slots < 1 or slots & (slots - 1):
            raise ValueError("slots must be a power of two")
        if per_generation < 1:
            raise ValueError("per_generation must be at least 1")
        self._newer = bytearray(slots)
        self._older = bytearray(slots)
        self._blank = bytes(slots)
        self._mask = slots - 1
        self._marked = 0
        self._per_generation = per_generation

    def asked_before(self, question: Hashable) -> bool:
        """True when `question` was marked lately (or shares a slot with one that was); else
        mark it and say False."""
        slot = hash(question) & self._mask
        if self._newer[slot] or self._older[slot]:
            return True
        self._newer[slot] = 1
        self._marked += 1
        if self._marked >= self._per_generation:
            self._older, self._newer = self._newer, self._older
            self._newer[:] = self._blank  # the dropped generation's marks, gone in one copy
            self._marked = 0
        return False

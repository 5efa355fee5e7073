"""Group commit: concurrent writes share one transaction, each acknowledged only after it.

A durable commit costs an fsync; with many reports arriving at once, paying one per report
caps the rate at the disk's fsync rate. Writers queue their records here; one flusher writes
everything queued in a single transaction, then wakes each writer with its own results (or
the error, for everyone in that transaction). While a transaction is in flight, new arrivals
gather for the next one, so batches grow exactly when load does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

MAX_BATCH = 500


class GroupCommit(Generic[In, Out]):
    def __init__(self, write: Callable[[Sequence[In]], Awaitable[Sequence[Out]]], max_batch: int = MAX_BATCH) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queue: list[tuple[In, asyncio.Future[Out]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: In) -> Out:
        """Returns once `item` is committed (raises what the write raised)."""
        future: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def drain(self) -> None:
        """Wait until everything queued so far is written (used at shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)

    async def _flush(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                results = await self._write([item for item, _ in batch])
            except BaseException as exc:  # every writer in this transaction learns it failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("write cancelled"))
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

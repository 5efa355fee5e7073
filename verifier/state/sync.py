"""Keeping several server processes in agreement (PostgreSQL LISTEN/NOTIFY).

Every process keeps the registry and the report aggregates in memory. After a write commits,
the writing process applies it to its own memory and announces it on CHANNEL; every other
process applies the same change from the message (new reports travel with the facts the
aggregates need, so nobody has to read them back) or re-reads what changed (the registry).
A status change for a report a process has not heard of yet (messages from different
connections can overtake each other) makes it re-read that number from the database; so
does a "numbers" message (an import changed the weight of reports already stored). After
the listening connection was lost, everything is re-read.

SQLite has one server process, and the database adapter's notify and listen do nothing there;
but the command line (`verifier reports import`, `registry import`) writes from another
process. So there the server `follow`s the store instead: every FOLLOW_SECONDS it reads the
store's change marks (a few indexed lookups) and, only when they moved past what its memory
covers, catches up as a start from a snapshot does (Service.follow_store). The verify path
never waits for it.

Messages are JSON, at most MAX_PAYLOAD bytes (PostgreSQL's limit is 8,000).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

CHANNEL = "hotline_verifier_changes"
MAX_PAYLOAD = 7000
FOLLOW_SECONDS = 1.0  # how often a server on SQLite looks for what another process wrote

log = logging.getLogger("verifier.state.sync")


async def follow(look: Callable[[], Awaitable[Any]], every: float = FOLLOW_SECONDS) -> None:
    """Run `look` every `every` seconds until cancelled; a failed look is logged and tried again."""
    failing = False
    while True:
        await asyncio.sleep(every)
        try:
            await look()
            failing = False
        except Exception:  # the database busy or gone for a moment: the next look catches up
            if not failing:  # once per spell of failures, not every second
                log.warning("could not catch up with the store", exc_info=True)
            failing = True


class Announcer:
    def __init__(self, notify: Callable[[str, str], Awaitable[None]], enabled: bool = True) -> None:
        self.origin = secrets.token_hex(8)
        self._notify = notify
        self.enabled = enabled  # off where nobody listens (SQLite): no encoding for nothing

    async def announce(self, kind: str, items: Sequence[Any] = ()) -> None:
        """Send `items` in as few messages as fit (one message when there are none)."""
        if not self.enabled:
            return
        chunk: list[Any] = []
        size = 0
        for item in items:
            encoded = len(json.dumps(item, ensure_ascii=False)) + 1
            if chunk and size + encoded > MAX_PAYLOAD - 200:
                await self._send(kind, chunk)
                chunk, size = [], 0
            chunk.append(item)
            size += encoded
        if chunk or not items:
            await self._send(kind, chunk)

    async def _send(self, kind: str, items: list[Any]) -> None:
        await self._notify(CHANNEL, json.dumps({"origin": self.origin, "kind": kind, "items": items},
                                               ensure_ascii=False))

    def decode(self, payload: str) -> tuple[str, list[Any]] | None:
        """(kind, items) of another process's message; None for our own or a malformed one."""
        try:
            message = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(message, dict) or message.get("origin") == self.origin:
            return None
        return str(message.get("kind")), list(message.get("items") or [])

"""verifier.state.sync: what one server process tells the others. Messages are JSON under
PostgreSQL's payload limit, split as needed, and each process ignores its own. In-process with
a notify that keeps what it is given, then through a real PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import asyncio
import json

import pytest

from registry.backends import open_store
from verifier.state.sync import CHANNEL, MAX_PAYLOAD, Announcer


class Sent:
    """A notify that keeps what it is given, in order."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    async def __call__(self, channel: str, payload: str) -> None:
        self.messages.append((channel, payload))

    @property
    def payloads(self) -> list[str]:
        return [payload for _, payload in self.messages]


def report_item(n: int) -> list[object]:
    """A "reports" item as the service announces one: the number key and its book record."""
    return [f"CN:1380000{n:04d}", n, "a1b2c3d4e5f6a7b8", "a1b2c3d4e5f6a7b8", "p", "refund_scam", 1.7e9 + n, 1.0]


async def test_a_message_without_items_is_sent_once_and_read_by_another_process() -> None:
    sent = Sent()
    mine, theirs = Announcer(sent), Announcer(Sent())
    await mine.announce("registry")
    assert [channel for channel, _ in sent.messages] == [CHANNEL]
    assert theirs.decode(sent.payloads[0]) == ("registry", [])


async def test_many_items_are_split_into_messages_under_the_payload_limit_in_order() -> None:
    sent = Sent()
    mine, theirs = Announcer(sent), Announcer(Sent())
    items = [report_item(n) for n in range(500)]
    await mine.announce("reports", items)
    assert len(sent.payloads) > 1
    assert all(len(payload.encode()) <= MAX_PAYLOAD for payload in sent.payloads)
    decoded = [theirs.decode(payload) for payload in sent.payloads]
    assert {kind for kind, _ in decoded} == {"reports"}  # type: ignore[misc]
    assert [item for _, chunk in decoded for item in chunk] == items  # type: ignore[misc]


async def test_a_few_items_travel_in_one_message() -> None:
    sent = Sent()
    await Announcer(sent).announce("statuses", [["CN:13800000001", 7, "a"], ["CN:13800000001", 8, "r"]])
    [payload] = sent.payloads
    assert Announcer(Sent()).decode(payload) == ("statuses", [["CN:13800000001", 7, "a"], ["CN:13800000001", 8, "r"]])


async def test_a_process_ignores_its_own_messages() -> None:
    sent = Sent()
    mine = Announcer(sent)
    await mine.announce("reports", [report_item(1)])
    assert mine.decode(sent.payloads[0]) is None
    assert Announcer(Sent()).origin != mine.origin


@pytest.mark.parametrize("payload", ["", "not json", "[1, 2]", '"text"', "42"])
def test_a_malformed_message_is_ignored(payload: str) -> None:
    assert Announcer(Sent()).decode(payload) is None


def test_a_message_missing_its_items_reads_as_none_of_them() -> None:
    assert Announcer(Sent()).decode(json.dumps({"origin": "elsewhere", "kind": "registry"})) == ("registry", [])


async def test_a_disabled_announcer_sends_nothing() -> None:
    """Where nobody listens (SQLite: one process) nothing is even encoded."""
    sent = Sent()
    quiet = Announcer(sent, enabled=False)
    await quiet.announce("registry")
    await quiet.announce("reports", [report_item(1)])
    assert sent.messages == []


async def test_messages_reach_another_process_through_postgresql_whole_and_in_order(postgres_url: str) -> None:
    sender, receiver = open_store(postgres_url), open_store(postgres_url)
    await sender.open()
    await receiver.open()
    try:
        mine, theirs = Announcer(sender.db.notify), Announcer(receiver.db.notify)
        heard_there: asyncio.Queue[str] = asyncio.Queue()
        heard_here: asyncio.Queue[str] = asyncio.Queue()
        await receiver.db.listen(CHANNEL, heard_there.put_nowait)
        await sender.db.listen(CHANNEL, heard_here.put_nowait)
        items = [report_item(n) for n in range(300)]  # several messages, each under PostgreSQL's 8,000 bytes
        await mine.announce("reports", items)
        await mine.announce("registry")
        received: list[tuple[str, list[object]]] = []
        while not received or received[-1][0] != "registry":
            message = theirs.decode(await asyncio.wait_for(heard_there.get(), 2.0))
            assert message is not None
            received.append(message)
        assert [item for kind, chunk in received if kind == "reports" for item in chunk] == items
        assert mine.decode(await asyncio.wait_for(heard_here.get(), 2.0)) is None  # its own, heard and ignored
    finally:
        await sender.close()
        await receiver.close()

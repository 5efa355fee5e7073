"""The moderation queue (verifier/state/queue.py) on both backends: ranked from the report book's
voices exactly as the verdict counts them, a number's reports together, followed as reports
arrive and are decided, and a flood on one number neither reorders the rest nor slows a page."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest

from registry.records import Decision, Page, QueuedReport, ReportCategory, ReportStatus
from tests.store.conftest import new_report
from tests.store.contract.conftest import demo_org
from tests.store.test_snapshots import Start
from tests.store.test_snapshots import start as start  # noqa: PLC0414  (the fixture)
from verifier.core.knowledge import official_key
from verifier.core.queue_ranking import entry_of, ranked
from verifier.state.queue import queue_of
from verifier.state.service import Service

ALL = Page(number=1, size=200)
QUIET, CROWDED, FLOODED, LONE = (f"+8613900000{n:03d}" for n in range(1, 5))


@pytest.fixture(params=("sqlite", "postgresql"))
def url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "queue.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


def digest(text: str) -> str:
    """A hash as the store holds one (the book tells identities apart by its first 16 characters)."""
    return hashlib.sha256(text.encode()).hexdigest()


def voices(key: str, count: int, tag: str, **values: Any) -> list[Any]:
    """`count` reports on `key`, each from its own address (an anonymous voice each)."""
    return [new_report(key, digest(f"{tag}-reporter-{n}"), client_hash=digest(f"{tag}-address-{n}"), **values)
            for n in range(count)]


def one_address(key: str, count: int, tag: str) -> list[Any]:
    """`count` reports on `key` from one address, each with a fresh reporter id (a new cookie each)."""
    return [new_report(key, digest(f"{tag}-cookie-{n}"), client_hash=digest(f"{tag}-address")) for n in range(count)]


async def queue(service: Service, page: Page = ALL, **filters: Any) -> list[QueuedReport]:
    return await queue_of(service).page(page, **filters)


def numbers(items: list[QueuedReport]) -> list[str]:
    """The numbers in page order, each once (a number's reports come together)."""
    seen: list[str] = []
    for item in items:
        if not seen or seen[-1] != item.number_key:
            assert item.number_key not in seen, "a number's reports are split on the page"
            seen.append(item.number_key)
    return seen


def assert_ranked_as_a_fresh_recomputation(service: Service) -> None:
    """The ranking the queue keeps equals one recomputed from scratch from the book."""
    kb, now = service.knowledge, time.time()
    book = kb.reports
    entries = {key: entry for key in book.keys()
               if (entry := entry_of(book.summary(key, now), book.records(key), bool(kb.official_entries(key))))}
    ranking = queue_of(service)._ranking
    assert list(ranking.keys()) == ranked(entries)
    assert {key: ranking.get(key) for key in entries} == entries


async def test_the_queue_counts_one_address_with_many_cookies_as_the_verdict_does(start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.submit_reports(one_address(LONE, 10, "lone"))  # item 5: ten cookies, one address
    await service.submit_reports(voices(CROWDED, 2, "crowd"))
    items = await queue(service)
    stats = service.knowledge.reports.summary(LONE, time.time())
    assert stats is not None and stats.pending == 10 and stats.pending_reporters == 1  # what verify says
    lone = [item for item in items if item.number_key == LONE]
    assert len(lone) == 10 and {(item.pending_reporters, item.pending_voices) for item in lone} == {(1, 1.0)}
    assert numbers(items) == [CROWDED, LONE]  # two people outrank one person's ten reports


async def test_official_numbers_first_then_voices_then_the_oldest_and_a_numbers_reports_together(
        start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.create_organization(demo_org("demo-bank", "95588"), actor="admin")
    [official] = await service.store.official_keys()
    await service.submit_reports(voices(QUIET, 1, "quiet"))  # oldest, one voice
    await service.submit_reports(voices(CROWDED, 3, "crowd")[:2])
    await service.submit_reports(voices(LONE, 1, "lone"))  # one voice, newer than QUIET
    await service.submit_reports(voices(CROWDED, 3, "crowd")[2:] + voices(official, 1, "imitated"))
    items = await queue(service)
    assert numbers(items) == [official, CROWDED, QUIET, LONE]
    assert [(item.against_official, item.pending_reporters) for item in items] == [
        (True, 1), (False, 3), (False, 3), (False, 3), (False, 1), (False, 1)]
    crowd = [item.id for item in items if item.number_key == CROWDED]
    assert crowd == sorted(crowd)  # oldest first within a number
    assert [item.id for item in await queue(service, Page(number=2, size=2))] == crowd[1:]
    assert_ranked_as_a_fresh_recomputation(service)


async def test_a_heavy_imported_source_ranks_by_what_it_counts_as(start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False, imported_source_max_voices=3.0)
    await service.submit_reports(voices(CROWDED, 2, "crowd"))
    await service.import_reports([new_report(QUIET, "police", client_hash="police", source="police",
                                             source_weight=5.0, source_ref="row-1")])
    items = await queue(service)
    assert numbers(items) == [QUIET, CROWDED]
    assert (items[0].pending_reporters, items[0].pending_voices) == (1, 3.0)


async def test_the_queue_follows_new_reports_and_decisions(start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.submit_reports(voices(QUIET, 1, "quiet") + voices(CROWDED, 2, "crowd"))
    assert numbers(await queue(service)) == [CROWDED, QUIET]
    for report in [new_report(LONE, digest(f"r{n}"), client_hash=digest(f"lone-{n}")) for n in range(3)]:
        await service.submit_report(report)  # one at a time, through the group commit
    assert numbers(await queue(service)) == [LONE, CROWDED, QUIET]
    await service.decide_number(LONE, Decision.reject, actor="mod", note=None)
    [crowd_first, _] = [item for item in await queue(service) if item.number_key == CROWDED]
    await service.decide_report(crowd_first.id, Decision.approve, actor="mod", note=None)
    items = await queue(service)
    assert numbers(items) == [QUIET, CROWDED] and items[1].pending_reporters == 1  # one voice each: oldest first
    assert queue_of(service).builds == 1  # followed, never rebuilt
    assert_ranked_as_a_fresh_recomputation(service)
    decided = await queue(service, status=ReportStatus.rejected)
    assert [item.number_key for item in decided] == [LONE] * 3 and decided[0].id > decided[-1].id  # newest first
    assert {item.pending_reporters for item in decided} == {0}
    approved = await queue(service, status=ReportStatus.approved)
    assert [item.id for item in approved] == [crowd_first.id] and approved[0].pending_reporters == 1


async def test_the_queue_filters_by_number_and_category(start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.submit_reports(voices(CROWDED, 3, "crowd") + voices(QUIET, 2, "quiet", category=ReportCategory.loan_scam))
    await service.submit_reports(voices(CROWDED, 1, "late", category=ReportCategory.loan_scam))
    by_number = await queue(service, number_key=QUIET)
    assert [item.number_key for item in by_number] == [QUIET, QUIET]
    assert await queue(service, number_key="+8613999999999") == []
    loans = await queue(service, category=ReportCategory.loan_scam)
    assert [item.number_key for item in loans] == [CROWDED, QUIET, QUIET]  # the number's rank, not the row's
    assert loans[0].pending_reporters == 4
    assert [item.number_key for item in await queue(service, Page(number=2, size=2),
                                                    category=ReportCategory.loan_scam)] == [QUIET]


async def test_a_flood_on_one_number_neither_reorders_the_queue_nor_loses_the_first_page(
        start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.create_organization(demo_org("demo-bank", "95588"), actor="admin")
    official = official_key(demo_org("demo-bank", "95588").numbers[0])
    await service.submit_reports(voices(official, 1, "imitated") + voices(CROWDED, 3, "crowd")
                                 + voices(QUIET, 2, "quiet"))
    before = await queue(service)
    await service.submit_reports(one_address(FLOODED, 5_000, "flood"))  # one address, 5,000 cookies
    items = await queue(service, Page(number=1, size=50))
    assert [item.id for item in items[:6]] == [item.id for item in before]  # the flood is one voice: below them
    assert {item.number_key for item in items[6:]} == {FLOODED} and len(items) == 50
    assert {item.pending_reporters for item in items[6:]} == {1}
    assert [item.id for item in items[6:]] == sorted(item.id for item in items[6:])

    await service.submit_reports(voices(FLOODED, 5, "crowd-too"))  # now it is five more people too
    items = await queue(service, Page(number=1, size=50))
    assert numbers(items) == [official, FLOODED] and len(items) == 50
    assert items[1].pending_reporters == 6
    last = await queue(service, Page(number=101, size=50))  # the flood's 5,005 reports, then the others
    assert numbers(last)[-2:] == [CROWDED, QUIET]
    assert queue_of(service).builds == 1
    assert_ranked_as_a_fresh_recomputation(service)


async def test_a_queue_first_asked_after_a_start_from_a_snapshot_ranks_packed_numbers(
        start: Start, tmp_path: Any) -> None:
    path = str(tmp_path / "snap.sqlite3")
    first = await start(path, load_default_registry=False)
    await first.submit_reports(voices(CROWDED, 2, "crowd") + one_address(LONE, 4, "lone"))
    await first.stop()
    again = await start(path, load_default_registry=False)
    assert again.started_from["reports"] == "snapshot"
    items = await queue(again)
    assert numbers(items) == [CROWDED, LONE] and {item.pending_reporters for item in items} == {2, 1}
    assert_ranked_as_a_fresh_recomputation(again)


async def test_a_rebuilt_book_rebuilds_the_ranking(start: Start, url: str) -> None:
    service = await start(url, load_default_registry=False)
    await service.submit_reports(voices(CROWDED, 2, "crowd") + voices(QUIET, 1, "quiet"))
    assert numbers(await queue(service)) == [CROWDED, QUIET]
    await service._on_reconnect()  # messages may have been missed: every report read again, a new book
    await service.submit_reports(voices(QUIET, 2, "more"))
    assert numbers(await queue(service)) == [QUIET, CROWDED] and queue_of(service).builds == 2
    assert_ranked_as_a_fresh_recomputation(service)

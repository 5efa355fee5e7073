"""Load holds: 64 concurrent clients against a real server for ten seconds, mixing verify, batch,
text, reports and moderation. The only errors are the 429s the limits intend (anonymous clients
share one address and a small allowance; keyed clients have room), and the server's resident
memory stays flat after warm-up. The figures are printed (run with -s) and kept in docs/security.md.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.reliability.procs import NO_LIMITS, add_user, create_api_key, serving
from tests.servers import ROOT
from verifier.core.numbers.reading import NotANumber, normalise

CLIENTS = 64
WARM_UP_SECONDS = 3.0
MEASURED_SECONDS = 10.0
RSS_GROWTH_LIMIT_KIB = 30 * 1024
PASSWORD = "a long moderator password"


def question_pool(size: int = 1500, seed: int = 7) -> list[dict[str, str]]:
    """What wallet apps ask: official numbers in several written forms, claims, look-alikes, foreign
    prefixes, unknown mobiles, reported numbers (a fixed pool, asked again and again)."""
    rng = random.Random(seed)
    registry = json.loads((ROOT / "registry/data/default_registry.json").read_text())
    orgs = registry["organizations"]
    questions = []
    while len(questions) < size:
        org = rng.choice(orgs)
        number = rng.choice(org["numbers"])["number"]
        kind = rng.randrange(6)
        if kind == 0:
            questions.append({"number": number})
        elif kind == 1:
            questions.append({"number": number, "claimed_org": rng.choice(orgs)["name"], "context": "incoming_call"})
        elif kind == 2:
            questions.append({"number": "+" + number if not number.startswith("+") else "00" + number[1:]})
        elif kind == 3:
            digits = list(number)
            i = rng.randrange(len(digits))
            if digits[i].isdigit():
                digits[i] = str((int(digits[i]) + 1) % 10)
            questions.append({"number": "".join(digits), "lang": "en"})
        elif kind == 4:
            questions.append({"number": f"13{rng.randrange(10**9):09d}", "claimed_org": org["name"]})
        else:
            questions.append({"number": f"tel:{number};{rng.randrange(10)}"})
        try:
            normalise(questions[-1]["number"])
        except NotANumber:  # ("+" before a short code): keep the pool to questions answered 200
            questions.pop()
    return questions


class Tally:
    def __init__(self) -> None:
        self.statuses: dict[str, Counter[int]] = {}
        self.unexpected: list[tuple[str, int, str]] = []

    def count(self, kind: str, status: int, allowed: set[int], body: str = "") -> None:
        self.statuses.setdefault(kind, Counter())[status] += 1
        if status not in allowed and len(self.unexpected) < 20:
            self.unexpected.append((kind, status, body[:300]))

    def total(self, status: int | None = None) -> int:
        return sum(c[status] if status is not None else sum(c.values()) for c in self.statuses.values())


async def run_clients(base: str, api_key: str, moderator_token: str, deadline: float, tally: Tally) -> None:
    questions = question_pool()
    keyed = {"X-API-Key": api_key}
    moderator = {"Authorization": f"Bearer {moderator_token}"}
    report_numbers = [f"1701234{n:04d}" for n in range(300)]

    async def call(session: aiohttp.ClientSession, kind: str, allowed: set[int], method: str, path: str,
                   **kwargs: Any) -> Any:
        async with session.request(method, base + path, **kwargs) as response:
            body = await response.read()
            tally.count(kind, response.status, allowed, body.decode(errors="replace"))
            return json.loads(body) if response.status < 300 and body else None

    async def anonymous(session: aiohttp.ClientSession, rng: random.Random) -> None:
        """Pages and scripts without a key, all from one address: they soon meet its limit, and
        keep asking a little later (not waiting out Retry-After)."""
        while time.monotonic() < deadline:
            kind = "anonymous verify" if rng.random() < 0.8 else "anonymous batch"
            if kind == "anonymous verify":
                await call(session, kind, {200, 429}, "GET", "/api/v1/verify", params=rng.choice(questions))
            else:
                items = [{"number": q["number"]} for q in rng.sample(questions, 20)]
                await call(session, kind, {200, 429}, "POST", "/api/v1/verify/batch", json={"items": items})
            if tally.statuses[kind][429]:
                await asyncio.sleep(0.1)

    async def app(session: aiohttp.ClientSession, rng: random.Random, worker: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            roll = rng.random()
            if roll < 0.55:
                await call(session, "keyed verify", {200}, "GET", "/api/v1/verify", params=rng.choice(questions),
                           headers=keyed)
            elif roll < 0.65:
                await call(session, "keyed verify POST", {200}, "POST", "/api/v1/verify",
                           json=rng.choice(questions), headers=keyed)
            elif roll < 0.75:
                items = [{"number": q["number"]} for q in rng.sample(questions, 50)] + [{"number": "not a number"}]
                await call(session, "keyed batch", {200}, "POST", "/api/v1/verify/batch",
                           json={"items": items, "lang": "en"}, headers=keyed)
            elif roll < 0.80:
                text = f"【工商银行】您的账户异常，请致电 400-{rng.randrange(1000):03d}-{rng.randrange(10000):04d} 或 95588"
                await call(session, "keyed text", {200}, "POST", "/api/v1/verify/text", json={"text": text},
                           headers=keyed)
            else:
                body = {"number": rng.choice(report_numbers), "category": "refund_scam", "channel": "incoming_call",
                        "description": "说我的账户被冻结", "reporter_id": f"user-{worker}-{n}"}
                await call(session, "keyed report", {202}, "POST", "/api/v1/reports", json=body, headers=keyed)

    async def moderate(session: aiohttp.ClientSession, rng: random.Random) -> None:
        while time.monotonic() < deadline:
            queue = await call(session, "moderation queue", {200}, "GET", "/api/v1/moderation/reports",
                               params={"page_size": 20}, headers=moderator)
            if not queue or not queue["items"]:
                await asyncio.sleep(0.05)
                continue
            report = rng.choice(queue["items"])
            await call(session, "moderation detail", {200}, "GET", f"/api/v1/moderation/reports/{report['id']}",
                       headers=moderator)
            decision = {"decision": rng.choice(["approve", "reject"]), "note": "load test"}
            # 409: another moderator decided it between the listing and this decision
            await call(session, "moderation decision", {200, 409}, "POST",
                       f"/api/v1/moderation/reports/{report['id']}/decision", json=decision, headers=moderator)

    connector = aiohttp.TCPConnector(limit=CLIENTS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        tasks = []
        for i in range(CLIENTS):
            rng = random.Random(i)
            if i < 8:
                tasks.append(anonymous(session, rng))
            elif i < 16:
                tasks.append(moderate(session, rng))
            else:
                tasks.append(app(session, rng, i))
        await asyncio.gather(*tasks)


@pytest.mark.slow
async def test_sixty_four_clients_for_ten_seconds_only_intended_429s_and_flat_memory(tmp_path: Path) -> None:
    database = tmp_path / "load.sqlite3"
    add_user(database, "mod", "moderator", PASSWORD)
    api_key = create_api_key(database, "wallet", 1_000_000)
    env = {**NO_LIMITS, "VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "300"}
    with serving(database, env=env) as server:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{server.base}/api/v1/auth/login",
                                    json={"username": "mod", "password": PASSWORD}) as response:
                token = (await response.json())["token"]
        tally = Tally()
        start = time.monotonic()
        load = asyncio.create_task(run_clients(server.base, api_key, token, start + WARM_UP_SECONDS + MEASURED_SECONDS,
                                               tally))
        await asyncio.sleep(WARM_UP_SECONDS)
        rss_warm, requests_warm = server.rss_kib(), tally.total()
        await load
        elapsed = time.monotonic() - start
        rss_end = server.rss_kib()
        pending = server.metric("hv_reports", status="pending")
        refusals = server.metric("hv_rate_limit_refusals_total", limit="anonymous")
    total, limited = tally.total(), tally.total(429)
    print(f"\nload: {total} requests in {elapsed:.1f}s ({(total - requests_warm) / MEASURED_SECONDS:.0f}/s after "
          f"warm-up), {limited} answered 429; RSS {rss_warm / 1024:.1f} MiB after warm-up, {rss_end / 1024:.1f} MiB "
          f"at the end ({(rss_end - rss_warm) / 1024:+.1f} MiB); {pending:.0f} reports pending at the end")
    for kind, statuses in sorted(tally.statuses.items()):
        print(f"  {kind}: {dict(statuses)}")
    assert tally.unexpected == [], tally.unexpected
    assert total > 2000
    anonymous = tally.statuses["anonymous verify"] + tally.statuses.get("anonymous batch", Counter())
    assert anonymous[429] > 0 and anonymous[200] > 0, anonymous  # the anonymous limit bites, and still serves
    assert refusals == anonymous[429]  # every 429 is the anonymous per-address limit, counted in /metrics
    for kind, statuses in tally.statuses.items():
        if not kind.startswith("anonymous"):
            assert statuses[429] == 0, (kind, statuses)  # keyed clients and moderators are never limited
    assert tally.statuses["keyed report"][202] > 100 and tally.statuses["moderation decision"][200] > 20
    assert rss_end - rss_warm < RSS_GROWTH_LIMIT_KIB, (rss_warm, rss_end)

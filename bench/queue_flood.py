"""`make bench`, target 7: the moderation queue under a flood (issue 16, item 2).

On SQLite and on PostgreSQL, each with 1,000,000 reports in the store (SQLite: the large store
of bench/generate_store.py; PostgreSQL: the same shape generated in SQL, in a throwaway cluster
from tests/pg.py unless VERIFIER_BENCH_DATABASE names one), two `verifier serve` processes
run side by side: one on the store as it is, one on a copy where one number is then flooded
with 1,000, 5,000 and 20,000 reports, each from its own address (the flooded number has the
most voices, so the first page is all its reports: the hardest case). A logged-in moderator
asks both for the queue's first page (wrk, MODERATORS connections, bearer token); the cost
ratio is the unflooded server's requests/s over the flooded one's, paired round by round.
Then, with the flood at its largest, /readyz and login latencies (p99 of sequential requests
from another process) idle and while the moderators hammer the queue.

Alone, smaller: python -m bench.queue_flood --reports 100000 --seconds 2 --rounds 1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FLOODS = (1_000, 5_000, 20_000)
FLOOD_DIGITS = "13700000000"
MODERATORS = 8  # connections asking for the queue at once
PAGES_PER_MODERATOR = 10  # each one's pace while /readyz and logins are timed
USER, PASSWORD = "bench-moderator", "bench moderator password 0123456789"
QUEUE_PATH = "/api/v1/moderation/reports?page=1&page_size=50"
SECRET = "bench-secret-key-0123456789abcdef"


def _run_module() -> Any:
    from bench import run  # imported late: bench.run imports this module to run it

    return run


# -- the stores ------------------------------------------------------------------------------------

def _flood_rows(start: int, count: int, stamp: str) -> list[tuple[object, ...]]:
    return [("+86" + FLOOD_DIGITS, FLOOD_DIGITS, "CN", "refund_scam", "incoming_call", "",
             hashlib.sha256(f"flood-reporter-{n}".encode()).hexdigest(),
             hashlib.sha256(f"flood-address-{n}".encode()).hexdigest(), "pending", stamp)
            for n in range(start, start + count)]


def _flood_sqlite(path: str, start: int, count: int) -> None:
    db = sqlite3.connect(path)
    with db:
        db.executemany("INSERT INTO reports (number_key, number, region, category, channel, description,"
                       " reporter_hash, client_hash, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       _flood_rows(start, count, time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())))
    db.close()


async def _pg(url: str, sql: str, *args: object) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql, *args)
    finally:
        await connection.close()


def _flood_pg(url: str, start: int, count: int) -> None:
    asyncio.run(_pg(url, (
        "INSERT INTO reports (number_key, number, region, category, channel, description, reporter_hash,"
        " client_hash, status, created_at)"
        " SELECT $1, $2, 'CN', 'refund_scam', 'incoming_call', '', md5('flood-reporter-' || g) || md5('r' || g),"
        " md5('flood-address-' || g) || md5('a' || g), 'pending', to_char(now() AT TIME ZONE 'UTC',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') FROM generate_series($3::bigint, $4::bigint) g"),
        "+86" + FLOOD_DIGITS, FLOOD_DIGITS, start, start + count - 1))


def _pg_reports(url: str, reports: int) -> None:
    """The large store's shape in SQL: reports over 200,000 numbers from 300,000 reporters, 80%
    pending, 15% approved, 5% rejected, over 180 days (one INSERT … SELECT generate_series)."""
    from registry.backends import open_store

    async def schema() -> None:
        store = open_store(url)
        await store.open()  # the migrations
        await store.close()

    asyncio.run(schema())
    asyncio.run(_pg(url, (
        "INSERT INTO reports (number_key, number, region, category, channel, description, reporter_hash,"
        " client_hash, status, created_at)"
        " SELECT '+86139' || lpad((hashint % 200000)::text, 8, '0'), '139' || lpad((hashint % 200000)::text, 8, '0'),"
        " 'CN', (ARRAY['fake_customer_service','refund_scam','loan_scam','phishing_sms','other'])[1 + g % 5],"
        " 'incoming_call', '', md5('reporter-' || (g % 300000)) || md5('r' || (g % 300000)),"
        " md5('address-' || (g % 300000)) || md5('a' || (g % 300000)),"
        " CASE WHEN g % 20 < 16 THEN 'pending' WHEN g % 20 < 19 THEN 'approved' ELSE 'rejected' END,"
        " to_char(TIMESTAMP '2026-11-01' - (g % 15552000) * INTERVAL '1 second',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
        " FROM (SELECT g, (g * 2654435761) % 4294967296 AS hashint FROM generate_series(1, $1::bigint) g) s"),
        reports))
    asyncio.run(_pg(url, "ANALYZE reports"))


@contextlib.contextmanager
def _postgres(reports: int) -> Iterator[tuple[str, str]]:
    """(unflooded, to-flood) database URLs with `reports` reports each."""
    named = os.environ.get("VERIFIER_BENCH_DATABASE")
    cluster = None
    if named:
        admin = named
    else:
        from tests.pg import PostgresCluster, find_bindir

        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("no PostgreSQL server binaries (make test installs the Debian package postgresql)")
        cluster = PostgresCluster(bindir)
        cluster.start()
        admin = cluster.url("postgres")
    base, flooded = f"{admin.rsplit('/', 1)[0]}/bench_queue_base", f"{admin.rsplit('/', 1)[0]}/bench_queue_flood"
    try:
        for name in ("bench_queue_flood", "bench_queue_base"):
            asyncio.run(_pg(admin, f"DROP DATABASE IF EXISTS {name}"))
        asyncio.run(_pg(admin, "CREATE DATABASE bench_queue_base"))
        _pg_reports(base, reports)
        asyncio.run(_pg(admin, "CREATE DATABASE bench_queue_flood TEMPLATE bench_queue_base"))
        yield base, flooded
    finally:
        if cluster is not None:
            cluster.stop()


# -- measuring -----------------------------------------------------------------------------------

def _add_moderator(database: str, env: dict[str, str]) -> None:
    run = _run_module()
    subprocess.run([run.PYTHON, "-m", "verifier", "users", "add", USER, "--role", "moderator", "--password-stdin",
                    "--database", database], cwd=run.ROOT, env={**run.ENV, **env},
                   input=PASSWORD + "\n", capture_output=True, text=True, check=True)


def _login(base: str) -> str:
    import urllib.request

    request = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": USER, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["token"])


def _first_page(base: str, token: str) -> list[dict[str, Any]]:
    import urllib.request

    request = urllib.request.Request(base + QUEUE_PATH, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # the first asks build the ranking
        return list(json.load(response)["items"])


def _wrk_queue(base: str, token: str, seconds: float) -> dict[str, float]:
    run = _run_module()
    output = subprocess.run(["taskset", "-c", run.LOAD_CORE, "wrk", "-t1", f"-c{MODERATORS}",
                             f"-d{max(1, round(seconds))}s", "--latency", "-H", f"Authorization: Bearer {token}",
                             base + QUEUE_PATH], capture_output=True, text=True, timeout=seconds + 60).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
            "p99_ms": run._ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),  # type: ignore[union-attr]
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def _probe(base: str, seconds: float) -> dict[str, float]:
    """p99 of sequential /readyz requests, and of logins (every tenth), for `seconds`."""
    import urllib.request

    def timed(request: urllib.request.Request | str) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        return (time.perf_counter() - started) * 1000

    ready, logins, n = [], [], 0
    login = json.dumps({"username": USER, "password": PASSWORD}).encode()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or len(logins) < 5:
        ready.append(timed(base + "/readyz"))
        if n % 10 == 0:
            logins.append(timed(urllib.request.Request(f"{base}/api/v1/auth/login", data=login, method="POST",
                                                       headers={"Content-Type": "application/json"})))
        n += 1
        time.sleep(0.005)
    return {"readyz_p99_ms": _p99(ready), "login_p99_ms": _p99(logins), "readyz_n": len(ready), "login_n": len(logins)}


def _load(base: str, token: str, seconds: float) -> dict[str, float]:
    """MODERATORS moderators, each asking for the queue's first page PAGES_PER_MODERATOR times a
    second (paced, not closed-loop: a measure of what the queue costs others, not of how many
    requests a saturated core can interleave)."""
    import aiohttp

    async def main() -> int:
        done = 0
        deadline = time.monotonic() + seconds
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
            async def moderator(offset: float) -> None:
                nonlocal done
                await asyncio.sleep(offset)
                tick = time.monotonic()
                while tick < deadline:
                    async with session.get(base + QUEUE_PATH) as response:
                        await response.read()
                        assert response.status == 200
                    done += 1
                    tick += 1 / PAGES_PER_MODERATOR
                    await asyncio.sleep(max(0.0, tick - time.monotonic()))

            await asyncio.gather(*(moderator(n / PAGES_PER_MODERATOR / MODERATORS) for n in range(MODERATORS)))
        return done

    started = time.monotonic()
    done = asyncio.run(main())
    return {"pages_per_s": done / (time.monotonic() - started)}


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else values[0]


def _probe_process(base: str, seconds: float) -> dict[str, float]:
    run = _run_module()
    result = subprocess.run(["taskset", "-c", run.LOAD_CORE, run.PYTHON, "-m", "bench.queue_flood", "--probe", base,
                             str(seconds)], cwd=run.ROOT, env=run.ENV, capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _rounds(plain_server: tuple[str, str], flooded_server: tuple[str, str], seconds: float,
            rounds: int) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """The first page from both servers, alternating which goes first (bench.run.in_turn)."""
    run = _run_module()
    plain: list[dict[str, float]] = []
    hit: list[dict[str, float]] = []
    for round_number in range(rounds):
        run.in_turn(round_number, lambda: plain.append(_wrk_queue(*plain_server, seconds)),
                    lambda: hit.append(_wrk_queue(*flooded_server, seconds)))
    return plain, hit


def _backend(name: str, base_db: str, flood_db: str, flood: Any, seconds: float, rounds: int,
             env: dict[str, str]) -> dict[str, Any]:
    run = _run_module()
    for database in (base_db, flood_db):
        _add_moderator(database, env)
    out: dict[str, Any] = {"levels": {}}
    with run.server(run.verifier_command(base_db), env, ready_path="/healthz") as (base, _, _):
        token = _login(base)
        unflooded_key = _first_page(base, token)[0]["number_key"]
        flooded_so_far = 0
        for level in FLOODS:
            flood(flood_db, flooded_so_far, level - flooded_so_far)
            flooded_so_far = level
            # a fresh process each level: it starts from its snapshot and catches up with the flood
            with run.server(run.verifier_command(flood_db), env, ready_path="/healthz") as (flooded, _, _):
                flood_token = _login(flooded)
                page = _first_page(flooded, flood_token)
                assert page[0]["number_key"] == "+86" + FLOOD_DIGITS and page[0]["pending_reporters"] == level, page[0]
                _wrk_queue(base, token, 1)
                _wrk_queue(flooded, flood_token, 1)  # warm-up
                plain, hit = _rounds((base, token), (flooded, flood_token), seconds, rounds)
                ratio = statistics.median(p["rps"] / h["rps"] for p, h in zip(plain, hit, strict=True))
                out["levels"][str(level)] = {"rps": run.median(hit, "rps"), "unflooded_rps": run.median(plain, "rps"),
                                             "p99_ms": run.median(hit, "p99_ms"), "cost_ratio": ratio,
                                             "non_2xx": sum(h["non_2xx"] + p["non_2xx"] for h, p in zip(hit, plain, strict=True))}
                print(f"7. queue first page, {name}, {level:,} reports on one number: {out['levels'][str(level)]['rps']:,.0f}"
                      f" vs {out['levels'][str(level)]['unflooded_rps']:,.0f} req/s unflooded: cost {ratio:.2f}x"
                      f" (goal <= 1.2x; unflooded first number {unflooded_key})", flush=True)
                if level == FLOODS[-1]:
                    idle = _probe_process(flooded, max(3.0, seconds))
                    load = subprocess.Popen(["taskset", "-c", run.LOAD_CORE, run.PYTHON, "-m", "bench.queue_flood",
                                             "--load", flooded, flood_token, str(max(3.0, seconds) + 2)],
                                            cwd=run.ROOT, env=run.ENV, stdout=subprocess.PIPE, text=True)
                    try:
                        time.sleep(0.5)
                        busy = _probe_process(flooded, max(3.0, seconds))
                    finally:
                        pages = json.loads(load.communicate(timeout=60)[0].strip().splitlines()[-1])
                    busy["queue_pages_per_s"] = pages["pages_per_s"]
                    out["idle"], out["busy"] = idle, busy
                    out["readyz_ratio"] = busy["readyz_p99_ms"] / idle["readyz_p99_ms"]
                    out["login_ratio"] = busy["login_p99_ms"] / idle["login_p99_ms"]
                    print(f"   {name}: /readyz p99 {busy['readyz_p99_ms']:.2f} ms under queue load vs {idle['readyz_p99_ms']:.2f}"
                          f" idle ({out['readyz_ratio']:.2f}x), login p99 {busy['login_p99_ms']:.1f} vs"
                          f" {idle['login_p99_ms']:.1f} ms ({out['login_ratio']:.2f}x; goal <= 2x)", flush=True)
    ratios = [out["levels"][str(level)]["cost_ratio"] for level in FLOODS]
    out["worst_ratio"], out["growth"] = max(ratios), ratios[-1] - ratios[0]
    return out


def measure(large: Path, seconds: float, rounds: int, reports: int = 1_000_000) -> dict[str, Any]:
    """Target 7 on both backends; `large`: the SQLite large store (bench/generate_store.py)."""
    run = _run_module()
    seconds, rounds = min(seconds, 3.0), min(rounds, 3)  # a few minutes for both backends at full size
    results: dict[str, Any] = {"reports": reports}
    base_db, flood_db = run.OUT / "queue_base.sqlite3", run.OUT / "queue_flood.sqlite3"
    for copy in (base_db, flood_db):
        for stale in run.OUT.glob(copy.name + "*"):
            stale.unlink()
        shutil.copy(large, copy)
        with contextlib.suppress(FileNotFoundError):
            shutil.copy(large.with_name(large.name + ".key"), copy.with_name(copy.name + ".key"))
    results["sqlite"] = _backend("SQLite", str(base_db), str(flood_db), _flood_sqlite, seconds, rounds, {})
    try:
        with _postgres(reports) as (base_url, flood_url):
            results["postgresql"] = _backend("PostgreSQL", base_url, flood_url, _flood_pg, seconds, rounds,
                                             {"VERIFIER_SECRET_KEY": SECRET})
    except RuntimeError as exc:
        print(f"7. queue on PostgreSQL skipped: {exc}", flush=True)
    return results


def rows(queue: dict[str, Any], row: Any) -> list[str]:
    """The table rows of target 7 (bench/report.py)."""
    out = []
    for backend, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        figures = queue.get(backend)
        if not figures:
            continue
        for level in FLOODS:
            at = figures["levels"][str(level)]
            out.append(row(f"7. moderation queue, first page, {label}, {queue['reports']:,} reports,"
                           f" {level:,} on one number", f"{at['rps']:,.0f} req/s (p99 {at['p99_ms']:.1f} ms)",
                           f"same page unflooded {at['unflooded_rps']:,.0f} req/s", f"{at['cost_ratio']:.2f}× cost",
                           "≤ 1.2× at every size", at["cost_ratio"] <= 1.2))
        if "idle" in figures:
            idle, busy = figures["idle"], figures["busy"]
            out.append(row(f"   `/readyz` p99 while {MODERATORS} moderators load the queue"
                           f" ({busy.get('queue_pages_per_s', 0):.0f} pages/s), {label}",
                           f"{busy['readyz_p99_ms']:.2f} ms", f"idle {idle['readyz_p99_ms']:.2f} ms",
                           f"{figures['readyz_ratio']:.2f}×", "≤ 2×", figures["readyz_ratio"] <= 2))
            out.append(row(f"   login p99 while {MODERATORS} moderators load the queue, {label}",
                           f"{busy['login_p99_ms']:.1f} ms", f"idle {idle['login_p99_ms']:.1f} ms",
                           f"{figures['login_ratio']:.2f}×", "≤ 2×", figures["login_ratio"] <= 2))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports in each store")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(_load(args.load[0], args.load[1], float(args.load[2]))))
        return 0
    if args.probe:
        print(json.dumps(_probe(args.probe[0], float(args.probe[1]))))
        return 0
    run = _run_module()
    run.OUT.mkdir(parents=True, exist_ok=True)
    large = run.OUT / "large.sqlite3"
    if args.reports != 1_000_000 or not large.exists():
        from bench.generate_store import generate

        large = run.OUT / f"queue_{args.reports}.sqlite3"
        if not large.exists():
            generate(large, 10_000, args.reports, 20261125)
    results = measure(large, args.seconds, args.rounds, args.reports)
    (run.OUT / "queue_results.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

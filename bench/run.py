"""`make bench`: every performance target, each as a ratio to a baseline measured in the same run.

Servers run pinned to core 0, load generators to core 1 (taskset), on 127.0.0.1 only, each
measurement bounded in time. Rounds alternate baseline and subject (baseline first in one
round, last in the next) so drift hits both, and each ratio is the median over rounds of the
ratio within a round: a slow minute on this shared machine moves a round's two figures
together instead of one of them.
Writes the figures to docs/performance.md (and bench/out/results.json).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
SERVER_CORE, LOAD_CORE = "0", "1"
CONNECTIONS = 64
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the service logs as deployed: one access line per request


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def server(command: list[str], env: dict[str, str] | None = None, ready_path: str = "/") -> Iterator[tuple[str, subprocess.Popen[bytes], float]]:
    port = free_port()
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / "server.log").open("wb")  # the latest server's; a file, since a pipe nobody reads blocks the server
    process = subprocess.Popen(["taskset", "-c", SERVER_CORE, *command, *(["--port", str(port)] if "verifier" in command else [str(port)])],
                               cwd=ROOT, env={**ENV, **(env or {})}, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited; see {OUT / 'server.log'}")
        try:
            with urllib.request.urlopen(base + ready_path, timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise TimeoutError(f"{command} not ready") from None
            time.sleep(0.02)
    ready = time.perf_counter() - started
    try:
        yield base, process, ready
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def verifier_command(database: Path | str) -> list[str]:
    return [PYTHON, "-m", "verifier", "serve", "--host", "127.0.0.1", "--database", str(database)]


def wrk(base: str, script: str, seconds: float, extra: list[str] | None = None, key: str | None = None) -> dict[str, float]:
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--latency",
               "-s", str(ROOT / "bench" / script), base]
    if extra:
        command += ["--", *extra]
    env = {**os.environ, **({"BENCH_API_KEY": key} if key else {})}
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in ("50", "99")}
    errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"],
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0, "socket_errors": errors.group(1) if errors else ""}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def api_key(database: Path | str) -> str:
    result = subprocess.run([PYTHON, "-m", "verifier", "apikeys", "create", f"bench-{time.time_ns()}", "--rate-limit",
                             "1000000000", "--database", str(database)], cwd=ROOT, env=ENV, capture_output=True,
                            text=True, check=True)
    return result.stdout.rsplit(": ", 1)[1].strip()


def rounds(count: int, measure: callable) -> list[dict[str, float]]:  # type: ignore[valid-type]
    return [measure() for _ in range(count)]


def median(results: list[dict[str, float]], field: str) -> float:
    return statistics.median(r[field] for r in results)


def paired(results: list[dict[str, float]], baselines: list[dict[str, float]], field: str,
           baseline_field: str | None = None) -> float:
    """The median over rounds of each round's figure divided by the baseline measured beside it."""
    return statistics.median(r[field] / b[baseline_field or field] for r, b in zip(results, baselines, strict=True))


def in_turn(round_number: int, *steps: callable) -> None:  # type: ignore[valid-type]
    """Run a round's measurements, in reverse order every other round (ABBA: drift cancels)."""
    for step in (steps if round_number % 2 == 0 else reversed(steps)):
        step()


# -- batch ------------------------------------------------------------------------------------

async def _post_batches(base: str, bodies: list[bytes], key: str, seconds: float, concurrency: int) -> float:
    numbers = 0
    deadline = time.perf_counter() + seconds
    headers = {"Content-Type": "application/json", "X-API-Key": key}
    position = 0

    async with aiohttp.ClientSession() as session:
        async def worker() -> None:
            nonlocal numbers, position
            while time.perf_counter() < deadline:
                body = bodies[position % len(bodies)]
                position += 1
                async with session.post(f"{base}/api/v1/verify/batch", data=body, headers=headers) as response:
                    payload = await response.json()
                    assert response.status == 200, payload
                    numbers += payload["count"]

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return numbers / (time.perf_counter() - started)


def batch_client(base: str, bodies_file: Path, key: str, seconds: float) -> float:
    """Runs the batch client pinned to the load core, in its own process."""
    result = subprocess.run(["taskset", "-c", LOAD_CORE, PYTHON, "-m", "bench.run", "--batch-client", base,
                             str(bodies_file), key, str(seconds)], cwd=ROOT, env=ENV, capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def bare_parse_rate(bodies_file: Path, seconds: float) -> float:
    """Numbers per second of bare phonenumbers.parse + validity checks, pinned like the server."""
    result = subprocess.run(["taskset", "-c", SERVER_CORE, PYTHON, "-m", "bench.run", "--bare-parse",
                             str(bodies_file), str(seconds)], cwd=ROOT, env=ENV, capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def _bare_parse(bodies_file: Path, seconds: float) -> float:
    import phonenumbers

    numbers = [item["number"] for body in json.loads(bodies_file.read_text()) for item in json.loads(body)["items"]]
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for raw in numbers[:1000]:
            try:
                parsed = phonenumbers.parse(raw, "CN")
                phonenumbers.is_valid_number(parsed)
                phonenumbers.number_type(parsed)
            except phonenumbers.NumberParseException:
                pass
        numbers = numbers[1000:] + numbers[:1000]
        done += 1000
    return done / (time.perf_counter() - started)


# -- the run -------------------------------------------------------------------------------------

def prepare(large: bool) -> dict[str, Path]:
    from bench.generate_store import generate
    from bench.mix import batch_bodies, verify_queries

    OUT.mkdir(parents=True, exist_ok=True)
    paths = OUT / "verify_paths.txt"
    paths.write_text("\n".join(verify_queries()) + "\n")
    bodies = OUT / "batch_bodies.json"
    if not bodies.exists():
        bodies.write_text(json.dumps([b.decode() for b in batch_bodies(40, 1000, seed=11)]))
    default = OUT / "default.sqlite3"
    for stale in OUT.glob("default.sqlite3*"):
        stale.unlink()
    subprocess.run([PYTHON, "-m", "verifier", "registry", "export", "--database", str(default)], cwd=ROOT, env=ENV,
                   capture_output=True, check=True)
    stores = {"default": default, "paths": paths, "bodies": bodies}
    if large:
        big = OUT / "large.sqlite3"
        marker = OUT / "large.params"
        params = "numbers=100000 reports=1000000 seed=20261125 v2"
        if not big.exists() or not marker.exists() or marker.read_text() != params:
            print("generating the large store (100,000 official numbers, 1,000,000 reports)...", flush=True)
            generate(big, 100_000, 1_000_000, 20261125)
            marker.write_text(params)
        stores["large"] = big
    return stores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-large", action="store_true", help="skip the large-store targets")
    parser.add_argument("--database", default=os.environ.get("VERIFIER_BENCH_DATABASE"),
                        help="run targets 1, 2 and 4 against this database (e.g. postgresql://...) instead of SQLite")
    parser.add_argument("--batch-client", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--bare-parse", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_client:
        base, bodies_file, key, seconds = args.batch_client
        bodies = [b.encode() for b in json.loads(Path(bodies_file).read_text())]
        print(asyncio.run(_post_batches(base, bodies, key, float(seconds), concurrency=2)))
        return 0
    if args.bare_parse:
        print(_bare_parse(Path(args.bare_parse[0]), float(args.bare_parse[1])))
        return 0
    if shutil.which("wrk") is None or shutil.which("taskset") is None:
        print("bench needs wrk and taskset: run `make bench`, which installs them", file=sys.stderr)
        return 2

    stores = prepare(not args.no_large)
    if args.database:
        stores["default"] = args.database  # type: ignore[assignment]
        ENV.setdefault("VERIFIER_SECRET_KEY", "bench-secret-key-0123456789abcdef")
    seconds, results = args.seconds, {}
    paths = str(stores["paths"])
    print(f"each figure: median of {args.rounds} rounds of {seconds:g} s, each ratio the median of the rounds' own"
          f" ratios; server on core {SERVER_CORE}, "
          f"load on core {LOAD_CORE}, {CONNECTIONS} connections", flush=True)

    # 1. verify mix vs hello world (and the plain phonenumbers handler for reference)
    key = api_key(stores["default"])
    hello, verify, cold, plain = [], [], [], []
    # The mix and the every-number-new scenario each get their own server process: on one
    # process, each cold round's flood of new numbers (tens of thousands of cache entries)
    # would leave the next mix round measuring a bigger heap rather than the mix.
    with server([PYTHON, "bench/hello_app.py"]) as (hello_base, _, _), \
            server(verifier_command(stores["default"]), ready_path="/healthz") as (verify_base, _, _), \
            server(verifier_command(stores["default"]), ready_path="/healthz") as (cold_base, _, _), \
            server([PYTHON, "bench/parse_app.py"], ready_path="/api/v1/verify?number=1") as (plain_base, _, _):
        wrk(verify_base, "verify_mix.lua", 3, [paths], key)  # warm up: every distinct question once
        for round_number in range(args.rounds):
            in_turn(round_number,
                    lambda: hello.append(wrk(hello_base, "hello.lua", seconds)),
                    lambda: verify.append(wrk(verify_base, "verify_mix.lua", seconds, [paths], key)),
                    lambda: cold.append(wrk(cold_base, "verify_cold.lua", seconds, key=key)),
                    lambda: plain.append(wrk(plain_base, "verify_cold.lua", seconds)))
    hello_rps = median(hello, "rps")
    results["verify"] = {"hello_rps": hello_rps, "rps": median(verify, "rps"), "p50_ms": median(verify, "p50_ms"),
                         "p99_ms": median(verify, "p99_ms"), "cold_rps": median(cold, "rps"),
                         "cold_p50_ms": median(cold, "p50_ms"), "cold_p99_ms": median(cold, "p99_ms"),
                         "plain_parse_rps": median(plain, "rps"), "hello_p50_ms": median(hello, "p50_ms"),
                         "hello_p99_ms": median(hello, "p99_ms"), "ratio": paired(verify, hello, "rps"),
                         "cold_ratio": paired(cold, hello, "rps"), "plain_ratio": paired(plain, hello, "rps"),
                         "rounds": {"hello": [r["rps"] for r in hello], "verify": [r["rps"] for r in verify]}}
    _say("1. GET /api/v1/verify, mix", results["verify"]["rps"], hello_rps, results["verify"]["ratio"], 0.5,
         f"p50 {results['verify']['p50_ms']:.2f} ms, p99 {results['verify']['p99_ms']:.2f} ms")
    _say("   verify, every number new", results["verify"]["cold_rps"], hello_rps, results["verify"]["cold_ratio"],
         None, f"p50 {results['verify']['cold_p50_ms']:.2f} ms, p99 {results['verify']['cold_p99_ms']:.2f} ms")
    _say("   plain phonenumbers handler", results["verify"]["plain_parse_rps"], hello_rps,
         results["verify"]["plain_ratio"], None, "reference")

    # 2. batch vs bare phonenumbers on the same numbers
    bare, warm_batch = [], []
    with server(verifier_command(stores["default"]), ready_path="/healthz") as (verify_base, _, _):
        for round_number in range(args.rounds):
            in_turn(round_number,
                    lambda: bare.append({"rate": bare_parse_rate(stores["bodies"], seconds)}),
                    lambda: warm_batch.append({"rate": batch_client(verify_base, stores["bodies"], key, seconds)}))
    results["batch"] = {"bare_numbers_per_s": median(bare, "rate"), "numbers_per_s": median(warm_batch, "rate"),
                        "ratio": paired(warm_batch, bare, "rate")}
    _say("2. POST /api/v1/verify/batch (1,000 numbers)", results["batch"]["numbers_per_s"],
         results["batch"]["bare_numbers_per_s"], results["batch"]["ratio"], 0.6, "numbers/s vs bare parse + validity")

    # 3. flat cost growth, memory, start-up with the large store
    if "large" in stores:
        large_key = api_key(stores["large"])
        with contextlib.suppress(sqlite3.OperationalError), sqlite3.connect(stores["large"]) as db:
            db.execute("DELETE FROM memory_snapshots")  # the first start loads every row; later ones the snapshot
        default_runs, large_runs, starts, memory = [], [], [], []
        def default_round() -> None:
            with server(verifier_command(stores["default"]), ready_path="/healthz") as (base, _, _):
                wrk(base, "verify_mix.lua", 2, [paths], key)
                default_runs.append(wrk(base, "verify_mix.lua", seconds, [paths], key))

        def large_round() -> None:
            with server(verifier_command(stores["large"]), ready_path="/healthz") as (base, process, ready):
                starts.append({"s": ready})
                wrk(base, "verify_mix.lua", 2, [paths], large_key)
                large_runs.append(wrk(base, "verify_mix.lua", seconds, [paths], large_key))
                memory.append({"mb": rss_mb(process.pid)})

        for round_number in range(args.rounds):
            in_turn(round_number, default_round, large_round)
        results["large"] = {"default_rps": median(default_runs, "rps"), "rps": median(large_runs, "rps"),
                            "ratio": paired(large_runs, default_runs, "rps"),
                            "p99_ms": median(large_runs, "p99_ms"), "rss_mb": max(m["mb"] for m in memory),
                            "startup_first_s": starts[0]["s"],
                            "startup_s": median(starts[1:] or starts, "s")}
        _say("3. verify mix, large store vs default store", results["large"]["rps"], results["large"]["default_rps"],
             results["large"]["ratio"], 0.9, f"resident memory {results['large']['rss_mb']:.0f} MB (limit 1024)")
        print(f"5. start-up to ready, large store: {results['large']['startup_s']:.2f} s from the snapshot (aim: under"
              f" 3 s); first start, every row: {results['large']['startup_first_s']:.2f} s")

    # 4. reports, durably committed, vs hello world
    if args.database:
        reports_db = args.database
    else:
        reports_db = OUT / "reports.sqlite3"
        for stale in OUT.glob("reports.sqlite3*"):
            stale.unlink()
        shutil.copy(stores["default"], reports_db)
    report_key = api_key(reports_db)
    hello_runs, report_runs = [], []
    with server([PYTHON, "bench/hello_app.py"]) as (hello_base, _, _), \
            server(verifier_command(reports_db), ready_path="/healthz") as (base, _, _):
        for round_number in range(args.rounds):
            in_turn(round_number,
                    lambda: hello_runs.append(wrk(hello_base, "hello.lua", seconds)),
                    lambda: report_runs.append(wrk(base, "reports.lua", seconds, key=report_key)))
    results["reports"] = {"hello_rps": median(hello_runs, "rps"), "rps": median(report_runs, "rps"),
                          "ratio": paired(report_runs, hello_runs, "rps"),
                          "p50_ms": median(report_runs, "p50_ms"), "p99_ms": median(report_runs, "p99_ms"),
                          "non_2xx": sum(r["non_2xx"] for r in report_runs)}
    _say("4. POST /api/v1/reports (durable)", results["reports"]["rps"], results["reports"]["hello_rps"],
         results["reports"]["ratio"], 0.2,
         f"p99 {results['reports']['p99_ms']:.2f} ms, non-2xx {results['reports']['non_2xx']}")

    # 6. a pasted text's cost (bench/text_cost.py): server CPU per request next to a single verify
    from bench import text_cost

    with server(verifier_command(stores["default"]), ready_path="/healthz") as (base, process, _):
        results["text_cost"] = text_cost.measure(base, process.pid, key, rounds=args.rounds)
    text_cost.say(results["text_cost"])

    # 7. the moderation queue under a flood, SQLite and PostgreSQL (bench/queue_flood.py)
    if "large" in stores:
        from bench import queue_flood

        results["queue"] = queue_flood.measure(stores["large"], seconds, args.rounds)

    # 8. the cold path: numbers never asked before, singly, in batches and as a flood (bench/cold_path.py)
    from bench import cold_path

    results["cold_path"] = cold_path.measure(str(stores["default"]), key, paths, seconds, args.rounds)

    results["machine"] = machine()
    results["machine"]["database"] = "PostgreSQL" if args.database else "SQLite"
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    from bench.report import write_report

    write_report(results, ROOT / "docs" / "performance.md")
    print("wrote docs/performance.md")
    return 0


def _say(label: str, value: float, baseline: float, ratio: float, target: float | None, note: str) -> None:
    """One figure: the medians of the subject and its baseline, and the median within-round ratio."""
    verdict = "" if target is None else ("  MEETS" if ratio >= target else "  MISSES") + f" target {target}x"
    print(f"{label}: {value:,.0f} vs baseline {baseline:,.0f}: {ratio:.2f}x{verdict} ({note})", flush=True)


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "kernel": platform.release(), "date": time.strftime("%Y-%m-%d")}


if __name__ == "__main__":
    sys.exit(main())

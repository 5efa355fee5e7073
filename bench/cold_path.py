"""`make bench`, target 8: the cold path (issue 18), numbers never asked before.

1. `GET /api/v1/verify` where every number is new, against the naive handler
   (bench/parse_app.py: `phonenumbers.parse` + validity + type + a pydantic model as JSON) on the
   same requests, and against hello world, in two mixes: bare CN mobiles (bench/verify_cold.lua)
   and a realistic mix of written forms (bench/verify_cold_mix.lua: landlines with area codes,
   400/800, `+86` and `0086` mobiles, foreign numbers, short codes with a claimed organisation).
   Each verify mix has a server process of its own, so neither's flood of cache entries weighs on
   the other; rounds alternate (bench.run.in_turn) and each ratio is paired round by round.
2. `POST /api/v1/verify/batch` of 1,000 numbers never asked before, fresh every request (each
   round a file of its own, more numbers than the round can send), against bare
   `phonenumbers.parse` + `is_valid_number` + `number_type` on the same numbers in-process
   (bench.run.batch_client and bench.run.bare_parse_rate, as target 2, whose repeated lists are
   answered from the cache).
3. A sustained flood of new numbers (bench/verify_cold.lua at full speed, FLOOD_SECONDS) on a
   fresh server: its resident memory before, during (sampled every second) and after, and the
   flood's p99 against the verify mix's p99 on the same server just before.

Alone, smaller: .venv/bin/python -m bench.cold_path --seconds 2 --rounds 1 --flood 5
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

FLOOD_SECONDS = 30.0
BATCH = 1000
MAX_BATCH_RATE = 60_000  # numbers/s a round's file holds enough for (more than the server answers here)
MIX_STRIDE = 100_000  # requests apart that each wrk run of verify_cold_mix.lua starts (no repeats across runs)


def _run_module() -> Any:
    from bench import run  # imported late: bench.run imports this module to run it

    return run


# -- the numbers -------------------------------------------------------------------------------------

def fresh_numbers(start: int, count: int) -> list[str]:
    """`count` distinct numbers, none shared with another `start` window of at least `count`:
    bare CN mobiles mostly, with the other forms a contact list holds."""
    prefixes = ("139", "138", "186", "150", "177", "133", "166", "198")
    out = []
    for i in range(start, start + count):
        digits = f"{(i // 8) % 10**8:08d}"
        kind = i % 10
        if kind < 7:
            out.append(prefixes[i % 8] + digits)
        elif kind == 7:
            out.append(f"+86 {prefixes[i % 8]} {digits[:4]} {digits[4:]}")
        elif kind == 8:
            out.append(("010-", "021-", "0755-", "0571-")[i % 4] + f"{2 + (i // 8) % 8}{digits[1:]}")
        else:
            out.append(("400", "800")[(i // 10) % 2] + digits[1:])
    return out


def _bodies_file(path: Path, start: int, count: int) -> Path:
    numbers = fresh_numbers(start, count)
    path.write_text(json.dumps([json.dumps({"items": [{"number": n} for n in numbers[i:i + BATCH]]})
                                for i in range(0, count, BATCH)]))
    return path


# -- measuring -------------------------------------------------------------------------------------

def _verify(run: Any, base: str, key: str, seconds: float, rounds: int) -> dict[str, Any]:
    """Target 8.1: both mixes, each against the naive handler on the same requests, and hello world."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in
                                               ("hello", "plain_bare", "bare", "plain_mix", "mix")}
    starts = iter(range(0, 10**9, MIX_STRIDE))
    with run.server([run.PYTHON, "bench/hello_app.py"]) as (hello, _, _), \
            run.server([run.PYTHON, "bench/parse_app.py"], ready_path="/api/v1/verify?number=1") as (plain, _, _), \
            run.server(run.verifier_command(base), ready_path="/healthz") as (bare, _, _), \
            run.server(run.verifier_command(base), ready_path="/healthz") as (mixed, _, _):
        def mix(target: str, name: str, api_key: str | None) -> None:
            runs[name].append(run.wrk(target, "verify_cold_mix.lua", seconds, [str(next(starts))], api_key))

        for round_number in range(rounds):
            run.in_turn(round_number,
                        lambda: runs["hello"].append(run.wrk(hello, "hello.lua", seconds)),
                        lambda: runs["plain_bare"].append(run.wrk(plain, "verify_cold.lua", seconds)),
                        lambda: runs["bare"].append(run.wrk(bare, "verify_cold.lua", seconds, key=key)),
                        lambda: mix(plain, "plain_mix", None),
                        lambda: mix(mixed, "mix", key))
    out: dict[str, Any] = {"hello_rps": run.median(runs["hello"], "rps")}
    for name, plain_name in (("bare", "plain_bare"), ("mix", "plain_mix")):
        out[name] = {"rps": run.median(runs[name], "rps"), "p50_ms": run.median(runs[name], "p50_ms"),
                     "p99_ms": run.median(runs[name], "p99_ms"), "plain_rps": run.median(runs[plain_name], "rps"),
                     "ratio": run.paired(runs[name], runs[plain_name], "rps"),
                     "hello_ratio": run.paired(runs[name], runs["hello"], "rps"),
                     "plain_hello_ratio": run.paired(runs[plain_name], runs["hello"], "rps"),
                     "non_2xx": sum(r["non_2xx"] for r in runs[name]),
                     "rounds": [r["rps"] for r in runs[name]], "plain_rounds": [r["rps"] for r in runs[plain_name]]}
    return out


def _batch(run: Any, base: str, key: str, seconds: float, rounds: int) -> dict[str, Any]:
    """Target 8.2: fresh batches, each round its own numbers, against bare phonenumbers on them."""
    count = max(BATCH, int(seconds * MAX_BATCH_RATE) // BATCH * BATCH)
    bare, served, wrapped = [], [], 0
    with run.server(run.verifier_command(base), ready_path="/healthz") as (target, _, _):
        for round_number in range(rounds):
            bodies = _bodies_file(run.OUT / f"cold_batch_{round_number}.json", round_number * count, count)
            run.in_turn(round_number,
                        lambda bodies=bodies: bare.append({"rate": run.bare_parse_rate(bodies, seconds)}),
                        lambda bodies=bodies: served.append({"rate": run.batch_client(target, bodies, key, seconds)}))
            wrapped += served[-1]["rate"] * seconds > count  # the client cycled its file: some numbers asked twice
    return {"numbers_per_s": run.median(served, "rate"), "bare_numbers_per_s": run.median(bare, "rate"),
            "ratio": run.paired(served, bare, "rate"), "numbers_per_round": count, "wrapped_rounds": wrapped}


def _flood(run: Any, base: str, key: str, paths: str, seconds: float, flood_seconds: float) -> dict[str, Any]:
    """Target 8.3: memory and p99 under a sustained flood of new numbers, on a fresh server."""
    with run.server(run.verifier_command(base), ready_path="/healthz") as (target, process, _):
        run.wrk(target, "verify_mix.lua", 2, [paths], key)  # warm up: every distinct question once
        mix = run.wrk(target, "verify_mix.lua", seconds, [paths], key)
        before = run.rss_mb(process.pid)
        samples: list[tuple[float, float]] = []
        result: dict[str, Any] = {}
        flooding = threading.Thread(target=lambda: result.update(run.wrk(target, "verify_cold.lua", flood_seconds,
                                                                         key=key)))
        started = time.monotonic()
        flooding.start()
        while flooding.is_alive():
            samples.append((time.monotonic() - started, run.rss_mb(process.pid)))
            flooding.join(1.0)
        after = run.rss_mb(process.pid)
        after_mix = run.wrk(target, "verify_mix.lua", seconds, [paths], key)
    half = [mb for at, mb in samples if at >= flood_seconds / 2]
    last_third = [mb for at, mb in samples if at >= flood_seconds * 2 / 3]
    return {"seconds": flood_seconds, "rps": result["rps"], "requests": int(result["rps"] * flood_seconds),
            "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"], "non_2xx": result["non_2xx"],
            "mix_p99_ms": mix["p99_ms"], "mix_rps": mix["rps"], "after_mix_p99_ms": after_mix["p99_ms"],
            "p99_ratio": result["p99_ms"] / mix["p99_ms"], "rss_before_mb": before, "rss_after_mb": after,
            "rss_peak_mb": max([after, *(mb for _, mb in samples)]),
            "rss_half_mb": half[0] if half else after, "rss_last_third_mb": after - (last_third[0] if last_third else after),
            "rss_samples": samples}


def measure(base: str, key: str, paths: str, seconds: float, rounds: int,
            flood_seconds: float = FLOOD_SECONDS) -> dict[str, Any]:
    """Target 8 (about two minutes with make bench's defaults); `base`: the database to serve."""
    run = _run_module()
    seconds, rounds = min(seconds, 3.0), min(rounds, 3)
    results = {"verify": _verify(run, base, key, seconds, rounds)}
    say_verify(results["verify"])
    results["batch"] = _batch(run, base, key, seconds, rounds)
    say_batch(results["batch"])
    results["flood"] = _flood(run, base, key, paths, seconds, flood_seconds)
    say_flood(results["flood"])
    return results


# -- reporting -------------------------------------------------------------------------------------

LABELS = {"bare": "bare CN mobiles", "mix": "realistic mix"}


def say_verify(figures: dict[str, Any]) -> None:
    for name, label in LABELS.items():
        at = figures[name]
        print(f"8. verify, every number new ({label}): {at['rps']:,.0f} vs naive handler {at['plain_rps']:,.0f} req/s:"
              f" {at['ratio']:.2f}x {'MEETS' if at['ratio'] >= 1.0 else 'MISSES'} target 1.0x; {at['hello_ratio']:.2f}x"
              f" hello world {figures['hello_rps']:,.0f} (aim 0.45x; naive {at['plain_hello_ratio']:.2f}x); p99"
              f" {at['p99_ms']:.2f} ms, non-2xx {at['non_2xx']}", flush=True)


def say_batch(figures: dict[str, Any]) -> None:
    print(f"8. batch of 1,000 never-seen numbers: {figures['numbers_per_s']:,.0f} vs bare parse"
          f" {figures['bare_numbers_per_s']:,.0f} numbers/s: {figures['ratio']:.2f}x"
          f" {'MEETS' if figures['ratio'] >= 0.6 else 'MISSES'} target 0.6x"
          + (f" (WARNING: {figures['wrapped_rounds']} rounds reused numbers)" if figures["wrapped_rounds"] else ""),
          flush=True)


def say_flood(figures: dict[str, Any]) -> None:
    print(f"8. {figures['seconds']:g} s flood of new numbers ({figures['requests']:,} requests): resident memory"
          f" {figures['rss_before_mb']:.0f} MB before, {figures['rss_half_mb']:.0f} MB halfway,"
          f" {figures['rss_after_mb']:.0f} MB after (peak {figures['rss_peak_mb']:.0f}, +{figures['rss_last_third_mb']:.0f} MB"
          f" in the last third); p99 {figures['p99_ms']:.2f} ms vs the mix's {figures['mix_p99_ms']:.2f} ms:"
          f" {figures['p99_ratio']:.2f}x {'MEETS' if figures['p99_ratio'] <= 3 else 'MISSES'} target 3x (mix p99 after"
          f" the flood {figures['after_mix_p99_ms']:.2f} ms)", flush=True)


def rows(cold: dict[str, Any], row: Any) -> list[str]:
    """The table rows of target 8 (bench/report.py)."""
    out = []
    verify = cold.get("verify")
    if verify:
        for name, label in LABELS.items():
            at = verify[name]
            out.append(row(f"8. `GET /api/v1/verify`, every number new ({label})",
                           f"{at['rps']:,.0f} req/s (p50 {at['p50_ms']:.2f} ms, p99 {at['p99_ms']:.2f} ms)",
                           f"naive handler, same requests, {at['plain_rps']:,.0f} req/s",
                           f"{at['ratio']:.2f}×", "≥ 1.0×", at["ratio"] >= 1.0))
            out.append(row(f"   same, × hello world ({label})", f"{at['rps']:,.0f} req/s",
                           f"hello world {verify['hello_rps']:,.0f} req/s (naive handler"
                           f" {at['plain_hello_ratio']:.2f}×)", f"{at['hello_ratio']:.2f}×", "aim 0.45×, reported",
                           None))
    batch = cold.get("batch")
    if batch:
        out.append(row("   `POST /api/v1/verify/batch`, 1,000 never-seen numbers a request",
                       f"{batch['numbers_per_s']:,.0f} numbers/s",
                       f"bare `phonenumbers.parse` + `is_valid_number` + `number_type`"
                       f" {batch['bare_numbers_per_s']:,.0f} numbers/s", f"{batch['ratio']:.2f}×", "≥ 0.6×",
                       batch["ratio"] >= 0.6))
    flood = cold.get("flood")
    if flood:
        out.append(row(f"   resident memory, {flood['seconds']:g} s flood of new numbers"
                       f" ({flood['requests']:,} requests)",
                       f"{flood['rss_after_mb']:,.0f} MB after ({flood['rss_half_mb']:,.0f} MB halfway,"
                       f" peak {flood['rss_peak_mb']:,.0f} MB, +{flood.get('rss_last_third_mb', 0):,.0f} MB in the last third)",
                       f"before the flood {flood['rss_before_mb']:,.0f} MB",
                       f"+{flood['rss_after_mb'] - flood['rss_before_mb']:,.0f} MB", "bounded, reported", None))
        out.append(row("   p99 during the flood", f"{flood['p99_ms']:.2f} ms ({flood['rps']:,.0f} req/s)",
                       f"verify mix p99 {flood['mix_p99_ms']:.2f} ms, same server just before (after the flood"
                       f" {flood['after_mix_p99_ms']:.2f} ms)",
                       f"{flood['p99_ratio']:.2f}×", "≤ 3×", flood["p99_ratio"] <= 3))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flood", type=float, default=FLOOD_SECONDS, help="seconds of the flood")
    args = parser.parse_args()
    run = _run_module()
    stores = run.prepare(large=False)
    key = run.api_key(stores["default"])
    results = measure(str(stores["default"]), key, str(stores["paths"]), args.seconds, args.rounds, args.flood)
    (run.OUT / "cold_path_results.json").write_text(json.dumps(results, indent=1))

    def row(*cells: Any) -> str:
        return "| " + " | ".join("" if c is None else str(c) for c in cells) + " |"

    print("\n".join(rows(results, row)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

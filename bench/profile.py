"""`make profile`: where a request's time goes, on the servers `make bench` measures.

Two views, both robust on a shared, noisy machine:

1. **CPU per request**: the server process's CPU time (user + system, per thread, from
   /proc) divided by the requests wrk completed. Unlike requests per second it hardly moves
   when another process takes the core for a while.
2. **A sampled profile** (py-spy, `--profile`): the verify server under the mix, summed by
   function, self and inclusive, as shares of the samples.

    .venv/bin/python -m bench.profile                 # CPU per request, every scenario
    .venv/bin/python -m bench.profile --profile verify-mix

3. **The realistic mix of new numbers, kind by kind** (`make bench`'s target 8 mix,
   bench/verify_cold_mix.lua, one kind of question at a time): CPU per request of the service
   and of the naive handler on the same questions, so a gap in the mix's ratio is found where
   it is (issue 18).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.run import LOAD_CORE, OUT, PYTHON, ROOT, api_key, prepare, server, verifier_command

TICKS = os.sysconf("SC_CLK_TCK")


def thread_ticks(pid: int) -> dict[str, int]:
    """CPU ticks (user + system) per thread, by thread name and id."""
    ticks = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        name = (task / "comm").read_text().strip()
        ticks[f"{name}[{task.name}]"] = int(fields[11]) + int(fields[12])
    return ticks


def cpu_per_request(pid: int, base: str, script: str, seconds: int, extra: list[str], key: str | None) -> dict[str, float]:
    before = thread_ticks(pid)
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", "-c64", f"-d{seconds}s", "-s", str(ROOT / "bench" / script), base]
    if extra:
        command += ["--", *extra]
    env = {**os.environ, **({"BENCH_API_KEY": key} if key else {})}
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    after = thread_ticks(pid)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    per_thread = {name: (after[name] - before.get(name, 0)) / TICKS / requests * 1e6 for name in after}
    busy = {name: round(us, 1) for name, us in per_thread.items() if us >= 0.5}
    return {"requests": requests, "total_us": round(sum(per_thread.values()), 1), **busy}


def summarise(raw: Path, top: int = 30) -> str:
    """py-spy's raw (collapsed) stacks, summed by function."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [re.sub(r" \((?:.*/)?([^/:]+):\d+\)$", r" (\1)", frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples", "", "self:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "inclusive:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--profile", choices=["verify-mix", "verify-cold", "reports"],
                        help="also sample this scenario with py-spy")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("needs wrk: run `make profile`, which installs it", file=sys.stderr)
        return 2
    stores = prepare(large=False)
    paths = str(stores["paths"])
    results: dict[str, dict[str, float]] = {}
    with server([PYTHON, "bench/hello_app.py"]) as (base, process, _):
        results["hello world"] = cpu_per_request(process.pid, base, "hello.lua", args.seconds, [], None)
    with server([PYTHON, "bench/parse_app.py"], ready_path="/api/v1/verify?number=1") as (base, process, _):
        results["naive handler, new"] = cpu_per_request(process.pid, base, "verify_cold.lua", args.seconds, [], None)
    key = api_key(stores["default"])
    with server(verifier_command(stores["default"]), ready_path="/healthz") as (base, process, _):
        cpu_per_request(process.pid, base, "verify_mix.lua", 3, [paths], key)  # every distinct question once
        results["verify, mix"] = cpu_per_request(process.pid, base, "verify_mix.lua", args.seconds, [paths], key)
        results["verify, every number new"] = cpu_per_request(process.pid, base, "verify_cold.lua", args.seconds, [], key)
        if args.profile in ("verify-mix", "verify-cold"):
            script, extra = ("verify_mix.lua", [paths]) if args.profile == "verify-mix" else ("verify_cold.lua", [])
            print(sample(process.pid, base, script, extra, key, args.seconds))
    reports_db = OUT / "profile-reports.sqlite3"
    for stale in OUT.glob("profile-reports.sqlite3*"):
        stale.unlink()
    shutil.copy(stores["default"], reports_db)
    report_key = api_key(reports_db)
    with server(verifier_command(reports_db), env={"VERIFIER_REPORTS_PER_ADDRESS_PER_HOUR": "1000000000"},
                ready_path="/healthz") as (base, process, _):
        results["reports"] = cpu_per_request(process.pid, base, "reports.lua", args.seconds, [], report_key)
        if args.profile == "reports":
            print(sample(process.pid, base, "reports.lua", [], report_key, args.seconds))
    hello = results["hello world"]["total_us"]
    print("CPU per request (server process, all threads), and its ratio to hello world's:")
    for name, figures in results.items():
        threads = ", ".join(f"{k} {v}" for k, v in figures.items() if k not in ("requests", "total_us"))
        print(f"  {name:26} {figures['total_us']:7.1f} µs  {figures['total_us'] / hello:5.2f}×  ({threads})")
    print(mix_by_kind(stores["default"], args.seconds))
    return 0


# The kinds of question of bench/verify_cold_mix.lua (request c is of kind c % 10), in its order.
MIX_KINDS = ("landline 010", "landline 021", "landline 0755", "400 number", "800 number", "+86 mobile",
             "0086 mobile", "foreign (+44, +1, +95)", "short code, claimed organisation, context",
             "foreign (+44, +1, +95)")
_WARM_START, _MEASURED_START = 0, 20_000  # the counters each kind's runs start at: no question asked twice


def mix_by_kind(database: Path, seconds: int) -> str:
    """The table of CPU per request for each kind of the realistic mix of new numbers, the
    service's next to the naive handler's on the same questions (each run after a one-second
    warm-up of other new questions of the kind), and the mix's whole, weighted as it sends them."""
    key = api_key(database)
    lines = ["", "Realistic mix of new numbers, kind by kind (CPU per request; target 8 wants the service at"
             " most the naive handler's over the whole mix):",
             f"  {'kind':44} {'service':>9} {'naive':>9}  naive/service"]
    ours_total = naive_total = 0.0
    with server(verifier_command(database), ready_path="/healthz") as (ours, ours_process, _), \
            server([PYTHON, "bench/parse_app.py"], ready_path="/api/v1/verify?number=1") as (naive, naive_process, _):
        for kind, label in enumerate(MIX_KINDS):
            figures = []
            for base, process, token in ((ours, ours_process, key), (naive, naive_process, None)):
                cpu_per_request(process.pid, base, "verify_cold_mix.lua", 1, [str(_WARM_START), str(kind)], token)
                figures.append(cpu_per_request(process.pid, base, "verify_cold_mix.lua", seconds,
                                               [str(_MEASURED_START), str(kind)], token)["total_us"])
            ours_total, naive_total = ours_total + figures[0], naive_total + figures[1]
            lines.append(f"  {kind} {label:42} {figures[0]:7.1f} µs {figures[1]:7.1f} µs  {figures[1] / figures[0]:5.2f}×")
    lines.append(f"  {'the whole mix':44} {ours_total / len(MIX_KINDS):7.1f} µs {naive_total / len(MIX_KINDS):7.1f} µs"
                 f"  {naive_total / ours_total:5.2f}×")
    return "\n".join(lines)


def sample(pid: int, base: str, script: str, extra: list[str], key: str, seconds: int) -> str:
    """py-spy over `seconds` of load; the summary by function."""
    raw = OUT / "profile.raw.txt"
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", "-c64", f"-d{seconds + 2}s", "-s", str(ROOT / "bench" / script), base]
    load = subprocess.Popen(command + (["--", *extra] if extra else []), stdout=subprocess.DEVNULL,
                            env={**os.environ, "BENCH_API_KEY": key})
    try:
        subprocess.run([str(Path(PYTHON).parent / "py-spy"), "record", "-p", str(pid), "-d", str(seconds), "-r", "500",
                        "-f", "raw", "-o", str(raw), "--nonblocking"], check=True, capture_output=True)
    finally:
        load.wait()
    return summarise(raw)


if __name__ == "__main__":
    raise SystemExit(main())

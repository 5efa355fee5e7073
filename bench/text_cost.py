"""`make bench`, the cost of a pasted text (issue 16, item 3): the server CPU one
`POST /api/v1/verify/text` costs, for real SMS and for the worst text the service allows, next to
one verify of a number never asked before, and the cost of refusing a text over the cap.

Server CPU per request is the server's threads' time on a CPU (from /proc, in nanoseconds, so
it hardly moves when another process borrows the core) over the requests it answered, sent one after
another on one keep-alive connection from this process (pinned to the load core by the caller).
Run on its own: ``.venv/bin/python -m bench.text_cost`` (a few seconds).
"""

from __future__ import annotations

import asyncio
import csv
import statistics
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "accuracy"
REQUESTS = 200  # per scenario and round


def real_messages() -> dict[str, str]:
    """Three real SMS of the accuracy sets: the longest and a typical genuine notice, and a scam."""
    with (DATA / "sms_legitimate.csv").open(encoding="utf-8") as rows:
        genuine = [row["text"] for row in csv.DictReader(rows)]
    with (DATA / "sms_scam.csv").open(encoding="utf-8") as rows:
        scams = [row["text"] for row in csv.DictReader(rows)]
    genuine.sort(key=len)
    return {"real SMS, genuine, longest": genuine[-1], "real SMS, genuine, typical": genuine[len(genuine) // 2],
            "real SMS, scam": max(scams, key=lambda t: sum(c.isdigit() for c in t))}


ONE_NUMBER = "real SMS with one number, 100-300 characters"
ONE_NUMBER_TARGET = 1.5  # issue 18: at most this many times a single verify of a new number


def one_number_messages() -> list[str]:
    """The real SMS of the accuracy sets (genuine and scam) of 100-300 characters in which the
    service checks exactly one number, links and all (issue 18's "one-number SMS")."""
    from verifier.core.text.digits import classify_digits
    from verifier.core.text.links import find_links
    from verifier.core.text.scan import numbers_of

    texts = []
    for name in ("sms_legitimate.csv", "sms_scam.csv"):
        with (DATA / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows)]
    chosen = []
    for text in texts:
        if 100 <= len(text) <= 300:
            links = find_links(text)
            if len(numbers_of(text, classify_digits(text, "CN", [(link.start, link.end) for link in links]))) == 1:
                chosen.append(text)
    return chosen


# Two synthetic texts that show the endpoint's floor (issue 18): what any text costs with nothing
# in it to check, and with the least there can be, one short code in a few words. Neither is
# from the accuracy sets: they measure the request and the scan's fixed work, not real wording.
NO_NUMBER = "a text without a number (synthetic: the floor of any text)"
SHORTEST = "the shortest text with one number (synthetic)"
FLOOR_TEXTS = {NO_NUMBER: "您好，您的快递已签收，感谢使用。", SHORTEST: "请拨打95588"}
SINGLE = "single verify, a number never asked before"
KEPT = "single verify, a number asked before (its answer kept)"


def worst_allowed(max_checks: int = 20, max_chars: int = 5000) -> str:
    """As many checks as allowed (distinct mobiles, each verified) and as long as allowed, the
    rest scam-script wording and digits that are not numbers (amounts, dates, codes)."""
    numbers = [f"1391234{5600 + i:04d}" for i in range(max_checks)]
    text = "【工商银行】您的账户已被冻结，请联系客服" + "，或拨打".join(numbers) + "。"
    for code in range(max_checks):  # as many digit runs again that are not numbers: the most allowed
        text += f"验证码{8800 + code}。"
    filler = "您的账户存在异常，请立即联系客服办理解冻，否则将影响征信；请勿告诉他人，安全账户转账后即可退款。"
    while len(text) + len(filler) <= max_chars:
        text += filler
    return text


def over_the_cap(max_chars: int = 5000) -> str:
    return ("95588 " * (max_chars // 6))[:max_chars]


def _cpu_seconds(pid: int) -> float:
    """The server's CPU time so far, every thread: the scheduler's nanoseconds on a CPU
    (/proc/PID/task/*/schedstat). The clock ticks of /proc/PID/stat are 10 ms: 200 single
    verifies took 4 of them, so one tick more or less moved that baseline by a quarter."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
            continue
    return total / 1e9


WARM_UP = 10  # requests of each scenario first, unmeasured: every text of a scenario once (at most 10)


async def _run(base: str, pid: int, key: str, send: Any) -> tuple[float, int]:
    """Server CPU ms per request for REQUESTS calls of `send(http, i)`, and the last status.
    The warm-up sends each text of the scenario once: what a server does once in its life (the
    public suffix list read for the first link, the cue patterns parsed) is not a request's cost."""
    headers = {"X-API-Key": key}
    async with aiohttp.ClientSession(base, headers=headers, connector=aiohttp.TCPConnector(limit=1)) as http:
        for i in range(WARM_UP):
            await send(http, i)
        before = _cpu_seconds(pid)
        status = 0
        for i in range(REQUESTS):
            status = await send(http, i)
        return (_cpu_seconds(pid) - before) / REQUESTS * 1000, status


def measure(base: str, pid: int, key: str, rounds: int = 3) -> dict[str, Any]:
    """{scenario: {"cpu_ms": median over rounds, "status": last status}}, and the ratio of each
    to a single cold verify."""
    texts = {**FLOOR_TEXTS, **real_messages(), "worst allowed text (20 checks, 5,000 characters)": worst_allowed(),
             "refused: 833 numbers (413, before any check)": over_the_cap()}
    cold = iter(range(10**9))

    def verify_sender(number: Any) -> Any:
        """A single verify of `number(i)` for request i."""
        async def send(http: aiohttp.ClientSession, i: int) -> int:
            async with http.get("/api/v1/verify", params={"number": number(i)}) as response:
                await response.read()
                return response.status
        return send

    def text_sender(*choices: str) -> Any:
        async def send(http: aiohttp.ClientSession, i: int) -> int:
            async with http.post("/api/v1/verify/text", json={"text": choices[i % len(choices)]}) as response:
                await response.read()
                return response.status
        return send

    one_number = one_number_messages()

    figures: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    scenarios = {SINGLE: verify_sender(lambda i: f"13{next(cold) + 700000000:09d}"),  # never asked before
                 KEPT: verify_sender(lambda i: "13912345678"),  # one number: its answer kept from the second asking
                 f"{ONE_NUMBER} ({len(one_number)} texts in turn)": text_sender(*one_number),
                 **{name: text_sender(text) for name, text in texts.items()}}
    texts[f"{ONE_NUMBER} ({len(one_number)} texts in turn)"] = "x" * round(sum(map(len, one_number)) / len(one_number))
    for _ in range(rounds):
        for name, send in scenarios.items():
            ms, status = asyncio.run(_run(base, pid, key, send))
            figures.setdefault(name, []).append(ms)
            statuses[name] = status
    single = statistics.median(figures[SINGLE])
    return {name: {"cpu_ms": statistics.median(values), "status": statuses[name],
                   "chars": len(texts.get(name, "")), "ratio": statistics.median(values) / single if single else 0.0}
            for name, values in figures.items()}


def section(results: dict[str, Any] | None) -> str:
    """The table for docs/performance.md ("" when the scenario did not run)."""
    if not results:
        return "(not measured in this run)"
    lines = ["| request | characters | answer | server CPU per request | × a single verify |", "|---|---|---|---|---|"]
    for name, figure in results.items():
        chars = f"{figure['chars']:,}" if figure["chars"] else ""
        if name.startswith(ONE_NUMBER):
            chars = f"{chars} on average"
        lines.append(f"| {name} | {chars} | {figure['status']} | {figure['cpu_ms']:.2f} ms | {figure['ratio']:.1f}× |")
    one = _one_number(results)
    if one is not None:
        lines.append(f"\nTarget (issue 18): a real SMS with one number at most {ONE_NUMBER_TARGET}× a single verify:"
                     f" {one['ratio']:.2f}×, {'met' if one['ratio'] <= ONE_NUMBER_TARGET else 'missed'}.")
    if NO_NUMBER in results and SHORTEST in results:
        lines.append(f"\nThe endpoint's floor in the same run: a text without a number costs"
                     f" {results[NO_NUMBER]['ratio']:.2f}× a single verify, and the shortest text with one number"
                     f" ({FLOOR_TEXTS[SHORTEST]}) {results[SHORTEST]['ratio']:.2f}×.")
    if one is not None and KEPT in results and NO_NUMBER in results:
        own = 1 - results[KEPT]["ratio"]  # a new number's own reading, judging and writing
        lines.append(f"\nA single verify of a new number spends {own:.2f} of its CPU past what a kept answer costs: the"
                     f" number's own verify, which a one-number text does too. The target leaves"
                     f" {ONE_NUMBER_TARGET - own:.2f}× for the rest of a text; a text without a number costs"
                     f" {results[NO_NUMBER]['ratio']:.2f}×.")
    return "\n".join(lines)


def _one_number(results: dict[str, Any]) -> dict[str, Any] | None:
    return next((figure for name, figure in results.items() if name.startswith(ONE_NUMBER)), None)


def say(results: dict[str, Any]) -> None:
    for name, figure in results.items():
        target = ""
        if name.startswith(ONE_NUMBER):
            target = f" {'MEETS' if figure['ratio'] <= ONE_NUMBER_TARGET else 'MISSES'} target {ONE_NUMBER_TARGET}x"
        print(f"6. text cost, {name}: {figure['cpu_ms']:.2f} ms server CPU per request ({figure['ratio']:.2f}x a single"
              f" verify{target}; answered {figure['status']})", flush=True)


def main() -> int:
    from bench.run import OUT, api_key, server, verifier_command

    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / f"text-cost-{time.time_ns()}.sqlite3"
    try:
        with server(verifier_command(database), ready_path="/healthz") as (base, process, _):
            results = measure(base, process.pid, api_key(database), rounds=1)
        say(results)
        print(section(results))
    finally:
        for path in OUT.glob(database.name + "*"):
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

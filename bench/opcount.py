"""Bytecodes per request, by function: a measure of the Python work on a path that this shared,
noisy machine cannot move (CPU time per request drifts by a tenth from one minute to the next;
this count is the same from run to run to within about one per cent).

    .venv/bin/python -m bench.opcount            # hello world, then a cached verify (the mix)

The server runs under `python -m bench.opcount --serve SCRIPT ARGS...`: SIGUSR1 starts counting
every bytecode executed (sys.settrace with opcode events: slow, so only for a fixed number of
requests, never for timing), SIGUSR2 stops and writes the counts. Requests go over keep-alive
connections, as wrk sends them. Fewer bytecodes is not always less time (a C call can cost
more than many bytecodes), so this guides changes; `make bench` judges them.
"""

from __future__ import annotations

import asyncio
import collections
import os
import runpy
import signal
import subprocess
import sys
import sysconfig
import time
import types
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.run import OUT, PYTHON, ROOT, api_key, free_port, prepare

_PREFIXES = tuple(f"{path}/" for path in (sysconfig.get_paths()["purelib"], ROOT, sysconfig.get_paths()["stdlib"]))


def _serve(argv: list[str]) -> None:
    """In the server process: count bytecodes between SIGUSR1 and SIGUSR2, then run `argv`."""
    counts: collections.Counter[str] = collections.Counter()
    out = Path(os.environ["BENCH_OPCOUNT_OUT"])

    def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        code = frame.f_code
        where = f"{_short(code.co_filename)}:{code.co_name}"

        def each(frame: types.FrameType, event: str, arg: Any) -> Any:
            if event == "opcode":
                counts[where] += 1
            return each

        return each

    def start(signum: int, frame: Any) -> None:
        sys.settrace(tracer)

    def stop(signum: int, frame: Any) -> None:
        sys.settrace(None)
        out.write_text("".join(f"{n}\t{where}\n" for where, n in counts.most_common()))

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = argv
    if argv[0].endswith(".py"):
        runpy.run_path(argv[0], run_name="__main__")
    else:
        runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


def _short(filename: str) -> str:
    for prefix in _PREFIXES:  # libraries (the venv is inside the project), the project, the standard library
        if filename.startswith(prefix):
            return filename[len(prefix):]
    return filename


async def _client(port: int, paths: list[str], key: str | None) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    extra = f"X-API-Key: {key}\r\n" if key else ""
    for path in paths:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
    writer.close()


async def _send(port: int, paths: list[str], key: str | None, total: int, connections: int = 16) -> None:
    per = [[paths[(i * connections + c) % len(paths)] for i in range(total // connections)] for c in range(connections)]
    await asyncio.gather(*(_client(port, mine, key) for mine in per))


def count(name: str, argv: list[str], paths: list[str], key: str | None, requests: int) -> tuple[float, list[tuple[float, str]]]:
    """Bytecodes per request over `requests` requests (after every path has been asked twice)."""
    port, out = free_port(), OUT / f"opcount-{name}.tsv"
    out.unlink(missing_ok=True)
    args = [a.replace("{port}", str(port)) for a in argv]
    server = subprocess.Popen([PYTHON, "-m", "bench.opcount", "--serve", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT), "BENCH_OPCOUNT_OUT": str(out)})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"{name}: server did not start") from None
                time.sleep(0.05)
        asyncio.run(_send(port, paths, key, max(2 * len(paths), 1600)))  # every question asked before
        server.send_signal(signal.SIGUSR1)
        time.sleep(0.2)
        asyncio.run(_send(port, paths, key, requests))
        server.send_signal(signal.SIGUSR2)
        while not out.exists():
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)
    rows = [(int(n) / requests, where) for n, where in (line.split("\t") for line in out.read_text().splitlines())]
    return sum(n for n, _ in rows), rows


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        _serve(sys.argv[2:])
        return 0
    requests = 1600
    stores = prepare(large=False)
    paths = Path(stores["paths"]).read_text().split()
    key = api_key(stores["default"])
    hello, _ = count("hello", ["bench/hello_app.py", "{port}"], ["/"], None, requests)
    verify, rows = count("verify", ["verifier", "serve", "--host", "127.0.0.1", "--port", "{port}", "--database",
                                    str(stores["default"])], paths, key, requests)
    print(f"bytecodes per request: hello world {hello:.0f}, cached verify (the mix) {verify:.0f} ({verify / hello:.2f}x)")
    print("the verify path's own functions:")
    for n, where in rows:
        if where.startswith(("verifier/", "registry/")) and n >= 1:
            print(f"  {n:7.1f}  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

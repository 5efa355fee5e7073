"""Running the real `verifier serve` as a separate process on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def verifier_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "verifier", *args]


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(verifier_command(*args), cwd=ROOT, env={**os.environ, **(env or {})}, input=input,
                          capture_output=True, text=True, timeout=120)


@contextmanager
def running_server(database: Path, *extra: str, env: dict[str, str] | None = None,
                   timeout: float = 30.0) -> Iterator[str]:
    """Start `verifier serve` on a free port; yields its base URL; stops it afterwards. Its output
    (access lines included) goes to a temporary file, not a pipe: a pipe nobody reads fills up
    after a few hundred requests and then blocks the server."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(
            verifier_command("serve", "--host", "127.0.0.1", "--port", str(port), "--database", str(database), *extra),
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT, text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(base, process, timeout, output)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(base: str, process: subprocess.Popen[str], timeout: float, output: IO[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if output is not None:
                output.seek(0)
                said = output.read()
            else:
                said = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"server exited with {process.returncode}:\n{said}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"server at {base} not ready after {timeout}s")

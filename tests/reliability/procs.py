"""A real `verifier serve` process for the reliability tests, with what they need of it: its pid
(to SIGKILL it, to read its memory), its log in a file (a busy server fills a pipe nobody reads),
and metrics and database read-outs."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ROOT, free_port, run_cli, verifier_command, wait_until_ready

NO_LIMITS = {
    "VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "1000000",
    "VERIFIER_REPORTS_PER_REPORTER_PER_HOUR": "1000000",
    "VERIFIER_REPORTS_PER_ADDRESS_PER_HOUR": "1000000",
    "VERIFIER_LOGIN_FAILURES_ALLOWED": "1000000",
}


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        """Resident memory (VmRSS) of the server process, in KiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        assert match, status
        return int(match.group(1))

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def metrics(self) -> str:
        with urllib.request.urlopen(f"{self.base}/metrics", timeout=10) as response:
            return response.read().decode()

    def metric(self, name: str, **labels: str) -> float | None:
        """One sample of the Prometheus exposition (None if absent)."""
        wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
        pattern = "^" + re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)$"
        match = re.search(pattern, self.metrics(), re.M)
        return float(match.group(1)) if match else None


def start_server(database: Path, *, env: dict[str, str] | None = None, timeout: float = 30.0) -> Server:
    log = database.with_name(database.name + f".{free_port()}.log")
    port = free_port()
    with log.open("w") as handle:
        process = subprocess.Popen(
            verifier_command("serve", "--host", "127.0.0.1", "--port", str(port), "--database", str(database)),
            cwd=ROOT, env={**os.environ, "VERIFIER_LOG_LEVEL": "WARNING", **(env or {})},
            stdout=handle, stderr=subprocess.STDOUT, text=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_ready(server.base, process, timeout)
    except Exception:
        stop(server)
        raise RuntimeError(f"server did not start:\n{log.read_text()}") from None
    return server


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextmanager
def serving(database: Path, *, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = start_server(database, env=env)
    try:
        yield server
    finally:
        stop(server)


def add_user(database: Path, name: str, role: str, password: str) -> None:
    result = run_cli("users", "add", name, "--role", role, "--password-stdin", "--database", str(database),
                     input=password + "\n")
    assert result.returncode == 0, result.stderr


def create_api_key(database: Path, name: str, rate_limit: int) -> str:
    result = run_cli("apikeys", "create", name, "--rate-limit", str(rate_limit), "--database", str(database))
    assert result.returncode == 0, result.stderr
    [key] = re.findall(r"hvk_[A-Za-z0-9_-]+", result.stdout)
    return key


def query(database: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read the file directly with the sqlite3 module (a second, independent reader)."""
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()

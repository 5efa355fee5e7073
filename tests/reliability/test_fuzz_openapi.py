"""No input crashes it: Schemathesis runs every operation of the service's own /openapi.json
against a real server, with every check, a fixed seed and a bounded number of examples.

Moderation and admin operations run as a logged-in administrator (a user made with
`verifier users add --password-stdin`, its token from /api/v1/auth/login); settings and hooks are
in schemathesis.toml and fuzz_hooks.py beside this file. Any server error, any response that
breaks the schema (status, content type, body, headers), any schema-valid request refused and
any schema-invalid request accepted fails the test, which prints Schemathesis's report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.reliability.procs import NO_LIMITS, add_user, serving

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# fixed, so a run is reproducible; set HV_FUZZ_SEED / HV_FUZZ_EXAMPLES to explore further
MAX_EXAMPLES = int(os.environ.get("HV_FUZZ_EXAMPLES", "30"))
SEED = int(os.environ.get("HV_FUZZ_SEED", "20261125"))
ADMIN, PASSWORD = "fuzz-admin", "a long fuzzing password"


def login(base: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": ADMIN, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_response_breaking_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "fuzz.sqlite3"
    add_user(database, ADMIN, "admin", PASSWORD)
    with serving(database, env=NO_LIMITS) as server:
        with urllib.request.urlopen(f"{server.base}/openapi.json", timeout=10) as response:
            operations = sum(len(methods) for methods in json.load(response)["paths"].values())
        env = {
            **os.environ,
            "HV_FUZZ_TOKEN": login(server.base),
            "HV_FUZZ_LOGOUT_TOKENS": ",".join(login(server.base) for _ in range(3)),
            "SCHEMATHESIS_HOOKS": str(HERE / "fuzz_hooks.py"),
            "NO_COLOR": "1",
        }
        command = [str(SCHEMATHESIS), "--config-file", str(HERE / "schemathesis.toml"), "run",
                   f"{server.base}/openapi.json", "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
                   "--seed", str(SEED), "--workers", "1", "--generation-database", "none", "--no-color",
                   "--request-timeout", "20"]
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
        server_errors = server.metrics().count('status="500"')
        log = server.log.read_text()
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-30_000:]
    assert f"Tested: {operations}" in report, report[-3000:]  # every operation of the document
    assert server_errors == 0, report[-3000:]
    assert "unhandled error" not in log, log[-5000:]

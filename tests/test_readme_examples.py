"""README.md's examples cannot rot: they run.

Every ```sh block is run, in the order the README gives them, by bash against a live server
(tests/servers.py: the real `verifier serve` on a fresh SQLite file), with `http://127.0.0.1:8080`
pointed at it; every `curl` in them must get a 2xx answer (`--fail-with-body`), and an unset
variable stops the block (`set -u`). Their placeholders are fixtures: `$KEY` from `verifier
apikeys create`, `$ADMIN` from an administrator's login; `$TOKEN` and the generated password come
from the block itself (`verifier users add`, then a login). `.venv/bin/verifier` is this
checkout's command on the same database. The ```python block (the client) runs in this process
with `KEY` and `contact_numbers` given. Blocks that cannot run in a test (`make run`, the command
line's synopsis, files only a reader has) say so in their info string (```sh no-run) and must
still parse (`bash -n`); ```json blocks must parse as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import ROOT, run_cli, running_server

README = ROOT / "README.md"
BASE = "http://127.0.0.1:8080"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
RUN, NO_RUN, PYTHON, JSON, TEXT = "sh", "sh no-run", "python", "json", ""
PRELUDE = """set -euo pipefail
curl() { command curl --silent --show-error --fail-with-body --max-time 60 "$@"; }
"""
ADMIN_PASSWORD = "a long readme administrator password"


@dataclass(frozen=True)
class Block:
    info: str
    body: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line} ```{self.info}"


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [Block(m.group(1).strip(), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


SHELL = [b for b in blocks() if b.info in (RUN, NO_RUN)]


def test_every_block_is_run_marked_or_data() -> None:
    found = blocks()
    unknown = [str(b) for b in found if b.info not in (RUN, NO_RUN, PYTHON, JSON, TEXT)]
    assert not unknown, f"mark each block: ```sh (run by this test), ```sh no-run, ```python or data: {unknown}"
    assert sum(b.info == RUN for b in found) >= 3 and any(b.info == PYTHON for b in found)
    assert any("make run" in b.body for b in found if b.info == NO_RUN)


@pytest.mark.parametrize("block", SHELL, ids=str)
def test_every_shell_block_parses(block: Block) -> None:
    checked = subprocess.run(["bash", "-n"], input=block.body, capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"{block}: {checked.stderr}"


def test_every_json_block_parses() -> None:
    for block in blocks():
        if block.info == JSON:
            json.loads(block.body)


@dataclass
class Live:
    base: str
    key: str
    admin: str
    workdir: Path
    database: Path


def _login(base: str, username: str, password: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": username, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("readme")
    database = home / "verifier.sqlite3"
    created = run_cli("apikeys", "create", "readme-app", "--database", str(database))
    assert created.returncode == 0, created.stderr
    key = created.stdout.rsplit(": ", 1)[1].strip()
    added = run_cli("users", "add", "root", "--role", "admin", "--password-stdin", "--database", str(database),
                    input=ADMIN_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    # the README's `.venv/bin/verifier`: this checkout's command (run from a directory of the test's own)
    command = home / ".venv" / "bin" / "verifier"
    command.parent.mkdir(parents=True)
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m verifier "$@"\n')
    command.chmod(0o755)
    with running_server(database) as base:
        yield Live(base, key, _login(base, "root", ADMIN_PASSWORD), home, database)


def _run_shell(block: Block, live: Live) -> None:
    env = {**os.environ, "KEY": live.key, "ADMIN": live.admin, "VERIFIER_DATABASE": str(live.database),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    script = PRELUDE + block.body.replace(BASE, live.base)
    done = subprocess.run(["bash", "-c", script], cwd=live.workdir, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"{block} failed ({done.returncode}):\n{done.stderr}\n--- output ---\n{done.stdout[-3000:]}"


def _run_python(block: Block, live: Live) -> None:
    source = "async def readme_example():\n" + textwrap.indent(block.body.replace(BASE, live.base), "    ")
    contact_numbers = ["95588", "+95588", "4008205555"] + [f"1391234{i:04d}" for i in range(1500)]
    namespace: dict[str, object] = {"KEY": live.key, "contact_numbers": contact_numbers}
    exec(compile(source, str(block), "exec"), namespace)  # noqa: S102  (the README's own example)
    asyncio.run(namespace["readme_example"]())  # type: ignore[operator]


def test_the_readme_examples_run_against_a_live_server(live: Live) -> None:
    ran = 0
    for block in blocks():
        if block.info == RUN:
            _run_shell(block, live)
            ran += 1
        elif block.info == PYTHON:
            _run_python(block, live)
            ran += 1
    assert ran >= 4
    # what the blocks did is really there: the moderator's decisions
    audit = urllib.request.Request(f"{live.base}/api/v1/moderation/audit?page_size=200",
                                   headers={"Authorization": f"Bearer {live.admin}"})
    with urllib.request.urlopen(audit, timeout=10) as response:
        actions = {(e["actor"], e["action"]) for e in json.load(response)["items"]}
    assert {("ann", "report.approve"), ("ann", "report.reject"), ("ann", "appeal.lift")} <= actions

"""A real, throwaway PostgreSQL cluster for the tests: no mocks, no shared server.

`PostgresCluster.start()` runs ``initdb`` into a fresh temporary directory and ``pg_ctl start``
on a free port of 127.0.0.1 (a few hundred milliseconds to a second). As root the server runs
as the ``postgres`` system user through ``runuser``; otherwise the binaries run as the
current user. The superuser is always named ``postgres`` and local TCP logins are trusted.

Fixtures (import them into a conftest.py; importing them into several is fine):

* ``postgres_cluster`` (session): the running cluster, stopped (``-m immediate``) and deleted
  at the end of the session. Started only when a test asks for it; one per session however
  many conftest.py files import it. A cluster whose session was killed is stopped by the next
  session that starts one.
* ``postgres_url`` (function): a fresh, empty database (``CREATE DATABASE ... TEMPLATE
  template0`` through an admin connection), dropped after the test. Its default collation
  is ICU ``en-US`` when the server has ICU, like a typical production database, so a test
  notices SQL that silently relies on byte-order comparison of TEXT.

When the server binaries are missing the fixtures FAIL (they never skip): ``make test``
installs the Debian package ``postgresql``.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

SUPERUSER = "postgres"
PREFIX = "hv-postgres-"
OWNER = "owner.pid"
MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found: looked at `pg_config --bindir`, "
    "$PG_BINDIR and /usr/lib/postgresql/*/bin. `make test` installs them (Debian package `postgresql`); "
    "by hand: apt-get install -y postgresql"
)


def find_bindir() -> Path | None:
    """The directory holding initdb/pg_ctl/postgres: $PG_BINDIR, `pg_config --bindir`, or the newest
    /usr/lib/postgresql/*/bin."""
    candidates: list[str] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                             check=True, timeout=10).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for candidate in candidates:
        path = Path(candidate)
        if all((path / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return path
    return None


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One initdb'd cluster in a temporary directory, reachable at 127.0.0.1:`port` as `postgres`."""

    def __init__(self, bindir: Path, root: Path | None = None) -> None:
        """A new cluster directory, or (with `root`) an existing one, e.g. to stop it."""
        self.bindir = bindir
        self._as_postgres = os.geteuid() == 0
        if root is None:
            root = Path(tempfile.mkdtemp(prefix=PREFIX))
            if self._as_postgres:
                account = pwd.getpwnam("postgres")  # created by the Debian package
                os.chown(root, account.pw_uid, account.pw_gid)
            os.chmod(root, 0o700)
            (root / OWNER).write_text(str(os.getpid()))  # lets a later session stop it if this one is killed
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.port = 0
        self.icu: bool | None = None  # does the server have ICU collations? (asked once)
        self._names = itertools.count(1)

    # -- the server process --------------------------------------------------------------
    def _run(self, tool: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def start(self) -> None:
        done = self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                         "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        for _ in range(3):  # the free port may be taken between probing and binding
            self.port = free_port()
            options = (f"-k {self.root} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off"
                       " -c full_page_writes=off -c max_connections=200")
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30",
                             "start")
            if done.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{self.server_log()}")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    # -- databases ---------------------------------------------------------------------------
    def url(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    async def create_database(self) -> str:
        """A fresh empty database; returns its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        if self.icu is None:  # CREATE DATABASE ... ICU_LOCALE needs PostgreSQL 15 and a server built with ICU
            rows = await self.admin_fetch("SELECT 1 FROM pg_collation WHERE collprovider = 'i'"
                                          " AND current_setting('server_version_num')::int >= 150000 LIMIT 1")
            self.icu = bool(rows)
        locale = " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" if self.icu else ""
        await self.admin(f'CREATE DATABASE "{name}" TEMPLATE template0{locale}')
        return name

    async def drop_database(self, name: str) -> None:
        await self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def admin(self, sql: str, *args: object) -> str:
        """Run one statement as the superuser on the `postgres` database (in the caller's loop)."""
        connection = await asyncpg.connect(self.admin_url)
        try:
            return await connection.execute(sql, *args)
        finally:
            await connection.close()

    async def admin_fetch(self, sql: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.admin_url)
        try:
            return await connection.fetch(sql, *args)
        finally:
            await connection.close()


def _has_c_utf8() -> bool:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout.lower()
    except (OSError, subprocess.SubprocessError):
        return False
    return any(name in listed.split() for name in ("c.utf8", "c.utf-8"))


def stop_abandoned_clusters(bindir: Path) -> None:
    """Stop and delete clusters left behind by test sessions that were killed (pg_ctl daemonizes
    the server, so it outlives a killed pytest)."""
    for root in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((root / OWNER).read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        PostgresCluster(bindir, root).stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_cluster() -> PostgresCluster:
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(MISSING, pytrace=False)
    stop_abandoned_clusters(bindir)
    cluster = PostgresCluster(bindir)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


_shared: PostgresCluster | None = None
_users = 0


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The session's cluster. Several conftest.py files may import this fixture (each import is
    a fixture of its own to pytest); they all share one cluster, stopped when the last is done."""
    global _shared, _users
    if _shared is None:
        _shared = start_cluster()
    _users += 1
    try:
        yield _shared
    finally:
        _users -= 1
        if _users == 0:
            _shared.stop()
            _shared = None


@pytest.fixture
async def postgres_url(postgres_cluster: PostgresCluster) -> AsyncIterator[str]:
    """The URL of a fresh, empty database of the session's cluster, dropped after the test."""
    name = await postgres_cluster.create_database()
    try:
        yield postgres_cluster.url(name)
    finally:
        await postgres_cluster.drop_database(name)

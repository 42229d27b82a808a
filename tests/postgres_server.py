"""A real PostgreSQL server for the tests, started and stopped by the suite itself.

Debian's ``postgresql`` package provides it (``make postgres`` installs it as
root). The cluster lives in a fresh temporary folder owned by an unprivileged
user (``initdb`` refuses root: as root it runs as ``nobody`` through
``setpriv``), listens only on 127.0.0.1 on a port the kernel said was free (a
port taken meanwhile is retried with another), accepts only a password drawn
for this run, and is stopped and removed at the end of the session. Where
PostgreSQL is not installed the tests that need it skip, saying how to install
it, and fail instead when ``CI`` is set.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

INSTALL = "sudo apt-get install postgresql (or `make postgres` as root)"
NOBODY = 65534
USER = "course"
#: How many ports to try when another process takes the one picked before PostgreSQL binds it
PORT_ATTEMPTS = 5


def skip_or_fail(reason: str) -> None:
    """Skip where the machine cannot run the test; in CI, where it must, fail."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (``initdb``, ``postgres``), newest version first."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in [*candidates, *(str(Path(p).resolve().parent) for p in filter(None, [shutil.which("initdb")]))]:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "postgres").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    """``command`` run as the cluster's owner: ``nobody`` when the tests run as root, else as ourselves."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *command]


@dataclass
class PostgresServer:
    """A running server: its port, its password, and the databases made so far (one per test that asks)."""

    folder: Path
    port: int
    password: str
    process: subprocess.Popen
    databases: list[str] = field(default_factory=list)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` (nbgrader's ``db_url``)."""
        return f"postgresql+psycopg2://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg2

        name = f"gradebook_{len(self.databases)}_{secrets.token_hex(4)}"
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=USER, password=self.password, dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        self.databases.append(name)
        return self.url(name)


def _ready(port: int, password: str) -> bool:
    import psycopg2

    try:
        psycopg2.connect(
            host="127.0.0.1", port=port, user=USER, password=password, dbname="postgres", connect_timeout=2
        ).close()
    except psycopg2.OperationalError:
        return False
    return True


def _start(folder: Path, bin_dir: Path, password: str) -> tuple[subprocess.Popen, int]:
    """Start ``postgres`` on a free loopback port (another if that one was taken meanwhile)."""
    log = folder / "server.log"
    for _ in range(PORT_ATTEMPTS):
        port = _free_port()
        options = ["-p", str(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
        options += ["-c", "fsync=off", "-c", "max_connections=100"]  # a throwaway cluster: no need to survive a crash
        with log.open("ab") as sink:
            process = subprocess.Popen(
                _as_owner([str(bin_dir / "postgres"), "-D", str(folder / "data"), *options]),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if _ready(port, password):
                return process, port
            time.sleep(0.2)
        if process.poll() is None:
            _stop(process)
            raise RuntimeError(f"PostgreSQL did not accept connections within 60 s: see {log}")
        if "could not bind" not in log.read_text(errors="replace"):
            raise RuntimeError(f"PostgreSQL exited with {process.returncode}: {log.read_text(errors='replace')}")
    raise RuntimeError(f"PostgreSQL could not bind a loopback port in {PORT_ATTEMPTS} attempts: see {log}")


def _stop(process: subprocess.Popen) -> None:
    """Fast shutdown (SIGINT), then SIGKILL if it lingers; only the server this module started."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for as long as the generator runs; skips (or fails in CI) if none is installed."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        skip_or_fail(f"PostgreSQL is not installed: run {INSTALL}")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        skip_or_fail("psycopg2 is not installed: pip install -c constraints.txt -e '.[dev]'")
    folder = Path(tempfile.mkdtemp(prefix="course-postgres-"))
    process = None
    try:
        password = secrets.token_urlsafe(24)
        (folder / "password").write_text(password)
        if os.geteuid() == 0:
            os.chown(folder, NOBODY, NOBODY)
            os.chown(folder / "password", NOBODY, NOBODY)
        initdb = [str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", USER, "--auth=scram-sha-256"]
        initdb += [f"--pwfile={folder / 'password'}", "--encoding=UTF8", "--no-sync"]
        done = subprocess.run(_as_owner(initdb), capture_output=True, text=True, cwd=folder)
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stdout}{done.stderr}")
        process, port = _start(folder, bin_dir, password)
        yield PostgresServer(folder, port, password, process)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server per test process, started when a test first asks for it, stopped at the end."""
    yield from start_postgres()

"""The real Leitstern server for the browser tests: its own database, demo data, gunicorn.

The browser tests talk to the app only over HTTP, like a person would. The server runs in a
subprocess with its own environment, so nothing here touches pytest-django's test database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_postgres(url: str) -> bool:
    return url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql", "postgis"}


@contextlib.contextmanager
def e2e_database(workdir: Path) -> Iterator[str]:
    """A fresh database URL on the same kind of database the suite runs on.

    On the PostgreSQL pass (`DATABASE_URL` is a postgres URL) a dedicated database on the same
    server, dropped afterwards; the name carries the pid so parallel runs do not clash.
    Otherwise a temporary SQLite file.
    """
    outer = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(outer):
        yield f"sqlite:///{workdir / 'e2e.sqlite3'}"
        return
    parts = urlsplit(outer)
    name = f"leitstern_e2e_{os.getpid()}"
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(drop)


def server_environment(workdir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("LEITSTERN_ACCESS_LOG", "ALLOWED_HOSTS", "SECRET_KEY", "DEBUG"):
        env.pop(key, None)
    env.update(
        LEITSTERN_ENV="local",
        LEITSTERN_VAR_DIR=str(workdir / "var"),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="leitstern.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_database(env: dict[str, str], log: Path) -> None:
    """Migrate and load the demo organisations (see prepare.py) in one subprocess."""
    with log.open("ab") as out:
        result = subprocess.run(
            [sys.executable, "-m", "leitstern.tests.browser.prepare"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=180,
            check=False,
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise RuntimeError(f"migrate/demo for the browser tests failed:\n{tail}")


@contextlib.contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[Server]:
    """`leitstern serve` on a free port; the whole process group is stopped afterwards."""
    port = free_port()
    server = Server(url=f"http://127.0.0.1:{port}", log=log)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "leitstern", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: gunicorn's workers go down with it
        )
    try:
        _wait_healthy(server, process)
        yield server
    finally:
        _stop(process)


def _wait_healthy(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"`leitstern serve` exited with {process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"`leitstern serve` not healthy after {STARTUP_SECONDS}s:\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    # SIGINT is gunicorn's quick shutdown: no need to drain requests after the last test.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

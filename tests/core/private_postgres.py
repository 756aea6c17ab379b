"""A PostgreSQL server of a test's own, for faults the shared server must not suffer: a real
restart (`crash()` is `pg_ctl stop -m immediate`, what a power cut or an OOM kill looks like
to the server; `start()` brings it back through crash recovery).

The cluster lives in a fresh temporary directory, listens on 127.0.0.1 on a free port only
(its socket in that directory too) and trusts the `postgres` role. initdb refuses to run as
root, so as root the server's commands run as the `postgres` system user.

No Django here: the bench imports it too."""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

SERVER_USER = "postgres"
# Speed over durability, but only where no client can tell: fsync off loses nothing unless
# the machine itself crashes. synchronous_commit stays on, or a crash of the server would
# lose transactions it had already confirmed, and "every accepted alert is stored" with it.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server programs on this machine (pg_config is missing)."""


def server_programs() -> Path:
    """The directory of initdb, pg_ctl and postgres, as pg_config reports it."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        msg = "pg_config is not on PATH: install the PostgreSQL server package."
        raise PostgresUnavailable(msg)
    found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
    bindir = Path(found.stdout.strip())
    if not (bindir / "initdb").exists():
        msg = f"initdb is not in {bindir}: install the PostgreSQL server package."
        raise PostgresUnavailable(msg)
    return bindir


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivatePostgres:
    """initdb'd on creation; `start`, `crash` (immediate stop), `start` again, `cleanup`."""

    def __init__(self) -> None:
        self.bindir = server_programs()
        self.root = Path(tempfile.mkdtemp(prefix="kizuki-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.running = False
        self.as_server_user: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.as_server_user = ["runuser", "-u", SERVER_USER, "--"]
        try:
            self._run(
                "initdb",
                *("-D", str(self.data), "-U", SERVER_USER, "--auth=trust"),
                *("--encoding=UTF8", "--locale=C", "--no-sync"),
            )
        except RuntimeError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        settings = {
            **SETTINGS,
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
        }
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _run(self, program: str, *argv: str) -> str:
        done = subprocess.run(
            [*self.as_server_user, str(self.bindir / program), *argv],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            msg = f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            msg += f"\n{self.server_log()[-3000:]}"
            raise RuntimeError(msg)
        return done.stdout

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def start(self) -> None:
        """Start the server and wait until it accepts connections (after a crash: once
        recovery has replayed the log)."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` closes sessions cleanly; `immediate` kills the server without a checkpoint
        (a crash: clients lose their connections mid-query, the next start recovers)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def crash(self) -> None:
        self.stop("immediate")

    def url(self, database: str) -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=10)

    def create_database(self, name: str) -> str:
        """Create database `name`; returns its URL."""
        with self.connect() as db:
            db.execute(f'CREATE DATABASE "{name}"')  # our own name, never user input
        return self.url(name)

    def cleanup(self) -> None:
        """Stop the server if it runs and remove its directory."""
        if self.running:
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

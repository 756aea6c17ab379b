"""SQLite writers queue on a lock file beside the database (kizuki.core.sqlite_backend): a
writer waits while another process's transaction is open, goes in once it commits or its
process is killed, and past the database's timeout gets "database is locked" having written
nothing. Real processes on a real file, as `kizuki serve` and `kizuki worker` share one."""

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# One transaction inserting `argv[2]` into the file `argv[1]`, with `argv[3]` seconds'
# timeout; with `hold`, it says "holding" and waits for a line on stdin before committing.
WRITER = """
import sys
import django
from django.conf import settings

path, name, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
settings.configure(DATABASES={"default": {
    "ENGINE": "kizuki.core.sqlite_backend", "NAME": path, "OPTIONS": {"timeout": timeout}}})
django.setup()
from django.db import OperationalError, connection, transaction

try:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO note (name) VALUES (%s)", [name])
        if "hold" in sys.argv:
            print("holding", flush=True)
            sys.stdin.readline()
except OperationalError as error:
    print(error, flush=True)
    sys.exit(3)
print("written", flush=True)
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "kizuki.sqlite3"
    with sqlite3.connect(path) as made:
        made.execute("PRAGMA journal_mode=WAL")
        made.execute("CREATE TABLE note (name TEXT)")
    return path


def _names(path: Path) -> list[str]:
    with sqlite3.connect(path) as reader:
        return [row[0] for row in reader.execute("SELECT name FROM note ORDER BY rowid")]


def _holder(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "first", "5", "hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _write(path: Path, name: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WRITER, str(path), name, str(timeout)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_writer_waits_for_an_open_transaction_and_gives_up_at_the_timeout(
    database: Path,
) -> None:
    holder = _holder(database)
    try:
        refused = _write(database, "second", 0.3)
        assert (refused.returncode, refused.stdout.strip()) == (3, "database is locked")
        assert Path(f"{database}-writer").exists()
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    written = _write(database, "second", 5)
    assert (written.returncode, written.stdout.strip()) == (0, "written"), written.stderr
    assert _names(database) == ["first", "second"]


def test_a_writer_goes_in_when_the_process_holding_the_lock_is_killed(database: Path) -> None:
    holder = _holder(database)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    written = _write(database, "second", 5)
    assert (written.returncode, written.stdout.strip()) == (0, "written"), written.stderr
    assert _names(database) == ["second"]  # the killed transaction never committed

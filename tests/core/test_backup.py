"""`kizuki backup`, `kizuki restore` and `kizuki migrate-db`, end to end, in their own
processes against their own SQLite files and PostgreSQL databases (kizuki_backup_*), never
the suite's test database.

One SQLite installation is set up per module: migrated, the demo loaded, the worker run once
(so the search index, pages and deliveries exist), then a few more changes whose jobs stay
queued. Every table is compared row for row (a digest of all its rows) between the original
and the restored copy; the same on PostgreSQL after `migrate-db` moved it there."""

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest

from tests.core.support import Process, call, kizuki_env, serving, wait_until
from tests.notify.support import free_port

# It works on its own databases, SQLite and PostgreSQL, whichever the suite runs on: once is
# enough, in the SQLite run.
pytestmark = pytest.mark.skipif(
    os.environ.get("KIZUKI_DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite run (it makes its own PostgreSQL databases)",
)

KIZUKI = str(Path(sys.executable).parent / "kizuki")
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
# Tables that are not a model's: the applied migrations (in the backup's header) and SQLite's
# full-text index over knowledge_documenttext (built again on restore).
DERIVED = {
    "django_migrations",
    "knowledge_fts",
    "knowledge_fts_config",
    "knowledge_fts_data",
    "knowledge_fts_docsize",
    "knowledge_fts_idx",
}

# Every table's row count and a digest of all its rows, read through the models; and the
# database's tables that belong to no model.
DIGEST = """
import datetime, decimal, hashlib, json
from django.apps import apps
from django.db import connection

def norm(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    return repr(value)

tables = {}
for model in apps.get_models(include_auto_created=True):
    meta = model._meta
    if not meta.managed or meta.proxy or meta.swapped:
        continue
    names = [field.attname for field in meta.local_concrete_fields]
    digest, count = hashlib.sha256(), 0
    for row in model._base_manager.order_by(meta.pk.attname).values_list(*names).iterator():
        digest.update(("|".join(norm(value) for value in row) + "\\n").encode())
        count += 1
    tables[meta.db_table] = [count, digest.hexdigest()]
others = sorted(set(connection.introspection.table_names()) - set(tables))
print(json.dumps({"tables": tables, "others": others}))
"""

# Tables the demo leaves empty, filled through the apps' actions (and Django's own models for
# groups and sessions), before the worker runs so their side effects happen too.
EXTRAS = """
import datetime
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from kizuki.accounts.models import User
from kizuki.areas import actions as areas
from kizuki.catalog.models import Service
from kizuki.chat import actions as chat
from kizuki.core import clock
from kizuki.drills import actions as drills
from kizuki.mailin import actions as mailin
from kizuki.readiness import actions as readiness
from kizuki.stakeholders import actions as stakeholders

admin = User.objects.get(username="admin")
service = Service.objects.order_by("pk").first()
now = clock.now()
group = Group.objects.create(name="backup-check")
admin.groups.add(group)
session = SessionStore()
session["checked"] = True
session.create()
areas.add_absence(admin, admin, now, now + datetime.timedelta(days=2), "away")
chat.link_slack_user(admin, "U0BACKUP", "admin@example.test")
stakeholders.subscribe(admin, "email", "board@example.test", service)
item = readiness.create_read_through(
    admin, name="Year end", period="year_end", starts_on=now.date(),
    ends_on=now.date() + datetime.timedelta(days=7), team=None, items=["Read the runbook"],
)
readiness.mark_read(admin, item)
scenario = drills.create_scenario(
    admin, {"title": "Checkout drill", "severity": 3, "services": [service.slug]}
)
drills.start_drill(admin, scenario)
drills.send_test_page(admin, "user", admin.username)
mailin.file_mail_report(
    f"From: {admin.email}\\r\\nTo: incidents@example.test\\r\\nSubject: Printer on fire"
    "\\r\\nMessage-ID: <backup-check@example.test>\\r\\n\\r\\n"
    "The printer is on fire.\\r\\n".encode()
)
"""

# A few changes after the worker ran: their jobs (search index, chat, ...) stay queued, and a
# restore must keep them, or the work they stand for would never be done.
AFTER_WORKER = """
from kizuki.accounts.models import User
from kizuki.incidents import actions
admin = User.objects.get(username="admin")
actions.report_incident(admin, "Backup check: queued work", page_on_call=False)
"""

QUEUED = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status="READY").count())
"""

# Reports incidents one after another (each: the incident, its timeline entry, its audit
# entry, the number counter and its jobs, in one transaction) until the stop file appears.
WRITER = """
from pathlib import Path
from kizuki.accounts.models import User
from kizuki.incidents import actions
admin = User.objects.get(username="admin")
stop = Path({stop!r})
number = 0
while not stop.exists():
    actions.report_incident(admin, f"Written during the backup {{number}}", page_on_call=False)
    number += 1
"""

# What the writer's rows must agree on in any consistent copy.
WRITER_CHECK = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*), max(number) FROM incidents_incident")
    incidents, highest = cursor.fetchone()
    cursor.execute("SELECT value FROM core_counter WHERE name = 'incident'")
    (counter,) = cursor.fetchone()
    cursor.execute(
        "SELECT count(*) FROM incidents_incident WHERE NOT EXISTS (SELECT 1 FROM"
        " incidents_timelineentry e WHERE e.incident_id = incidents_incident.id)"
    )
    (without_timeline,) = cursor.fetchone()
print(json.dumps([incidents, highest, counter, without_timeline]))
"""


def kizuki(
    url: str, *argv: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [KIZUKI, *argv],
        env=kizuki_env(url),
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=900,
        check=False,
    )


def ok(url: str, *argv: str) -> str:
    done = kizuki(url, *argv)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def digest(url: str) -> dict[str, Any]:
    return dict(json.loads(ok(url, "shell", "--no-imports", "-c", DIGEST)))


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def file_digest(path: Path) -> dict[str, str]:
    """Every table's rows in a SQLite file as stored (read directly: no process to start)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: hashlib.sha256(
                repr(db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()).encode()  # noqa: S608 - names from sqlite_master
            ).hexdigest()
            for name in names
            if not name.startswith("knowledge_fts")
        }


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A migrated empty SQLite file to copy (`fresh`) and an installation in use (`source`),
    its backup, its digest and the demo's API token. Built once per run: parallel test
    processes share it through a lock beside their temporary directories."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each process has its own directory inside the run's.
    work = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "backup-installation"
    work.mkdir(exist_ok=True)
    built = work / "installation.json"
    with (work / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            built.write_text(json.dumps(build_installation(work)))
    return {**json.loads(built.read_text()), "work": work}


def build_installation(work: Path) -> dict[str, Any]:
    fresh = work / "fresh.sqlite3"
    ok(sqlite(fresh), "migrate", "--no-input", "-v", "0")
    source = work / "source.sqlite3"
    shutil.copy(fresh, source)
    loaded = ok(sqlite(source), "demo", "load")
    token = next(part for part in loaded.split() if part.startswith("kzk_"))
    ok(sqlite(source), "shell", "--no-imports", "-c", EXTRAS)
    ok(sqlite(source), "worker", "--batch")
    ok(sqlite(source), "shell", "--no-imports", "-c", AFTER_WORKER)
    backup = work / "source.kzb"
    written = ok(sqlite(source), "backup", "--output", str(backup))
    assert f"written to {backup}." in written
    return {
        "fresh": str(fresh),
        "source": str(source),
        "backup": str(backup),
        "digest": digest(sqlite(source)),
        "token": token,
    }


def fresh_copy(installation: dict[str, Any], name: str) -> Path:
    target = Path(installation["work"]) / name
    shutil.copy(installation["fresh"], target)
    return target


def assert_same_rows(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    different = sorted(
        name
        for name in expected["tables"].keys() | actual["tables"].keys()
        if expected["tables"].get(name) != actual["tables"].get(name)
    )
    assert different == [], different


def test_the_installation_exercises_the_tables_and_leaves_work_queued(
    installation: dict[str, Any],
) -> None:
    tables = installation["digest"]["tables"]
    assert set(installation["digest"]["others"]) <= DERIVED
    filled = {name for name, (count, _) in tables.items() if count}
    assert len(filled) >= 85, sorted(set(tables) - filled)
    assert {"knowledge_document", "knowledge_documenttext", "oncall_page"} <= filled
    with gzip.open(installation["backup"], "rt") as lines:
        header = json.loads(next(lines))
    assert header["format"] == "kizuki-backup"
    assert header["version"] == 1
    assert ["incidents", "0001_initial"] in header["migrations"]


def test_a_sqlite_backup_restores_every_row_and_the_server_works_on_it(
    installation: dict[str, Any],
) -> None:
    target = fresh_copy(installation, "restored.sqlite3")
    restored = ok(sqlite(target), "restore", str(installation["backup"]))
    assert restored.startswith("Restored ")
    after = digest(sqlite(target))
    assert_same_rows(installation["digest"], after)
    assert set(after["others"]) <= DERIVED
    queued = ok(sqlite(target), "shell", "--no-imports", "-c", QUEUED)
    assert int(queued) > 0
    check_served(sqlite(target), installation["token"], installation["work"])


def check_served(url: str, token: str, cwd: Path) -> None:
    """The server runs on the database: an incident through the API (the demo's token still
    authenticates) and the search index finds it by its title."""
    port = free_port()
    server = Process(["serve", "--port", str(port)], kizuki_env(url), cwd)
    try:
        wait_until(lambda: serving(port), seconds=180, what="kizuki serve on the restored data")
        incident = call(port, "GET", "/api/v1/incidents/INC-1", token=token)
        assert incident.status == 200, incident.body
        found = call(port, "GET", f"/api/v1/search?q={quote(incident.body['title'])}", token=token)
        assert found.status == 200, found.body
        assert found.body["count"] >= 1
    finally:
        server.stop()


def test_restore_refuses_a_database_that_holds_data(installation: dict[str, Any]) -> None:
    source = Path(installation["source"])
    before = file_digest(source)
    refused = kizuki(sqlite(source), "restore", str(installation["backup"]))
    assert refused.returncode != 0
    message = refused.stderr.decode()
    assert "already holds data" in message
    assert "Nothing was changed." in message
    assert file_digest(source) == before


def test_restore_refuses_a_database_of_another_version(installation: dict[str, Any]) -> None:
    target = fresh_copy(installation, "other-version.sqlite3")
    with gzip.open(installation["backup"], "rb") as original:
        header = json.loads(original.readline())
        rest = original.read()
    header["migrations"].append(["incidents", "9999_from_the_future"])
    edited = Path(installation["work"]) / "other-version.kzb"
    with gzip.open(edited, "wb") as out:
        out.write(json.dumps(header).encode() + b"\n" + rest)
    refused = kizuki(sqlite(target), "restore", str(edited))
    assert refused.returncode != 0
    assert "not applied here: incidents.9999_from_the_future" in refused.stderr.decode()


@pytest.mark.parametrize(
    "damage",
    ["cut short", "not gzip", "not json", "a row too short", "a missing incident"],
)
def test_a_bad_file_is_refused_and_changes_nothing(
    installation: dict[str, Any], damage: str
) -> None:
    work = Path(installation["work"])
    target = fresh_copy(installation, f"damaged-{damage.replace(' ', '-')}.sqlite3")
    before = file_digest(target)
    good = Path(installation["backup"]).read_bytes()
    lines = gzip.decompress(good).split(b"\n")
    if damage == "cut short":
        data = good[: len(good) * 2 // 3]
    elif damage == "not gzip":
        data = b"id,title\n1,hello\n"
    elif damage == "not json":
        data = gzip.compress(b"{this is not json}\n")
    elif damage == "a row too short":
        row = next(i for i, line in enumerate(lines) if line.startswith(b"[") and b"," in line)
        lines[row] = b"[1]"
        data = gzip.compress(b"\n".join(lines))
    else:
        # A timeline entry whose incident is gone: the foreign key fails at commit.
        start = lines.index(next(line for line in lines if b'"table":"incidents_incident"' in line))
        lines.pop(start + 1)
        end = next(i for i in range(start, len(lines)) if lines[i].startswith(b'{"end"'))
        record = json.loads(lines[end])
        record["rows"] -= 1
        lines[end] = json.dumps(record).encode()
        last = json.loads(lines[-2])
        last["rows"] -= 1
        lines[-2] = json.dumps(last).encode()
        data = gzip.compress(b"\n".join(lines))
    damaged = work / f"{damage}.kzb"
    damaged.write_bytes(data)
    refused = kizuki(sqlite(target), "restore", str(damaged))
    assert refused.returncode != 0
    message = refused.stderr.decode()
    assert "Nothing was changed." in message, message
    assert "Traceback" not in message
    assert file_digest(target) == before


def test_a_failed_backup_leaves_no_file(installation: dict[str, Any]) -> None:
    work = Path(installation["work"])
    empty = work / "never-migrated.sqlite3"
    output = work / "failed.kzb"
    failed = kizuki(sqlite(empty), "backup", "--output", str(output))
    assert failed.returncode != 0
    assert "The backup failed reading the database" in failed.stderr.decode()
    assert not output.exists()
    assert not [path for path in work.iterdir() if path.name.endswith(".partial")]
    nowhere = kizuki(sqlite(installation["source"]), "backup", "-o", str(work / "no/such.kzb"))
    assert nowhere.returncode != 0
    assert "There is no directory" in nowhere.stderr.decode()


def test_a_backup_taken_during_writes_is_one_consistent_moment(
    installation: dict[str, Any],
) -> None:
    work = Path(installation["work"])
    busy = work / "busy.sqlite3"
    shutil.copy(installation["source"], busy)
    stop = work / "stop-writing"

    def written() -> int:
        return int(json.loads(ok(sqlite(busy), "shell", "--no-imports", "-c", WRITER_CHECK))[0])

    writer = Process(
        ["shell", "--no-imports", "-c", WRITER.format(stop=str(stop))],
        kizuki_env(sqlite(busy)),
        work,
    )
    try:
        start = written()
        wait_until(lambda: written() >= start + 3, seconds=120, what="the writer to write")
        before = written()
        backup = work / "busy.kzb"
        ok(sqlite(busy), "backup", "--output", str(backup))
        after = written()
        wait_until(lambda: written() >= after + 2, seconds=120, what="writes after the backup")
    finally:
        stop.touch()
        wait_until(lambda: not writer.alive(), seconds=60, what="the writer to stop")
        writer.stop()
    assert writer.process.returncode == 0, writer.output
    target = fresh_copy(installation, "busy-restored.sqlite3")
    ok(sqlite(target), "restore", str(backup))
    incidents, highest, counter, without_timeline = json.loads(
        ok(sqlite(target), "shell", "--no-imports", "-c", WRITER_CHECK)
    )
    # Written while the backup ran, and it stopped at one moment: the counter, the incidents
    # and their timeline entries all agree.
    assert before < incidents <= after
    assert highest == counter
    assert without_timeline == 0


def postgres_available() -> bool:
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """Creates and drops this module's PostgreSQL databases; yields the server's URL."""
    if not postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs PostgreSQL on 127.0.0.1:5432")
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    names = ["kizuki_backup_moved", "kizuki_backup_restored"]

    def drop() -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    yield PG_SERVER
    drop()


def empty_postgres(name: str) -> str:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def test_migrate_db_moves_everything_to_postgresql_and_it_backs_up_and_restores_there(
    installation: dict[str, Any], postgres: str
) -> None:
    source = sqlite(installation["source"])
    moved = empty_postgres("kizuki_backup_moved")
    done = ok(source, "migrate-db", "--to", moved)
    assert "every table's row count matches" in done
    assert f"Next: set KIZUKI_DATABASE_URL={moved}" in done
    on_postgres = digest(moved)
    assert_same_rows(installation["digest"], on_postgres)
    assert on_postgres["others"] == ["django_migrations"]
    check_served(moved, installation["token"], installation["work"])

    again = kizuki(source, "migrate-db", "--to", moved)
    assert again.returncode != 0
    assert "already holds data" in again.stderr.decode()

    # New rows after the move get keys above the copied ones (sequences were reset).
    ok(moved, "shell", "--no-imports", "-c", AFTER_WORKER)
    moved_now = digest(moved)
    backup = Path(installation["work"]) / "postgres.kzb"
    ok(moved, "backup", "--output", str(backup))
    restored = empty_postgres("kizuki_backup_restored")
    ok(restored, "migrate", "--no-input", "-v", "0")
    ok(restored, "restore", str(backup))
    assert_same_rows(moved_now, digest(restored))


def test_migrate_db_wants_a_postgresql_url(installation: dict[str, Any]) -> None:
    refused = kizuki(sqlite(installation["source"]), "migrate-db", "--to", "mysql://x@y/z")
    assert refused.returncode != 0
    assert "--to must be a postgresql://" in refused.stderr.decode()

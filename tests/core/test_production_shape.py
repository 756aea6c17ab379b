"""The production guide (docs/production.md) followed for real: `kizuki migrate` as its own
step, two web processes without a worker, and `kizuki worker --concurrency 2` beside them.
An alert posted to one web process pages exactly once, is acknowledged through the other,
and paging goes on after one worker is killed with SIGKILL.

On PostgreSQL when the suite runs on PostgreSQL (the test database), else on a SQLite file of
its own. Also: the probes an orchestrator uses, with the database down, and the statement
timeout of web requests."""

import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from django.conf import settings
from django.db import connection

from kizuki.core.models import WorkerHeartbeat
from tests.core.support import (
    KIZUKI,
    Process,
    alert,
    call,
    kizuki_env,
    run_kizuki,
    serving,
    wait_until,
)
from tests.core.support import paging_setup as set_up_paging
from tests.core.test_serve_process import paged_for
from tests.notify.support import free_port, smtp_server

ON_POSTGRESQL = connection.vendor == "postgresql"
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@dataclass
class Database:
    url: str
    sqlite_file: Path | None = None

    def worker_pids(self) -> list[int]:
        """The pid of every worker that has beaten, oldest first."""
        if self.sqlite_file is None:
            return list(WorkerHeartbeat.objects.order_by("id").values_list("pid", flat=True))
        with sqlite3.connect(self.sqlite_file) as db:
            return [
                pid for (pid,) in db.execute("SELECT pid FROM core_workerheartbeat ORDER BY id")
            ]


def postgresql_url(database: dict[str, Any]) -> str:
    host = database["HOST"] or "127.0.0.1"
    return f"postgresql://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture
def database(tmp_path: Path, transactional_db: None) -> Database:
    if ON_POSTGRESQL:
        return Database(postgresql_url(settings.DATABASES["default"]))
    file = tmp_path / "k.sqlite3"
    return Database(f"sqlite:///{file}", sqlite_file=file)


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """Started processes, stopped at the end whatever happens."""
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def web_only(port: int, env: dict[str, str], cwd: Path) -> Process:
    argv = ["serve", "--port", str(port), "--workers", "1", "--worker-concurrency", "0"]
    return Process(argv, env, cwd)


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def test_two_web_processes_and_two_workers_page_once(
    database: Database, tmp_path: Path, processes: list[Process]
) -> None:
    one, other = free_port(), free_port()
    with smtp_server() as (smtp_port, mailbox):
        env = kizuki_env(database.url, KIZUKI_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
        env["KIZUKI_BASE_URL"] = f"http://127.0.0.1:{one}"  # one public address for both
        run_kizuki(env, tmp_path, "migrate", "--no-input")
        run_kizuki(env, tmp_path, "user", "create", "boss", "--role", "admin")
        run_kizuki(env, tmp_path, "user", "create", "paged", "--role", "responder")
        token = run_kizuki(env, tmp_path, "token", "create", "boss").strip()
        processes += [web_only(one, env, tmp_path), web_only(other, env, tmp_path)]
        # Without a worker the web tier answers, but the full health check says paging is off.
        wait_until(lambda: status(one, "/api/v1/health/ready") == 200, 120, "web one")
        wait_until(lambda: status(other, "/api/v1/health/ready") == 200, 120, "web other")
        assert call(one, "GET", "/api/v1/health").body["status"] == "paging_stopped"
        workers = Process(["worker", "--concurrency", "2"], env, tmp_path)
        processes.append(workers)
        wait_until(lambda: len(database.worker_pids()) == 2, 120, "two workers to beat")
        assert serving(one)
        assert serving(other)
        first, second = database.worker_pids()
        assert workers.process.pid not in {first, second}  # each is a child of its own

        url = set_up_paging(one, token, "paged@example.test")
        path = url[len(f"http://127.0.0.1:{one}") :]
        assert call(one, "POST", path, alert("A")).status == 202
        wait_until(lambda: paged_for(mailbox, "A"), what="the page for alert A")
        groups = call(other, "GET", "/api/v1/alert-groups", token=token).body["items"]
        (group,) = groups
        acknowledged = call(
            other, "POST", f"/api/v1/alert-groups/{group['id']}/acknowledge", {}, token
        )
        assert acknowledged.status == 200, acknowledged.body
        seen = call(one, "GET", f"/api/v1/alert-groups/{group['id']}", token=token).body
        assert seen["status"] == "acknowledged"
        assert seen["escalation_status"] == "acknowledged"

        # SIGKILL one worker: its supervisor starts another, and paging goes on.
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: len(database.worker_pids()) == 3, 60, "a new worker")
        restarted = database.worker_pids()[-1]
        assert alive(second)
        assert alive(restarted)
        assert call(other, "POST", path, alert("B")).status == 202
        wait_until(lambda: paged_for(mailbox, "B"), what="the page for alert B")
        assert call(one, "POST", path, alert("C")).status == 202
        wait_until(lambda: paged_for(mailbox, "C"), what="the page for alert C")
        # Two workers polling the same rows: still exactly one message per alert.
        assert [paged_for(mailbox, fp) for fp in "ABC"] == [1, 1, 1]
        assert len(mailbox.messages) == 3

        assert workers.stop() == 0, workers.output
    # SIGTERM to the supervisor stopped both of its workers.
    assert not alive(second)
    assert not alive(restarted)
    assert re.search(r"worker [12] exited with status -9; restarting it", workers.output)


def test_counts_below_one_are_refused_with_a_message(tmp_path: Path) -> None:
    env = kizuki_env(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    for argv, message in [
        (["worker", "--concurrency", "0"], "--concurrency must be at least 1."),
        (["worker", "--batch", "--concurrency", "2"], "--batch runs once in this process"),
        (["serve", "--worker-concurrency", "-1"], "--worker-concurrency at least 0."),
        (["serve", "--workers", "0"], "--workers and --threads must be at least 1"),
    ]:
        done = subprocess.run(
            [KIZUKI, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 1, argv
        assert message in done.stderr, done.stderr


def test_probes_tell_a_live_process_from_a_ready_one(
    tmp_path: Path, processes: list[Process]
) -> None:
    """With the database unreachable the process is live (an orchestrator must not restart
    it in a loop) but not ready (the load balancer sends requests elsewhere)."""
    port = free_port()
    nowhere = f"postgresql://kizuki@127.0.0.1:{free_port()}/kizuki"
    # Behind a TLS proxy as in production: probes over plain HTTP are not redirected.
    env = kizuki_env(nowhere, KIZUKI_DATABASE_CONNECT_TIMEOUT="2", KIZUKI_HTTPS="true")
    processes.append(web_only(port, env, tmp_path))
    wait_until(lambda: _answers(port), 120, "the web process to answer")
    live = call(port, "GET", "/api/v1/health/live")
    assert (live.status, live.body) == (200, {"status": "ok"})
    ready = call(port, "GET", "/api/v1/health/ready")
    assert ready.status == 503
    assert ready.body["status"] == "database_unavailable"
    assert ready.body["reason"] == "The database is unavailable right now. Retry in a few seconds."
    assert call(port, "GET", "/api/v1/health").status == 503
    assert call(port, "GET", "/api/v1/services").status == 301  # everything else goes to https


def status(port: int, path: str) -> int:
    """The answer's status, or 0 while nothing listens yet."""
    try:
        return call(port, "GET", path).status
    except OSError:
        return 0


def _answers(port: int) -> bool:
    return status(port, "/api/v1/health/live") == 200


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a statement timeout is PostgreSQL's")
def test_a_web_request_stuck_on_a_lock_is_cancelled_not_left_hanging(
    database: Database, tmp_path: Path, processes: list[Process]
) -> None:
    port = free_port()
    env = kizuki_env(database.url, KIZUKI_DATABASE_STATEMENT_TIMEOUT="0.5")
    run_kizuki(env, tmp_path, "user", "create", "boss", "--role", "admin")
    token = run_kizuki(env, tmp_path, "token", "create", "boss").strip()
    processes.append(web_only(port, env, tmp_path))
    wait_until(lambda: _answers(port), 120, "the web process to answer")
    assert call(port, "GET", "/api/v1/incidents", token=token).status == 200
    with psycopg.connect(database.url) as locker:
        # A long migration or a stuck session holding the table.
        locker.execute("LOCK TABLE incidents_incident IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        stuck = call(port, "GET", "/api/v1/incidents", token=token)
        took = time.monotonic() - started
        locker.rollback()
    assert stuck.status == 503, stuck.body
    assert stuck.body["code"] == "database_unavailable"
    assert took < 10, took  # cancelled after half a second, not after the lock was let go
    # Other processes (the worker, `kizuki` commands) are not limited: a command waits on
    # the lock for as long as it is held, well past the web requests' half second.
    command = "from kizuki.incidents.models import Incident; print(Incident.objects.count())"
    with psycopg.connect(database.url) as locker, psycopg.connect(database.url) as watcher:
        watcher.autocommit = True  # a fresh look at pg_stat_activity on every query
        locker.execute("LOCK TABLE incidents_incident IN ACCESS EXCLUSIVE MODE")
        shell = Process(["shell", "-c", command], env, tmp_path)
        processes.append(shell)
        wait_until(lambda: _waiting_for_lock(watcher), 60, "the command to wait on the lock")
        since = time.monotonic()
        while time.monotonic() - since < 2:
            assert _waiting_for_lock(watcher), shell.output
        locker.rollback()
    assert shell.process.wait(timeout=60) == 0, shell.output


def _waiting_for_lock(watcher: psycopg.Connection[Any]) -> bool:
    found = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return bool(found and found[0])


def test_the_kubernetes_manifests_run_the_shape_the_guide_describes() -> None:
    documents = [
        document
        for file in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
        for document in yaml.safe_load_all(file.read_text())
        if document and "metadata" in document
    ]
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in documents}
    web = by_name["Deployment", "kizuki-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/api/v1/health/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/api/v1/health/ready"
    assert web["args"][:1] == ["serve"]
    assert "--worker-concurrency=0" in web["args"]
    worker = by_name["Deployment", "kizuki-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["args"][:1] == ["worker"]
    migrate = by_name["Job", "kizuki-migrate"]["spec"]["template"]["spec"]["containers"][0]
    assert migrate["args"][:1] == ["migrate"]
    service = by_name["Service", "kizuki-web"]["spec"]
    assert (
        service["selector"]
        == by_name["Deployment", "kizuki-web"]["spec"]["selector"]["matchLabels"]
    )
    # Every container takes the database address from the Secret, none writes it inline.
    for container in (web, worker, migrate):
        names = {ref["secretRef"]["name"] for ref in container["envFrom"] if "secretRef" in ref}
        assert names == {"kizuki"}
        assert all(v.get("name") != "KIZUKI_DATABASE_URL" for v in container.get("env", []))

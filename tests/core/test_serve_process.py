"""`kizuki serve` in its own processes on a SQLite file, with real faults: the file locked by
another writer for longer than the busy timeout, and kill -9 of the worker. Paging carries on,
senders get 503 + Retry-After while the file is locked, links follow the address served on,
and the access log never shows an integration token.

It runs against its own SQLite file, whatever database the rest of the suite uses."""

import os
import signal
import sqlite3
from pathlib import Path

from tests.core.support import Process, alert, call, kizuki_env, run_kizuki, serving, wait_until
from tests.core.support import paging_setup as set_up_paging
from tests.notify.support import MailRecorder, free_port, smtp_server


def subjects(mailbox: MailRecorder) -> list[str]:
    return [str(message["Subject"]) for _, message in mailbox.messages]


def paged_for(mailbox: MailRecorder, fingerprint: str) -> int:
    return sum(f"Fault test {fingerprint}" in subject for subject in subjects(mailbox))


def worker_pids(database: Path) -> list[int]:
    with sqlite3.connect(database) as db:
        return [pid for (pid,) in db.execute("SELECT pid FROM core_workerheartbeat ORDER BY id")]


def test_serve_pages_through_a_locked_database_and_a_killed_worker(tmp_path: Path) -> None:
    database = tmp_path / "k.sqlite3"
    port = free_port()
    with smtp_server() as (smtp_port, mailbox):
        # A one-second busy timeout: the lock below outlasts it many times over.
        env = kizuki_env(
            f"sqlite:///{database}?timeout=1", KIZUKI_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}"
        )
        run_kizuki(env, tmp_path, "migrate", "--no-input")
        run_kizuki(env, tmp_path, "user", "create", "boss", "--role", "admin")
        run_kizuki(env, tmp_path, "user", "create", "paged", "--role", "responder")
        token = run_kizuki(env, tmp_path, "token", "create", "boss").strip()
        serve = Process(["serve", "--port", str(port)], env, tmp_path)
        try:
            wait_until(lambda: serving(port), what="kizuki serve to answer healthy")
            url = set_up_paging(port, token, "paged@example.test")
            # KIZUKI_BASE_URL is not set: links follow the address served on.
            prefix = f"http://127.0.0.1:{port}/api/v1/integrations/"
            assert url.startswith(prefix), url
            secret = url[len(prefix) :].split("/")[0]
            path = url[len(f"http://127.0.0.1:{port}") :]

            assert call(port, "POST", path, alert("A")).status == 202
            wait_until(lambda: paged_for(mailbox, "A"), what="the page for alert A")
            (worker,) = worker_pids(database)

            # Another writer holds the file far longer than the busy timeout.
            locker = sqlite3.connect(database, isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")
            refused = call(port, "POST", path, alert("B"))
            assert refused.status == 503, refused.body
            assert refused.headers["retry-after"] == "10"
            assert refused.body["code"] == "database_unavailable"
            wait_until(
                lambda: serve.output.count("database unavailable") >= 3,
                what="the worker to retry through the lock",
            )
            locker.execute("COMMIT")
            locker.close()

            # The same worker carries on: the sender's retry is paged.
            assert call(port, "POST", path, alert("B")).status == 202
            wait_until(lambda: paged_for(mailbox, "B"), what="the page for alert B")
            assert worker_pids(database) == [worker]

            # kill -9 of the worker: serve starts another, and paging goes on.
            os.kill(worker, signal.SIGKILL)
            wait_until(lambda: len(worker_pids(database)) == 2, what="a new worker")
            assert call(port, "POST", path, alert("C")).status == 202
            wait_until(lambda: paged_for(mailbox, "C"), what="the page for alert C")
            assert [paged_for(mailbox, fp) for fp in "ABC"] == [1, 1, 1]

            # A wrong token is logged too, redacted like the right one.
            assert call(port, "POST", "/api/v1/integrations/not-a-token/alertmanager", {}).status
            # So is a calendar feed's secret.
            assert call(port, "GET", "/calendar/feed-secret.ics").status == 404
        finally:
            code = serve.stop()
        assert code == 0, serve.output
    # SIGTERM stopped both children: the new worker and the web server are gone.
    new_worker = worker_pids(database)[-1]
    assert not Path(f"/proc/{new_worker}").exists()
    assert not serving(port)

    log = serve.output
    assert "worker exited with status -9; restarting it" in log
    assert '"POST /api/v1/integrations/[redacted]/alertmanager HTTP/1.1" 202' in log
    assert secret not in log
    assert "not-a-token" not in log
    assert "feed-secret" not in log


def test_serve_with_demo_data_links_to_the_port_it_serves_on(tmp_path: Path) -> None:
    database = tmp_path / "k.sqlite3"
    port = free_port()
    env = kizuki_env(f"sqlite:///{database}")
    run_kizuki(env, tmp_path, "migrate", "--no-input")
    serve = Process(["serve", "--demo", "--port", str(port)], env, tmp_path)
    try:
        # Loading the demo (every app's pages and jobs) takes a while on a busy machine.
        wait_until(
            lambda: serving(port) or not serve.alive(), seconds=120, what="kizuki serve to answer"
        )
    finally:
        serve.stop()
    here = f"http://127.0.0.1:{port}/"
    assert f"Log in at {here} with" in serve.output, serve.output
    assert f"Alertmanager webhook URL: {here}api/v1/integrations/" in serve.output
    # The demo's firing alert pages with links to this address, not the default :8000.
    with sqlite3.connect(database) as db:
        links = [link for (link,) in db.execute("SELECT link FROM oncall_escalation")]
    assert links
    assert all(link.startswith(here) for link in links), links

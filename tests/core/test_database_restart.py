"""A real PostgreSQL restart under load. `kizuki serve` (a web process and its worker) runs on
a PostgreSQL server of the test's own, paging by e-mail through a local mail server, while
two senders post Alertmanager webhooks (one in four opens a group that pages, the rest repeat
into storm groups) and retry a 503 or a lost connection, as Alertmanager does. Mid-load the
server crashes (`pg_ctl stop -m immediate`: every session killed mid-query, no checkpoint);
once the web tier reports itself not ready it is started again and recovers from its log.

No Kizuki process is restarted. Afterwards every webhook answered 202 is stored, the ready
probe answers 200, every page went out exactly once (no worker died, so no lease ran out:
the documented duplicate cannot happen), and the same worker pages a fresh alert.

The machine's shared PostgreSQL is never touched. Runs in the suite's PostgreSQL pass (the
production shape) and is skipped on SQLite; skipped without PostgreSQL's server programs,
except on CI, where that fails."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.core.load_support import MARKER, Load, MailServers, Sender, alertmanager, set_up
from tests.core.private_postgres import PostgresUnavailable, PrivatePostgres
from tests.core.support import Process, call, kizuki_env, run_kizuki, serving, wait_until
from tests.notify.support import free_port

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the production shape")


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    try:
        server = PrivatePostgres()
    except PostgresUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(str(error))
        pytest.skip(str(error))
    try:
        yield server
    finally:
        server.cleanup()


def ready(port: int) -> int:
    """The readiness probe's status, 0 while nothing answers."""
    try:
        return call(port, "GET", "/api/v1/health/ready").status
    except OSError:
        return 0


def test_serve_loses_nothing_through_a_real_postgresql_crash_and_restart(
    tmp_path: Path, postgres: PrivatePostgres
) -> None:
    postgres.start()
    url = postgres.create_database("kizuki_pgrestart")
    mail = MailServers(1)
    mailbox = mail.mailbox
    # A short connect timeout, as production should set it: a probe never hangs on the crash.
    env = kizuki_env(url, KIZUKI_EMAIL_URL=mail.url(0), KIZUKI_DATABASE_CONNECT_TIMEOUT="2")
    port = free_port()
    env["KIZUKI_BASE_URL"] = f"http://127.0.0.1:{port}"
    serve: Process | None = None
    load: Load | None = None
    try:
        run_kizuki(env, tmp_path, "migrate", "--no-input")
        # One web process (with its threads) is enough here; the admin is made meanwhile.
        serve = Process(["serve", "--port", str(port), "--workers", "1"], env, tmp_path)
        # The admin is also the one paged: one command fewer, each a Django start.
        run_kizuki(env, tmp_path, "user", "create", "boss", "--role", "admin")
        token = run_kizuki(env, tmp_path, "token", "create", "boss").strip()
        wait_until(lambda: serving(port), 90, "kizuki serve to answer healthy")
        paging, storm = set_up(port, token, slack=False, person="boss")

        def database(sql: str) -> list[tuple[Any, ...]]:
            with postgres.connect("kizuki_pgrestart") as db:
                return db.execute(sql).fetchall()

        (worker,) = database("SELECT pid FROM core_workerheartbeat")
        sender = Sender([port], give_up_after=60)
        load = Load(sender, paging, storm)
        wait_until(lambda: len(mailbox.received) >= 2, 60, "the first pages")

        # The crash: sessions die mid-query; the web tier says it is not ready.
        postgres.crash()
        wait_until(lambda: ready(port) == 503, 30, "the ready probe to answer 503")
        wait_until(lambda: sender.answers["503"] > 0, 30, "a sender to get 503")
        postgres.start()  # crash recovery replays the log, then it accepts connections
        wait_until(lambda: ready(port) == 200, 60, "the ready probe to answer 200 again")
        after = load.count()
        wait_until(lambda: load.count() >= after + 20, 60, "webhooks accepted again")
        load.finish()

        # The same worker pages an alert sent after the restart.
        fresh = f"{MARKER}fresh"
        answer = sender.post(paging, alertmanager(fresh, [f"{fresh}-a"], fresh))
        assert answer.status == 202
        wait_until(lambda: mailbox.received[fresh], 60, "the page for the fresh alert")

        # Every webhook was accepted in the end, and every accepted alert is stored.
        assert load.unaccepted == []
        assert 500 not in sender.refusals, sender.refusals[500]
        stored = dict(database("SELECT dedup_key, received_count FROM alerts_alert"))
        for fingerprint, times in load.accepted.items():
            assert stored.get(fingerprint, 0) >= times, fingerprint

        # Every page due went out exactly once: nothing waits, nothing failed.
        groups = {*load.paging_groups, fresh}
        wait_until(
            lambda: (
                not database("SELECT 1 FROM oncall_page WHERE status IN ('pending', 'sending')")
            ),
            60,
            "every page to be settled",
        )
        pages = database("SELECT status, count(*) FROM oncall_page GROUP BY status")
        assert dict(pages) == {"sent": len(groups)}
        assert set(mailbox.received) == groups
        assert set(mailbox.received.values()) == {1}

        # Nothing was restarted: serve and its worker are the ones from before the crash.
        assert serve.alive(), serve.output
        assert database("SELECT pid FROM core_workerheartbeat") == [worker]
        assert Path(f"/proc/{worker[0]}").exists()
    finally:
        if load is not None:
            load.finish()
        if serve is not None:
            assert serve.stop() == 0, serve.output
        mail.stop()

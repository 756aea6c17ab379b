"""A PostgreSQL restart under a running `kizuki serve`: a TCP proxy between Kizuki and the
test database is cut (every connection closed, new ones refused) and restored. Senders get
503 + Retry-After meanwhile, the first requests afterwards do not trip on stale connections,
and the worker, never restarted, pages every alert exactly once.

Needs PostgreSQL: it runs in the suite's PostgreSQL run and is skipped on SQLite."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from kizuki.accounts import actions as accounts
from kizuki.core.models import WorkerHeartbeat
from kizuki.oncall.models import Page, PageStatus
from tests.conftest import make_user
from tests.core.support import Process, TcpProxy, alert, call, kizuki_env, serving, wait_until
from tests.core.support import paging_setup as set_up_paging
from tests.core.test_serve_process import paged_for
from tests.notify.support import free_port, smtp_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to restart"),
]


def database_url(proxy: TcpProxy) -> str:
    database: dict[str, Any] = settings.DATABASES["default"]
    return f"postgresql://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"


def test_paging_survives_a_postgresql_restart_and_pages_each_alert_once(tmp_path: Path) -> None:
    make_user("paged", "responder")
    admin = make_user("boss", "admin")
    _, token = accounts.create_token(admin, "faults")
    database: dict[str, Any] = settings.DATABASES["default"]
    proxy = TcpProxy(int(database["PORT"] or 5432))
    port = free_port()
    with smtp_server() as (smtp_port, mailbox):
        env = kizuki_env(database_url(proxy), KIZUKI_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
        serve = Process(["serve", "--port", str(port)], env, tmp_path)
        try:
            wait_until(lambda: serving(port), what="kizuki serve to answer healthy")
            url = set_up_paging(port, token, "paged@example.test")
            path = url[len(f"http://127.0.0.1:{port}") :]
            assert call(port, "POST", path, alert("A")).status == 202
            wait_until(lambda: paged_for(mailbox, "A"), what="the page for alert A")
            worker = WorkerHeartbeat.objects.get().pid

            proxy.cut()
            refused = call(port, "POST", path, alert("B"))
            assert refused.status == 503, refused.body
            assert refused.headers["retry-after"] == "10"
            assert refused.body["code"] == "database_unavailable"
            wait_until(lambda: proxy.refused >= 4, what="the worker to retry while cut off")
            proxy.restore()

            # Right after the restart every web thread holds a dead connection: none trips.
            answers = [call(port, "GET", "/api/v1/services", token=token) for _ in range(12)]
            assert [answer.status for answer in answers] == [200] * 12
            assert call(port, "POST", path, alert("B")).status == 202

            # A second restart with nobody calling in between: the kept connections are all
            # stale, and the first sender after it still gets through.
            proxy.cut()
            wait_until(lambda: proxy.refused >= 8, what="the worker to notice")
            proxy.restore()
            assert call(port, "POST", path, alert("C")).status == 202

            wait_until(
                lambda: paged_for(mailbox, "B") and paged_for(mailbox, "C"),
                what="the pages for alerts B and C",
            )
            wait_until(
                lambda: not Page.objects.exclude(status=PageStatus.SENT).exists(),
                what="every page to be sent",
            )
            assert [paged_for(mailbox, fp) for fp in "ABC"] == [1, 1, 1]
            assert len(mailbox.messages) == 3
            # The same worker rode out both restarts.
            assert WorkerHeartbeat.objects.get().pid == worker
            assert "database unavailable" in serve.output
        finally:
            code = serve.stop()
            proxy.close()
        assert code == 0, serve.output

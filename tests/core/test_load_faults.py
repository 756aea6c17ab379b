"""The production shape under load and faults, scaled down (bench/production.py is the full
scenario): two gunicorn web servers and two `kizuki worker` processes on PostgreSQL, reached
through a TCP proxy; a mail server per worker and a Slack stub. While two senders post
Alertmanager webhooks (new groups that page by e-mail and Slack, and a storm of repeats):

- a worker is killed (kill -9) while it hands a page to the mail server,
- a web server is killed (kill -9) with a webhook in flight; the sender retries elsewhere,
- the mail servers refuse (451) and Slack fails (500 / 429) for a while,
- PostgreSQL "restarts" (the proxy is cut and restored).

Killed processes are started again, as a supervisor would. Afterwards every accepted alert
is stored, and every page is sent, each exactly once but those the killed worker held leased
(the documented duplicate per killed lease; the page it was sending for sure). Retries and
lease expiry take minutes of real time: the live workers finish what is due now, then the
rest runs in this process with the clock moved forward.

Needs PostgreSQL (the production shape): skipped on SQLite."""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kizuki.accounts import actions as accounts
from kizuki.alerts.models import Alert, AlertGroup
from kizuki.core import clock
from kizuki.oncall.models import Page, PageStatus
from tests.conftest import MovableClock, make_user
from tests.core.load_support import (
    MARKER,
    Cluster,
    Load,
    MailServers,
    Sender,
    alertmanager,
    markers,
    set_up,
    slack_calls,
    slack_failing,
    slack_posts,
    slack_stub,
)
from tests.core.support import TcpProxy, kizuki_env, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the production shape"),
]


def database_url(proxy: TcpProxy) -> str:
    database: dict[str, Any] = settings.DATABASES["default"]
    return f"postgresql://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"


def live_work_done(held_page: int) -> bool:
    """Nothing is due now but what waits for time: retries (30 s on) and the killed lease."""
    now = clock.now()
    due = Page.objects.filter(status=PageStatus.PENDING, due_at__lte=now)
    sending = Page.objects.filter(status=PageStatus.SENDING).exclude(pk=held_page)
    return not due.exists() and not sending.exists()


def open_work() -> bool:
    pages = Page.objects.filter(status__in=[PageStatus.PENDING, PageStatus.SENDING])
    jobs = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return pages.exists() or jobs.exists()


def test_two_webs_and_two_workers_lose_nothing_through_kills_and_outages(
    tmp_path: Path, settings: Any
) -> None:
    make_user("paged", "responder")
    _, token = accounts.create_token(make_user("boss", "admin"), "load")
    database: dict[str, Any] = settings.DATABASES["default"]
    proxy = TcpProxy(int(database["PORT"] or 5432))
    mail = MailServers(2)
    mailbox = mail.mailbox
    slack = slack_stub()
    env = kizuki_env(
        database_url(proxy),
        KIZUKI_SLACK_BOT_TOKEN=slack.token,
        KIZUKI_SLACK_SIGNING_SECRET=slack.signing_secret,
        KIZUKI_SLACK_API_URL=slack.url,
    )
    cluster = Cluster(env, tmp_path, mail.url)
    load = None
    try:
        cluster.wait_serving()
        paging, storm = set_up(cluster.ports[0], token)
        sender = Sender(cluster.ports, give_up_after=90)
        load = Load(sender, paging, storm)
        wait_until(lambda: len(mailbox.received) >= 3, 60, "the first pages")

        # kill -9 of worker 0 while the mail server holds the page it is sending.
        mailbox.hold(0)
        wait_until(lambda: mailbox.held, 60, "worker 0 to send a page")
        held = mailbox.held
        cluster.workers[0].kill()
        # Its leases: the held page and the rest of its batch (some maybe out already). The
        # live worker's pages in flight are among them too, but it records those.
        leased = Page.objects.filter(status=PageStatus.SENDING)
        leased_at_kill = {
            method: set(leased.filter(method=method).values_list("escalation__title", flat=True))
            for method in ("email", "slack")
        }
        mailbox.release()
        cluster.restart_worker(0)
        held_page = Page.objects.get(escalation__title=held, method="email")
        assert held_page.status == PageStatus.SENDING

        # kill -9 of web server 0 with a paging webhook in flight; the sender retries.
        killed_group = f"{MARKER}killed"
        body = alertmanager(killed_group, [f"{killed_group}-a"], killed_group)
        cut_short, status = sender.post_while_killed(
            paging, body, cluster.ports[0], cluster.webs[0].kill
        )
        assert (cut_short, status) == (True, 202)
        cluster.start_web(0)  # it boots while the faults go on; it must serve by the end

        # Mail refused and Slack failing while webhooks keep coming.
        refused, opened = mailbox.refused, slack_calls(slack, "conversations.open")
        mailbox.refusing.set()
        slack_failing(slack, True)
        wait_until(lambda: mailbox.refused >= refused + 3, 60, "pages refused by mail")
        wait_until(
            lambda: slack_calls(slack, "conversations.open") >= opened + 3, 60, "Slack failing"
        )
        mailbox.refusing.clear()
        slack_failing(slack, False)

        # A PostgreSQL restart: senders get 503 and retry; workers wait and carry on.
        answered_503 = sender.answers["503"]
        proxy.cut()
        wait_until(lambda: sender.answers["503"] > answered_503, 60, "a 503 while cut off")
        wait_until(lambda: proxy.refused >= 6, 60, "the workers to retry while cut off")
        proxy.restore()
        after = load.count()
        wait_until(lambda: load.count() >= after + 20, 60, "webhooks accepted again")
        cluster.wait_serving()
        load.finish()

        # Every webhook was accepted in the end, and every accepted alert is stored.
        assert load.unaccepted == []
        stored = dict(Alert.objects.values_list("dedup_key", "received_count"))
        for fingerprint, times in load.accepted.items():
            assert stored.get(fingerprint, 0) >= times, fingerprint
        assert stored[f"{killed_group}-a"] >= 1
        groups = [*load.paging_groups, killed_group]
        assert AlertGroup.objects.filter(escalation__title__in=groups).count() == len(groups)

        # The live workers send everything due now; then they stop (SIGTERM: clean exit).
        wait_until(lambda: live_work_done(held_page.pk), 60, "the workers to catch up")
        assert cluster.stop_workers() == [0, 0]
    finally:
        if load is not None:
            load.finish()
        cluster.stop()
        proxy.close()

    # What waits for time (retries after 30 s and 2 min, the killed lease after 60 s): here,
    # with the clock moved on, as the workers would a few minutes later.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mail.controllers[0].port
    settings.KIZUKI_SLACK_BOT_TOKEN, settings.KIZUKI_SLACK_API_URL = slack.token, slack.url
    later = MovableClock(datetime.now(UTC))
    try:
        for _ in range(5):
            if not open_work():
                break
            later.advance(minutes=3)
            call_command("worker", batch=True)
    finally:
        clock.set_now(None)
        mail.stop()
        slack.stop()

    pages = Counter(Page.objects.values_list("status", flat=True))
    assert pages == {PageStatus.SENT: 2 * len(groups)}
    # Every group reached by e-mail and Slack once; a second copy only of a page the killed
    # worker held leased (sent, not yet recorded: its lease ran out), the held one for sure.
    posted = Counter(marker for text in slack_posts(slack) for marker in markers(text))
    for method, delivered in (("email", mailbox.received), ("slack", posted)):
        assert set(delivered) == set(groups), method
        assert set(delivered.values()) <= {1, 2}, method
        twice = {marker for marker, count in delivered.items() if count == 2}
        assert twice <= leased_at_kill[method], method
    assert mailbox.received[held] == 2
    # No job was lost with the killed worker: nothing is left waiting or running.
    assert not open_work()

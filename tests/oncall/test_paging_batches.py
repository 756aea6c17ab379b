"""Pages go out in batches: a few SMTP connections carry a whole batch, a refusal mid-batch
retries only the page it refused, and several worker processes draining the same due pages
send each exactly once. Against a real SMTP server on 127.0.0.1 and real worker processes."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings as django_settings
from django.db import connection

from kizuki.accounts.models import OrgRole, User
from kizuki.notify import actions as notify
from kizuki.oncall import actions, delivery
from kizuki.oncall.models import Escalation, Page
from tests.conftest import MovableClock
from tests.core.support import KIZUKI, kizuki_env
from tests.notify.support import MailRecorder, free_port, run_worker


@dataclass
class CountingMail(MailRecorder):
    """Keeps every SMTP session it served, and refuses RCPT for `greylisted` addresses with a
    451 the first time each is tried."""

    greylisted: set[str] = field(default_factory=set)
    sessions: list[Session] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, session: Session, envelope: Envelope, address: str, _options: Any
    ) -> str:
        if session not in self.sessions:
            self.sessions.append(session)
        if address in self.greylisted:
            self.greylisted.discard(address)
            return "451 4.3.0 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def subjects(self) -> list[str]:
        return sorted(str(message["Subject"]) for _rcpt, message in self.messages)


@contextmanager
def mail_server(settings: Any, greylisted: set[str] | None = None) -> Iterator[CountingMail]:
    handler = CountingMail(greylisted=set(greylisted or ()))
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        yield handler
    finally:
        controller.stop()


def seed(people: int, alerts: int) -> None:
    """`people` responders with an e-mail rule each, and `alerts` escalations paging them all."""
    users = []
    for n in range(people):
        user = User.objects.create_user(
            f"p{n}", email=f"p{n}@example.test", org_role=OrgRole.RESPONDER
        )
        notify.add_rule(user, user, "email", f"p{n}@example.test")
        users.append(user)
    targets = [{"type": "user", "id": user.username} for user in users]
    policy = actions.create_policy(None, "Storm", steps=[{"targets": targets}])
    for n in range(alerts):
        actions.start_escalation(policy, f"Alert {n:03d}")


def expected(people: int, alerts: int) -> list[str]:
    return sorted(f"[Kizuki] Alert {n:03d}" for n in range(alerts) for _ in range(people))


@pytest.mark.django_db
def test_a_few_smtp_connections_carry_a_batch_of_pages(
    settings: Any, frozen_clock: MovableClock
) -> None:
    seed(people=2, alerts=20)
    with mail_server(settings) as server:
        run_worker()
    assert server.subjects() == expected(2, 20)
    # 40 messages share EMAIL_LANES connections (each carries its share in a row).
    assert len(server.sessions) == delivery.EMAIL_LANES
    assert set(Page.objects.values_list("status", "attempts")) == {("sent", 1)}
    sent = Page.objects.get(escalation__title="Alert 007", user__username="p1")
    assert sent.escalation.events.filter(kind="sent", data__page=sent.pk).count() == 1


@pytest.mark.django_db
def test_a_small_batch_goes_over_one_smtp_connection(
    settings: Any, frozen_clock: MovableClock
) -> None:
    seed(people=1, alerts=delivery.PAGES_PER_LANE * 2 - 1)
    with mail_server(settings) as server:
        run_worker()
    assert len(server.messages) == delivery.PAGES_PER_LANE * 2 - 1
    assert len(server.sessions) == 1


@pytest.mark.django_db
def test_a_refusal_mid_batch_retries_only_that_page_after_its_back_off(
    settings: Any, frozen_clock: MovableClock
) -> None:
    seed(people=3, alerts=4)
    with mail_server(settings, greylisted={"p1@example.test"}) as server:
        run_worker()
        # Every page but the refused one went out, once; the connection was opened again
        # after the refusal.
        assert len(server.messages) == 11
        assert len(server.sessions) == 2
        (refused,) = Page.objects.filter(status="pending")
        assert (refused.address, refused.attempts) == ("p1@example.test", 1)
        assert "451 4.3.0 Greylisted" in refused.last_error
        assert Page.objects.filter(status="sent", attempts=1).count() == 11

        frozen_clock.advance(seconds=29)
        run_worker()
        assert len(server.messages) == 11
        frozen_clock.advance(seconds=1)
        run_worker()

    assert server.subjects() == expected(3, 4)
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("sent", 2)
    assert refused.escalation.events.filter(kind="sent").count() == 3


def shared_database(tmp_path: Path) -> str:
    """A database URL other processes can open, holding what the test wrote: the test
    database on PostgreSQL; on SQLite (whose test database lives in memory) a copy in a file."""
    if connection.vendor == "postgresql":
        database: dict[str, Any] = django_settings.DATABASES["default"]
        port = database["PORT"] or 5432
        return f"postgresql://{database['USER']}@127.0.0.1:{port}/{database['NAME']}"
    copy = tmp_path / "workers.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    return f"sqlite:///{copy}"


@pytest.mark.django_db(transaction=True)
def test_worker_processes_draining_the_same_pages_send_each_exactly_once(
    tmp_path: Path,
) -> None:
    people, alerts, workers = 2, 60, 3
    seed(people, alerts)
    handler = CountingMail()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = kizuki_env(
        shared_database(tmp_path), KIZUKI_EMAIL_URL=f"smtp://127.0.0.1:{controller.port}"
    )
    try:
        # Each does what is due and exits; they start together and race for the same rows.
        running = [
            subprocess.Popen(
                [KIZUKI, "worker", "--batch"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(workers)
        ]
        outputs = [process.communicate(timeout=600)[0] for process in running]
    finally:
        controller.stop()
    assert [process.returncode for process in running] == [0] * workers, outputs
    assert handler.subjects() == expected(people, alerts)
    if connection.vendor == "postgresql":
        assert set(Page.objects.values_list("status", "attempts")) == {("sent", 1)}
        assert Escalation.objects.filter(events__kind="step").count() == alerts

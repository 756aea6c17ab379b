"""Stakeholder deliveries that fail for a while are tried again with back-off (1, 5, 15
minutes) by the worker; permanent failures are final; what went out never goes out twice."""

from typing import Any

import pytest

from kizuki.catalog.models import Service
from kizuki.core import periodic
from kizuki.stakeholders import relay_actions
from kizuki.stakeholders.models import Delivery
from tests.conftest import Api, MovableClock
from tests.jobs import run_queued_jobs, run_worker
from tests.notify.smtp_support import refusing_smtp_server
from tests.notify.support import free_port, smtp_server
from tests.stakeholders.conftest import subscribe
from tests.stakeholders.support import delivered, tell_stakeholders

pytestmark = pytest.mark.django_db


def state() -> tuple[str, int, str]:
    delivery = Delivery.objects.get()
    return delivery.outcome, delivery.attempts, delivery.error


def test_a_greylisted_update_is_delivered_exactly_once_after_the_clock_moves(
    frozen_clock: MovableClock, api: Api, sev2: str, service: Service, settings: Any
) -> None:
    subscribe("sales@example.test", language="en")
    with refusing_smtp_server(settings, "RCPT", "451 4.3.0 Greylisted", times=2) as server:
        tell_stakeholders(api, sev2, "Investigating", plain_text="Some payments fail.")
        run_worker()
        outcome, attempts, error = state()
        assert (outcome, attempts) == ("pending", 1)
        assert "451 4.3.0 Greylisted" in error

        frozen_clock.advance(seconds=59)
        run_worker()
        assert state()[:2] == ("pending", 1)  # not before its minute
        frozen_clock.advance(seconds=1)
        run_worker()
        assert state()[:2] == ("pending", 2)
        frozen_clock.advance(minutes=5)
        run_worker()
        frozen_clock.advance(hours=1)
        run_worker()

    assert server.refused == ["RCPT", "RCPT"]
    assert [recipients for recipients, _message in server.messages] == [["sales@example.test"]]
    assert state() == ("sent", 3, "")


def test_a_mail_server_that_was_down_gets_the_update_once_it_is_back(
    frozen_clock: MovableClock, api: Api, sev2: str, settings: Any
) -> None:
    subscribe("sales@example.test")
    port = free_port()  # nothing listens yet: connection refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    tell_stakeholders(api, sev2, "Investigating")
    run_worker()
    assert state()[:2] == ("pending", 1)

    with smtp_server() as (up_port, server):
        settings.EMAIL_PORT = up_port
        frozen_clock.advance(minutes=1)
        run_worker()
        assert len(server.messages) == 1
        # The relay job running again (retried, or a second worker) sends nothing twice.
        assert relay_actions.relay_update(Delivery.objects.get().status_update_id) == 0
        frozen_clock.advance(hours=1)
        run_worker()

    assert [recipients for recipients, _message in server.messages] == [["sales@example.test"]]
    assert delivered() == [("sales@example.test", "sent", "")]


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(
    frozen_clock: MovableClock, api: Api, sev2: str, settings: Any
) -> None:
    subscribe("nobody@example.test")
    with refusing_smtp_server(settings, "RCPT", "550 5.1.1 No such user", times=10) as server:
        tell_stakeholders(api, sev2, "Investigating")
        run_worker()
        frozen_clock.advance(hours=1)
        run_worker()
    assert server.refused == ["RCPT"]
    outcome, attempts, error = state()
    assert (outcome, attempts) == ("failed", 1)
    assert "550 5.1.1 No such user" in error


def test_after_four_failed_attempts_the_delivery_has_failed(
    frozen_clock: MovableClock, api: Api, sev2: str, settings: Any
) -> None:
    subscribe("sales@example.test")
    with refusing_smtp_server(settings, "RCPT", "451 4.3.0 Greylisted", times=10) as server:
        tell_stakeholders(api, sev2, "Investigating")
        run_worker()
        for wait in (1, 5, 15):
            frozen_clock.advance(minutes=wait)
            run_worker()
        frozen_clock.advance(hours=2)
        run_worker()
    assert len(server.refused) == 4
    assert server.messages == []
    assert state()[:2] == ("failed", 4)


def test_a_delivery_left_sending_by_a_dead_worker_is_sent_once_more(
    frozen_clock: MovableClock, api: Api, sev2: str, mailoutbox: Any
) -> None:
    subscribe("sales@example.test")
    update = tell_stakeholders(api, sev2, "Investigating")
    relay_actions.queue_deliveries(update["id"])
    claimed = relay_actions._claim(update["id"])  # a worker leases it… and dies
    assert claimed is not None
    assert claimed.outcome == "sending"

    frozen_clock.advance(seconds=59)
    assert relay_actions.deliver_due() == 0  # the lease still holds: nobody else sends it
    frozen_clock.advance(seconds=1)
    assert relay_actions.deliver_due() == 1
    run_queued_jobs()  # the relay job itself, late: finds it sent
    frozen_clock.advance(hours=1)
    assert relay_actions.deliver_due() == 0
    assert len(mailoutbox) == 1
    assert state()[:2] == ("sent", 2)


def test_the_worker_registers_the_retries() -> None:
    assert relay_actions.deliver_due in periodic.jobs()

"""SMTP refusals: a 4xx reply (greylisting, a full queue) is tried again like any transient
failure; only a 5xx reply fails for good. Against a real SMTP server on 127.0.0.1."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.notify.channels import DeliveryError, channel_for
from kizuki.oncall import actions
from kizuki.oncall.models import Escalation, EscalationPolicy
from tests.conftest import Api, MovableClock
from tests.notify.smtp_support import refusing_smtp_server
from tests.notify.support import add_rule, create_policy, pages, run_worker, step

pytestmark = pytest.mark.django_db


def start(api: Api, username: str) -> Escalation:
    policy = create_policy(api, "Checkout", [step(("user", username))])
    return actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]), "Checkout is down", summary="HTTP 500"
    )


def test_a_greylisted_page_is_retried_and_delivered_once(
    admin_api: Api, responder: User, frozen_clock: MovableClock, settings: Any
) -> None:
    add_rule(admin_api, responder, "email")
    add_rule(admin_api, responder, "email", "rei.backup@example.test", delay=10)
    with refusing_smtp_server(settings, "RCPT", "451 4.3.0 Greylisted", times=2) as server:
        escalation = start(admin_api, "rei")
        run_worker()
        (page,) = pages(escalation, rule_position=0)
        assert (page.status, page.attempts) == ("pending", 1)
        assert "451 4.3.0 Greylisted" in page.last_error

        frozen_clock.advance(seconds=30)  # the page's first back-off
        run_worker()
        frozen_clock.advance(minutes=2)  # the second
        run_worker()
        run_worker()

    assert server.refused == ["RCPT", "RCPT"]
    assert [recipients for recipients, _message in server.messages] == [["rei@example.test"]]
    # Delivered on the third attempt; the backup rule waits for its own delay as usual.
    first, backup = sorted(pages(escalation), key=lambda page: page.rule_position)
    assert (first.status, first.attempts) == ("sent", 3)
    assert backup.status == "pending"


def test_a_5xx_at_rcpt_fails_the_page_at_once_and_falls_through(
    admin_api: Api, responder: User, frozen_clock: MovableClock, settings: Any
) -> None:
    add_rule(admin_api, responder, "email")
    add_rule(admin_api, responder, "email", "rei.backup@example.test", delay=10)
    with refusing_smtp_server(settings, "RCPT", "550 5.1.1 No such user", times=1) as server:
        escalation = start(admin_api, "rei")
        run_worker()

    first, backup = sorted(pages(escalation), key=lambda page: page.rule_position)
    assert (first.status, first.attempts) == ("failed", 1)
    assert "550 5.1.1 No such user" in first.last_error
    assert backup.status == "sent"
    assert [recipients for recipients, _message in server.messages] == [
        ["rei.backup@example.test"]
    ]


@pytest.mark.parametrize(
    ("stage", "reply", "permanent"),
    [
        ("RCPT", "451 4.3.0 Greylisted", False),
        ("RCPT", "452 4.2.2 Mailbox full", False),
        ("RCPT", "550 5.1.1 No such user", True),
        ("MAIL", "421 4.7.0 Try again later", False),
        ("MAIL", "451 4.7.1 Sender deferred", False),
        ("MAIL", "553 5.7.1 Sender refused", True),
        ("DATA", "451 4.3.0 Queue full", False),
        ("DATA", "554 5.7.1 Message refused", True),
    ],
)
def test_only_5xx_replies_are_permanent(
    settings: Any, stage: str, reply: str, permanent: bool
) -> None:
    with refusing_smtp_server(settings, stage, reply) as server:
        with pytest.raises(DeliveryError) as failure:
            channel_for("email").send("rei@example.test", "Disk full", "On db-1")
        assert failure.value.permanent is permanent
        assert reply.split(" ", 1)[1] in failure.value.reason
        # The next attempt goes through.
        channel_for("email").send("rei@example.test", "Disk full", "On db-1")
    assert len(server.messages) == 1

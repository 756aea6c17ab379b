"""Page delivery through real local servers: retries with back-off, failure and fall-through
to the next rule, a worker killed mid-step or mid-send, real SMTP and Apprise deliveries."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from kizuki.accounts.models import User
from kizuki.core import events
from kizuki.oncall import actions, delivery, engine
from kizuki.oncall.events import EscalationEvent, EscalationStepRan
from kizuki.oncall.history import FACTS
from kizuki.oncall.models import Escalation, EscalationPolicy, Page
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import (
    add_rule,
    create_policy,
    kinds,
    paged,
    pages,
    run_worker,
    smtp_server,
    step,
    webhook_server,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(db: None) -> User:
    return make_user("sam", "responder")


def start(api: Api, *targets: str, wait: int = 30) -> Escalation:
    policy = create_policy(api, "Checkout", [step(*[("user", t) for t in targets], wait=wait)])
    return actions.start_escalation(
        EscalationPolicy.objects.get(pk=policy["id"]),
        "Checkout is down",
        summary="HTTP 500 on /pay",
        link="http://kizuki.test/alerts/1",
        ack_link="http://kizuki.test/alerts/1/ack",
    )


@pytest.mark.usefixtures("loopback_allowed")
def test_a_failing_method_is_retried_with_back_off_then_falls_through_to_the_next(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    with webhook_server(status=500) as (port, hook):
        add_rule(admin_api, sam, "apprise", f"json://127.0.0.1:{port}/")
        add_rule(admin_api, sam, "email", delay=10)
        escalation = start(admin_api, "sam")
        run_worker()
        assert len(hook.requests) == 1
        (first,) = pages(escalation, method="apprise")
        assert (first.status, first.attempts) == ("pending", 1)
        assert first.due_at == frozen_clock.now + timedelta(seconds=30)
        assert first.last_error

        frozen_clock.advance(seconds=29)
        run_worker()
        assert len(hook.requests) == 1
        frozen_clock.advance(seconds=1)
        run_worker()
        assert len(hook.requests) == 2
        frozen_clock.advance(minutes=1, seconds=59)
        run_worker()
        assert len(hook.requests) == 2
        assert not mail.outbox
        frozen_clock.advance(seconds=1)
        run_worker()
        assert len(hook.requests) == 3

    # Three attempts failed: the page has failed, and e-mail went out at once, not at +10 min.
    assert paged(escalation, "failed") == [("sam", "apprise", 1)]
    assert paged(escalation) == [("sam", "email", 1)]
    assert [m.to for m in mail.outbox] == [["sam@example.test"]]
    assert kinds(escalation) == ["triggered", "step", "exhausted", "failed", "sent"]
    failed = escalation.events.get(kind="failed")
    assert (failed.user, failed.data["method"], failed.data["step"]) == (sam, "apprise", 1)

    frozen_clock.advance(minutes=10)
    run_worker()
    assert len(mail.outbox) == 1
    assert len(pages(escalation)) == 2


def test_a_permanent_failure_falls_through_without_retrying(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    add_rule(admin_api, sam, "slack", "U012AB3CD")
    add_rule(admin_api, sam, "email", delay=5)
    escalation = start(admin_api, "sam")
    run_worker()
    (slack,) = pages(escalation, method="slack")
    assert (slack.status, slack.attempts, slack.last_error) == (
        "failed",
        1,
        "Slack is not configured",
    )
    assert [m.to for m in mail.outbox] == [["sam@example.test"]]


class Crash:
    """Arms an in-transaction step subscriber that blows up mid-step, like a killed worker."""

    armed = False

    @classmethod
    def on_event(cls, event: EscalationStepRan) -> None:  # noqa: ARG003 - any step will do
        if cls.armed:
            raise RuntimeError("worker killed mid-step")


@pytest.fixture
def crash() -> Iterator[type[Crash]]:
    events.subscribe(EscalationStepRan, Crash.on_event, delivery=events.IN_TRANSACTION)
    try:
        yield Crash
    finally:
        Crash.armed = False
        events.unsubscribe(EscalationStepRan, Crash.on_event)


def test_a_step_killed_half_way_leaves_nothing_behind_and_runs_whole_later(
    admin_api: Api,
    sam: User,
    frozen_clock: MovableClock,
    crash: type[Crash],
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_user("tom", "responder")
    escalation = start(admin_api, "sam", "tom")
    crash.armed = True
    assert engine.run_due_escalations() == 0
    assert "worker killed mid-step" in caplog.text
    # The pages were inserted before the crash; the rollback took them with it.
    assert not Page.objects.exists()
    assert kinds(escalation) == ["triggered"]
    state = Escalation.objects.get(pk=escalation.pk)
    assert (state.status, state.step_index) == ("active", 0)

    crash.armed = False
    assert engine.run_due_escalations() == 0  # a failed step waits a little before its retry
    frozen_clock.advance(seconds=10)
    run_worker()
    assert paged(escalation) == [("sam", "email", 1), ("tom", "email", 1)]
    assert kinds(escalation).count("step") == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["sam@example.test", "tom@example.test"]


def test_a_page_left_sending_by_a_dead_worker_is_sent_again_exactly_once(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    escalation = start(admin_api, "sam")
    engine.run_due_escalations()
    (claimed,), _settled = delivery.claim()  # a worker leases the page… and dies
    assert claimed.status == "sending"

    frozen_clock.advance(seconds=59)
    assert engine.deliver_due_pages() == 0  # the lease still holds: nobody else touches it
    assert not mail.outbox

    frozen_clock.advance(seconds=1)
    assert engine.deliver_due_pages() == 1
    assert engine.deliver_due_pages() == 0
    assert len(mail.outbox) == 1
    page = Page.objects.get()
    assert (page.status, page.attempts) == ("sent", 2)

    # The dead worker's late record of its own attempt changes nothing.
    delivery.record([delivery.Outcome(claimed)])
    assert kinds(escalation).count("sent") == 1


def test_a_leased_page_of_an_acknowledged_escalation_is_cancelled_not_sent(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    escalation = start(admin_api, "sam")
    engine.run_due_escalations()
    delivery.claim()
    actions.acknowledge_escalation(escalation, sam)
    frozen_clock.advance(minutes=2)
    assert engine.deliver_due_pages() == 1
    assert paged(escalation, "cancelled") == [("sam", "email", 1)]
    assert not mail.outbox


def test_e_mail_reaches_a_real_smtp_server(
    admin_api: Api, sam: User, frozen_clock: MovableClock, settings: Any
) -> None:
    add_rule(admin_api, sam, "email", "sam.pager@example.test")
    with smtp_server() as (port, server):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        escalation = start(admin_api, "sam")
        run_worker()
    ((recipients, message),) = server.messages
    assert recipients == ["sam.pager@example.test"]
    assert message["Subject"] == "[Kizuki] Checkout is down"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "HTTP 500 on /pay" in body
    assert "http://kizuki.test/alerts/1/ack" in body
    assert paged(escalation) == [("sam", "email", 1)]


@pytest.mark.usefixtures("loopback_allowed")
def test_apprise_delivers_to_a_local_webhook(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    with webhook_server() as (port, hook):
        add_rule(admin_api, sam, "apprise", f"json://127.0.0.1:{port}/pager")
        escalation = start(admin_api, "sam")
        run_worker()
    ((request,),) = [hook.requests]
    assert request["path"] == "/pager"
    assert request["json"]["title"] == "[Kizuki] Checkout is down"
    assert "http://kizuki.test/alerts/1" in request["json"]["message"]
    assert paged(escalation) == [("sam", "apprise", 1)]
    sent = escalation.events.get(kind="sent")
    assert (sent.user, sent.data["method"]) == (sam, "apprise")


class Listener:
    """A subscriber to every escalation event that records while a test wants it."""

    heard: list[EscalationEvent] | None = None

    @classmethod
    def on_event(cls, event: EscalationEvent) -> None:
        if cls.heard is not None:
            cls.heard.append(event)


def test_the_history_is_told_to_subscribers(
    admin_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    escalation = start(admin_api, "sam")
    events.subscribe(EscalationEvent, Listener.on_event, delivery=events.IN_TRANSACTION)
    heard: list[EscalationEvent] = []
    Listener.heard = heard
    try:
        run_worker()
        actions.acknowledge_escalation(escalation, sam)
    finally:
        Listener.heard = None
        events.unsubscribe(EscalationEvent, Listener.on_event)
    kinds = {fact: kind for kind, fact in FACTS.items()}
    assert [(kinds[type(e)], e.user) for e in heard] == [
        ("step", None),
        ("exhausted", None),
        ("sent", "sam"),
        ("acknowledged", "sam"),
    ]
    assert {e.escalation_id for e in heard} == {escalation.pk}
    assert heard[0].data["users"] == ["sam"]

"""Reminders, with time moved on the injectable clock: the owner before the due date, the
owner and the team once it is overdue and then weekly, each once however often the worker
runs; by the person's first notification rule, never as a page."""

from typing import Any

import pytest
from django.core import mail

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.core import periodic
from kizuki.followups.reminders import send_reminders
from kizuki.notify import actions as notify
from kizuki.oncall.models import Page
from tests.conftest import Api, MovableClock, make_user
from tests.followups.support import english, ok, resolved_incident, write
from tests.notify.support import webhook_server


@pytest.fixture
def followup(
    responder_api: Api, responder: User, service: Any, frozen_clock: MovableClock, settings: Any
) -> dict[str, Any]:
    """A SEV1 follow-up owned by rei, due in 14 days, of the payments team (rei and mio).
    Reminders speak English (people without a language of their own get the server's)."""
    settings.LANGUAGE_CODE = "en"
    api = english(responder_api)
    team = service.team
    accounts.add_member(team, responder)
    accounts.add_member(team, make_user("mio", "responder"))
    ref = resolved_incident(api, severity=1, services=["checkout"])
    return write(api, ref, "Add an alert on queue depth", owner="rei")


def sent_to() -> list[list[str]]:
    return [message.to for message in mail.outbox]


def test_the_owner_is_reminded_before_and_everyone_after_the_due_date(
    followup: dict[str, Any], frozen_clock: MovableClock
) -> None:
    assert followup["due_date"] == "2026-12-09"
    frozen_clock.advance(days=10)  # five days to go: nothing yet
    assert send_reminders() == 0
    frozen_clock.advance(days=1)  # three days to go
    assert send_reminders() == 1
    assert sent_to() == [["rei@example.test"]]
    assert mail.outbox[0].subject == "Follow-up due on 2026-12-09: Add an alert on queue depth"
    assert f"/followups/{followup['id']}/" in mail.outbox[0].body
    assert send_reminders() == 0  # once
    frozen_clock.advance(days=3)  # the due date itself: nothing new
    assert send_reminders() == 0
    frozen_clock.advance(days=1)  # overdue
    assert send_reminders() == 2  # the owner and the team (rei is both)
    assert sent_to()[1:] == [["rei@example.test"], ["mio@example.test"]]
    assert mail.outbox[1].subject == "Follow-up overdue: Add an alert on queue depth"
    for _ in range(3):
        assert periodic.run_once() >= 0
    assert len(mail.outbox) == 3
    frozen_clock.advance(days=6)
    assert send_reminders() == 0
    frozen_clock.advance(days=1)  # a week later: again
    assert send_reminders() == 2
    assert Page.objects.count() == 0  # a reminder is not a page


def test_done_follow_ups_are_not_reminded_and_a_new_date_gets_new_reminders(
    followup: dict[str, Any], frozen_clock: MovableClock, responder_api: Api
) -> None:
    api = english(responder_api)
    path = f"/followups/{followup['id']}"
    frozen_clock.advance(days=11)
    assert send_reminders() == 1
    ok(api.patch(path, {"due_date": "2026-12-20", "due_date_reason": "Waits for the vendor"}))
    frozen_clock.advance(days=6)  # 2026-12-12: the old date is past, the new one not near
    assert send_reminders() == 0
    frozen_clock.advance(days=5)  # 2026-12-17: three days before the new date
    assert send_reminders() == 1
    ok(api.patch(path, {"status": "done"}))
    frozen_clock.advance(days=30)
    assert send_reminders() == 0
    assert len(mail.outbox) == 2


@pytest.mark.usefixtures("loopback_allowed")
def test_the_reminder_takes_the_owners_first_rule(
    followup: dict[str, Any], frozen_clock: MovableClock, responder: User
) -> None:
    with webhook_server() as (port, hook):
        notify.add_rule(None, responder, "apprise", f"json://127.0.0.1:{port}/rei")
        notify.add_rule(None, responder, "email")
        frozen_clock.advance(days=11)
        assert send_reminders() == 1
    [request] = hook.requests
    assert request["path"] == "/rei"
    assert request["json"]["title"] == "Follow-up due on 2026-12-09: Add an alert on queue depth"
    assert mail.outbox == []


def test_a_failing_first_rule_falls_back_to_email(
    followup: dict[str, Any], frozen_clock: MovableClock, responder: User
) -> None:
    notify.add_rule(None, responder, "slack", "U0REI")  # Slack is not configured here
    frozen_clock.advance(days=11)
    assert send_reminders() == 1
    assert sent_to() == [["rei@example.test"]]


def test_reminders_speak_the_recipients_language(
    followup: dict[str, Any], frozen_clock: MovableClock, responder: User
) -> None:
    accounts.set_language(responder, "ja")
    frozen_clock.advance(days=11)
    send_reminders()
    assert "2026-12-09" in mail.outbox[0].subject
    assert "Add an alert on queue depth" in mail.outbox[0].subject

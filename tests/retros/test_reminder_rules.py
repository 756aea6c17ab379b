"""An overdue-retrospective reminder reaches a person like any other nudge (notify.actions.tell):
by their first notification rule, e-mail when that fails or when they have none, never a page."""

import pytest
from django.core import mail

from kizuki.accounts.models import User
from kizuki.notify import actions as notify
from kizuki.oncall.models import Page
from kizuki.retros.reminders import send_overdue_reminders
from tests.conftest import Api, MovableClock
from tests.notify.support import webhook_server
from tests.retros.domain_support import resolved_incident, start

pytestmark = pytest.mark.django_db


def test_the_reminder_takes_the_owners_first_rule(
    responder: User, responder_api: Api, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)  # rei owns it
    with webhook_server() as (port, hook):
        notify.add_rule(None, responder, "apprise", f"json://127.0.0.1:{port}/rei")
        frozen_clock.advance(days=15)
        assert send_overdue_reminders() == 1
    [request] = hook.requests
    assert request["path"] == "/rei"
    assert ref in request["json"]["title"]
    assert mail.outbox == []
    assert not Page.objects.exists()


def test_a_failing_first_rule_falls_back_to_email(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)
    notify.add_rule(None, responder, "slack", "U0REI")  # Slack is not configured here
    frozen_clock.advance(days=15)
    assert send_overdue_reminders() == 1
    assert [m.to for m in mail.outbox] == [["rei@example.test"]]
    assert ref in mail.outbox[0].subject

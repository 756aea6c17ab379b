"""Visit reminders, with time moved on the injectable clock: the owner is told when the next
visit comes, once per date however often the worker runs, and again for the next date."""

from typing import Any

import pytest
from django.core import mail

from kizuki.core import periodic
from kizuki.risks.reminders import send_visit_reminders
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.risks.support import ok, record


@pytest.fixture
def risk(responder_api: Api, frozen_clock: MovableClock, settings: Any) -> dict[str, Any]:
    settings.LANGUAGE_CODE = "en"  # people without a language of their own get the server's
    return record(english(responder_api), "Memory climbs on api", owner="rei", status="in_progress")


def test_the_owner_is_reminded_once_when_the_visit_is_due(
    risk: dict[str, Any], responder_api: Api, frozen_clock: MovableClock
) -> None:
    assert risk["next_visit"] == "2026-12-09"
    frozen_clock.advance(days=13)  # the day before
    assert send_visit_reminders() == 0
    frozen_clock.advance(days=1)
    assert send_visit_reminders() == 1
    assert [m.to for m in mail.outbox] == [["rei@example.test"]]
    assert mail.outbox[0].subject == "Risk to visit: Memory climbs on api"
    assert f"/risks/{risk['id']}/" in mail.outbox[0].body
    for _ in range(3):
        periodic.run_once()
    frozen_clock.advance(days=2)
    assert send_visit_reminders() == 0
    assert len(mail.outbox) == 1
    # A visit sets the next date, which gets its own reminder when it comes.
    ok(responder_api.post(f"/risks/{risk['id']}/visits", {"note": "Still climbing."}), 201)
    frozen_clock.advance(days=14)
    assert send_visit_reminders() == 1
    assert len(mail.outbox) == 2


def test_done_risks_and_risks_without_owner_are_not_reminded(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    record(responder_api, "nobody's", status="in_progress")
    done = record(responder_api, "finished", owner="rei", status="in_progress")
    ok(responder_api.patch(f"/risks/{done['id']}", {"status": "done", "reason": "Fixed."}))
    frozen_clock.advance(days=40)
    assert send_visit_reminders() == 0
    assert mail.outbox == []

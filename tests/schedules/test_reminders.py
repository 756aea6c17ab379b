"""Shift-start reminders: the incoming person gets the incident commander's checklist once,
in their language."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage

from kizuki.accounts import actions as accounts
from kizuki.core import periodic
from kizuki.schedules.models import ShiftReminder
from kizuki.schedules.reminders import send_shift_reminders
from tests.conftest import Api, MovableClock
from tests.schedules.support import create, layer, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota(responder_api: Api, frozen_clock: MovableClock) -> int:
    """ana (English) and ben (Japanese) take daily turns from 09:00 Tokyo on 2026-11-25;
    the clock stands at 10:00 Tokyo that day, an hour into ana's first shift."""
    folks = people("ana", "ben", "chie")
    accounts.set_language(folks["ana"], "en")
    accounts.set_language(folks["ben"], "ja")
    schedule: int = create(responder_api, [layer(["ana", "ben"], "1d", start="2026-11-25")])["id"]
    return schedule


def test_the_incoming_person_gets_the_checklist_once(
    rota: int, frozen_clock: MovableClock, mailoutbox: list[EmailMessage]
) -> None:
    assert send_shift_reminders() == 1
    assert send_shift_reminders() == 0  # a second tick (or worker) sends nothing more
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ana@example.test"]
    assert mail.subject == "You are on call for Primary"
    body = str(mail.body)
    assert "from 2026-11-25 09:00 until 2026-11-26 09:00 (Asia/Tokyo)" in body
    for step in (
        "Gather people",
        "Assign",
        "Report",
        "Do not dig into logs",
        "decide whether to hold a postmortem",
    ):
        assert step in body
    assert f"/schedules/{rota}/" in body
    assert ShiftReminder.objects.count() == 1

    frozen_clock.advance(hours=12)  # mid-shift: nobody new
    assert send_shift_reminders() == 0


def test_the_next_person_is_reminded_in_their_own_language(
    rota: int, frozen_clock: MovableClock, mailoutbox: list[EmailMessage]
) -> None:
    send_shift_reminders()
    frozen_clock.advance(days=1)  # 10:00 Tokyo on 11-26: ben's shift
    assert send_shift_reminders() == 1
    mail = mailoutbox[-1]
    assert mail.to == ["ben@example.test"]
    assert mail.subject == "Primaryのオンコール担当です"
    assert "ログの調査" in str(mail.body)
    assert "ポストモーテム" in str(mail.body)


def test_an_override_brings_someone_on_call_and_they_are_reminded(
    rota: int, responder_api: Api, frozen_clock: MovableClock, mailoutbox: list[EmailMessage]
) -> None:
    send_shift_reminders()
    starts = frozen_clock.now + timedelta(hours=1)
    responder_api.post(
        f"/schedules/{rota}/overrides",
        {
            "user": "chie",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        },
    )
    assert send_shift_reminders() == 0  # not yet
    frozen_clock.advance(hours=1, minutes=1)
    assert send_shift_reminders() == 1
    assert mailoutbox[-1].to == ["chie@example.test"]


def test_shifts_long_under_way_are_not_announced(
    responder_api: Api, frozen_clock: MovableClock, mailoutbox: list[EmailMessage]
) -> None:
    people("ana")
    create(responder_api, [layer(["ana"], "1w", start="2026-11-16")])
    assert send_shift_reminders() == 0
    assert mailoutbox == []


def test_the_worker_runs_the_reminders() -> None:
    assert send_shift_reminders in periodic.jobs()

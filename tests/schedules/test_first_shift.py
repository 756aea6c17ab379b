"""A new schedule has someone on call from the moment it exists: with no start date its
rotation starts from the latest hand-off, not the next one."""

import pytest

from kizuki.accounts.models import User
from kizuki.schedules.models import Layer, Schedule
from tests.conftest import Api, MovableClock
from tests.schedules.pages import browser
from tests.schedules.support import local, on_call, people, set_clock

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"


def create_from_the_form(user: User, **fields: str) -> int:
    form = {
        "name": "Payments",
        "time_zone": TOKYO,
        "users": "ana, ben",
        "shift_length": "1d",
        "handoff_time": "09:00",
        "start": "",
        "holidays": "any",
        **fields,
    }
    response = browser(user).post("/schedules/new/", form)
    assert response.status_code == 302, response.content.decode()
    return Schedule.objects.get(name="Payments").pk


@pytest.mark.parametrize("created", ["2026-11-25 10:00", "2026-11-25 08:00", "2026-11-25 09:00"])
def test_someone_is_on_call_when_a_schedule_is_created(
    responder: User, responder_api: Api, frozen_clock: MovableClock, created: str
) -> None:
    people("ana", "ben")
    set_clock(frozen_clock, local(TOKYO, created))
    schedule = create_from_the_form(responder)
    assert on_call(responder_api, schedule, frozen_clock.now) == ["ana"]
    page = browser(responder).get(f"/schedules/{schedule}/").content.decode()
    assert 'data-testid="on-call"><strong>ana</strong>' in page
    assert "Nobody is on call from" not in page  # no gap warning
    # The next hand-off goes to ben, at 09:00 local as asked.
    next_handoff = "2026-11-26 09:00" if created >= "2026-11-25 09:00" else "2026-11-25 09:00"
    assert on_call(responder_api, schedule, local(TOKYO, next_handoff)) == ["ben"]


def test_a_start_date_given_is_kept(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    set_clock(frozen_clock, local(TOKYO, "2026-11-25 10:00"))
    schedule = create_from_the_form(responder, start="2026-12-01")
    assert str(Layer.objects.get(schedule_id=schedule).start) == "2026-12-01"
    assert on_call(responder_api, schedule, frozen_clock.now) == []
    assert on_call(responder_api, schedule, local(TOKYO, "2026-12-01 09:00")) == ["ana"]

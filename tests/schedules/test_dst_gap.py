"""A hand-off set inside the hour the clocks skip in spring happens as the clocks jump, seen
through who is on call, the schedule's preview and its calendar feed."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.conftest import Api, MovableClock
from tests.schedules.support import create, layer, on_call, people, set_clock

pytestmark = pytest.mark.django_db

# (zone, hand-off inside the gap, first day of the rotation, the instant the clocks jump,
# the same hand-off a day later in UTC)
GAPS = [
    (
        "America/New_York",
        "02:30",  # 2026-03-08: 02:00 EST jumps to 03:00 EDT
        "2026-03-07",
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 6, 30, tzinfo=UTC),
    ),
    (
        "Europe/London",
        "01:30",  # 2026-03-29: 01:00 GMT jumps to 02:00 BST
        "2026-03-28",
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("zone", "handoff", "start", "jump", "next_day"), GAPS)
def test_a_handoff_in_the_skipped_hour_happens_when_the_clocks_jump(
    responder_api: Api,
    frozen_clock: MovableClock,
    zone: str,
    handoff: str,
    start: str,
    jump: datetime,
    next_day: datetime,
) -> None:
    people()
    schedule = create(
        responder_api,
        [layer(["ana", "ben", "chie"], "1d", handoff_time=handoff, start=start)],
        zone=zone,
    )["id"]
    minute = timedelta(minutes=1)
    assert on_call(responder_api, schedule, jump - minute) == ["ana"]
    assert on_call(responder_api, schedule, jump) == ["ben"]
    assert on_call(responder_api, schedule, jump + 29 * minute) == ["ben"]
    # The next day the hand-off is at its wall-clock time again.
    assert on_call(responder_api, schedule, next_day - minute) == ["ben"]
    assert on_call(responder_api, schedule, next_day) == ["chie"]

    # The preview and the calendar feed agree: ana's shift is an hour shorter and ends at
    # the jump, ben's begins there.
    set_clock(frozen_clock, jump - timedelta(hours=3))
    preview = responder_api.get(f"/schedules/{schedule}").json()["preview"]
    assert [(s["user"], s["ends_at"]) for s in preview[:2]] == [
        ("ana", jump.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("ben", next_day.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    feed = Calendar.from_ical(responder_api.get(f"/schedules/{schedule}/ical").content)
    first, second = list(feed.walk("VEVENT"))[:2]
    assert first.decoded("DTEND") == jump
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=23, minutes=30)
    assert (second.decoded("DTSTART"), second.decoded("DTEND")) == (jump, next_day)

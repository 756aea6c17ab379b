"""The iCalendar feeds parse, and hold the right shifts with the right titles."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.http import HttpResponse
from icalendar import Calendar

from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.schedules.support import create, layer, people, speaking

pytestmark = pytest.mark.django_db


def events(response: HttpResponse) -> list[dict[str, Any]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [
        {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "uid": str(event["UID"]),
        }
        for event in calendar.walk("VEVENT")
    ]


def test_a_schedule_feed_has_sixty_days_of_shifts_titled_with_the_person(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    schedule = create(responder_api, [layer(["ana", "ben"], "1d", start="2026-11-01")])
    found = events(english(viewer_api).get(f"/schedules/{schedule['id']}/ical"))
    # The shift under way keeps its real start (09:00 Tokyo = 00:00 UTC), then one a day.
    assert found[0] == {
        "summary": "ana",
        "start": datetime(2026, 11, 25, 0, 0, tzinfo=UTC),
        "end": datetime(2026, 11, 26, 0, 0, tzinfo=UTC),
        "uid": found[0]["uid"],
    }
    assert [event["summary"] for event in found[:4]] == ["ana", "ben", "ana", "ben"]
    assert len(found) == 61
    # The last shift starts before the 60-day horizon (2027-01-24 01:00 UTC) and is whole.
    assert found[-1]["start"] == datetime(2027, 1, 24, 0, 0, tzinfo=UTC)
    assert found[-1]["end"] == datetime(2027, 1, 25, 0, 0, tzinfo=UTC)
    assert len({event["uid"] for event in found}) == len(found)


def test_a_person_feed_collects_their_shifts_across_schedules(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    create(responder_api, [layer(["ana"], "1w", start="2026-11-23")], name="Payments")
    create(
        responder_api,
        [layer(["ben", "ana"], "1w", start="2026-11-23", handoff_time="12:00")],
        name="Search",
    )
    found = events(english(viewer_api).get("/users/ana/ical"))
    assert {event["summary"] for event in found} == {"On call: Payments", "On call: Search"}
    assert found[0]["summary"] == "On call: Payments"
    assert found[0]["start"] == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    search = [event for event in found if event["summary"] == "On call: Search"]
    assert search[0]["start"] == datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # ana's first week
    assert [event["start"] for event in found] == sorted(event["start"] for event in found)

    assert events(english(viewer_api).get("/users/chie/ical")) == []


def test_feeds_follow_the_reader_s_language(viewer_api: Api, responder_api: Api) -> None:
    people()
    create(responder_api, [layer(["ana"], "1w")], name="Payments")
    found = events(speaking(viewer_api, "ja").get("/users/ana/ical"))
    assert found[0]["summary"] == "オンコール：Payments"

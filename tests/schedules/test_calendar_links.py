"""Secret calendar addresses: a calendar app fetches them with no Authorization header, they
can be rotated (the old one then answers 404), and only the right people see or rotate them.
Feeds hold whole shifts, even past the 60-day horizon or begun long before now."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.schedules.models import CalendarFeed
from tests.conftest import Api, MovableClock, api_for
from tests.incidents.support import assert_error
from tests.schedules.support import create, layer, people, set_clock

pytestmark = pytest.mark.django_db


def fetch(url: str, **headers: str) -> Any:
    """What a calendar app does: a plain GET of the address, no login, no token."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == settings.KIZUKI_BASE_URL
    return Client(headers=headers).get(parts.path)


def spans(response: Any) -> list[tuple[str, datetime, datetime]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [
        (str(event["SUMMARY"]), event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in calendar.walk("VEVENT")
    ]


def url_of(api: Api, path: str) -> str:
    response = api.get(path)
    assert response.status_code == 200, response.json()
    url: str = response.json()["url"]
    return url


def test_a_schedule_feed_opens_without_a_token_and_rotating_closes_the_old_address(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    schedule = create(responder_api, [layer(["ana", "ben"], "1d")])["id"]
    url = url_of(viewer_api, f"/schedules/{schedule}/ical-url")
    assert urlsplit(url).path.startswith("/calendar/")
    assert url.endswith(".ics")
    assert url_of(responder_api, f"/schedules/{schedule}/ical-url") == url  # one per schedule
    assert spans(fetch(url))[0][0] == "ana"
    assert "no-store" in fetch(url)["Cache-Control"]  # never kept by a shared cache

    rotated = responder_api.post(f"/schedules/{schedule}/ical-url/rotate")
    assert rotated.status_code == 200
    new_url = rotated.json()["url"]
    assert new_url != url
    assert fetch(url).status_code == 404
    assert spans(fetch(new_url))[0][0] == "ana"
    assert url_of(viewer_api, f"/schedules/{schedule}/ical-url") == new_url
    audit = AuditEntry.objects.get(action="calendar.rotate")
    assert (audit.actor, audit.object_id) == (responder_api.user, str(schedule))
    assert new_url.rsplit("/", 1)[1][:-4] not in str(audit.after)  # the secret is not logged


def test_only_responders_rotate_a_schedule_s_address(
    viewer_api: Api, responder_api: Api, anonymous_api: Api
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"], "1d")])["id"]
    url = url_of(viewer_api, f"/schedules/{schedule}/ical-url")
    assert_error(viewer_api.post(f"/schedules/{schedule}/ical-url/rotate"), 403, "forbidden")
    assert anonymous_api.get(f"/schedules/{schedule}/ical-url").status_code == 401
    assert anonymous_api.post(f"/schedules/{schedule}/ical-url/rotate").status_code == 401
    assert fetch(url).status_code == 200  # still the same address
    assert_error(responder_api.post("/schedules/999999/ical-url/rotate"), 404, "not_found")


def test_a_person_s_address_is_theirs_and_admins_alone(
    viewer_api: Api, responder_api: Api, admin_api: Api, frozen_clock: MovableClock
) -> None:
    found = people("ana")
    create(responder_api, [layer(["ana"], "1w", start="2026-11-23")], name="Payments")
    ana = api_for(found["ana"])
    url = url_of(ana, "/users/ana/ical-url")
    assert url_of(admin_api, "/users/ana/ical-url") == url
    english = spans(fetch(url, **{"Accept-Language": "en"}))
    assert [summary for summary, _start, _end in english][:1] == ["On call: Payments"]
    for stranger in (viewer_api, responder_api):
        assert_error(stranger.get("/users/ana/ical-url"), 403, "forbidden")
        assert_error(stranger.post("/users/ana/ical-url/rotate"), 403, "forbidden")
    assert_error(ana.get("/users/nobody/ical-url"), 404, "not_found")

    by_admin = admin_api.post("/users/ana/ical-url/rotate").json()["url"]
    assert fetch(url).status_code == 404
    assert fetch(by_admin).status_code == 200
    mine = ana.post("/users/ana/ical-url/rotate").json()["url"]
    assert fetch(by_admin).status_code == 404
    assert fetch(mine).status_code == 200


def test_a_person_feed_speaks_their_language_and_closes_when_they_leave(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    found = people("ana")
    create(responder_api, [layer(["ana"], "1w", start="2026-11-23")], name="Payments")
    url = url_of(api_for(found["ana"]), "/users/ana/ical-url")
    found["ana"].language = "ja"
    found["ana"].save()
    assert spans(fetch(url, **{"Accept-Language": "en"}))[0][0] == "オンコール：Payments"
    User.objects.filter(username="ana").update(is_active=False)
    assert fetch(url).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "a" * 55, "ü" * 60, "%F0%9F%98%80" * 20])
def test_wrong_addresses_are_404(responder_api: Api, token: str) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"], "1d")])["id"]
    real = urlsplit(url_of(responder_api, f"/schedules/{schedule}/ical-url")).path
    feed = CalendarFeed.objects.get()
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    # The right selector with a wrong secret opens nothing either.
    assert Client().get(f"/calendar/{feed.selector}{token}.ics").status_code == 404
    assert Client().get(real).status_code == 200


def test_the_pages_show_the_addresses_and_rotate_them_with_a_csrf_protected_post(
    responder: User, viewer: User, responder_api: Api
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"], "1d")])["id"]

    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(responder)
    page = client.get(f"/schedules/{schedule}/")
    old = page.context["calendar_url"]
    assert old in page.content.decode()
    assert client.post(f"/schedules/{schedule}/calendar/rotate/").status_code == 403  # no token
    assert fetch(old).status_code == 200
    csrf = {"csrfmiddlewaretoken": page.context["csrf_token"]}
    done = client.post(f"/schedules/{schedule}/calendar/rotate/", csrf, follow=True)
    assert "the old one no longer works" in done.content.decode()
    assert fetch(old).status_code == 404
    new = client.get(f"/schedules/{schedule}/").context["calendar_url"]
    assert fetch(new).status_code == 200

    listing = client.get("/schedules/")
    mine = listing.context["my_calendar_url"]
    assert mine in listing.content.decode()
    csrf = {"csrfmiddlewaretoken": listing.context["csrf_token"]}
    client.post("/schedules/calendar/rotate/", csrf)
    assert fetch(mine).status_code == 404
    assert fetch(client.get("/schedules/").context["my_calendar_url"]).status_code == 200

    # A viewer sees the schedule's address but has no button, and a forged POST is refused.
    reader = Client()
    reader.force_login(viewer)
    html = reader.get(f"/schedules/{schedule}/").content.decode()
    assert new in html
    assert f"/schedules/{schedule}/calendar/rotate/" not in html
    assert reader.post(f"/schedules/{schedule}/calendar/rotate/").status_code == 403
    assert fetch(new).status_code == 200


def test_feeds_hold_whole_shifts_from_the_one_under_way_past_the_horizon(
    viewer_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    # Now is 2026-11-25 01:00 UTC; the horizon is 60 days on, 2027-01-24 01:00 UTC.
    people()
    schedule = create(responder_api, [layer(["ana", "ben"], "2w", start="2026-11-16")])["id"]
    found = spans(fetch(url_of(viewer_api, f"/schedules/{schedule}/ical-url")))

    def day(month: int, date: int, year: int = 2026) -> datetime:
        return datetime(year, month, date, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo

    # The shift under way began nine days ago and keeps its real start; the last one starts
    # before the horizon and keeps its real end; the one after the horizon is left out.
    assert found == [
        ("ana", day(11, 16), day(11, 30)),
        ("ben", day(11, 30), day(12, 14)),
        ("ana", day(12, 14), day(12, 28)),
        ("ben", day(12, 28), day(1, 11, 2027)),
        ("ana", day(1, 11, 2027), day(1, 25, 2027)),
    ]

    # Overrides too: chie's began long ago, dai's runs well past the horizon; both are whole,
    # and ana's last shift ends where dai takes over.
    covers = (("chie", "2026-10-01", "2026-11-20"), ("dai", "2027-01-20", "2027-02-05"))
    for user, starts, ends in covers:
        added = responder_api.post(
            f"/schedules/{schedule}/overrides",
            {"user": user, "starts_at": f"{starts}T00:00:00Z", "ends_at": f"{ends}T00:00:00Z"},
        )
        assert added.status_code == 201, added.json()
    found = spans(viewer_api.get(f"/schedules/{schedule}/ical"))
    assert found[-2:] == [
        ("ana", day(1, 11, 2027), day(1, 20, 2027)),
        ("dai", day(1, 20, 2027), day(2, 5, 2027)),
    ]
    set_clock(frozen_clock, datetime(2026, 11, 19, 0, 0, tzinfo=UTC))
    found = spans(viewer_api.get(f"/schedules/{schedule}/ical"))
    assert found[:2] == [("chie", day(10, 1), day(11, 20)), ("ana", day(11, 20), day(11, 30))]
    chie = spans(viewer_api.get("/users/chie/ical"))
    assert [(start, end) for _summary, start, end in chie] == [(day(10, 1), day(11, 20))]

"""The shift calendar: a week or a month in the schedule's time zone, overrides marked, moving
between periods, and taking or swapping a shift from it (each an override over that shift)."""

from datetime import UTC, datetime

import pytest

from kizuki.accounts.models import User
from kizuki.schedules.models import Override
from tests.conftest import Api, MovableClock
from tests.schedules.pages import browser, calendar_days, day, field_errors
from tests.schedules.support import create, layer, local, on_call, people, row_counts

pytestmark = pytest.mark.django_db

# The frozen clock reads 2026-11-25 10:00 in Tokyo, a Wednesday. The rotation below hands off
# daily at 09:00 from 2026-11-01, ana first: ana has the even days' shifts (11-25), ben the odd.


@pytest.fixture
def schedule(responder_api: Api, frozen_clock: MovableClock) -> int:
    people("ana", "ben", "dai")
    found: int = create(responder_api, [layer(["ana", "ben"], name="Primary rota")])["id"]
    return found


def test_the_week_shows_each_day_s_shifts_in_the_schedule_s_time(
    responder: User, schedule: int
) -> None:
    page = browser(responder).get(f"/schedules/{schedule}/shifts/").content.decode()
    days = calendar_days(page)
    assert [found.date for found in days] == [f"2026-11-{n}" for n in range(23, 30)]
    today = day(page, "2026-11-25")
    assert [(entry.user, entry.text) for entry in today.shifts] == [
        ("ben", "…–09:00 ben Primary rota"),
        ("ana", "09:00–… ana Primary rota Take this shift Swap"),
    ]
    assert 'class="day today"' in page
    assert "2026-11-23 – 2026-11-29" in page


def test_overrides_are_marked_apart_from_rotation_shifts(
    responder: User, responder_api: Api, schedule: int
) -> None:
    added = responder_api.post(
        f"/schedules/{schedule}/overrides",
        {
            "user": "dai",
            "starts_at": "2026-11-26T12:00:00+09:00",
            "ends_at": "2026-11-26T18:00:00+09:00",
        },
    )
    assert added.status_code == 201, added.json()
    page = browser(responder).get(f"/schedules/{schedule}/shifts/").content.decode()
    entries = day(page, "2026-11-26").shifts
    assert [(entry.user, entry.override) for entry in entries] == [
        ("ana", False),
        ("ben", False),
        ("dai", True),
        ("ben", False),  # the rest of ben's shift, after the override
    ]
    override = entries[2]
    assert override.text == "12:00–18:00 dai Override"
    assert override.take is None
    assert override.swap is None


def test_the_calendar_moves_by_week_and_by_month(responder: User, schedule: int) -> None:
    client = browser(responder)
    week = client.get(f"/schedules/{schedule}/shifts/?view=week&date=2026-11-25").content.decode()
    base = f"/schedules/{schedule}/shifts/"
    assert f'href="{base}?view=week&amp;date=2026-11-16" data-testid="calendar-previous"' in week
    assert f'href="{base}?view=week&amp;date=2026-11-30" data-testid="calendar-next"' in week
    assert f'href="{base}?view=week" data-testid="calendar-today"' in week

    month = client.get(f"{base}?view=month&date=2026-11-25").content.decode()
    days = calendar_days(month)
    assert (days[0].date, days[-1].date, len(days)) == ("2026-10-26", "2026-12-06", 42)
    assert next(found.date for found in days if not found.outside) == "2026-11-01"
    assert len([found for found in days if not found.outside]) == 30
    assert f'href="{base}?view=month&amp;date=2026-10-01" data-testid="calendar-previous"' in month
    assert f'href="{base}?view=month&amp;date=2026-12-01" data-testid="calendar-next"' in month
    # A multi-day view shows a shift's buttons once, on its first day.
    assert [entry.take is not None for entry in day(month, "2026-11-27").shifts] == [False, True]

    later = client.get(f"{base}?view=week&date=2027-01-06").content.decode()
    assert calendar_days(later)[0].date == "2027-01-04"
    nonsense = client.get(f"{base}?view=week&date=yesterday").content.decode()
    assert calendar_days(nonsense)[0].date == "2026-11-23"  # back to this week


def test_the_calendar_is_in_the_schedule_s_time_zone(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    schedule = create(responder_api, [layer(["ana", "ben"], name="NY")], zone="America/New_York")
    page = browser(responder).get(f"/schedules/{schedule['id']}/shifts/").content.decode()
    # 2026-11-25 01:00 UTC is still Tuesday 11-24 in New York: that week is shown.
    assert calendar_days(page)[0].date == "2026-11-23"
    assert [entry.text.split()[0] for entry in day(page, "2026-11-24").shifts] == [
        "…–09:00",
        "09:00–…",
    ]


def test_a_responder_takes_a_shift_from_the_calendar(
    responder: User, responder_api: Api, schedule: int
) -> None:
    client = browser(responder)
    page = client.get(f"/schedules/{schedule}/shifts/").content.decode()
    bens = day(page, "2026-11-26").shifts[-1]
    assert bens.user == "ben"
    assert bens.take is not None
    response = client.post(f"/schedules/{schedule}/shifts/take/", bens.take)
    assert response.status_code == 302
    assert response["Location"] == f"/schedules/{schedule}/shifts/?view=week&date=2026-11-26"
    page = client.get(response["Location"]).content.decode()
    assert "You are on call for this shift now." in page
    taken = day(page, "2026-11-26").shifts[-1]
    assert (taken.user, taken.override) == (responder.username, True)
    override = Override.objects.get()
    assert override.starts_at == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
    assert override.ends_at == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert override.created_by == responder
    assert on_call(responder_api, schedule, local("Asia/Tokyo", "2026-11-26 20:00")) == ["rei"]
    assert on_call(responder_api, schedule, local("Asia/Tokyo", "2026-11-27 09:00")) == ["ana"]


def test_a_shift_is_swapped_to_someone_else(
    responder: User, responder_api: Api, schedule: int
) -> None:
    client = browser(responder)
    page = client.get(f"/schedules/{schedule}/shifts/").content.decode()
    anas = day(page, "2026-11-25").shifts[-1]
    assert anas.swap is not None
    asked = client.get(anas.swap)
    assert asked.status_code == 200
    assert "2026-11-25 (Wed) 09:00" in asked.content.decode()

    fields = {"starts_at": "2026-11-25T00:00:00+00:00", "ends_at": "2026-11-26T00:00:00+00:00"}
    before = row_counts()
    refused = client.post(anas.swap, {**fields, "user": "ana", "view": "week"})
    assert field_errors(refused.content.decode(), "user") == ["ana already has this shift."]
    assert row_counts() == before

    response = client.post(anas.swap, {**fields, "user": "dai", "view": "week"}, follow=True)
    assert "dai is on call for this shift now." in response.content.decode()
    assert on_call(responder_api, schedule, local("Asia/Tokyo", "2026-11-25 12:00")) == ["dai"]


def test_a_changed_or_finished_shift_cannot_be_taken(responder: User, schedule: int) -> None:
    client = browser(responder)
    before = row_counts()
    # An hour off: no shift runs exactly so (the page was stale).
    stale = {"starts_at": "2026-11-26T01:00:00+00:00", "ends_at": "2026-11-27T00:00:00+00:00"}
    response = client.post(f"/schedules/{schedule}/shifts/take/", stale, follow=True)
    assert (
        "This shift has changed since the page was shown. Look again." in response.content.decode()
    )
    swap = client.post(f"/schedules/{schedule}/shifts/swap/", {**stale, "user": "dai"})
    assert field_errors(swap.content.decode(), "user") == [
        "This shift has changed since the page was shown. Look again."
    ]
    # ben's shift ended at 09:00 today.
    over = {"starts_at": "2026-11-24T00:00:00+00:00", "ends_at": "2026-11-25T00:00:00+00:00"}
    response = client.post(f"/schedules/{schedule}/shifts/take/", over, follow=True)
    assert "This shift is over." in response.content.decode()
    assert client.get(f"/schedules/{schedule}/shifts/swap/?starts_at=x").status_code == 404
    assert row_counts() == before


def test_people_in_the_rotation_take_shifts_but_other_viewers_only_look(
    viewer: User, schedule: int
) -> None:
    ana = User.objects.get(username="ana")  # a viewer, in the rotation
    page = browser(ana).get(f"/schedules/{schedule}/shifts/").content.decode()
    entries = day(page, "2026-11-26").shifts
    assert [(entry.user, entry.take is not None, entry.swap) for entry in entries] == [
        ("ana", False, None),  # her own shift, and no swapping without the responder role
        ("ben", True, None),
    ]
    response = browser(ana).post(f"/schedules/{schedule}/shifts/take/", entries[1].take or {})
    assert response.status_code == 302
    assert Override.objects.get().user == ana

    before = row_counts()
    outsider = browser(viewer)
    page = outsider.get(f"/schedules/{schedule}/shifts/").content.decode()
    assert 'data-testid="take-shift"' not in page
    assert 'data-testid="swap-shift"' not in page
    assert (
        outsider.post(f"/schedules/{schedule}/shifts/take/", entries[1].take or {}).status_code
        == 403
    )
    swap = {**(entries[1].take or {}), "user": "dai"}
    assert outsider.post(f"/schedules/{schedule}/shifts/swap/", swap).status_code == 403
    assert browser(ana).post(f"/schedules/{schedule}/shifts/swap/", swap).status_code == 403
    assert row_counts() == before


def test_the_calendar_speaks_japanese(responder: User, schedule: int) -> None:
    page = browser(responder, "ja").get(f"/schedules/{schedule}/shifts/").content.decode()
    assert "11/25 (水)" in page
    assert "オーバーライド" in page  # the legend that tells overrides apart

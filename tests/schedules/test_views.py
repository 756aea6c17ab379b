"""The schedule pages through Django's test client: rendering in English and Japanese, the new
schedule form, and adding and removing an override in the schedule's local time."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.schedules.models import Override, Schedule
from tests.conftest import Api, MovableClock
from tests.schedules.support import create, layer, people, row_counts

pytestmark = pytest.mark.django_db


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["On-call schedules", "On call now", "New schedule"]),
        ("ja", ["オンコールスケジュール", "現在のオンコール担当", "新しいスケジュール"]),
    ],
)
def test_the_list_renders_in_english_and_japanese(
    responder: User, responder_api: Api, language: str, texts: list[str]
) -> None:
    people("ana")
    create(responder_api, [layer(["ana"])], name="Payments")
    html = browser(responder, language).get("/schedules/").content.decode()
    assert "Payments" in html
    for text in texts:
        assert text in html


def test_a_schedule_is_created_from_the_form_and_shown(
    responder: User, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    client = browser(responder)
    response = client.post(
        "/schedules/new/",
        {
            "name": "Payments",
            "time_zone": "America/New_York",
            "users": "ana, ben",
            "shift_length": "1d",
            "handoff_time": "09:00",
            "start": "2026-11-20",
            "holidays": "any",
        },
        follow=True,
    )
    schedule = Schedule.objects.get(name="Payments")
    assert response.redirect_chain[-1][0] == f"/schedules/{schedule.pk}/"
    html = response.content.decode()
    assert "Schedule created." in html
    # 2026-11-25 01:00 UTC is 20:00 on 11-24 in New York: day 4 of the rotation, ana.
    assert 'data-testid="on-call"><strong>ana</strong>' in html
    assert "2026-11-25 (Wed) 09:00" in html  # the preview is in New York time
    assert f"/api/v1/schedules/{schedule.pk}/ical" in html
    assert "has no notification rule" in html  # the warnings


def test_a_bad_form_shows_the_problem_and_creates_nothing(responder: User) -> None:
    people("ana")
    before = row_counts()
    response = browser(responder).post(
        "/schedules/new/",
        {
            "name": "Payments",
            "time_zone": "Asia/Tokyo",
            "users": "ana, nobody",
            "shift_length": "3x",
            "handoff_time": "09:00",
            "holidays": "any",
        },
    )
    assert response.status_code == 200
    assert "Unknown user nobody." in response.content.decode()
    assert row_counts() == before


def test_overrides_are_added_in_the_schedule_s_time_and_removed(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "dai")
    schedule = create(responder_api, [layer(["ana"])], zone="America/New_York")["id"]
    client = browser(responder)
    response = client.post(
        f"/schedules/{schedule}/overrides/",
        {"user": "dai", "starts_at": "2026-11-26T12:00", "ends_at": "2026-11-26T18:00"},
        follow=True,
    )
    assert "Override added." in response.content.decode()
    override = Override.objects.get()
    assert override.starts_at == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # 12:00 EST
    assert override.created_by == responder

    response = client.post(
        f"/schedules/{schedule}/overrides/",
        {"user": "dai", "starts_at": "2026-11-26T12:00", "ends_at": "2026-11-26T11:00"},
        follow=True,
    )
    assert "An override must end after it starts." in response.content.decode()
    assert Override.objects.count() == 1

    response = client.post(f"/schedules/{schedule}/overrides/{override.pk}/remove/", follow=True)
    assert "Override removed." in response.content.decode()
    assert not Override.objects.exists()


def test_viewers_see_schedules_but_cannot_change_them(viewer: User, responder_api: Api) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    client = browser(viewer)
    html = client.get(f"/schedules/{schedule}/").content.decode()
    assert "Add override" not in html
    assert "New schedule" not in client.get("/schedules/").content.decode()
    assert client.get("/schedules/new/").status_code == 403
    before = row_counts()
    response = client.post(
        f"/schedules/{schedule}/overrides/",
        {"user": "ana", "starts_at": "2026-11-26T12:00", "ends_at": "2026-11-26T18:00"},
    )
    assert response.status_code == 403
    assert row_counts() == before


def test_pages_need_a_login() -> None:
    response = Client().get("/schedules/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_detail_page_renders_in_japanese(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    html = browser(responder, "ja").get(f"/schedules/{schedule}/").content.decode()
    for text in ("現在のオンコール担当", "今後14日間", "オーバーライド", "警告"):
        assert text in html

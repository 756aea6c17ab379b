"""Layers changed, added and removed from the schedule's pages, and the new-schedule and
override forms showing each mistake once, beside its field, with what was typed kept."""

from datetime import time

import pytest

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.schedules.models import Layer, Override
from tests.conftest import Api, MovableClock
from tests.schedules.pages import browser, field_errors, input_value
from tests.schedules.support import create, layer, local, on_call, people, row_counts

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"


def edit_form(**fields: str) -> dict[str, str]:
    return {
        "layer_name": "Day shift",
        "users": "ben, ana",
        "shift_length": "12h",
        "handoff_time": "08:00",
        "start": "2026-11-20",
        "holidays": "skip",
        **fields,
    }


def test_a_layer_is_edited_from_its_page(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    schedule = create(responder_api, [layer(["ana", "ben"])])["id"]
    edited = Layer.objects.get()
    client = browser(responder)
    page = client.get(f"/schedules/{schedule}/").content.decode()
    assert f'href="/schedules/{schedule}/layers/{edited.pk}/" data-testid="edit-layer"' in page

    form = client.get(f"/schedules/{schedule}/layers/{edited.pk}/").content.decode()
    assert input_value(form, "users") == "ana, ben"  # the layer as it is
    assert input_value(form, "shift_length") == "1d"

    response = client.post(f"/schedules/{schedule}/layers/{edited.pk}/", edit_form(), follow=True)
    assert response.redirect_chain[-1][0] == f"/schedules/{schedule}/"
    assert "Layer saved." in response.content.decode()
    edited.refresh_from_db()
    assert (edited.name, edited.shift_seconds, edited.handoff_time) == ("Day shift", 43200, time(8))
    assert edited.holidays == "skip"
    assert [m.user.username for m in edited.members.order_by("position")] == ["ben", "ana"]
    # From 2026-11-20 08:00 in 12-hour turns, ben first: 2026-11-25 10:00 is turn 10, ben's.
    assert on_call(responder_api, schedule, local(TOKYO, "2026-11-25 10:00")) == ["ben"]
    assert on_call(responder_api, schedule, local(TOKYO, "2026-11-25 20:00")) == ["ana"]
    entry = AuditEntry.objects.filter(action="schedule.layers").get()
    assert entry.actor == responder
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["layers"][0]["users"] == ["ana", "ben"]
    assert entry.after["layers"][0]["users"] == ["ben", "ana"]


def test_a_bad_layer_edit_shows_each_error_once_beside_its_field_and_changes_nothing(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    schedule = create(responder_api, [layer(["ana", "ben"])])["id"]
    edited = Layer.objects.get()
    before = row_counts()
    response = browser(responder).post(
        f"/schedules/{schedule}/layers/{edited.pk}/",
        edit_form(users="ben, nobody", shift_length="3x", handoff_time="25:00"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert field_errors(page, "users") == ["Unknown user nobody."]
    assert field_errors(page, "shift_length") == [
        'Unknown shift length "3x"; write e.g. 12h, 1d, 1w or 90m.'
    ]
    assert field_errors(page, "handoff_time") == [
        'Unknown hand-off time "25:00"; write HH:MM, e.g. 09:00.'
    ]
    assert page.count("Unknown user nobody.") == 1
    assert input_value(page, "users") == "ben, nobody"  # what was typed stays
    assert input_value(page, "shift_length") == "3x"
    assert row_counts() == before
    edited.refresh_from_db()
    assert edited.shift_seconds == 86400


def test_a_layer_is_added_on_top_and_wins(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben", "chie")
    schedule = create(responder_api, [layer(["ana", "ben"], name="Base")])["id"]
    client = browser(responder)
    assert 'data-testid="add-layer"' in client.get(f"/schedules/{schedule}/").content.decode()
    response = client.post(
        f"/schedules/{schedule}/layers/new/",
        edit_form(layer_name="Backup", users="chie", shift_length="1w", holidays="any"),
        follow=True,
    )
    assert "Layer added." in response.content.decode()
    assert list(Layer.objects.order_by("position").values_list("name", flat=True)) == [
        "Base",
        "Backup",
    ]
    assert on_call(responder_api, schedule, local(TOKYO, "2026-11-25 10:00")) == ["chie"]


def test_layers_are_removed_down_to_none_and_the_page_says_nobody_is_on_call(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "ben")
    schedule = create(responder_api, [layer(["ana"]), layer(["ben"], name="Top")])["id"]
    client = browser(responder)
    bottom, top = Layer.objects.order_by("position")
    response = client.post(f"/schedules/{schedule}/layers/{top.pk}/remove/", follow=True)
    assert "Layer removed." in response.content.decode()
    assert on_call(responder_api, schedule, local(TOKYO, "2026-11-25 10:00")) == ["ana"]

    form = client.get(f"/schedules/{schedule}/layers/{bottom.pk}/").content.decode()
    assert "This is the schedule's only layer." in form
    response = client.post(f"/schedules/{schedule}/layers/{bottom.pk}/remove/", follow=True)
    page = response.content.decode()
    assert "The schedule has no layers now: nobody is on call unless an override says so." in page
    assert 'data-testid="no-layers"' in page
    assert "Nobody is on call." in page
    assert not Layer.objects.exists()
    assert on_call(responder_api, schedule, local(TOKYO, "2026-11-25 10:00")) == []
    assert AuditEntry.objects.filter(action="schedule.layers").count() == 2


def test_viewers_cannot_change_layers(
    viewer: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    edited = Layer.objects.get()
    client = browser(viewer)
    page = client.get(f"/schedules/{schedule}/").content.decode()
    assert 'data-testid="edit-layer"' not in page
    assert 'data-testid="delete-schedule"' not in page
    before = row_counts()
    assert client.get(f"/schedules/{schedule}/layers/{edited.pk}/").status_code == 403
    assert client.post(f"/schedules/{schedule}/layers/{edited.pk}/", edit_form()).status_code == 403
    assert client.post(f"/schedules/{schedule}/layers/{edited.pk}/remove/").status_code == 403
    assert client.post(f"/schedules/{schedule}/layers/new/", edit_form()).status_code == 403
    assert row_counts() == before


def test_a_layer_of_another_schedule_is_not_found(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    first = create(responder_api, [layer(["ana"])], name="First")["id"]
    create(responder_api, [layer(["ana"])], name="Second")
    other = Layer.objects.get(schedule__name="Second")
    client = browser(responder)
    assert client.get(f"/schedules/{first}/layers/{other.pk}/").status_code == 404
    assert client.post(f"/schedules/{first}/layers/{other.pk}/remove/").status_code == 404
    assert Layer.objects.count() == 2


def test_the_new_schedule_form_shows_errors_once_beside_their_fields(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    create(responder_api, [layer(["ana"])], name="Payments")
    before = row_counts()
    response = browser(responder).post(
        "/schedules/new/",
        {
            "name": "Payments",
            "time_zone": TOKYO,
            "users": "ana",
            "shift_length": "1d",
            "handoff_time": "09:00",
            "holidays": "any",
        },
    )
    page = response.content.decode()
    assert field_errors(page, "name") == ['There is already a schedule named "Payments".']
    assert page.count("There is already a schedule named") == 1
    assert input_value(page, "name") == "Payments"
    assert row_counts() == before


def test_a_bad_override_is_shown_once_beside_its_field_keeping_the_input(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "dai")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    before = row_counts()
    response = browser(responder).post(
        f"/schedules/{schedule}/overrides/",
        {"user": "dai", "starts_at": "2026-11-26T12:00", "ends_at": "2026-11-26T11:00"},
    )
    page = response.content.decode()
    assert field_errors(page, "ends_at") == ["An override must end after it starts."]
    assert page.count("An override must end after it starts.") == 1
    assert input_value(page, "starts_at") == "2026-11-26T12:00"
    assert input_value(page, "ends_at") == "2026-11-26T11:00"
    assert 'value="dai" selected' in page
    assert row_counts() == before
    assert not Override.objects.exists()

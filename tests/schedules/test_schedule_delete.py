"""Deleting a schedule from its page: asked first, refused while an escalation policy pages it
(naming the policies, deleting nothing), and audited."""

import pytest
from django.db.models import ProtectedError

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.oncall import actions as oncall
from kizuki.schedules.models import CalendarFeed, Layer, Override, Schedule
from tests.conftest import Api, MovableClock
from tests.schedules.pages import browser
from tests.schedules.support import create, layer, people, row_counts

pytestmark = pytest.mark.django_db


def test_an_unused_schedule_is_deleted_after_asking(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana", "dai")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    responder_api.post(
        f"/schedules/{schedule}/overrides",
        {"user": "dai", "starts_at": "2026-11-26T00:00:00Z", "ends_at": "2026-11-27T00:00:00Z"},
    )
    client = browser(responder)
    assert (
        f'href="/schedules/{schedule}/delete/"'
        in client.get(f"/schedules/{schedule}/").content.decode()
    )
    asked = client.get(f"/schedules/{schedule}/delete/").content.decode()
    assert "This cannot be undone." in asked
    assert Schedule.objects.filter(pk=schedule).exists()  # asking deletes nothing

    response = client.post(f"/schedules/{schedule}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/schedules/"
    assert "Schedule deleted." in response.content.decode()
    assert not Schedule.objects.exists()
    assert not Layer.objects.exists()
    assert not Override.objects.exists()
    assert not CalendarFeed.objects.filter(schedule_id=schedule).exists()
    entry = AuditEntry.objects.get(action="schedule.delete")
    assert (entry.actor, entry.object_id) == (responder, str(schedule))
    assert entry.before is not None
    assert entry.before["layers"][0]["users"] == ["ana"]


def test_a_schedule_a_policy_pages_is_not_deleted_and_the_policies_are_named(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    for name in ("Checkout", "Payments night"):
        oncall.create_policy(
            None,
            name,
            steps=[{"targets": [{"type": "schedule", "id": schedule}], "wait_minutes": 5}],
        )
    client = browser(responder)
    asked = client.get(f"/schedules/{schedule}/delete/").content.decode()
    assert "<li>Checkout</li>" in asked
    assert "<li>Payments night</li>" in asked
    assert 'data-testid="confirm-delete"' not in asked  # nothing to press

    before = row_counts()
    response = client.post(f"/schedules/{schedule}/delete/")
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        '"Primary" cannot be deleted while escalation policies page it: Checkout, Payments night.'
        " Take it out of them first."
    ) in page.replace("&quot;", '"')
    assert row_counts() == before
    assert Schedule.objects.filter(pk=schedule).exists()


def test_the_database_itself_refuses_to_delete_a_schedule_a_policy_pages(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    oncall.create_policy(
        None,
        "Checkout",
        steps=[{"targets": [{"type": "schedule", "id": schedule}], "wait_minutes": 5}],
    )
    with pytest.raises(ProtectedError):
        Schedule.objects.get(pk=schedule).delete()


def test_viewers_cannot_delete_a_schedule(
    viewer: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    schedule = create(responder_api, [layer(["ana"])])["id"]
    client = browser(viewer)
    assert client.get(f"/schedules/{schedule}/delete/").status_code == 403
    assert client.post(f"/schedules/{schedule}/delete/").status_code == 403
    assert Schedule.objects.filter(pk=schedule).exists()


def test_the_api_deletes_a_schedule_or_says_which_policies_page_it(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    people("ana")
    used = create(responder_api, [layer(["ana"])], name="Used")["id"]
    unused = create(responder_api, [layer(["ana"])], name="Unused")["id"]
    oncall.create_policy(
        None, "Checkout", steps=[{"targets": [{"type": "schedule", "id": used}], "wait_minutes": 5}]
    )
    assert viewer_api.delete(f"/schedules/{unused}").status_code == 403
    before = row_counts()
    refused = responder_api.delete(f"/schedules/{used}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict"
    assert "Checkout" in refused.json()["detail"]
    assert row_counts() == before
    assert responder_api.delete(f"/schedules/{unused}").status_code == 204
    assert responder_api.get(f"/schedules/{unused}").status_code == 404
    assert list(Schedule.objects.values_list("name", flat=True)) == ["Used"]

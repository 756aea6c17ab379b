"""The alert pages show only the buttons a person may use: viewers none, a viewer who was
paged about the group Acknowledge, responders all three."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, integration, policy
from tests.conftest import Api, MovableClock, make_user

pytestmark = pytest.mark.django_db


def buttons(user: User, path: str, group_id: int) -> set[str]:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return {
        action
        for action in ("acknowledge", "resolve", "silence")
        if f'action="/alerts/{group_id}/{action}/"' in html
    }


@pytest.fixture
def group_id(
    admin_api: Api, service: Service, viewer: User, responder: User, frozen_clock: MovableClock
) -> int:
    """A firing group whose policy paged the viewer (vera)."""
    admin_api.patch(
        f"/services/{service.pk}", {"escalation_policy": policy(admin_api, "Desk", "vera")["id"]}
    )
    path = integration(admin_api, service.pk, "alertmanager")[1]
    (found,) = accepted(path, alertmanager(am_alert("a")))["groups"]
    while run_due_escalations() + deliver_due_pages():
        pass
    return int(found)


def test_each_person_sees_the_buttons_they_may_use(
    group_id: int, viewer: User, responder: User
) -> None:
    bystander = make_user("hana", "viewer")
    for path in ("/alerts/", f"/alerts/{group_id}/"):
        assert buttons(bystander, path, group_id) == set(), path
        assert buttons(viewer, path, group_id) == {"acknowledge"}, path
        assert buttons(responder, path, group_id) == {"acknowledge", "resolve", "silence"}, path


def test_the_paged_viewer_acknowledges_with_the_button_shown(group_id: int, viewer: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(viewer)
    response = client.post(f"/alerts/{group_id}/acknowledge/", {"next": "/alerts/"}, follow=True)
    assert response.status_code == 200
    page = client.get(f"/alerts/{group_id}/").content.decode()
    assert '<span class="status alert-acknowledged" data-testid="group-status">' in page
    assert buttons(viewer, f"/alerts/{group_id}/", group_id) == set()

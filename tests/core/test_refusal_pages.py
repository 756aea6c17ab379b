"""A web request someone may not make is refused with a 403 page before anything else is
looked at — not a message after the form was validated, and nothing changes. One case per
kind of thing each app's access_<thing> guards."""

from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.alerts import actions as alerts_actions
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from tests.conftest import Api, make_user
from tests.notify.support import create_policy, step
from tests.schedules.support import create, layer


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def things(responder_api: Api, admin_api: Api, service: Service, responder: User) -> dict[str, Any]:
    incident = responder_api.post("/incidents", {"title": "Checkout fails", "severity": 2})
    assert incident.status_code == 201, incident.json()
    make_user("ana", "responder")
    policy = create_policy(admin_api, "Checkout", [step(("user", "ana"))])
    schedule = create(responder_api, [layer(["ana"])])
    group = alerts_actions.raise_sos(responder, service, "The shop is down")
    return {
        "incident": incident.json()["number"],
        "policy": policy["id"],
        "schedule": schedule["id"],
        "group": group.pk,
        "service": service.pk,
    }


# (path, form data, what the refusal says). The data is empty or invalid on purpose: the
# refusal must come first, so the answer never complains about the form.
REFUSED_TO_A_VIEWER = [
    ("/incidents/{incident}/transition/", {}, "This needs the Responder role."),
    ("/incidents/{incident}/roles/", {}, "This needs the Responder role."),
    ("/incidents/{incident}/status/", {}, "This needs the Responder role."),
    ("/incidents/{incident}/impact/", {"impact_started_at": "never"}, "Responder role"),
    ("/incidents/{incident}/timeline/", {}, "Only responders and people on this incident"),
    ("/alerts/{group}/resolve/", {}, "This needs the Responder role."),
    ("/alerts/{group}/silence/", {"minutes": "-1"}, "This needs the Responder role."),
    ("/alerts/{group}/acknowledge/", {}, "Only responders and the people paged"),
    ("/services/{service}/routing-rules/", {}, "This needs the Responder role."),
    ("/escalation-policies/{policy}/", {"name": ""}, "This needs the Responder role."),
    ("/escalation-policies/{policy}/delete/", {}, "This needs the Responder role."),
    ("/schedules/{schedule}/overrides/", {}, "This needs the Responder role."),
]


@pytest.mark.parametrize(("path", "data", "refusal"), REFUSED_TO_A_VIEWER)
def test_a_refusal_is_a_403_page_and_changes_nothing(
    viewer: User, things: dict[str, Any], path: str, data: dict[str, str], refusal: str
) -> None:
    before = AuditEntry.objects.count()

    response = browser(viewer).post(path.format(**things), data)

    assert response.status_code == 403
    html = response.content.decode()
    assert refusal in html
    assert "required" not in html.lower()
    assert AuditEntry.objects.count() == before


def test_a_responder_who_leads_no_team_cannot_change_a_policy(
    admin_api: Api, responder: User
) -> None:
    """Responders pass the first gate; the policy's team decides, before the form is read."""
    make_user("ana", "responder")
    policy = create_policy(admin_api, "Checkout", [step(("user", "ana"))])
    before = AuditEntry.objects.count()

    response = browser(responder).post(
        f"/escalation-policies/{policy['id']}/", {"name": "Checkout", "steps": "user:ana"}
    )

    assert response.status_code == 403
    assert "Only admins, and leads of the owning team" in response.content.decode()
    assert AuditEntry.objects.count() == before


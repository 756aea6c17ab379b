"""Acknowledging an alert group that pages about an incident, from whichever side: the group's
API, the one-click link in a page, or the on-call side (its engine learning of it). Each way
leaves exactly one audit entry and one timeline entry, and the group, its escalation and the
incident all agree."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.alerts import links
from kizuki.alerts.models import AlertGroup
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from kizuki.oncall import actions as oncall
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration, policy
from tests.conftest import Api, MovableClock, api_for
from tests.incidents.support import english, events, look

pytestmark = pytest.mark.django_db


def by_api(user: User, group_id: int) -> None:
    assert api_for(user).post(f"/alert-groups/{group_id}/acknowledge").status_code == 200


def by_page_link(user: User, group_id: int) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    path = links.ack_url(group_id).split("8000", 1)[1]
    assert client.post(path).status_code == 302


def by_oncall_side(user: User, group_id: int) -> None:
    escalation = AlertGroup.objects.get(pk=group_id).escalation
    assert escalation is not None
    oncall.acknowledge_escalation(escalation, user)


def paged_group(admin_api: Api, service: Service, *, paging: bool) -> int:
    """A firing group that declared an incident; with `paging`, its policy has paged rei."""
    fields: dict[str, Any] = {"name": "Everything", "declare_severity": 2}
    if paging:
        fields["escalation_policy"] = policy(admin_api, "Primary", "rei")["id"]
    response = admin_api.post(f"/services/{service.pk}/routing-rules", fields)
    assert response.status_code == 201, response.json()
    path = integration(admin_api, service.pk, "alertmanager")[1]
    (group_id,) = accepted(path, alertmanager(am_alert("a")))["groups"]
    while run_due_escalations() + deliver_due_pages():
        pass
    return int(group_id)


def acknowledgements(group_id: int) -> int:
    return AuditEntry.objects.filter(
        action="alert_group.acknowledge", object_type="alerts.alertgroup", object_id=str(group_id)
    ).count()


@pytest.mark.parametrize("acknowledge", [by_api, by_page_link, by_oncall_side])
def test_one_audit_entry_and_one_timeline_entry_from_either_side(
    acknowledge: Callable[[User, int], None],
    admin_api: Api,
    service: Service,
    responder: User,
    frozen_clock: MovableClock,
) -> None:
    group_id = paged_group(admin_api, service, paging=True)
    ref = group(admin_api, group_id)["incident"]
    assert acknowledgements(group_id) == 0
    acknowledge(responder, group_id)
    shown = group(admin_api, group_id)
    assert shown["status"] == "acknowledged"
    assert shown["acknowledged_by"] == "rei"
    assert shown["escalation_status"] == "acknowledged"
    assert acknowledgements(group_id) == 1
    assert events(admin_api, ref).count("page_acknowledged") == 1
    assert look(english(admin_api), ref)[1][-1]["text"] == "rei acknowledged the page."
    # Acknowledging again, from the group's side, writes nothing more.
    by_api(responder, group_id)
    assert acknowledgements(group_id) == 1
    assert events(admin_api, ref).count("page_acknowledged") == 1


def test_a_group_without_paging_still_says_so_once(
    admin_api: Api, service: Service, responder: User
) -> None:
    group_id = paged_group(admin_api, service, paging=False)
    ref = group(admin_api, group_id)["incident"]
    by_api(responder, group_id)
    by_api(responder, group_id)
    assert acknowledgements(group_id) == 1
    assert events(admin_api, ref).count("page_acknowledged") == 1

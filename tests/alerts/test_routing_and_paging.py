"""From alert to page: routing rules choose the escalation policy and may declare an incident;
the escalation engine (driven here as the worker would, with the clock moved by hand) pages
people, and its history shows on the alert group and on the linked incident's timeline."""

from typing import Any

import pytest
from django.core import mail

from kizuki.accounts.models import User
from kizuki.alerts.models import AlertGroup
from kizuki.catalog.models import Service
from kizuki.oncall import actions as oncall
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration, policy
from tests.conftest import Api, MovableClock
from tests.incidents.support import english, events, look

pytestmark = pytest.mark.django_db


def work() -> None:
    """What the worker does on a tick: due escalation steps, then due pages."""
    while run_due_escalations() + deliver_due_pages():
        pass


@pytest.fixture
def am_path(admin_api: Api, service: Service) -> str:
    return integration(admin_api, service.pk, "alertmanager")[1]


def set_policy(api: Api, service: Service, policy_id: int | None) -> None:
    response = api.patch(f"/services/{service.pk}", {"escalation_policy": policy_id})
    assert response.status_code == 200, response.json()


def rule(api: Api, service: Service, **fields: Any) -> dict[str, Any]:
    response = api.post(f"/services/{service.pk}/routing-rules", fields)
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_without_any_policy_nobody_is_paged(am_path: str, viewer_api: Api) -> None:
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    shown = group(viewer_api, group_id)
    assert shown["escalation_status"] is None
    assert shown["escalation_history"] == []


def test_service_policy_pages_by_default(
    admin_api: Api, service: Service, responder: Any, am_path: str, frozen_clock: MovableClock
) -> None:
    primary = policy(admin_api, "Primary", "rei")
    set_policy(admin_api, service, primary["id"])
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    work()
    shown = group(admin_api, group_id)
    # One step and no repeats: the policy has run out, and waits for an acknowledgement.
    assert shown["escalation_status"] == "exhausted"
    kinds = [e["kind"] for e in shown["escalation_history"]]
    assert kinds == ["triggered", "step", "exhausted", "sent"]
    (page,) = shown["notifications"]
    assert (page["user"], page["method"], page["status"], page["attempts"]) == (
        "rei",
        "email",
        "sent",
        1,
    )
    (message,) = mail.outbox
    assert message.to == ["rei@example.test"]
    assert f"/alerts/{group_id}/" in message.body
    assert "/alerts/ack/" in message.body


def test_first_matching_rule_picks_the_policy(
    admin_api: Api, service: Service, responder: Any, admin: Any, am_path: str
) -> None:
    set_policy(admin_api, service, policy(admin_api, "Default", "aki")["id"])
    db_team = policy(admin_api, "Database", "rei")
    rule(admin_api, service, name="db", match_labels={"team": "db"}, escalation_policy="Database")
    rule(admin_api, service, name="never", match_labels={"team": "db", "x": "y"})
    (db_group,) = accepted(am_path, alertmanager(am_alert("a", team="db"), group_key="db"))[
        "groups"
    ]
    (web_group,) = accepted(am_path, alertmanager(am_alert("b", team="web"), group_key="web"))[
        "groups"
    ]
    work()
    assert [p["user"] for p in group(admin_api, db_group)["notifications"]] == ["rei"]
    assert [p["user"] for p in group(admin_api, web_group)["notifications"]] == ["aki"]
    assert db_team["name"] == "Database"


def test_rule_declares_sev2_incident_linked_to_the_group(
    admin_api: Api, service: Service, responder: Any, am_path: str, frozen_clock: MovableClock
) -> None:
    policy(admin_api, "Primary", "rei")
    rule(
        admin_api,
        service,
        name="critical",
        match_labels={"severity": "critical"},
        escalation_policy="Primary",
        declare_severity=2,
    )
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    ref = group(admin_api, group_id)["incident"]
    incident, timeline = look(english(admin_api), ref)
    assert incident["severity"] == 2
    assert incident["status"] == "declared"
    assert incident["title"] == "High error rate"
    assert incident["services"] == ["checkout"]
    assert f"/alerts/{group_id}/" in incident["description"]
    linked = [e for e in timeline if e["event"] == "alert_linked"]
    assert linked[0]["text"] == f"Opened from alert group {group_id}: High error rate"
    # A warning does not match the rule: no incident for it.
    (quiet,) = accepted(am_path, alertmanager(am_alert("w", severity="warning"), group_key="w"))[
        "groups"
    ]
    assert group(admin_api, quiet)["incident"] is None


def test_paging_history_reaches_the_incident_timeline(
    admin_api: Api, service: Service, responder_api: Api, am_path: str, frozen_clock: MovableClock
) -> None:
    policy(admin_api, "Primary", "rei", "aki", wait=5)
    response = admin_api.post(
        "/users/aki/notification-rules", {"method": "slack", "address": "U0AKI", "delay_minutes": 0}
    )
    assert response.status_code == 201, response.json()
    rule(admin_api, service, name="Everything", escalation_policy="Primary", declare_severity=2)
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    ref = group(admin_api, group_id)["incident"]
    work()
    frozen_clock.advance(minutes=5)
    work()
    texts = [e["text"] for e in look(english(admin_api), ref)[1]]
    assert "Paging: escalation step 1." in texts
    assert "Paged rei by E-mail." in texts
    assert "Paging: escalation step 2." in texts
    assert "Could not page aki by Slack: Slack is not configured" in texts
    shown = group(admin_api, group_id)
    failed = [p for p in shown["notifications"] if p["status"] == "failed"]
    assert failed[0]["last_error"] == "Slack is not configured"
    # Acknowledging stops the paging and says so on the incident.
    assert responder_api.post(f"/alert-groups/{group_id}/acknowledge").status_code == 200
    assert events(admin_api, ref)[-1] == "page_acknowledged"
    assert look(english(admin_api), ref)[1][-1]["text"] == "rei acknowledged the page."
    assert group(admin_api, group_id)["escalation_status"] == "acknowledged"
    frozen_clock.advance(minutes=30)
    work()
    assert events(admin_api, ref).count("escalated") == 2


def test_acknowledged_on_the_oncall_side_acknowledges_the_group(
    admin_api: Api, service: Service, responder: User, am_path: str
) -> None:
    set_policy(admin_api, service, policy(admin_api, "Primary", "rei")["id"])
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    escalation = AlertGroup.objects.get(pk=group_id).escalation
    assert escalation is not None
    # However the engine's side learns of it (a reply to a page, its own screens).
    oncall.acknowledge_escalation(escalation, responder)
    shown = group(admin_api, group_id)
    assert shown["status"] == "acknowledged"
    assert shown["acknowledged_by"] == "rei"


def test_a_channel_page_names_the_channel_on_the_timeline(
    admin_api: Api, service: Service, am_path: str, frozen_clock: MovableClock
) -> None:
    response = admin_api.post(
        "/escalation-policies",
        {"name": "Ops room", "steps": [{"targets": [{"type": "channel", "id": "#ops"}]}]},
    )
    assert response.status_code == 201, response.json()
    rule(admin_api, service, name="Everything", escalation_policy="Ops room", declare_severity=3)
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    work()
    ref = group(admin_api, group_id)["incident"]
    texts = [e["text"] for e in look(english(admin_api), ref)[1]]
    assert "Could not page #ops by Slack: Slack is not configured" in texts

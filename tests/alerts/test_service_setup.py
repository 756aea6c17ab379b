"""A service's paging set up from its page: switching integrations off and on, giving one a
new URL, sending a test alert through it, editing and deleting routing rules; and the same
through the API. Who may do it, and what bad input gets."""

import re
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.alerts.models import AlertGroup, Integration, RoutingRule
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, integration, policy, send
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, english

pytestmark = pytest.mark.django_db


def browser(user: User | None = None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def page_of(client: Client, service: Service) -> str:
    response = client.get(f"/services/{service.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def messages_on(html: str) -> list[str]:
    return re.findall(r'<p class="message[^"]*" role="status">(.*?)</p>', html)


def errors_on(html: str) -> list[str]:
    return [
        unescape(text)
        for text in re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html)
    ]


def field_value(html: str, field_id: str) -> str:
    """What a text input shows, found by its id."""
    found = re.search(rf'<input [^>]*value="([^"]*)"[^>]*id="{field_id}"', html)
    assert found is not None, field_id
    return unescape(found.group(1))


def run_paging() -> None:
    while run_due_escalations() + deliver_due_pages():
        pass


@pytest.fixture
def primary(admin_api: Api, service: Service, responder: User) -> dict[str, Any]:
    """Checkout pages rei."""
    found = policy(admin_api, "Primary", "rei")
    admin_api.patch(f"/services/{service.pk}", {"escalation_policy": found["id"]})
    return found


@pytest.fixture
def hook(admin_api: Api, service: Service) -> tuple[int, str]:
    """An Alertmanager integration: its id and ingestion path."""
    created, path = integration(admin_api, service.pk, "alertmanager")
    return int(created["id"]), path


def base(service: Service, integration_id: int) -> str:
    return f"/services/{service.pk}/integrations/{integration_id}/"


# Deactivate and reactivate -------------------------------------------------------------


def test_a_deactivated_integration_refuses_alerts_until_reactivated(
    admin: User, service: Service, hook: tuple[int, str]
) -> None:
    hook_id, path = hook
    client = browser(admin)
    response = client.post(base(service, hook_id) + "deactivate/", follow=True)
    html = response.content.decode()
    assert messages_on(html) == [
        "Alertmanager is inactive: its URL refuses alerts until you reactivate it."
    ]
    assert 'data-testid="integration-inactive">inactive</span>' in html
    refused = send(path, alertmanager(am_alert("a")))
    assert refused.status_code == 404
    assert refused.json()["detail"] == "No active alertmanager integration has this URL."
    assert not AlertGroup.objects.exists()

    client.post(base(service, hook_id) + "reactivate/")
    assert 'data-testid="integration-inactive"' not in page_of(client, service)
    accepted(path, alertmanager(am_alert("a")))
    actions = list(
        AuditEntry.objects.filter(object_type="alerts.integration", object_id=str(hook_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["integration.create", "integration.deactivate", "integration.reactivate"]


# A new URL -----------------------------------------------------------------------------


def test_a_new_url_is_shown_once_and_the_old_one_stops_at_once(
    admin: User, service: Service, hook: tuple[int, str]
) -> None:
    hook_id, old_path = hook
    client = browser(admin)
    html = client.post(base(service, hook_id) + "new-url/").content.decode()
    assert "Alertmanager has a new URL" in html
    found = re.search(
        r"http://127\.0\.0\.1:8000/api/v1(/integrations/(kzi_[\w-]+)/alertmanager)", html
    )
    assert found is not None
    new_path, token = found.group(1), found.group(2)
    assert new_path != old_path
    assert send(old_path, alertmanager(am_alert("a"))).status_code == 404
    accepted(new_path, alertmanager(am_alert("a")))
    again = page_of(client, service)
    assert token not in again
    assert token[:10] in again  # the start, to tell URLs apart
    assert AuditEntry.objects.filter(action="integration.rotate_token").count() == 1


# Test alerts ---------------------------------------------------------------------------


def test_a_test_alert_pages_the_on_call_and_lands_on_its_group(
    admin: User,
    service: Service,
    primary: dict[str, Any],
    hook: tuple[int, str],
    frozen_clock: MovableClock,
) -> None:
    hook_id, _path = hook
    client = browser(admin)
    html = page_of(client, service)
    assert "Send a test alert" in html
    assert "it pages the on-call of Primary" in html
    response = client.post(base(service, hook_id) + "test-alert/", {"labels": ""}, follow=True)
    (group,) = AlertGroup.objects.all()
    assert response.redirect_chain == [(f"/alerts/{group.pk}/", 302)]
    shown = response.content.decode()
    assert messages_on(shown) == ["Test alert sent: the on-call of Primary is being paged."]
    assert group.title == "[TEST] Test alert from Alertmanager"
    assert group.integration_id == hook_id
    (alert,) = group.alerts.all()
    assert alert.labels == {"alertname": "KizukiTestAlert", "kizuki_test": "true"}
    assert "Sent by aki from Kizuki" in alert.details["description"]
    run_paging()
    assert [message.to for message in mail.outbox] == [["rei@example.test"]]
    assert "[TEST]" in str(mail.outbox[0].subject) + str(mail.outbox[0].body)
    # Each test opens a group of its own, so it pages again.
    client.post(base(service, hook_id) + "test-alert/")
    assert AlertGroup.objects.count() == 2
    assert AuditEntry.objects.filter(action="alert.test").count() == 2


def test_a_test_alert_with_labels_tries_a_routing_rule(
    admin: User, admin_api: Api, service: Service, primary: dict[str, Any], hook: tuple[int, str]
) -> None:
    hook_id, _path = hook
    rule = {"match_labels": {"severity": "critical"}, "declare_severity": 2}
    assert admin_api.post(f"/services/{service.pk}/routing-rules", rule).status_code == 201
    response = browser(admin).post(
        base(service, hook_id) + "test-alert/", {"labels": "severity=critical"}, follow=True
    )
    group = AlertGroup.objects.get()
    assert group.incident is not None
    assert messages_on(response.content.decode()) == [
        "Test alert sent: the on-call of Primary is being paged. A routing rule declared"
        f" {group.incident.ref}."
    ]


@pytest.mark.parametrize("kind", ["alertmanager", "grafana", "events", "webhook"])
def test_every_sender_format_carries_a_test_alert(
    kind: str, admin: User, admin_api: Api, service: Service
) -> None:
    created, _path = integration(admin_api, service.pk, kind)
    response = browser(admin).post(
        base(service, created["id"]) + "test-alert/", {"labels": "severity=critical"}, follow=True
    )
    group = AlertGroup.objects.get()
    assert response.redirect_chain == [(f"/alerts/{group.pk}/", 302)]
    assert group.title == f"[TEST] Test alert from {created['name']}"
    assert group.alerts.get().labels["severity"] == "critical"
    # Nobody is paged, and the page says so.
    assert messages_on(response.content.decode()) == [
        "Test alert sent, but nobody is paged: neither a routing rule nor the service names an"
        " escalation policy."
    ]


def test_a_test_alert_says_why_nothing_was_sent(
    admin: User, admin_api: Api, service: Service, hook: tuple[int, str]
) -> None:
    hook_id, _path = hook
    client = browser(admin)
    bad = client.post(base(service, hook_id) + "test-alert/", {"labels": "nope"})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert errors_on(html) == ["Write labels as name=value, separated by commas: nope"]
    assert field_value(html, f"id_test{hook_id}_labels") == "nope"  # the input is kept
    assert '<details class="integration-tools" data-testid="integration-tools" open>' in html

    events, _ = integration(admin_api, service.pk, "events")
    refused = client.post(
        base(service, events["id"]) + "test-alert/", {"labels": "severity=urgent"}
    ).content.decode()
    assert errors_on(refused) == [
        'payload.severity must be one of critical, error, warning, info, not "urgent".'
    ]

    client.post(base(service, hook_id) + "deactivate/")
    inactive = client.post(base(service, hook_id) + "test-alert/").content.decode()
    assert errors_on(inactive) == [
        "Alertmanager is inactive: it refuses alerts, so no test alert was sent."
    ]
    assert not AlertGroup.objects.exists()


def test_a_heartbeat_has_no_test_alert(admin: User, admin_api: Api, service: Service) -> None:
    created, _path = integration(admin_api, service.pk, "heartbeat", heartbeat_minutes=5)
    client = browser(admin)
    assert "Send a test alert" not in page_of(client, service)
    html = client.post(base(service, created["id"]) + "test-alert/").content.decode()
    assert errors_on(html) == [
        "A heartbeat integration raises an alert only when heartbeats stop; send a test alert"
        " through another integration."
    ]
    assert not AlertGroup.objects.exists()


# Routing rules -------------------------------------------------------------------------


@pytest.fixture
def rule(admin_api: Api, service: Service) -> RoutingRule:
    policy(admin_api, "Database", "aki")
    body = {"name": "db", "match_labels": {"team": "db"}, "escalation_policy": "Database"}
    created = admin_api.post(f"/services/{service.pk}/routing-rules", body).json()
    return RoutingRule.objects.get(pk=created["id"])


def test_a_rule_is_edited_and_deleted_from_the_page(
    admin: User, service: Service, rule: RoutingRule
) -> None:
    client = browser(admin)
    html = page_of(client, service)
    assert field_value(html, f"id_rule{rule.pk}_match_labels") == "team=db"  # filled in to edit
    edit = f"/services/{service.pk}/routing-rules/{rule.pk}/"
    response = client.post(
        edit,
        {
            "name": "db critical",
            "match_labels": "team=db, severity=critical",
            "declare_severity": "2",
        },
        follow=True,
    )
    assert messages_on(response.content.decode()) == ["Routing rule saved."]
    rule.refresh_from_db()
    assert (rule.name, rule.match_labels, rule.escalation_policy, rule.declare_severity) == (
        "db critical",
        {"team": "db", "severity": "critical"},
        None,  # back to the service's policy
        2,
    )
    update = AuditEntry.objects.get(action="routing_rule.update")
    assert update.before is not None
    assert update.after is not None
    assert (update.before["name"], update.after["name"]) == ("db", "db critical")

    response = client.post(edit + "delete/", follow=True)
    assert messages_on(response.content.decode()) == ["Routing rule deleted."]
    assert not RoutingRule.objects.exists()
    assert AuditEntry.objects.filter(action="routing_rule.delete").count() == 1


def test_a_bad_rule_edit_shows_its_error_once_and_changes_nothing(
    admin: User, service: Service, rule: RoutingRule
) -> None:
    edit = f"/services/{service.pk}/routing-rules/{rule.pk}/"
    bad = browser(admin).post(edit, {"name": "", "match_labels": "team"})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert errors_on(html) == ["Write labels as name=value, separated by commas: team"]
    assert field_value(html, f"id_rule{rule.pk}_match_labels") == "team"  # the input is kept
    catch_all = browser(admin).post(edit, {"name": "", "match_labels": ""}).content.decode()
    assert len(errors_on(catch_all)) == 1
    assert "A rule with no labels matches every alert" in errors_on(catch_all)[0]
    rule.refresh_from_db()
    assert (rule.name, rule.match_labels) == ("db", {"team": "db"})
    assert not AuditEntry.objects.filter(action="routing_rule.update").exists()


# Who may ---------------------------------------------------------------------------------


def test_a_viewer_sees_no_setup_and_is_refused(
    viewer: User, responder: User, service: Service, hook: tuple[int, str], rule: RoutingRule
) -> None:
    hook_id, path = hook
    html = page_of(browser(viewer), service)
    for control in (
        "Send a test alert",
        "Deactivate",
        "Make a new URL",
        "Edit or delete",
        "Save policy",
    ):
        assert control not in html
    posts = [
        base(service, hook_id) + "deactivate/",
        base(service, hook_id) + "new-url/",
        base(service, hook_id) + "test-alert/",
        f"/services/{service.pk}/routing-rules/{rule.pk}/",
        f"/services/{service.pk}/routing-rules/{rule.pk}/delete/",
    ]
    for user in (viewer, responder):  # a responder who does not lead the owning team
        for target in posts:
            assert browser(user).post(target, {"name": "x"}).status_code == 403, target
    assert Integration.objects.get(pk=hook_id).is_active
    accepted(path, alertmanager(am_alert("a")))  # the old URL still works
    assert AlertGroup.objects.count() == 1  # no test alert
    assert RoutingRule.objects.get().name == "db"


def test_a_team_lead_sets_up_their_service_but_not_through_another(
    admin_api: Api, responder: User, service: Service, hook: tuple[int, str]
) -> None:
    hook_id, _path = hook
    accounts.add_member(Team.objects.get(slug="payments"), responder, is_lead=True)
    other = admin_api.post("/services", {"name": "Search"}).json()
    client = browser(responder)
    assert "Send a test alert" in page_of(client, service)
    assert client.post(base(service, hook_id) + "deactivate/").status_code == 302
    # Another service's id in the path does not reach this service's integration.
    assert (
        client.post(f"/services/{other['id']}/integrations/{hook_id}/reactivate/").status_code
        == 403
    )
    accounts.add_member(Team.objects.get(slug="unassigned"), responder, is_lead=True)
    missing = client.post(f"/services/{other['id']}/integrations/{hook_id}/reactivate/")
    assert missing.status_code == 404
    assert not Integration.objects.get(pk=hook_id).is_active


# The API ---------------------------------------------------------------------------------


def test_the_api_switches_rotates_and_tests_an_integration(
    admin_api: Api,
    viewer_api: Api,
    service: Service,
    primary: dict[str, Any],
    hook: tuple[int, str],
) -> None:
    hook_id, path = hook
    at = f"/services/{service.pk}/integrations/{hook_id}"
    assert_error(viewer_api.patch(at, {"is_active": False}), 403, "forbidden")
    off = admin_api.patch(at, {"is_active": False})
    assert off.status_code == 200, off.json()
    assert off.json()["is_active"] is False
    assert send(path, alertmanager(am_alert("a"))).status_code == 404
    assert_error(english(admin_api).post(at + "/test-alert"), 409, "conflict", "inactive")
    assert admin_api.patch(at, {"is_active": True}).json()["is_active"] is True

    rotated = admin_api.post(at + "/rotate-token")
    assert rotated.status_code == 200, rotated.json()
    new_path = rotated.json()["url"].split("/api/v1", 1)[1]
    assert send(path, alertmanager(am_alert("a"))).status_code == 404
    accepted(new_path, alertmanager(am_alert("a")))
    assert_error(viewer_api.post(at + "/rotate-token"), 403, "forbidden")

    tested = english(admin_api).post(at + "/test-alert", {"labels": {"team": "db"}})
    assert tested.status_code == 201, tested.json()
    body = tested.json()
    assert body["opened"] is True
    assert body["group"]["title"] == "[TEST] Test alert from Alertmanager"
    assert body["group"]["escalation_status"] == "active"
    assert_error(admin_api.post(at + "/test-alert", {"labels": "x"}), 422, "invalid")
    assert_error(admin_api.patch(f"/services/{service.pk}/integrations/999", {}), 404, "not_found")


def test_the_api_edits_and_deletes_rules(
    admin_api: Api, viewer_api: Api, service: Service, rule: RoutingRule
) -> None:
    at = f"/services/{service.pk}/routing-rules/{rule.pk}"
    edited = admin_api.patch(at, {"declare_severity": 3, "escalation_policy": None})
    assert edited.status_code == 200, edited.json()
    body = edited.json()
    assert (body["name"], body["match_labels"], body["escalation_policy"]) == (
        "db",
        {"team": "db"},
        None,
    )
    assert body["declare_severity"] == 3
    assert_error(admin_api.patch(at, {"name": "", "match_labels": {}}), 400, "invalid")
    assert_error(admin_api.patch(at, {"escalation_policy": "Nope"}), 400, "invalid", "Nope")
    assert_error(admin_api.patch(at, {"declare_severity": 9}), 422, "invalid")
    assert_error(viewer_api.patch(at, {"name": "x"}), 403, "forbidden")
    assert_error(viewer_api.delete(at), 403, "forbidden")
    assert admin_api.delete(at).status_code == 204
    assert_error(admin_api.delete(at), 404, "not_found")
    assert not RoutingRule.objects.exists()

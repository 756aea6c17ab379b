"""The services API: adding and editing services, their integrations and routing rules, and
who may do which."""

import hashlib
from typing import Any

import pytest

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.alerts.models import Integration
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from tests.alerts.support import integration, policy
from tests.conftest import Api, api_for, make_user
from tests.incidents.support import assert_error, call

pytestmark = pytest.mark.django_db


def create(api: Api, **fields: Any) -> Any:
    return api.post("/services", fields)


def test_admin_adds_a_service(admin_api: Api, responder: User, service: Service) -> None:
    primary = policy(admin_api, "Primary", "rei")
    response = create(
        admin_api, name="Point Card", team="payments", escalation_policy=primary["id"]
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["team"], body["escalation_policy_name"]) == (
        "point-card",
        "payments",
        "Primary",
    )
    by_name = create(admin_api, name="Point Card", escalation_policy="Primary").json()
    assert by_name["slug"] == "point-card-2"
    assert by_name["team"] == "unassigned"
    assert create(admin_api, name="決済").json()["slug"] == "service"
    assert AuditEntry.objects.filter(action="service.create").count() == 4  # with the fixture's


def test_bad_services_are_refused(admin_api: Api, service: Service) -> None:
    assert_error(create(admin_api, name="Checkout", slug="checkout"), 409, "conflict", "checkout")
    assert_error(create(admin_api, name="X", slug="Not A Slug"), 400, "invalid")
    assert_error(create(admin_api, name="X", team="nobody"), 400, "invalid", "nobody")
    assert_error(create(admin_api, name="X", escalation_policy=99), 400, "invalid", "99")
    assert_error(create(admin_api, name=""), 422, "invalid")
    assert Service.objects.count() == 1


def test_list_show_and_edit(admin_api: Api, viewer_api: Api, service: Service) -> None:
    body = viewer_api.get("/services").json()
    assert (body["count"], body["items"][0]["slug"]) == (1, "checkout")
    assert viewer_api.get(f"/services/{service.pk}").json()["name"] == "Checkout"
    assert_error(viewer_api.get("/services/999"), 404, "not_found")
    policy(admin_api, "Primary", "aki")
    edited = admin_api.patch(
        f"/services/{service.pk}", {"name": "Checkout API", "escalation_policy": "Primary"}
    ).json()
    assert (edited["name"], edited["escalation_policy_name"]) == ("Checkout API", "Primary")
    cleared = admin_api.patch(f"/services/{service.pk}", {"escalation_policy": None}).json()
    assert cleared["escalation_policy"] is None
    assert_error(admin_api.patch(f"/services/{service.pk}", {"team": None}), 400, "invalid")


def test_integration_url_is_shown_once_and_only_its_hash_is_kept(
    admin_api: Api, viewer_api: Api, service: Service
) -> None:
    created, path = integration(
        admin_api, service.pk, "alertmanager", grouping_key="cluster", rate_limit_per_minute=600
    )
    token = path.split("/")[2]
    assert token.startswith("kzi_")
    assert created["rate_limit_per_minute"] == 600
    stored = Integration.objects.get(pk=created["id"])
    assert stored.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Integration.objects.values().get(pk=created["id"]))
    (listed,) = viewer_api.get(f"/services/{service.pk}/integrations").json()
    assert "url" not in listed
    assert listed["token_prefix"] == token[:10]
    assert listed["grouping_key"] == "cluster"
    openapi = admin_api.client.get("/api/v1/openapi.json").json()
    shown = openapi["components"]["schemas"]["IntegrationCreatedOut"]["properties"]["url"]
    assert "only in this response" in shown["description"]


def test_routing_rules(admin_api: Api, viewer_api: Api, service: Service, responder: User) -> None:
    policy(admin_api, "Database", "rei")
    first = admin_api.post(
        f"/services/{service.pk}/routing-rules",
        {"name": "db", "match_labels": {"team": "db"}, "escalation_policy": "Database"},
    ).json()
    second = admin_api.post(
        f"/services/{service.pk}/routing-rules",
        {"match_labels": {"severity": "critical"}, "declare_severity": 2},
    ).json()
    assert (first["position"], second["position"]) == (0, 1)
    assert first["escalation_policy_name"] == "Database"
    listed = viewer_api.get(f"/services/{service.pk}/routing-rules").json()
    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    bad = admin_api.post(f"/services/{service.pk}/routing-rules", {"declare_severity": 9})
    assert_error(bad, 422, "invalid")
    bad = admin_api.post(f"/services/{service.pk}/routing-rules", {"escalation_policy": "None"})
    assert_error(bad, 400, "invalid", "None")


def test_team_leads_configure_their_own_services(
    admin_api: Api, service: Service, responder: User, responder_api: Api
) -> None:
    other = admin_api.post("/services", {"name": "Search"}).json()
    body = {"kind": "webhook", "name": "hook"}
    assert_error(responder_api.post(f"/services/{service.pk}/integrations", body), 403, "forbidden")
    accounts.add_member(Team.objects.get(slug="payments"), responder, is_lead=True)
    assert responder_api.post(f"/services/{service.pk}/integrations", body).status_code == 201
    assert responder_api.patch(f"/services/{service.pk}", {"name": "Checkout 2"}).status_code == 200
    assert_error(
        responder_api.post(f"/services/{other['id']}/integrations", body), 403, "forbidden"
    )
    # Moving a service to a team they do not lead is refused, too.
    move = responder_api.patch(f"/services/{service.pk}", {"team": "unassigned"})
    assert_error(move, 403, "forbidden")
    assert_error(responder_api.post("/services", {"name": "Mine"}), 403, "forbidden")


SERVICE_ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("post", "/services", {"name": "New"}),
    ("patch", "/services/{id}", {"name": "Renamed"}),
    ("post", "/services/{id}/integrations", {"kind": "webhook", "name": "hook"}),
    ("post", "/services/{id}/routing-rules", {"name": "all"}),
]
READ_ENDPOINTS = [
    "/services",
    "/services/{id}",
    "/services/{id}/integrations",
    "/services/{id}/routing-rules",
]


@pytest.mark.parametrize(("method", "path", "body"), SERVICE_ENDPOINTS)
@pytest.mark.parametrize("role", ["viewer", "responder"])
def test_only_admins_and_leads_change_services(
    service: Service, role: str, method: str, path: str, body: dict[str, Any]
) -> None:
    api = api_for(make_user("kim", role))
    before = (Service.objects.count(), Integration.objects.count(), AuditEntry.objects.count())
    response = call(api, method, path.format(id=service.pk), body)
    assert_error(response, 403, "forbidden")
    after = (Service.objects.count(), Integration.objects.count(), AuditEntry.objects.count())
    assert after == before


@pytest.mark.parametrize("path", READ_ENDPOINTS)
def test_reading_needs_a_login(
    anonymous_api: Api, viewer_api: Api, service: Service, path: str
) -> None:
    assert anonymous_api.get(path.format(id=service.pk)).status_code == 401
    assert viewer_api.get(path.format(id=service.pk)).status_code == 200

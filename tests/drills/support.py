"""Helpers the drill tests share: a service whose on-call is paged, a scenario made through the
API, reading the timeline in English."""

from typing import Any

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, make_user
from tests.incidents.support import english
from tests.notify.support import create_policy, step

SCENARIO: dict[str, Any] = {
    "title": "Checkout payments fail",
    "description": "Card payments time out for most customers.",
    "severity": 2,
    "services": ["checkout"],
    "fake_alerts": [{"title": "5xx rate above 5% on checkout"}],
    "events": [
        {"offset_minutes": 20, "kind": "severity", "severity": 1},
        {"offset_minutes": 10, "kind": "note", "text": "Customers report failed payments on X."},
    ],
}


def on_call_for_checkout(admin_api: Api, service: Service) -> User:
    """aoi is the on-call of the Checkout service (through its escalation policy)."""
    aoi = make_user("aoi", "responder")
    policy = create_policy(admin_api, "Checkout on-call", [step(("user", "aoi"))])
    changed = admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]})
    assert changed.status_code == 200, changed.json()
    return aoi


def create_scenario(admin_api: Api, **fields: Any) -> dict[str, Any]:
    response = admin_api.post("/drill-scenarios", {**SCENARIO, **fields})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def start(api: Api, scenario_id: int) -> dict[str, Any]:
    response = api.post("/drills", {"scenario": scenario_id})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def timeline(api: Api, ref: str) -> list[str]:
    return [entry["text"] for entry in english(api).get(f"/incidents/{ref}/timeline").json()]

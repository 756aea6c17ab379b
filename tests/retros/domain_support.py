"""Helpers the retrospective tests share: an incident with a real history (an alert that
declared it, pages sent, roles, a backdated note, impact, status updates) walked to
resolved through the API, and short ways to read its retrospective back."""

import json
from typing import Any

from django.test import Client

from kizuki.catalog.models import Service
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration, policy
from tests.conftest import Api, MovableClock
from tests.incidents.support import move

IMPACT = {
    "customers_affected": "About 1,200 shoppers could not pay",
    "functions_affected": "Checkout payment step",
    "impact_started_at": "2026-11-25T00:55:00Z",
    "impact_ended_at": "2026-11-25T01:40:00Z",
    "secondary_damage": "Duplicate refund requests at the support desk",
}
BACKDATED_NOTE = "Deploy 4521 of checkout-api went out"


def in_language(api: Api, language: str) -> Api:
    """The same user, asking for `language` (texts are predictable in either)."""
    return Api(Client(headers={"Accept-Language": language}), api.token, api.user)


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    """PUT, which the shared Api helper does not offer."""
    return api.client.put(
        "/api/v1" + path,
        json.dumps(body),
        "application/json",
        headers={"Authorization": f"Bearer {api.token}"} if api.token else {},
    )


def ok(response: Any, status: int = 200) -> Any:
    body = response.json() if response.content else None
    assert response.status_code == status, body
    return body


def error(response: Any, status: int, *fragments: str) -> str:
    """An error answer with its status, a `detail` naming the problem, never a 500."""
    body = response.json()
    assert response.status_code == status, body
    assert body["detail"].strip(), body
    for fragment in fragments:
        assert fragment in body["detail"], body
    detail: str = body["detail"]
    return detail


def alerted_incident(admin_api: Api, service: Service, clock: MovableClock) -> str:
    """An Alertmanager alert declares a SEV2 through a routing rule and pages rei (who must
    exist); returns the incident's reference."""
    path = integration(admin_api, service.pk, "alertmanager")[1]
    policy(admin_api, "Primary", "rei")
    ok(
        admin_api.post(
            f"/services/{service.pk}/routing-rules",
            {
                "name": "critical",
                "match_labels": {"severity": "critical"},
                "escalation_policy": "Primary",
                "declare_severity": 2,
            },
        ),
        201,
    )
    (group_id,) = accepted(path, alertmanager(am_alert("a", "Checkout 5xx ratio high")))["groups"]
    while run_due_escalations() + deliver_due_pages():
        pass
    ref: str = group(admin_api, group_id)["incident"]
    clock.advance(minutes=1)
    return ref


def give_history(api: Api, ref: str, clock: MovableClock, commander: str = "rei") -> None:
    """Roles, impact, a backdated note, status updates; then acknowledged → resolved."""
    ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": commander}), 201)
    ok(api.patch(f"/incidents/{ref}", IMPACT))
    clock.advance(minutes=4)
    # Recorded now, but it happened before the report: the timeline shows it in its place.
    ok(
        api.post(
            f"/incidents/{ref}/timeline",
            {"text": BACKDATED_NOTE, "occurred_at": "2026-11-25T00:50:00Z"},
        ),
        201,
    )
    ok(api.post(f"/incidents/{ref}/status-updates", {"text": "Payments fail; rolling back"}), 201)
    clock.advance(minutes=10)
    ok(move(api, ref, "mitigated"))
    clock.advance(minutes=20)
    ok(move(api, ref, "resolved"))


def resolved_incident(api: Api, clock: MovableClock, severity: int = 2, **fields: Any) -> str:
    """Reported at 01:00 UTC, acknowledged 01:05, declared 01:08, a note backdated to 00:50,
    mitigated 01:22, resolved 01:42 (with the frozen clock); returns its reference."""
    ref: str = ok(api.post("/incidents", {"title": "Checkout fails", **fields}), 201)["number"]
    clock.advance(minutes=5)
    ok(move(api, ref, "acknowledged"))
    clock.advance(minutes=3)
    ok(move(api, ref, "declared", severity=severity))
    give_history(api, ref, clock)
    return ref


def start(api: Api, ref: str, template: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        api.post(f"/incidents/{ref}/retrospective", {"template": template} if template else {}),
        201,
    )
    return body


def section(retro: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in retro["sections"] if s["key"] == key)
    return found


def requirement(api: Api, ref: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.get(f"/incidents/{ref}/retrospective/requirement"))
    return body


def require(api: Api, ref: str, **body: Any) -> Any:
    return put(api, f"/incidents/{ref}/retrospective/requirement", body)

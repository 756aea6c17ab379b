"""Helpers the alert tests share: set up a service's integration through the API, send
payloads the way monitoring tools do (no login, the token in the URL), and build realistic
payloads."""

import json
from typing import Any

from django.test import Client

from kizuki.alerts.models import Alert, AlertGroup, RateWindow
from kizuki.core.models import AuditEntry
from kizuki.incidents.models import Incident, TimelineEntry
from kizuki.oncall.models import Escalation
from tests.conftest import Api

BASE = "http://127.0.0.1:8000/api/v1"


def integration(api: Api, service_id: int, kind: str, **fields: Any) -> tuple[dict[str, Any], str]:
    """Create an integration; returns it and its ingestion path below /api/v1."""
    response = api.post(
        f"/services/{service_id}/integrations", {"kind": kind, "name": kind.title(), **fields}
    )
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    assert body["url"].startswith(BASE + "/integrations/"), body["url"]
    return body, body["url"][len(BASE) :]


def send(path: str, payload: Any, language: str = "en") -> Any:
    """POST a payload as a sender would: anonymous, JSON (or raw text when given a str).
    In English, so error texts are predictable when the Japanese catalogue is compiled."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    client = Client(headers={"Accept-Language": language})
    return client.post("/api/v1" + path, body, "application/json")


def accepted(path: str, payload: Any) -> dict[str, Any]:
    response = send(path, payload)
    assert response.status_code == 202, response.json()
    answer: dict[str, Any] = response.json()
    # Events API v2 senders get PagerDuty's answer; every other kind Kizuki's own.
    assert answer["status"] == ("success" if path.endswith("/events") else "accepted")
    return answer


def policy(api: Api, name: str = "Primary", *usernames: str, wait: int = 5) -> dict[str, Any]:
    """An escalation policy paging each person in turn, through the on-call API."""
    steps = [
        {"targets": [{"type": "user", "id": username}], "wait_minutes": wait}
        for username in usernames or ("rei",)
    ]
    response = api.post("/escalation-policies", {"name": name, "steps": steps})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def paging_integration(api: Api, service_id: int, username: str, kind: str) -> str:
    """The service pages `username` through a new policy; returns a new `kind` integration's
    ingestion path below /api/v1."""
    paging = policy(api, "Primary", username)
    api.patch(f"/services/{service_id}", {"escalation_policy": paging["id"]})
    return integration(api, service_id, kind)[1]


def am_alert(
    fingerprint: str,
    summary: str = "High error rate",
    status: str = "firing",
    **labels: str,
) -> dict[str, Any]:
    return {
        "status": status,
        "labels": {"alertname": "HighErrorRate", "severity": "critical", **labels},
        "annotations": {
            "summary": summary,
            "description": "5xx ratio above 5% for 5 minutes on checkout-api.",
            "runbook_url": "https://runbooks.example.test/high-error-rate",
        },
        "startsAt": "2026-11-25T00:58:00.000Z",
        "endsAt": "2026-11-25T01:03:00.000Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.example.test:9090/graph?g0.expr=rate%28http_5xx%29",
        "fingerprint": fingerprint,
    }


def alertmanager(
    *alerts: dict[str, Any], group_key: str = '{}:{alertname="HighErrorRate"}'
) -> dict[str, Any]:
    """An Alertmanager v4 webhook as Alertmanager 0.27 sends it."""
    firing = any(alert["status"] == "firing" for alert in alerts)
    return {
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": 0,
        "status": "firing" if firing else "resolved",
        "receiver": "kizuki",
        "groupLabels": {"alertname": "HighErrorRate"},
        "commonLabels": {"alertname": "HighErrorRate"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example.test:9093",
        "alerts": list(alerts),
    }


def row_counts() -> dict[str, int]:
    models = (AlertGroup, Alert, RateWindow, Escalation, Incident, TimelineEntry, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def group(api: Api, group_id: int) -> dict[str, Any]:
    response = api.get(f"/alert-groups/{group_id}")
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body

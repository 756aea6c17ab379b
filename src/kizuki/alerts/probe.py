"""Test alerts: what a sender of each integration kind would send, so a test goes through the
same parsing, routing and paging as a real alert. Pure functions, no database."""

import uuid
from typing import Any

from django.utils.translation import gettext as _

from kizuki.alerts.models import IntegrationKind
from kizuki.core.errors import InvalidInput

# Every test alert carries this label (Events API v2 senders cannot set labels of their own:
# there it is in the details), so it can be told from real ones.
TEST_LABEL = "kizuki_test"
# The labels an Events API v2 event carries: its payload fields of these names.
EVENTS_LABELS = ("source", "severity", "component", "group", "class")


def _texts(name: str, sender: str) -> tuple[str, str]:
    title = _("[TEST] Test alert from %(name)s") % {"name": name}
    description = _(
        "Sent by %(user)s from Kizuki to check that alerts reach the right people."
        " Acknowledge and resolve it once you have been paged."
    ) % {"user": sender}
    return title, description


def payload_for(
    kind: str, integration_name: str, sender: str, labels: dict[str, str]
) -> dict[str, Any]:
    """A firing alert in the format of `kind`, with `labels`, under a key of its own (so it
    opens a new alert group and pages, unless the integration groups by one of its labels)."""
    key = f"kizuki-test-{uuid.uuid4().hex}"
    title, description = _texts(integration_name, sender)
    if kind in (IntegrationKind.ALERTMANAGER, IntegrationKind.GRAFANA):
        alert = {
            "status": "firing",
            "labels": {"alertname": "KizukiTestAlert", **labels, TEST_LABEL: "true"},
            "annotations": {"summary": title, "description": description},
            "fingerprint": key,
        }
        payload: dict[str, Any] = {"status": "firing", "groupKey": key, "alerts": [alert]}
        if kind == IntegrationKind.ALERTMANAGER:
            payload["version"] = "4"
        return payload
    if kind == IntegrationKind.EVENTS:
        fields = {name: labels[name] for name in EVENTS_LABELS if labels.get(name)}
        others = {name: value for name, value in labels.items() if name not in EVENTS_LABELS}
        body = {
            "summary": title,
            "source": "kizuki",
            "severity": "info",
            **fields,
            "custom_details": {"description": description, TEST_LABEL: "true", **others},
        }
        return {"event_action": "trigger", "dedup_key": key, "payload": body}
    if kind == IntegrationKind.WEBHOOK:
        return {
            "title": title,
            "dedup_key": key,
            "group_key": key,
            "labels": {**labels, TEST_LABEL: "true"},
            "details": {"description": description},
        }
    raise InvalidInput(
        _(
            "A heartbeat integration raises an alert only when heartbeats stop; send a test"
            " alert through another integration."
        )
    )

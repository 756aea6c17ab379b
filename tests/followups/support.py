"""Helpers the follow-up tests share: incidents at a severity, resolved at a known time, a
published retrospective, follow-ups written through the API, the worker's work."""

from typing import Any

from kizuki.core.models import AuditEntry
from kizuki.followups.models import Change, FollowUp, Milestone, Reminder, TrackerLink
from tests.conftest import Api
from tests.incidents.support import english, incident_in

__all__ = ["english"]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json()
    return response.json()


def resolved_incident(api: Api, severity: int = 2, **fields: Any) -> str:
    """An incident declared at `severity` and resolved now; returns its reference."""
    ref = incident_in(api, "reported", **fields)
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "declared", "severity": severity}))
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "mitigated"}))
    ok(api.post(f"/incidents/{ref}/transitions", {"to": "resolved"}))
    return ref


def publish_retrospective(api: Api, ref: str) -> dict[str, Any]:
    """Start the incident's retrospective (the default template) and publish it."""
    ok(api.post(f"/incidents/{ref}/retrospective", {}), 201)
    ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "in_review"}))
    retro: dict[str, Any] = ok(
        api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "published"})
    )
    return retro


def write(api: Api, ref: str, title: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        api.post(f"/incidents/{ref}/followups", {"title": title, **fields}), 201
    )
    return body


def codes(followup_or_answer: dict[str, Any]) -> list[str]:
    return [finding["code"] for finding in followup_or_answer["quality"]]


def row_counts() -> dict[str, int]:
    models = (FollowUp, Milestone, Change, Reminder, TrackerLink, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}

"""Helpers the automation tests share: rules made through the API, incidents walked through
the real flow, the worker run in-process, and the timeline read back in English."""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from kizuki.automation.models import ActionRun
from tests.conftest import Api
from tests.incidents.support import english
from tests.jobs import run_worker


def make_rule(api: Api, event: str, actions: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    body = {"name": fields.pop("name", f"On {event}"), "event": event, "actions": actions, **fields}
    response = api.post("/automation-rules", body)
    assert response.status_code == 201, response.json()
    result: dict[str, Any] = response.json()
    return result


def report(api: Api, title: str = "Checkout fails", **fields: Any) -> str:
    response = api.post("/incidents", {"title": title, **fields})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def move(api: Api, ref: str, to: str, **extra: Any) -> None:
    response = api.post(f"/incidents/{ref}/transitions", {"to": to, **extra})
    assert response.status_code == 200, response.json()


def declared(api: Api, severity: int = 3, **fields: Any) -> str:
    """A reported incident, declared at `severity`, with the worker's jobs run."""
    ref = report(api, **fields)
    move(api, ref, "declared", severity=severity)
    run_worker()
    return ref


def timeline(api: Api, ref: str) -> list[str]:
    return [entry["text"] for entry in english(api).get(f"/incidents/{ref}/timeline").json()]


def automation_lines(api: Api, ref: str) -> list[str]:
    """The timeline entries rule runs wrote, in English, oldest first."""
    entries = english(api).get(f"/incidents/{ref}/timeline").json()
    return [e["text"] for e in entries if str(e.get("event", "")).startswith("automation_")]


def worker_text(message: str, **params: object) -> str:
    """An action's error as the worker recorded it: in the organisation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message) % params


def runs(api: Api, rule_id: int) -> list[dict[str, Any]]:
    response = api.get(f"/automation-rules/{rule_id}/runs")
    assert response.status_code == 200, response.json()
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def action_statuses() -> list[tuple[str, str, int]]:
    return [(a.action, a.status, a.attempts) for a in ActionRun.objects.order_by("id")]

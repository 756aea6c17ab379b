"""Helpers the incident tests share: walking an incident to a status, reading it back,
counting rows to prove a refused request changed nothing."""

from typing import Any

from django.test import Client
from django_tasks_db.models import DBTaskResult

from kizuki.core.models import AuditEntry
from kizuki.incidents.models import Incident, RoleAssignment, StatusUpdate, TimelineEntry
from tests.conftest import Api

DECLARE = {"to": "declared", "severity": 3}

# The moves that bring a freshly reported incident to each status.
PATHS: dict[str, list[dict[str, Any]]] = {
    "reported": [],
    "acknowledged": [{"to": "acknowledged"}],
    "declared": [DECLARE],
    "mitigated": [DECLARE, {"to": "mitigated"}],
    "resolved": [DECLARE, {"to": "mitigated"}, {"to": "resolved"}],
    "closed": [DECLARE, {"to": "mitigated"}, {"to": "resolved"}, {"to": "closed"}],
    "false_alarm": [{"to": "false_alarm"}],
}


def english(api: Api) -> Api:
    """The same user, asking for English, so rendered texts are predictable."""
    return Api(Client(headers={"Accept-Language": "en"}), api.token, api.user)


def call(api: Api, method: str, path: str, body: dict[str, Any]) -> Any:
    """One request by method name; GET and DELETE take no body."""
    if method in {"get", "delete"}:
        return getattr(api, method)(path)
    return getattr(api, method)(path, body)


def report(api: Api, title: str = "Checkout fails", **fields: Any) -> dict[str, Any]:
    response = api.post("/incidents", {"title": title, **fields})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def move(api: Api, ref: str, to: str, **extra: Any) -> Any:
    return api.post(f"/incidents/{ref}/transitions", {"to": to, **extra})


def incident_in(api: Api, status: str, **fields: Any) -> str:
    """Report an incident and walk it to `status`; returns its reference."""
    ref: str = report(api, **fields)["number"]
    for step in PATHS[status]:
        response = api.post(f"/incidents/{ref}/transitions", step)
        assert response.status_code == 200, response.json()
    return ref


def look(api: Api, ref: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The incident and its timeline, as a user re-reading them would see them."""
    return api.get(f"/incidents/{ref}").json(), api.get(f"/incidents/{ref}/timeline").json()


def events(api: Api, ref: str) -> list[str]:
    return [entry["event"] for entry in api.get(f"/incidents/{ref}/timeline").json()]


def row_counts() -> dict[str, int]:
    models = (Incident, TimelineEntry, RoleAssignment, StatusUpdate, AuditEntry, DBTaskResult)
    return {model.__name__: model.objects.count() for model in models}


def assert_error(response: Any, status: int, code: str, *fragments: str) -> None:
    """An error answer: the status, the machine code, and a detail naming the problem."""
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code, body
    assert body["detail"].strip(), body
    for fragment in fragments:
        assert fragment in body["detail"], body

"""Helpers the stakeholder tests share: posting updates, running the queued jobs as the worker
does, reading what was delivered."""

from typing import Any

from django_tasks_db.models import DBTaskResult

from kizuki.core.models import AuditEntry
from kizuki.incidents.models import StatusUpdate
from kizuki.stakeholders.models import Delivery, Subscription
from tests.conftest import Api

RELAY = "kizuki.stakeholders.tasks.relay_status_update"


def post_update(api: Api, ref: str, text: str, **fields: Any) -> dict[str, Any]:
    response = api.post(f"/incidents/{ref}/status-updates", {"text": text, **fields})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def tell_stakeholders(api: Api, ref: str, text: str, plain_text: str = "") -> dict[str, Any]:
    return post_update(api, ref, text, audience="stakeholders", plain_text=plain_text)


def relay_jobs() -> list[int]:
    """The status updates waiting to be relayed (queued jobs not run yet)."""
    rows = DBTaskResult.objects.ready().filter(task_path=RELAY)
    return [row.args_kwargs["args"][0] for row in rows]


def failed_jobs() -> list[str]:
    return [str(row.exception_class_path) for row in DBTaskResult.objects.filter(status="FAILED")]


def delivered(**filters: Any) -> list[tuple[str, str, str]]:
    """(address, outcome, error) of each delivery, in subscription order."""
    found = Delivery.objects.filter(**filters).select_related("subscription")
    return sorted((d.subscription.address, d.outcome, d.error) for d in found)


def subscription_counts() -> dict[str, int]:
    models = (Subscription, Delivery, StatusUpdate, AuditEntry, DBTaskResult)
    return {model.__name__: model.objects.count() for model in models}

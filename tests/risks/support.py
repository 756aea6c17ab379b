"""Helpers the risk tests share: answers checked for their status, risks written through the
API, row counts that prove a refused request changed nothing."""

from typing import Any

from kizuki.core.models import AuditEntry
from kizuki.risks.models import Change, Reminder, Risk
from tests.conftest import Api


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json()
    return response.json()


def record(api: Api, title: str = "External API rate limit", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.post("/risks", {"title": title, **fields}), 201)
    return body


def row_counts() -> dict[str, int]:
    models = (Risk, Change, Reminder, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}

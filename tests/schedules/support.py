"""Helpers the schedule tests share: people to rotate, schedules made through the API, and
local wall-clock moments turned into ISO strings the API takes."""

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.schedules.models import Layer, LayerMember, Override, Schedule
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import call


def people(*names: str) -> dict[str, User]:
    """People to put on call (viewers: being on call needs no role)."""
    return {name: make_user(name, "viewer") for name in names or ("ana", "ben", "chie", "dai")}


def local(zone: str, wall_clock: str) -> datetime:
    """A wall-clock moment in `zone`, e.g. local("America/New_York", "2026-03-08 08:59")."""
    return datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(zone))


def layer(users: list[str], shift_length: str = "1d", **fields: Any) -> dict[str, Any]:
    return {
        "users": users,
        "shift_length": shift_length,
        "handoff_time": "09:00",
        "start": "2026-11-01",
        **fields,
    }


def create(
    api: Api, layers: list[dict[str, Any]], name: str = "Primary", zone: str = "Asia/Tokyo"
) -> dict[str, Any]:
    response = api.post("/schedules", {"name": name, "time_zone": zone, "layers": layers})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def on_call(api: Api, schedule_id: int, moment: datetime) -> list[str]:
    response = api.get(f"/schedules/{schedule_id}/oncall", at=moment.isoformat())
    assert response.status_code == 200, response.json()
    users: list[str] = response.json()["users"]
    return users


def row_counts() -> dict[str, int]:
    models = (Schedule, Layer, LayerMember, Override, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def set_clock(clock: MovableClock, moment: datetime) -> None:
    """Put the movable clock at `moment` (it only steps forward by itself)."""
    clock.now = moment.astimezone(UTC)
    clock.advance()


def send(api: Api, method: str, path: str, body: dict[str, Any]) -> Any:
    """One request by method name, PUT included (the shared Api helper has no put)."""
    if method != "put":
        return call(api, method, path, body)
    headers = {"Authorization": f"Bearer {api.token}"} if api.token else {}
    return api.client.put("/api/v1" + path, json.dumps(body), "application/json", headers=headers)


def speaking(api: Api, language: str) -> Api:
    """The same user, asking for `language`."""
    return Api(Client(headers={"Accept-Language": language}), api.token, api.user)

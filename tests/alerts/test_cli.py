"""`kizuki alert …` as an operator types it, with the same permissions as the API."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, group, integration
from tests.conftest import Api, MovableClock

pytestmark = pytest.mark.django_db


def kizuki(*argv: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*argv: str) -> str:
    with pytest.raises(CommandError) as caught:
        kizuki(*argv)
    return str(caught.value)


@pytest.fixture
def groups(admin_api: Api, service: Service, frozen_clock: MovableClock) -> list[int]:
    path = integration(admin_api, service.pk, "alertmanager")[1]
    found: list[int] = []
    for key in ("errors", "latency"):
        found += accepted(path, alertmanager(am_alert(key), group_key=key))["groups"]
    return found


def test_list(groups: list[int]) -> None:
    lines = kizuki("alert", "list").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{groups[1]}  firing  2026-11-25 10:00  checkout  High error rate")
    data: list[dict[str, Any]] = json.loads(kizuki("alert", "list", "--json"))
    assert [item["id"] for item in data] == [groups[1], groups[0]]
    assert kizuki("alert", "list", "--status", "resolved") == ""


def test_ack_resolve_silence(groups: list[int], responder: User, viewer_api: Api) -> None:
    first, second = groups
    out = kizuki("alert", "ack", str(first), "--as", "rei")
    assert f"{first}  acknowledged" in out
    assert group(viewer_api, first)["acknowledged_by"] == "rei"
    kizuki("alert", "silence", str(second), "--minutes", "30", "--as", "rei")
    assert group(viewer_api, second)["silenced_until"] == "2026-11-25T01:30:00Z"
    kizuki("alert", "resolve", str(second))  # without --as: the system
    assert group(viewer_api, second)["status"] == "resolved"
    listed = json.loads(kizuki("alert", "list", "--status", "resolved", "--json"))
    assert [item["id"] for item in listed] == [second]


def test_refusals(groups: list[int], viewer: User) -> None:
    assert refused("alert", "ack", str(groups[0]), "--as", "vera") == (
        "Only responders and the people paged may acknowledge this alert group."
    )
    assert refused("alert", "resolve", str(groups[0]), "--as", "vera") == (
        "This needs the Responder role."
    )
    assert refused("alert", "ack", "999") == "No alert group 999."
    kizuki("alert", "resolve", str(groups[0]))
    assert (
        refused("alert", "ack", str(groups[0])) == f"Alert group {groups[0]} is already resolved."
    )
    with pytest.raises(CommandError):
        kizuki("alert", "silence", str(groups[1]))  # --minutes is required

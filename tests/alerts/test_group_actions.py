"""Acknowledge, resolve and silence alert groups through the API: what each does to the
group and its paging, who may do it, and how a silence ends."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import User
from kizuki.alerts.actions import end_silences
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from kizuki.oncall.engine import deliver_due_pages, run_due_escalations
from tests.alerts.support import (
    accepted,
    alertmanager,
    am_alert,
    group,
    integration,
    paging_integration,
)
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import assert_error, english

pytestmark = pytest.mark.django_db


def work() -> None:
    while run_due_escalations() + deliver_due_pages():
        pass


@pytest.fixture
def am_path(admin_api: Api, service: Service, responder: User, frozen_clock: MovableClock) -> str:
    return paging_integration(admin_api, service.pk, "rei", "alertmanager")


@pytest.fixture
def firing(am_path: str) -> int:
    (group_id,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    return int(group_id)


def audit_actions(group_id: int) -> list[str]:
    entries = AuditEntry.objects.filter(object_type="alerts.alertgroup", object_id=str(group_id))
    return list(entries.order_by("at", "id").values_list("action", flat=True))


def test_acknowledge_stops_paging(
    responder_api: Api, firing: int, frozen_clock: MovableClock
) -> None:
    response = responder_api.post(f"/alert-groups/{firing}/acknowledge")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["acknowledged_by"]) == ("acknowledged", "rei")
    assert body["acknowledged_at"] == "2026-11-25T01:00:00Z"
    assert body["escalation_status"] == "acknowledged"
    work()
    assert group(responder_api, firing)["notifications"] == []
    # Again: nothing changes, nothing is audited twice.
    assert responder_api.post(f"/alert-groups/{firing}/acknowledge").status_code == 200
    assert audit_actions(firing) == ["alert_group.open", "alert_group.acknowledge"]


def test_resolve_stops_paging_and_the_next_alert_opens_a_new_group(
    responder_api: Api, firing: int, am_path: str
) -> None:
    body = responder_api.post(f"/alert-groups/{firing}/resolve").json()
    assert (body["status"], body["escalation_status"]) == ("resolved", "resolved")
    assert responder_api.post(f"/alert-groups/{firing}/resolve").status_code == 200
    assert_error(
        english(responder_api).post(f"/alert-groups/{firing}/acknowledge"),
        409,
        "conflict",
        "resolved",
    )
    assert_error(
        responder_api.post(f"/alert-groups/{firing}/silence", {"minutes": 30}), 409, "conflict"
    )
    (again,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    assert again != firing


def test_silence_acknowledges_then_pages_again_when_it_ends(
    responder_api: Api, firing: int, frozen_clock: MovableClock
) -> None:
    work()
    body = responder_api.post(f"/alert-groups/{firing}/silence", {"minutes": 30}).json()
    assert body["status"] == "acknowledged"
    assert body["silenced_until"] == "2026-11-25T01:30:00Z"
    assert body["escalation_status"] == "acknowledged"
    frozen_clock.advance(minutes=29)
    assert end_silences() == 0
    frozen_clock.advance(minutes=2)
    assert end_silences() == 1
    work()
    shown = group(responder_api, firing)
    assert (shown["status"], shown["silenced_until"]) == ("firing", None)
    assert shown["escalation_status"] == "exhausted"
    assert [p["status"] for p in shown["notifications"]] == ["sent", "sent"]
    kinds = [e["kind"] for e in shown["escalation_history"]]
    assert kinds.count("triggered") == 2  # the first escalation's history is kept
    assert audit_actions(firing)[-1] == "alert_group.silence_ended"


def test_acknowledging_a_silenced_group_keeps_it_quiet(
    responder_api: Api, firing: int, frozen_clock: MovableClock
) -> None:
    responder_api.post(f"/alert-groups/{firing}/silence", {"minutes": 15})
    body = responder_api.post(f"/alert-groups/{firing}/acknowledge").json()
    assert (body["status"], body["silenced_until"]) == ("acknowledged", None)
    frozen_clock.advance(hours=1)
    assert end_silences() == 0


def test_a_new_group_for_a_silenced_key_waits_out_the_silence(
    responder_api: Api, firing: int, am_path: str, frozen_clock: MovableClock
) -> None:
    responder_api.post(f"/alert-groups/{firing}/silence", {"minutes": 60})
    accepted(am_path, alertmanager(am_alert("a", status="resolved")))
    frozen_clock.advance(minutes=10)
    (flapped,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    shown = group(responder_api, flapped)
    assert shown["silenced_until"] == "2026-11-25T02:00:00Z"
    assert shown["escalation_status"] is None
    frozen_clock.advance(minutes=51)
    assert end_silences() == 1
    assert group(responder_api, flapped)["escalation_status"] == "active"


@pytest.mark.parametrize("minutes", [0, -5, 7 * 24 * 60 + 1])
def test_silence_needs_a_sensible_length(responder_api: Api, firing: int, minutes: int) -> None:
    response = responder_api.post(f"/alert-groups/{firing}/silence", {"minutes": minutes})
    assert_error(response, 422, "invalid", "minutes")


def test_unknown_group_is_404(responder_api: Api) -> None:
    assert_error(responder_api.post("/alert-groups/999/acknowledge"), 404, "not_found", "999")
    assert_error(responder_api.get("/alert-groups/999"), 404, "not_found")


def test_viewer_reads_but_may_not_act(viewer_api: Api, firing: int) -> None:
    assert viewer_api.get("/alert-groups").json()["count"] == 1
    assert viewer_api.get(f"/alert-groups/{firing}").status_code == 200
    for action, body in (("acknowledge", None), ("resolve", None), ("silence", {"minutes": 5})):
        response = viewer_api.post(f"/alert-groups/{firing}/{action}", body)
        assert_error(response, 403, "forbidden")
    assert group(viewer_api, firing)["status"] == "firing"


def test_a_viewer_who_was_paged_may_acknowledge(
    admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    make_user("shiho", "viewer")
    admin_api.post(
        "/escalation-policies",
        {
            "name": "Support",
            "steps": [{"targets": [{"type": "user", "id": "shiho"}]}],
        },
    )
    admin_api.patch(f"/services/{service.pk}", {"escalation_policy": "Support"})
    path = integration(admin_api, service.pk, "webhook")[1]
    (group_id,) = accepted(path, {"title": "Shop down"})["groups"]
    shiho = api_for(User.objects.get(username="shiho"))
    assert_error(shiho.post(f"/alert-groups/{group_id}/acknowledge"), 403, "forbidden")
    work()
    assert shiho.post(f"/alert-groups/{group_id}/acknowledge").status_code == 200
    assert_error(shiho.post(f"/alert-groups/{group_id}/resolve"), 403, "forbidden")


def test_anonymous_gets_401(anonymous_api: Api, firing: int) -> None:
    assert anonymous_api.get("/alert-groups").status_code == 401
    assert anonymous_api.post(f"/alert-groups/{firing}/acknowledge").status_code == 401


def test_list_filters_by_status_and_service(
    admin_api: Api, responder_api: Api, am_path: str, service: Service
) -> None:
    groups: list[Any] = []
    for key in ("one", "two", "three"):
        groups += accepted(am_path, alertmanager(am_alert(key), group_key=key))["groups"]
    responder_api.post(f"/alert-groups/{groups[0]}/acknowledge")
    responder_api.post(f"/alert-groups/{groups[1]}/resolve")
    other = admin_api.post("/services", {"name": "Search", "team": "payments"}).json()
    path = integration(admin_api, other["id"], "webhook")[1]
    accepted(path, {"title": "Index stale"})

    def ids(**params: str) -> list[int]:
        body = responder_api.get("/alert-groups", **params).json()
        return [item["id"] for item in body["items"]]

    assert ids(status="firing", service="checkout") == [groups[2]]
    assert ids(status="acknowledged") == [groups[0]]
    assert ids(status="resolved") == [groups[1]]
    assert len(ids()) == 4
    assert len(ids(service="search")) == 1
    assert len(ids(service=str(other["id"]))) == 1
    assert_error(responder_api.get("/alert-groups", status="open"), 400, "invalid", "firing")


def test_listing_costs_the_same_for_few_and_many_groups(
    responder_api: Api, am_path: str, frozen_clock: MovableClock
) -> None:
    def fill(count: int, start: int) -> None:
        for n in range(start, start + count):
            (made,) = accepted(am_path, alertmanager(am_alert(f"a{n}"), group_key=f"k{n}"))[
                "groups"
            ]
            responder_api.post(f"/alert-groups/{made}/acknowledge")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert responder_api.get("/alert-groups").status_code == 200
        return len(captured)

    fill(2, 0)
    few = queries()
    fill(8, 2)
    assert queries() == few

"""Alerts arriving over HTTP as monitoring tools send them: de-duplication, grouping,
resolving, the answers to bad requests, the rate limit, and the cost per request."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import (
    accepted,
    alertmanager,
    am_alert,
    group,
    integration,
    paging_integration,
    row_counts,
    send,
)
from tests.alerts.test_parsers import EVENTS_TRIGGER, GRAFANA
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def am_path(admin_api: Api, service: Service) -> str:
    return integration(admin_api, service.pk, "alertmanager")[1]


def alerts_of(api: Api, group_id: int) -> dict[str, dict[str, Any]]:
    return {alert["dedup_key"]: alert for alert in group(api, group_id)["alerts"]}


def test_same_summary_different_fingerprints_are_two_alerts(
    am_path: str, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    answer = accepted(am_path, alertmanager(am_alert("fp-1"), am_alert("fp-2")))
    assert answer["alerts"] == 2
    assert answer["dedup_keys"] == ["fp-1", "fp-2"]
    (group_id,) = answer["groups"]
    found = alerts_of(viewer_api, group_id)
    assert set(found) == {"fp-1", "fp-2"}
    assert {a["title"] for a in found.values()} == {"High error rate"}


def test_same_fingerprint_twice_is_one_alert_counted_twice(
    am_path: str, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    first = accepted(am_path, alertmanager(am_alert("fp-1")))
    later = frozen_clock.advance(minutes=5)
    second = accepted(am_path, alertmanager(am_alert("fp-1", summary="High error rate (worse)")))
    assert first["groups"] == second["groups"]
    alert = alerts_of(viewer_api, first["groups"][0])["fp-1"]
    assert alert["received_count"] == 2
    assert alert["first_received_at"] == "2026-11-25T01:00:00Z"
    assert alert["last_received_at"] == later.isoformat().replace("+00:00", "Z")
    assert alert["title"] == "High error rate (worse)"
    # Twice in one request counts twice as well.
    accepted(am_path, alertmanager(am_alert("fp-1"), am_alert("fp-1")))
    assert alerts_of(viewer_api, first["groups"][0])["fp-1"]["received_count"] == 4


def test_grouped_by_group_key(am_path: str, viewer_api: Api) -> None:
    errors = accepted(am_path, alertmanager(am_alert("a"), group_key="{}:{alertname=errors}"))
    latency = accepted(am_path, alertmanager(am_alert("b"), group_key="{}:{alertname=latency}"))
    more = accepted(am_path, alertmanager(am_alert("c"), group_key="{}:{alertname=errors}"))
    assert errors["groups"] == more["groups"] != latency["groups"]
    assert group(viewer_api, errors["groups"][0])["alert_count"] == 2


def test_grouped_by_configured_label(admin_api: Api, service: Service, viewer_api: Api) -> None:
    path = integration(admin_api, service.pk, "alertmanager", grouping_key="cluster")[1]
    answer = accepted(
        path,
        alertmanager(
            am_alert("a", cluster="tokyo"),
            am_alert("b", cluster="osaka"),
            am_alert("c", cluster="tokyo"),
        ),
    )
    tokyo, osaka = answer["groups"]
    assert group(viewer_api, tokyo)["group_key"] == "tokyo"
    assert group(viewer_api, tokyo)["alert_count"] == 2
    assert group(viewer_api, osaka)["alert_count"] == 1


def test_group_resolves_when_all_alerts_resolved(
    am_path: str, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    (group_id,) = accepted(am_path, alertmanager(am_alert("a"), am_alert("b")))["groups"]
    frozen_clock.advance(minutes=3)
    accepted(am_path, alertmanager(am_alert("a", status="resolved"), am_alert("b")))
    shown = group(viewer_api, group_id)
    assert shown["status"] == "firing"
    assert {a["dedup_key"]: a["status"] for a in shown["alerts"]} == {
        "a": "resolved",
        "b": "firing",
    }
    frozen_clock.advance(minutes=3)
    accepted(am_path, alertmanager(am_alert("b", status="resolved")))
    shown = group(viewer_api, group_id)
    assert shown["status"] == "resolved"
    assert shown["resolved_at"] == "2026-11-25T01:06:00Z"
    assert all(alert["status"] == "resolved" for alert in shown["alerts"])


def test_trigger_after_resolution_opens_a_new_group(am_path: str, viewer_api: Api) -> None:
    (first,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    accepted(am_path, alertmanager(am_alert("a", status="resolved")))
    (second,) = accepted(am_path, alertmanager(am_alert("a")))["groups"]
    assert second != first
    assert group(viewer_api, first)["status"] == "resolved"
    assert group(viewer_api, second)["status"] == "firing"
    assert alerts_of(viewer_api, second)["a"]["received_count"] == 1


def test_resolve_for_nothing_open_is_accepted_and_ignored(am_path: str) -> None:
    before = row_counts()
    answer = accepted(am_path, alertmanager(am_alert("never-seen", status="resolved")))
    assert answer["groups"] == []
    assert row_counts()["AlertGroup"] == before["AlertGroup"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("", "empty"),
        ('["a list"]', "JSON object"),
        ('{"version": "4", "groupKey": "g", "alerts": []}', "alerts"),
    ],
)
def test_bad_payload_is_400_and_stores_nothing(am_path: str, body: str, fragment: str) -> None:
    before = row_counts()
    response = send(am_path, body)
    assert_error(response, 400, "invalid")
    assert fragment in response.json()["detail"]
    assert row_counts() == before


def test_one_bad_alert_spoils_the_whole_request(am_path: str) -> None:
    before = row_counts()
    payload = alertmanager(am_alert("good"), {**am_alert("bad"), "status": "maybe"})
    assert_error(send(am_path, payload), 400, "invalid", "alerts[1].status")
    assert row_counts() == before


def test_unknown_token_or_wrong_kind_is_404(admin_api: Api, service: Service) -> None:
    info, path = integration(admin_api, service.pk, "webhook")
    token = path.split("/")[2]
    assert_error(send(f"/integrations/{token}x/webhook", {"title": "x"}), 404, "not_found")
    assert_error(send(f"/integrations/{token}/alertmanager", {"title": "x"}), 404, "not_found")
    assert_error(send(f"/integrations/{token}/nonsense", {"title": "x"}), 404, "not_found")
    assert send(path, {"title": "x"}).status_code == 202
    assert "token" not in info


def test_rate_limit_is_429_naming_the_limit(
    admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    path = integration(admin_api, service.pk, "alertmanager", rate_limit_per_minute=3)[1]
    accepted(path, alertmanager(am_alert("a"), am_alert("b")))
    before = row_counts()
    response = send(path, alertmanager(am_alert("c"), am_alert("d")))
    assert_error(response, 429, "rate_limited")
    assert "3" in response.json()["detail"]
    assert row_counts() == before
    accepted(path, alertmanager(am_alert("c")))  # exactly at the limit
    assert send(path, alertmanager(am_alert("a"))).status_code == 429
    frozen_clock.advance(minutes=1)
    accepted(path, alertmanager(am_alert("a"), am_alert("b"), am_alert("c")))


def test_rate_limit_counted_in_blocks_stops_exactly_at_the_limit(
    admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    # A limit of 150 is claimed three alerts at a time; one process spends every block.
    path = integration(admin_api, service.pk, "webhook", rate_limit_per_minute=150)[1]
    for n in range(150):
        accepted(path, {"title": f"Job {n} late", "dedup_key": f"job-{n}"})
    before = row_counts()
    response = send(path, {"title": "One too many", "dedup_key": "job-150"})
    assert_error(response, 429, "rate_limited")
    assert "150" in response.json()["detail"]
    assert row_counts() == before
    frozen_clock.advance(minutes=1)
    accepted(path, {"title": "Job 150 late", "dedup_key": "job-150"})


def test_rate_limit_message_names_integration_and_limit(
    admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    path = integration(admin_api, service.pk, "webhook", rate_limit_per_minute=1)[1]
    accepted(path, {"title": "one"})
    response = send(path, {"title": "two"})
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Integration Webhook allows 1 alerts per minute and has received 1 this minute;"
        " try again in 60 seconds."
    )
    # A sender that asks for no language gets the server's (Japanese by default).
    assert "Webhook" in send(path, {"title": "three"}, language="").json()["detail"]


def test_each_kind_through_http(admin_api: Api, service: Service, viewer_api: Api) -> None:
    grafana = integration(admin_api, service.pk, "grafana")[1]
    events = integration(admin_api, service.pk, "events")[1]
    webhook = integration(admin_api, service.pk, "webhook")[1]
    (g,) = accepted(grafana, GRAFANA)["groups"]
    assert group(viewer_api, g)["title"] == "Disk 92% full on db-1"
    (e,) = accepted(events, EVENTS_TRIGGER)["groups"]
    assert group(viewer_api, e)["alerts"][0]["details"]["lag_seconds"] == 120
    (w,) = accepted(webhook, {"title": "Batch late", "dedup_key": "batch"})["groups"]
    accepted(webhook, {"status": "resolved", "dedup_key": "batch"})
    assert group(viewer_api, w)["status"] == "resolved"


def test_events_api_acknowledge_and_resolve(
    admin_api: Api, service: Service, viewer_api: Api
) -> None:
    path = integration(admin_api, service.pk, "events")[1]
    (group_id,) = accepted(path, EVENTS_TRIGGER)["groups"]
    ack = {
        "routing_key": "r",
        "event_action": "acknowledge",
        "dedup_key": EVENTS_TRIGGER["dedup_key"],
    }
    assert accepted(path, ack)["groups"] == [group_id]
    shown = group(viewer_api, group_id)
    assert shown["status"] == "acknowledged"
    assert shown["acknowledged_by"] is None
    accepted(path, {**ack, "event_action": "resolve"})
    assert group(viewer_api, group_id)["status"] == "resolved"


def test_events_api_generated_dedup_key_is_returned(admin_api: Api, service: Service) -> None:
    path = integration(admin_api, service.pk, "events")[1]
    answer = accepted(path, {**EVENTS_TRIGGER, "dedup_key": ""})
    (key,) = answer["dedup_keys"]
    resolved = accepted(path, {"event_action": "resolve", "dedup_key": key})
    assert resolved["groups"] == answer["groups"]


def _ingest_queries(path: str, payload: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        accepted(path, payload)
    return len(captured)


def test_queries_do_not_grow_with_alerts(am_path: str, frozen_clock: MovableClock) -> None:
    # A pinned clock: a new minute's rate window costs a few queries more.
    few = [am_alert(f"fp-{n}") for n in range(2)]
    many = [am_alert(f"fp-{n}") for n in range(40)]
    accepted(am_path, alertmanager(*many))  # open the group and know every alert
    repeat_few = _ingest_queries(am_path, alertmanager(*few))
    repeat_many = _ingest_queries(am_path, alertmanager(*many))
    assert repeat_many == repeat_few <= 8
    new_many = [am_alert(f"new-{n}") for n in range(40)]
    assert _ingest_queries(am_path, alertmanager(*new_many)) <= repeat_few + 2


def test_opening_a_group_that_pages_costs_a_fixed_budget(
    admin_api: Api, admin: User, service: Service, frozen_clock: MovableClock
) -> None:
    # Storms open groups by the hundred a second: routing, the silence check, the group,
    # the escalation and its first event, the audit entry and the job, and the alert.
    path = paging_integration(admin_api, service.pk, admin.username, "webhook")
    accepted(path, {"title": "Warm-up", "dedup_key": "warm"})  # the rate window's minute
    with CaptureQueriesContext(connection) as captured:
        (opened,) = accepted(path, {"title": "Disk full", "dedup_key": "disk"})["groups"]
    assert group(admin_api, opened)["escalation_status"] is not None
    assert len(captured) <= 18

"""PagerDuty's Events API v2 contract as a sender sees it over HTTP: the paths, the answers,
required fields, a repeat trigger that leaves the first one's fields alone, the 429's
Retry-After, and payloads carrying NaN or NUL."""

import json
from typing import Any

import pytest

from kizuki.alerts.models import Alert
from kizuki.catalog.models import Service
from tests.alerts.support import alertmanager, am_alert, group, integration, row_counts, send
from tests.alerts.test_parsers import EVENTS_TRIGGER
from tests.conftest import Api, MovableClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_path(admin_api: Api, service: Service) -> str:
    return integration(admin_api, service.pk, "events")[1]


def refused(response: Any, *errors: str) -> dict[str, Any]:
    """PagerDuty's 400 for an invalid event, with Kizuki's detail and code beside it."""
    body: dict[str, Any] = response.json()
    assert response.status_code == 400, body
    assert body["status"] == "invalid event"
    assert body["message"] == "Event object is invalid"
    assert body["code"] == "invalid"
    assert body["detail"]
    for error in errors:
        assert any(error in line for line in body["errors"]), body
    return body


@pytest.mark.parametrize("suffix", ["", "/v2/enqueue"])
def test_trigger_answers_like_pagerduty(events_path: str, suffix: str) -> None:
    response = send(events_path + suffix, EVENTS_TRIGGER)
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["message"], body["dedup_key"]) == (
        "success",
        "Event processed",
        "srv01/mysql/replication",
    )


def test_change_event_answers_like_pagerduty(events_path: str) -> None:
    response = send(events_path + "/v2/change/enqueue", {"payload": {"summary": "Deploy v42"}})
    assert response.status_code == 202
    assert response.json() == {"status": "success", "message": "Change event processed"}


def test_other_kinds_keep_their_answer(admin_api: Api, service: Service) -> None:
    path = integration(admin_api, service.pk, "webhook")[1]
    body = send(path, {"title": "Batch late", "dedup_key": "batch"}).json()
    assert body["status"] == "accepted"
    assert body["dedup_keys"] == ["batch"]
    # The Events API v2 paths belong to events integrations only.
    assert send(path + "/v2/enqueue", EVENTS_TRIGGER).status_code == 404


@pytest.mark.parametrize(
    ("event", "errors"),
    [
        (
            {"event_action": "trigger", "payload": {"summary": "x"}},
            ["payload.source is required", "payload.severity is required"],
        ),
        (
            {"event_action": "trigger", "payload": {"source": "db-1", "severity": "fatal"}},
            ["payload.summary is required", "payload.severity must be one of"],
        ),
        ({"payload": EVENTS_TRIGGER["payload"]}, ["event_action must be one of"]),
        ({"event_action": "acknowledge"}, ["dedup_key is required to acknowledge"]),
        ({"event_action": "resolve", "dedup_key": ""}, ["dedup_key is required to resolve"]),
        ({**EVENTS_TRIGGER, "payload": "text"}, ["payload must be a JSON object"]),
    ],
)
def test_invalid_events_are_refused_with_every_problem(
    events_path: str, event: dict[str, Any], errors: list[str]
) -> None:
    before = row_counts()
    body = refused(send(events_path + "/v2/enqueue", event), *errors)
    assert len(body["errors"]) == len(errors)
    assert row_counts() == before


def test_invalid_change_events_are_refused(events_path: str) -> None:
    path = events_path + "/v2/change/enqueue"
    refused(send(path, {"payload": {"source": "ci"}}), "payload.summary is required")
    refused(
        send(path, {"payload": {"summary": "Deploy", "timestamp": "yesterday"}}),
        "payload.timestamp",
    )
    refused(send(path, "not json"), "not valid JSON")


def test_repeat_trigger_keeps_what_the_first_set(
    events_path: str, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    first = {
        **EVENTS_TRIGGER,
        "images": [{"src": "https://graphs.example.test/lag.png", "alt": "Lag"}],
    }
    (group_id,) = send(events_path, first).json()["groups"]
    frozen_clock.advance(minutes=1)
    bare: dict[str, Any] = {
        "event_action": "trigger",
        "dedup_key": EVENTS_TRIGGER["dedup_key"],
        "payload": {
            "summary": "Replication lag 180s on srv01",
            "source": "srv01",
            "severity": "error",
        },
    }
    assert send(events_path + "/v2/enqueue", bare).status_code == 202
    (alert,) = group(viewer_api, group_id)["alerts"]
    assert alert["received_count"] == 2
    assert alert["title"] == "Replication lag 180s on srv01"  # new values replace
    assert alert["severity"] == "error"
    assert alert["labels"] == {
        "source": "srv01",
        "severity": "error",
        "component": "mysql",
        "group": "prod-datapipe",
        "class": "replication",
    }
    assert alert["details"] == {"lag_seconds": 120, "replica": "srv02"}
    assert alert["links"] == EVENTS_TRIGGER["links"]
    assert alert["images"] == first["images"]
    assert alert["url"] == EVENTS_TRIGGER["client_url"]

    changed = {**bare, "payload": {**bare["payload"], "custom_details": {"lag_seconds": 300}}}
    send(events_path + "/v2/enqueue", changed)
    (alert,) = group(viewer_api, group_id)["alerts"]
    assert alert["details"] == {"lag_seconds": 300}
    assert alert["images"] == first["images"]


def test_429_says_when_to_retry(
    admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    events = integration(admin_api, service.pk, "events", rate_limit_per_minute=1)[1]
    am = integration(admin_api, service.pk, "alertmanager", rate_limit_per_minute=1)[1]
    frozen_clock.advance(seconds=20)  # 01:00:20, so this minute's window ends in 40 s
    assert send(events + "/v2/enqueue", EVENTS_TRIGGER).status_code == 202
    assert send(am, alertmanager(am_alert("a"))).status_code == 202
    for path, payload in [
        (events + "/v2/enqueue", EVENTS_TRIGGER),
        (events + "/v2/change/enqueue", {"payload": {"summary": "Deploy"}}),
        (am, alertmanager(am_alert("b"))),
    ]:
        response = send(path, payload)
        assert response.status_code == 429
        assert response["Retry-After"] == "40"
        body = response.json()
        assert body["code"] == "rate_limited"
        assert "40 seconds" in body["detail"]
    frozen_clock.advance(seconds=40)
    assert send(am, alertmanager(am_alert("b"))).status_code == 202


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(admin_api: Api, service: Service, number: str) -> None:
    events = integration(admin_api, service.pk, "events", name="Events")[1]
    webhook = integration(admin_api, service.pk, "webhook", name="Webhook")[1]
    before = row_counts()
    trigger = json.dumps(EVENTS_TRIGGER).replace('"lag_seconds": 120', f'"lag_seconds": {number}')
    refused(send(events + "/v2/enqueue", trigger), f"{number} is not valid JSON")
    response = send(webhook, f'{{"title": "Lag", "details": {{"lag": {number}}}}}')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert f"{number} is not valid JSON" in response.json()["detail"]
    assert row_counts() == before


def test_nul_characters_are_removed(events_path: str, admin_api: Api, service: Service) -> None:
    trigger = {
        **EVENTS_TRIGGER,
        "payload": {
            **EVENTS_TRIGGER["payload"],
            "summary": "Replication\u0000 lag",
            "custom_details": {"note\u0000": "a\u0000b"},
        },
    }
    assert send(events_path + "/v2/enqueue", trigger).status_code == 202
    alert = Alert.objects.get()
    assert alert.title == "Replication lag"
    assert alert.details == {"note": "ab"}
    change = {"payload": {"summary": "Deploy\u0000 v42", "source": "c\u0000i"}}
    assert send(events_path + "/v2/change/enqueue", change).status_code == 202
    (stored,) = admin_api.get(f"/services/{service.pk}/changes").json()["items"]
    assert (stored["summary"], stored["source"]) == ("Deploy v42", "ci")

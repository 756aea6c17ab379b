"""PagerDuty's own Python client, pointed at an events integration's URL, drives Kizuki over
HTTPS on loopback exactly as it drives PagerDuty: trigger, acknowledge, resolve, change
events, and PagerDuty's 400 for an invalid event."""

from collections.abc import Iterator
from typing import Any

import pagerduty
import pytest

from kizuki.catalog.models import Service
from tests.alerts.support import integration
from tests.alerts.tls import client_context, serve_https
from tests.conftest import Api


@pytest.fixture
def https_server(transactional_db: None, settings: Any) -> Iterator[str]:
    settings.LANGUAGE_CODE = "en"  # the client sends no Accept-Language
    yield from serve_https(settings)


@pytest.fixture
def events_client(https_server: str, admin_api: Api, service: Service) -> Iterator[Any]:
    path = integration(admin_api, service.pk, "events")[1]
    # The integration URL is the base; the client adds /v2/enqueue or /v2/change/enqueue.
    client = pagerduty.EventsApiV2Client(
        "any-routing-key", base_url=f"{https_server}/api/v1{path}", verify=client_context()
    )
    yield client
    client.close()  # ends its kept-alive connections before the server stops


def only_group(api: Api) -> dict[str, Any]:
    (group,) = api.get("/alert-groups").json()["items"]
    body: dict[str, Any] = api.get(f"/alert-groups/{group['id']}").json()
    return body


def test_trigger_acknowledge_and_resolve(events_client: Any, admin_api: Api) -> None:
    key = events_client.trigger(
        "Checkout 5xx above 5%",
        "checkout-api-1",
        dedup_key="checkout-5xx",
        severity="error",
        custom_details={"ratio": 0.07},
        links=[{"href": "https://grafana.example.test/d/checkout", "text": "Dashboard"}],
    )
    assert key == "checkout-5xx"
    group = only_group(admin_api)
    assert (group["title"], group["status"]) == ("Checkout 5xx above 5%", "firing")
    (alert,) = group["alerts"]
    assert alert["severity"] == "error"
    assert alert["labels"]["source"] == "checkout-api-1"
    assert alert["details"] == {"ratio": 0.07}
    assert alert["url"] == "https://grafana.example.test/d/checkout"
    assert "routing_key" not in alert["raw"]  # a credential for some senders: not kept

    assert events_client.acknowledge(key) == key
    assert only_group(admin_api)["status"] == "acknowledged"
    assert events_client.resolve(key) == key
    assert only_group(admin_api)["status"] == "resolved"


def test_trigger_without_dedup_key_gets_one(events_client: Any, admin_api: Api) -> None:
    key = events_client.trigger("Disk 95% full", "db-1", severity="warning")
    assert key
    assert only_group(admin_api)["alerts"][0]["dedup_key"] == key
    assert events_client.resolve(key) == key
    assert only_group(admin_api)["status"] == "resolved"


def test_change_event_is_kept_on_the_service(
    events_client: Any, admin_api: Api, service: Service
) -> None:
    events_client.send_change_event(
        payload={
            "summary": "Deploy checkout v42",
            "source": "ci",
            "timestamp": "2026-11-25T00:30:00.000+0000",
            "custom_details": {"commit": "3f2a9c1"},
        },
        links=[{"href": "https://ci.example.test/builds/42", "text": "Build 42"}],
    )
    (change,) = admin_api.get(f"/services/{service.pk}/changes").json()["items"]
    assert change["summary"] == "Deploy checkout v42"
    assert change["source"] == "ci"
    assert change["happened_at"] == "2026-11-25T00:30:00Z"
    assert change["details"] == {"commit": "3f2a9c1"}
    assert change["links"] == [{"href": "https://ci.example.test/builds/42", "text": "Build 42"}]


def test_invalid_event_is_refused_in_pagerdutys_shape(events_client: Any, admin_api: Api) -> None:
    with pytest.raises(pagerduty.HttpError) as refused:
        events_client.send_event("trigger", payload={"summary": "No source, no severity"})
    response = refused.value.response
    assert response is not None
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid event"
    assert body["message"] == "Event object is invalid"
    assert body["errors"] == [
        "payload.source is required to trigger.",
        "payload.severity is required to trigger.",
    ]
    assert body["code"] == "invalid"
    assert "payload.source" in body["detail"]
    assert admin_api.get("/alert-groups").json()["count"] == 0

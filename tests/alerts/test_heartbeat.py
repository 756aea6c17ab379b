"""Heartbeats: a job pings while it is alive; a missed heartbeat opens one alert (however
often the check runs) and the next heartbeat resolves it."""

import pytest
from django.utils import translation

from kizuki.alerts.actions import check_heartbeats
from kizuki.catalog.models import Service
from kizuki.core import periodic
from tests.alerts.support import accepted, group, integration, send
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def heartbeat(admin_api: Api, service: Service, frozen_clock: MovableClock) -> str:
    return integration(
        admin_api, service.pk, "heartbeat", name="Nightly batch", heartbeat_minutes=10
    )[1]


def open_groups(api: Api) -> list[dict[str, object]]:
    items: list[dict[str, object]] = api.get("/alert-groups", status="firing").json()["items"]
    return items


def test_heartbeat_records_the_time(
    heartbeat: str, admin_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    frozen_clock.advance(minutes=4)
    answer = accepted(heartbeat, {})
    assert (answer["alerts"], answer["groups"]) == (0, [])
    assert send(heartbeat, "anything at all").status_code == 202
    (shown,) = admin_api.get(f"/services/{service.pk}/integrations").json()
    assert shown["last_heartbeat_at"] == "2026-11-25T01:04:00Z"


def test_missed_heartbeat_opens_one_alert_and_the_next_heartbeat_resolves_it(
    heartbeat: str, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    accepted(heartbeat, {})
    frozen_clock.advance(minutes=10)
    assert check_heartbeats() == 0  # exactly at the interval is not late yet
    frozen_clock.advance(minutes=1)
    with translation.override("en"):  # the worker writes in the server's language
        assert check_heartbeats() == 1
    frozen_clock.advance(minutes=5)
    assert check_heartbeats() == 0  # the same miss is not raised twice
    (missed,) = open_groups(viewer_api)
    assert missed["title"] == "Heartbeat missed: Nightly batch"
    answer = accepted(heartbeat, {})
    assert answer["groups"] == [missed["id"]]
    assert group(viewer_api, int(str(missed["id"])))["status"] == "resolved"
    # Missing again is a new miss: a new alert group.
    frozen_clock.advance(minutes=11)
    assert check_heartbeats() == 1
    (again,) = open_groups(viewer_api)
    assert again["id"] != missed["id"]


def test_a_miss_resolved_by_hand_is_not_raised_again(
    heartbeat: str, responder_api: Api, frozen_clock: MovableClock
) -> None:
    frozen_clock.advance(minutes=11)  # never pinged: counted from its creation
    assert check_heartbeats() == 1
    (missed,) = open_groups(responder_api)
    responder_api.post(f"/alert-groups/{missed['id']}/resolve")
    frozen_clock.advance(minutes=30)
    assert check_heartbeats() == 0


def test_the_worker_runs_the_check(heartbeat: str, frozen_clock: MovableClock) -> None:
    assert check_heartbeats in periodic.jobs()
    frozen_clock.advance(minutes=11)
    assert periodic.run_once() >= 1


def test_heartbeat_needs_its_interval(admin_api: Api, service: Service) -> None:
    response = admin_api.post(
        f"/services/{service.pk}/integrations", {"kind": "heartbeat", "name": "cron"}
    )
    assert_error(response, 400, "invalid", "heartbeat_minutes")
    response = admin_api.post(
        f"/services/{service.pk}/integrations",
        {"kind": "webhook", "name": "hook", "heartbeat_minutes": 5},
    )
    assert_error(response, 400, "invalid", "heartbeat")

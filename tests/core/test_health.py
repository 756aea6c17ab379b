"""GET /api/v1/health tells whether paging is running: the worker's heartbeat and how late
the oldest due escalation step is. Responders see a banner on every page when it is not."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core.workloop import Heartbeat
from tests.alerts.support import (
    accepted,
    alertmanager,
    am_alert,
    paging_integration,
)
from tests.conftest import Api, MovableClock
from tests.notify.support import run_worker

pytestmark = pytest.mark.django_db

BANNER = "Paging has stopped"


def beat() -> None:
    """What a running `kizuki worker` writes every few seconds."""
    Heartbeat("test-worker")()


def health() -> tuple[int, dict[str, object]]:
    response = Client().get("/api/v1/health", headers={"Accept-Language": "en"})
    return response.status_code, response.json()


def test_health_is_ok_while_the_worker_beats_and_503_once_it_falls_silent(
    frozen_clock: MovableClock,
) -> None:
    status, body = health()
    assert status == 503
    assert body["status"] == "paging_stopped"
    assert body["reason"] == "No worker has ever run: nobody is paged until `kizuki worker` runs."
    assert body["worker_last_beat"] is None

    beat()
    status, body = health()
    assert status == 200, body
    assert (body["status"], body["reason"], body["database"]) == ("ok", "", connection.vendor)
    assert body["worker_beat_age_seconds"] == 0
    assert body["oldest_due_step_age_seconds"] is None

    frozen_clock.advance(seconds=59)
    assert health()[0] == 200
    frozen_clock.advance(seconds=2)
    status, body = health()
    assert status == 503
    assert body["reason"] == "The worker has not been heard from for 61 seconds."
    assert body["worker_beat_age_seconds"] == 61

    beat()
    assert health()[0] == 200


def test_an_escalation_step_overdue_by_five_minutes_makes_health_answer_503(
    admin_api: Api, responder: User, service: Service, frozen_clock: MovableClock
) -> None:
    path = paging_integration(admin_api, service.pk, responder.username, "alertmanager")
    accepted(path, alertmanager(am_alert("fp1")))

    # The worker beats but gets nothing done (say every send hangs): the step waits.
    frozen_clock.advance(minutes=4)
    beat()
    status, body = health()
    assert status == 200, body
    assert body["oldest_due_step_age_seconds"] == 240
    frozen_clock.advance(minutes=2)
    beat()
    status, body = health()
    assert status == 503
    assert body["reason"] == "Paging is 6 minutes behind."
    assert body["oldest_due_step_age_seconds"] == 360

    run_worker()
    status, body = health()
    assert status == 200, body
    assert body["oldest_due_step_age_seconds"] is None
    assert body["oldest_due_page_age_seconds"] is None


def test_the_health_fields_are_documented_in_the_openapi_schema(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    answers = document["paths"]["/api/v1/health"]["get"]["responses"]
    assert set(answers) >= {"200", "503"}
    fields = document["components"]["schemas"]["HealthOut"]["properties"]
    assert set(fields) >= {
        "status",
        "reason",
        "database",
        "worker_last_beat",
        "worker_beat_age_seconds",
        "oldest_due_step_age_seconds",
        "oldest_due_page_age_seconds",
        "oldest_ready_job_age_seconds",
    }
    assert all(field.get("description") for field in fields.values())


def page_for(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard"), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_responders_see_a_banner_while_paging_has_stopped_and_viewers_do_not(
    responder: User, admin: User, viewer: User, frozen_clock: MovableClock
) -> None:
    assert BANNER in page_for(responder)
    assert BANNER in page_for(admin)
    assert BANNER not in page_for(viewer)

    beat()
    assert BANNER not in page_for(responder)
    frozen_clock.advance(minutes=2)
    assert BANNER in page_for(responder)

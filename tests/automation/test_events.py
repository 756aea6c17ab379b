"""The events rules listen for beyond the incident lifecycle: an alert group opening (the
alerts app publishes AlertGroupTriggered in the ingesting transaction), and a follow-up
becoming overdue (the reminder job's FollowUpReminded)."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kizuki.alerts.events import AlertGroupTriggered
from kizuki.alerts.models import AlertGroup
from kizuki.catalog.models import Service
from kizuki.core.events import IN_TRANSACTION, subscribe, unsubscribe
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.automation.support import automation_lines, make_rule, report, runs
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.notify.support import webhook_server
from tests.retros.domain_support import in_language, ok, resolved_incident, start
from tests.schedules.support import set_clock

pytestmark = pytest.mark.django_db

heard: list[tuple[AlertGroupTriggered, bool]] = []


def record(event: AlertGroupTriggered) -> None:
    """In the ingesting transaction: the group it names already exists there."""
    heard.append((event, AlertGroup.objects.filter(pk=event.group_id).exists()))


@pytest.fixture
def listening() -> Iterator[list[tuple[AlertGroupTriggered, bool]]]:
    heard.clear()
    subscribe(AlertGroupTriggered, record, delivery=IN_TRANSACTION)
    yield heard
    unsubscribe(AlertGroupTriggered, record)


def test_opening_an_alert_group_is_published_in_its_transaction(
    admin_api: Api, service: Service, frozen_clock: MovableClock, listening: list[Any]
) -> None:
    _integration, path = integration(admin_api, service.pk, "alertmanager")
    accepted(path, alertmanager(am_alert("a1")))
    accepted(path, alertmanager(am_alert("a1"), am_alert("a2")))  # same group: not new
    [(event, existed)] = listening
    assert existed
    assert (event.service_id, event.incident_id) == (service.pk, None)


def test_a_rule_on_alert_groups_calls_a_webhook(
    admin_api: Api, service: Service, frozen_clock: MovableClock, loopback_allowed: None
) -> None:
    _integration, path = integration(admin_api, service.pk, "alertmanager")
    with webhook_server() as (port, received):
        hook = {"kind": "webhook", "url": f"http://127.0.0.1:{port}/alerts"}
        rule = make_rule(admin_api, "alert_group_triggered", [hook], services=["checkout"])
        # A group without an incident has no severity.
        other = make_rule(admin_api, "alert_group_triggered", [hook], severities=[1])
        accepted(path, alertmanager(am_alert("a1", summary="Error rate high")))
        run_worker()
    [request] = received.requests
    assert request["json"]["event"] == "alert_group_triggered"
    assert request["json"]["incident"] is None
    [run] = runs(admin_api, rule["id"])
    assert run["incident"] is None
    assert run["actions"][0]["status"] == "succeeded"
    assert runs(admin_api, other["id"]) == []


def test_a_rule_on_overdue_follow_ups(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    rule = make_rule(
        admin_api,
        "followup_overdue",
        [{"kind": "stakeholder_update", "text": "A measure is late; we are on it."}],
        name="Late",
    )
    ref = report(responder_api)
    created = responder_api.post(
        f"/incidents/{ref}/followups",
        {"title": "Add an alert on queue depth", "owner": "rei", "due_date": "2026-11-26"},
    )
    assert created.status_code == 201, created.json()
    run_worker()
    assert runs(admin_api, rule["id"]) == []
    set_clock(frozen_clock, datetime(2026, 11, 27, 1, 0, tzinfo=UTC))  # the day after, 10:00
    run_worker()
    run_worker()
    [run] = runs(admin_api, rule["id"])
    assert run["incident"] == ref
    assert (
        automation_lines(responder_api, ref)[-1] == "Rule “Late”: Send a stakeholder update done."
    )


def test_a_rule_on_published_retrospectives(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    rule = make_rule(
        admin_api,
        "retrospective_published",
        [{"kind": "create_followup", "title": "Share the lessons at the weekly"}],
        name="Share",
    )
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    start(api, ref, "incident-review")
    doc = f"/incidents/{ref}/retrospective"
    ok(api.post(doc + "/transitions", {"to": "in_review"}))
    ok(api.post(doc + "/reviews", {"reviewers": ["aki"]}), 201)
    ok(admin_api.post(doc + "/review", {"state": "approved"}))
    run_worker()
    assert runs(admin_api, rule["id"]) == []
    ok(api.post(doc + "/transitions", {"to": "published"}))
    run_worker()
    [run] = runs(admin_api, rule["id"])
    assert run["incident"] == ref
    assert automation_lines(responder_api, ref)[-1] == (
        "Rule “Share”: Create a follow-up done: follow-up “Share the lessons at the weekly”."
    )

"""Incident events, as a subscriber sees them: in-transaction handlers commit or roll back
with the action; after-commit handlers run in the worker from a job stored with the change."""

from collections.abc import Iterator

import pytest
from django_tasks_db.models import DBTaskResult

from kizuki.accounts.models import Team, User
from kizuki.core import events
from kizuki.core.errors import Conflict
from kizuki.incidents import events as incident_events
from kizuki.incidents.events import IncidentEvent, IncidentReported, TimelineEntryAdded
from kizuki.incidents.models import Incident
from tests.conftest import Api
from tests.incidents.support import assert_error, incident_in, move, report
from tests.jobs import run_queued_jobs

heard_after_commit: list[TimelineEntryAdded] = []


def remember_after_commit(event: TimelineEntryAdded) -> None:
    """Module level, so the worker finds it by name."""
    heard_after_commit.append(event)


def make_team(event: IncidentReported) -> None:
    Team.objects.create(slug=f"war-room-{event.incident_id}", name="War room")


def refuse(event: IncidentReported) -> None:
    raise Conflict("Reports are closed for maintenance.")


@pytest.fixture
def heard() -> Iterator[list[events.Event]]:
    """Every incident event (and severity definition change) published meanwhile."""
    found: list[events.Event] = []
    record = found.append
    events.subscribe(IncidentEvent, record, delivery=events.IN_TRANSACTION)
    events.subscribe(
        incident_events.SeverityDefinitionChanged, record, delivery=events.IN_TRANSACTION
    )
    yield found
    events.unsubscribe(IncidentEvent, record)
    events.unsubscribe(incident_events.SeverityDefinitionChanged, record)


def names(found: list[events.Event]) -> list[str]:
    return [type(event).__name__ for event in found]


def test_in_transaction_writes_commit_with_the_action(responder_api: Api) -> None:
    events.subscribe(IncidentReported, make_team, delivery=events.IN_TRANSACTION)
    try:
        incident = report(responder_api)
    finally:
        events.unsubscribe(IncidentReported, make_team)
    assert Team.objects.filter(slug=f"war-room-{incident['id']}").exists()


def test_in_transaction_writes_roll_back_with_a_failing_action(responder_api: Api) -> None:
    events.subscribe(IncidentReported, make_team, delivery=events.IN_TRANSACTION)
    events.subscribe(IncidentReported, refuse, delivery=events.IN_TRANSACTION)
    try:
        response = responder_api.post("/incidents", {"title": "Checkout fails"})
    finally:
        events.unsubscribe(IncidentReported, make_team)
        events.unsubscribe(IncidentReported, refuse)
    assert_error(response, 409, "conflict", "maintenance")
    assert not Team.objects.filter(slug__startswith="war-room-").exists()
    assert not Incident.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_after_commit_handlers_run_in_the_worker_from_a_stored_job(
    responder: User, responder_api: Api
) -> None:
    events.subscribe(TimelineEntryAdded, remember_after_commit, delivery=events.AFTER_COMMIT)
    heard_after_commit.clear()
    try:
        ref = incident_in(responder_api, "declared")
        entry = responder_api.post(f"/incidents/{ref}/timeline", {"text": "Pods restarted"})
        assert entry.status_code == 201
        # Committed, and the worker has not run: nothing heard yet, but the job is stored, so
        # a crash now loses nothing.
        assert heard_after_commit == []
        handler = "tests.incidents.test_events.remember_after_commit"
        (job,) = [
            job
            for job in DBTaskResult.objects.filter(task_path="kizuki.core.events.deliver_all")
            if any(handler in delivery["handlers"] for delivery in job.args_kwargs["args"][0])
        ]
        assert job.status == "READY"

        run_queued_jobs()
    finally:
        events.unsubscribe(TimelineEntryAdded, remember_after_commit)
    incident = Incident.objects.get(number=int(ref.removeprefix("INC-")))
    assert heard_after_commit == [TimelineEntryAdded(incident.pk, responder.pk, entry.json()["id"])]
    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"


def test_a_refused_action_stores_no_after_commit_job(responder_api: Api) -> None:
    ref = incident_in(responder_api, "closed")
    before = DBTaskResult.objects.count()
    assert move(responder_api, ref, "reopened").status_code == 409
    assert DBTaskResult.objects.count() == before


def test_every_incident_change_publishes_its_event(
    heard: list[events.Event], responder: User, admin_api: Api
) -> None:
    incident = report(admin_api, severity=3)
    ref, pk = incident["number"], incident["id"]
    assert names(heard) == ["IncidentReported", "IncidentDeclared"]
    declared = heard[1]
    assert isinstance(declared, incident_events.IncidentDeclared)
    assert (declared.incident_id, declared.transition, declared.severity) == (pk, "declared", 3)
    heard.clear()

    admin_api.patch(f"/incidents/{ref}", {"severity": 2, "title": "Checkout is down"})
    admin_api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": responder.username})
    admin_api.delete(f"/incidents/{ref}/roles/scribe/{responder.username}")
    entry = admin_api.post(f"/incidents/{ref}/timeline", {"text": "Pods restarted"}).json()
    admin_api.patch(f"/incidents/{ref}/timeline/{entry['id']}", {"text": "Pods restarted twice"})
    admin_api.delete(f"/incidents/{ref}/timeline/{entry['id']}")
    admin_api.post(f"/incidents/{ref}/status-updates", {"text": "Recovering"})
    move(admin_api, ref, "mitigated")
    admin_api.patch("/severities/2", {"name_en": "Major"})

    assert names(heard) == [
        "SeverityChanged",
        "IncidentEdited",
        "RoleAssigned",
        "RoleReleased",
        "TimelineEntryAdded",
        "TimelineEntryEdited",
        "TimelineEntryRemoved",
        "StatusUpdatePosted",
        "IncidentStatusChanged",
        "SeverityDefinitionChanged",
    ]
    assert admin_api.user is not None
    actor = admin_api.user.pk
    assert heard[0] == incident_events.SeverityChanged(pk, actor, 3, 2)
    assert heard[3] == incident_events.RoleReleased(pk, actor, "scribe", responder.pk)
    assert heard[6] == incident_events.TimelineEntryRemoved(pk, actor, entry["id"])
    assert heard[9] == incident_events.SeverityDefinitionChanged(2, actor, ["name_en"])

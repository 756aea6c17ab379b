"""Every change enqueues its background job in the same transaction (django-tasks-db rows)."""

from typing import Any

from django_tasks_db.models import DBTaskResult

from tests.conftest import Api
from tests.incidents.support import incident_in, move, report

TASK = "kizuki.core.events.deliver_all"


def jobs() -> list[dict[str, Any]]:
    """Every event queued for after commit (a job holds one event and its listeners)."""
    rows = DBTaskResult.objects.filter(task_path=TASK).values_list("args_kwargs", flat=True)
    return [delivery for row in rows for delivery in row["args"][0]]


def queued(incident_id: int) -> list[str]:
    """The events queued for one incident (their class names), each once (several apps may
    listen to one event), sorted (rows enqueued together share a timestamp)."""
    return sorted(
        {
            str(delivery["event"]).rsplit(".", 1)[-1]
            for delivery in jobs()
            if delivery["fields"].get("incident_id") == incident_id
        }
    )


def test_each_change_leaves_a_ready_job(responder_api: Api) -> None:
    incident = report(responder_api, severity=2)
    ref, pk = incident["number"], incident["id"]
    assert queued(pk) == ["IncidentDeclared", "IncidentReported"]

    move(responder_api, ref, "mitigated")
    responder_api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": "rei"})
    responder_api.post(f"/incidents/{ref}/timeline", {"text": "Restarted the pods"})
    responder_api.post(f"/incidents/{ref}/status-updates", {"text": "Recovering"})

    assert queued(pk) == [
        "IncidentDeclared",
        "IncidentReported",
        "IncidentStatusChanged",
        "RoleAssigned",
        "StatusUpdatePosted",
        "TimelineEntryAdded",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}


def test_a_refused_change_enqueues_nothing(responder_api: Api, viewer_api: Api) -> None:
    ref = incident_in(responder_api, "closed")
    before = jobs()
    assert move(responder_api, ref, "reopened").status_code == 409
    assert move(viewer_api, ref, "reopened").status_code == 403
    assert responder_api.post("/incidents", {"title": " "}).status_code == 400
    assert len(jobs()) == len(before)

"""Every event the Slack app listens to, and when its handler runs (see core.events).

After commit, in the worker: Slack calls are slow and may fail, and must never hold up or
undo the change. Edited or removed notes and severity definitions change nothing in Slack."""

from kizuki.chat import tasks
from kizuki.core.events import AFTER_COMMIT, subscribe
from kizuki.incidents import events as incidents


def register() -> None:
    subscribe(incidents.IncidentReported, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    # Also IncidentDeclared, a kind of status change.
    subscribe(incidents.IncidentStatusChanged, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.SeverityChanged, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.IncidentEdited, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.RoleAssigned, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.RoleReleased, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.TimelineEntryAdded, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.StatusUpdatePosted, tasks.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.PagingRecorded, tasks.on_incident_changed, delivery=AFTER_COMMIT)

"""Every event the knowledge app listens to, and when its handler runs (see core.events).

All after commit: indexing runs in the worker, so a slow or failing index never delays or
refuses the change that caused it, and the job (queued in the change's transaction) is not
lost if the process dies."""

from kizuki.core.events import AFTER_COMMIT, subscribe
from kizuki.incidents import events as incidents
from kizuki.knowledge import sources


def register() -> None:
    subscribe(incidents.IncidentReported, sources.on_incident_changed, delivery=AFTER_COMMIT)
    # Declaring is a status change too (IncidentDeclared is an IncidentStatusChanged).
    subscribe(incidents.IncidentStatusChanged, sources.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.SeverityChanged, sources.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.IncidentEdited, sources.on_incident_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.TimelineEntryAdded, sources.on_note_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.TimelineEntryEdited, sources.on_note_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.TimelineEntryRemoved, sources.on_note_changed, delivery=AFTER_COMMIT)
    subscribe(incidents.StatusUpdatePosted, sources.on_status_update, delivery=AFTER_COMMIT)

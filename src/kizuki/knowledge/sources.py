"""What the incidents app contributes to the index: each incident, its timeline notes and its
status updates, as documents. The handlers here run in the worker after the incident's
change committed (subscriptions.py), so indexing never slows down or breaks a response."""

from django.urls import reverse

from kizuki.incidents import events
from kizuki.incidents.models import EntryKind, Incident, StatusUpdate, TimelineEntry
from kizuki.knowledge import actions
from kizuki.knowledge.models import Document, Kind
from kizuki.knowledge.queries import incident_text


def _url(incident: Incident) -> str:
    return reverse("incident-detail", args=[incident.ref])


def index_incident(incident: Incident) -> None:
    actions.index_document(
        Kind.INCIDENT,
        incident.pk,
        title=f"{incident.ref} {incident.title}",
        body=incident_text(incident),
        url=_url(incident),
        incident_id=incident.pk,
        occurred_at=incident.reported_at,
    )
    # The filters and similar incidents compare the incident's current facts.
    actions.update_facets(incident)


def _note_title(incident: Incident) -> str:
    return f"{incident.ref} {incident.title}"


def index_note(entry: TimelineEntry) -> None:
    if entry.kind != EntryKind.NOTE or entry.removed_at is not None:
        actions.remove_document(Kind.TIMELINE, entry.pk)
        return
    incident = entry.incident
    actions.index_document(
        Kind.TIMELINE,
        entry.pk,
        title=_note_title(incident),
        body=entry.text,
        url=_url(incident) + "#timeline",
        incident_id=incident.pk,
        occurred_at=entry.occurred_at,
        index_title=False,
    )


def index_status_update(update: StatusUpdate) -> None:
    incident = update.incident
    body = update.text if not update.plain_text else f"{update.text}\n\n{update.plain_text}"
    actions.index_document(
        Kind.STATUS_UPDATE,
        update.pk,
        title=_note_title(incident),
        body=body,
        url=_url(incident) + "#latest-status",
        incident_id=incident.pk,
        occurred_at=update.created_at,
        index_title=False,
    )


def _incident(incident_id: int) -> Incident | None:
    return Incident.objects.select_related("severity", "team").filter(pk=incident_id).first()


# Event handlers (AFTER_COMMIT: module-level, and safe to run twice).


def on_incident_changed(event: events.IncidentEvent) -> None:
    """Reported, moved, edited, severity changed: the incident's document and the facets
    (team, severity, services) of all its documents."""
    incident = _incident(event.incident_id)
    if incident is None:
        return
    index_incident(incident)
    if isinstance(event, events.IncidentEdited) and "title" in event.fields:
        # Notes and status updates show their incident's title.
        for entry in incident.timeline.filter(kind=EntryKind.NOTE, removed_at__isnull=True):
            index_note(entry)
        for update in incident.status_updates.all():
            index_status_update(update)


def on_note_changed(
    event: events.TimelineEntryAdded | events.TimelineEntryEdited | events.TimelineEntryRemoved,
) -> None:
    entry = TimelineEntry.objects.select_related("incident").filter(pk=event.entry_id).first()
    if entry is None:
        actions.remove_document(Kind.TIMELINE, event.entry_id)
        return
    index_note(entry)


def on_status_update(event: events.StatusUpdatePosted) -> None:
    update = StatusUpdate.objects.select_related("incident").filter(pk=event.status_update_id)
    found = update.first()
    if found is not None:
        index_status_update(found)


def reindex_incidents() -> int:
    """Every incident, note and status update again, and away with documents whose note was
    removed since (the rebuild). Returns how many documents were written."""
    written = 0
    for incident in Incident.objects.select_related("severity", "team").iterator():
        index_incident(incident)
        written += 1
    live: set[str] = set()
    notes = TimelineEntry.objects.select_related("incident").filter(kind=EntryKind.NOTE)
    for entry in notes.iterator():
        index_note(entry)
        if entry.removed_at is None:
            live.add(str(entry.pk))
            written += 1
    for update in StatusUpdate.objects.select_related("incident").iterator():
        index_status_update(update)
        written += 1
    indexed = Document.objects.filter(kind=Kind.TIMELINE).values_list("pk", "source_id")
    stale = [pk for pk, source_id in indexed if source_id not in live]
    for start in range(0, len(stale), 500):
        Document.objects.filter(pk__in=stale[start : start + 500]).delete()
    return written

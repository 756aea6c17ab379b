"""The write path for what is said about an incident: timeline notes (added, edited,
removed with an audit trail), status updates, and paging events from the alerts app. Each
locks its incident's row and publishes its event (incidents.events) in its transaction."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.core.events import publish, publish_all
from kizuki.incidents import events, timeline_text
from kizuki.incidents.journal import log_change, require_open, require_zone
from kizuki.incidents.models import (
    Audience,
    EntryKind,
    Incident,
    StatusUpdate,
    TimelineEntry,
)


def _lock(incident_id: int) -> None:
    """Hold the incident row until commit, so changes to one incident apply one at a time."""
    Incident.objects.select_for_update().filter(pk=incident_id).first()


def _lock_open(incident_id: int) -> Incident:
    """Lock the incident, and refuse if it is finished (closed or a false alarm). Returns the
    locked row: its status is the current one, whatever the caller's copy says."""
    locked = Incident.objects.select_for_update().get(pk=incident_id)
    require_open(locked)
    return locked


def _id(user: User | None) -> int | None:
    return user.pk if user else None


# Long enough for a pasted log excerpt, short enough to read at 3 a.m.
TEXT_MAX_LENGTH = 5000


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(_("The text may not be empty."))
    if len(text) > TEXT_MAX_LENGTH:
        raise InvalidInput(
            _("The text may be at most %(limit)s characters; this one has %(length)s.")
            % {"limit": f"{TEXT_MAX_LENGTH:,}", "length": f"{len(text):,}"}
        )
    return text


def _check_occurred_at(occurred_at: datetime | None) -> datetime:
    now = clock.now()
    if occurred_at is None:
        return now
    require_zone(occurred_at)
    if occurred_at > now:
        raise InvalidInput(_("A timeline entry cannot be in the future."))
    return occurred_at


@transaction.atomic
def add_timeline_entry(
    actor: User | None, incident: Incident, text: str, occurred_at: datetime | None = None
) -> TimelineEntry:
    _lock_open(incident.pk)
    entry = TimelineEntry.objects.create(
        incident=incident,
        kind=EntryKind.NOTE,
        text=_clean_text(text),
        occurred_at=_check_occurred_at(occurred_at),
        created_at=clock.now(),
        author=actor,
    )
    record_audit(actor, "timeline.add", entry, after=_entry_snapshot(entry))
    publish(events.TimelineEntryAdded(incident.pk, _id(actor), entry.pk))
    return entry


def _entry_snapshot(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "incident": entry.incident_id,
        "text": entry.text,
        "occurred_at": entry.occurred_at.isoformat(),
    }


def _editable_note(entry: TimelineEntry) -> TimelineEntry:
    if entry.kind != EntryKind.NOTE or entry.removed_at is not None:
        raise Conflict(_("Only notes that are still present can be changed."))
    return entry


@transaction.atomic
def edit_timeline_entry(
    actor: User | None, entry: TimelineEntry, text: str, occurred_at: datetime | None = None
) -> TimelineEntry:
    _lock_open(entry.incident_id)
    entry = _editable_note(TimelineEntry.objects.select_for_update().get(pk=entry.pk))
    before = _entry_snapshot(entry)
    entry.text = _clean_text(text)
    if occurred_at is not None:
        entry.occurred_at = _check_occurred_at(occurred_at)
    entry.edited_at = clock.now()
    entry.save()
    record_audit(actor, "timeline.edit", entry, before=before, after=_entry_snapshot(entry))
    publish(events.TimelineEntryEdited(entry.incident_id, _id(actor), entry.pk))
    return entry


@transaction.atomic
def remove_timeline_entry(actor: User | None, entry: TimelineEntry) -> None:
    """Hide a note; the audit log keeps what it said."""
    _lock_open(entry.incident_id)
    entry = _editable_note(TimelineEntry.objects.select_for_update().get(pk=entry.pk))
    entry.removed_at = clock.now()
    entry.save(update_fields=["removed_at"])
    record_audit(actor, "timeline.remove", entry, before=_entry_snapshot(entry))
    publish(events.TimelineEntryRemoved(entry.incident_id, _id(actor), entry.pk))


@transaction.atomic
def post_status_update(
    actor: User | None,
    incident: Incident,
    text: str,
    next_update_at: datetime | None = None,
    *,
    audience: str = Audience.INTERNAL,
    plain_text: str = "",
) -> StatusUpdate:
    """Record a status update. `audience="stakeholders"` also shows it on the status page and
    relays it to the stakeholders' subscribers (in `plain_text` when given, else `text`): the
    StatusUpdatePosted event lets the stakeholders app enqueue that job in this transaction."""
    text = _clean_text(text)
    if audience not in Audience.values:
        raise InvalidInput(
            _("Unknown audience %(audience)s; use one of %(names)s.")
            % {"audience": audience, "names": ", ".join(Audience.values)}
        )
    plain_text = plain_text.strip()
    if plain_text and audience != Audience.STAKEHOLDERS:
        raise InvalidInput(_("A plain-language version is only for updates to stakeholders."))
    now = clock.now()
    if next_update_at is not None and (next_update_at.tzinfo is None or next_update_at <= now):
        raise InvalidInput(_("The next update must be a future time with its time zone."))
    current = _lock_open(incident.pk)
    update = StatusUpdate.objects.create(
        incident=incident,
        text=text,
        audience=audience,
        plain_text=plain_text,
        status=current.status,
        next_update_at=next_update_at,
        author=actor,
        created_at=now,
    )
    if audience == Audience.INTERNAL:
        log_change(incident, actor, "status_update", text=text)
    else:
        log_change(incident, actor, "status_update", text=text, audience=audience)
    record_audit(
        actor,
        "incident.status_update",
        update,
        after={
            "text": text,
            "incident": incident.pk,
            "audience": audience,
            "plain_text": plain_text,
        },
    )
    publish(events.StatusUpdatePosted(incident.pk, _id(actor), update.pk, audience))
    return update


PAGING_EVENTS = {"alert_linked", "escalated", "page_sent", "page_failed", "page_acknowledged"}


@transaction.atomic
def record_paging_event(
    incident: Incident, event: str, actor: User | None = None, **data: Any
) -> TimelineEntry:
    """Put an alert or paging step on the incident timeline (see timeline_text for wording)."""
    (entry,) = record_paging_events([(incident, event, actor, data)])
    return entry


# (incident, paging event, actor, data): one paging entry to put on a timeline.
PagingEntry = tuple[Incident, str, User | None, dict[str, Any]]


@transaction.atomic
def record_paging_events(entries: list[PagingEntry]) -> list[TimelineEntry]:
    """record_paging_event for many entries at once (the worker's batches): each incident is
    locked once, in id order, and the entries are written in one insert, in the given order."""
    for _incident, event, _actor, _data in entries:
        if event not in PAGING_EVENTS:
            raise InvalidInput(f"unknown paging event {event}")
    if not entries:
        return []
    incident_ids = sorted({incident.pk for incident, _event, _actor, _data in entries})
    list(Incident.objects.select_for_update().filter(pk__in=incident_ids).order_by("pk"))
    now = clock.now()
    written = TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                incident=incident,
                kind=EntryKind.CHANGE,
                event=event,
                data=data,
                occurred_at=now,
                created_at=now,
                author=actor,
            )
            for incident, event, actor, data in entries
        ]
    )
    publish_all(
        [
            events.PagingRecorded(entry.incident_id, _id(entry.author), entry.pk, entry.event)
            for entry in written
        ]
    )
    return written


@transaction.atomic
def record_change(
    incident: Incident, event: str, actor: User | None = None, **data: Any
) -> TimelineEntry:
    """Put a higher app's automatic entry (areas, formations, automation, ...) on the incident
    timeline: `event` must have its wording registered with timeline_text.register_text. The
    caller owns its own audit record and event; the entry is written in its transaction."""
    if not timeline_text.is_registered(event):
        raise InvalidInput(f"unknown timeline event {event}")
    _lock(incident.pk)
    return log_change(incident, actor, event, **data)

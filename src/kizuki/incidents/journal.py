"""The automatic timeline entry every incident change writes, and the time-zone rule all
incident times follow. Shared by actions and timeline_actions (which publish the events)."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.incidents.models import FINISHED_STATUSES, EntryKind, Incident, Status, TimelineEntry


def require_open(incident: Incident) -> None:
    """Closed and false-alarm incidents are the record: nobody changes them any more."""
    if incident.status in FINISHED_STATUSES:
        raise Conflict(
            _("%(ref)s is %(status)s and can no longer be changed.")
            % {"ref": incident.ref, "status": Status(incident.status).label}
        )


def require_zone(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone, e.g. 2026-11-25T10:00:00+09:00."))


def log_change(
    incident: Incident, actor: User | None, event: str, at: datetime | None = None, **data: Any
) -> TimelineEntry:
    now = clock.now()
    return TimelineEntry.objects.create(
        incident=incident,
        kind=EntryKind.CHANGE,
        event=event,
        data=data,
        occurred_at=at or now,
        created_at=now,
        author=actor,
    )

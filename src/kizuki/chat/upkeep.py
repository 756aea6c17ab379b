"""What the worker does for incident channels on every tick: retry syncs that failed,
archive channels whose delay after closing has passed, and remind.

Reminders: a status update is overdue when the severity's interval has passed since the last
one (or since the declaration) — said once per interval while it stays overdue; a declared
incident with nobody as incident commander COMMANDER_GRACE after its declaration — said once.
Each job returns how much it did, so `kizuki worker --batch` knows when all is done."""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from kizuki.chat import actions, queries, texts
from kizuki.chat.models import IncidentChannel
from kizuki.chat.slack import SlackError, SlackPort
from kizuki.core import clock
from kizuki.incidents.models import Status

COMMANDER_GRACE = timedelta(minutes=5)


def sync_waiting(port: SlackPort) -> int:
    """Retry channels whose last sync failed, or whose news arrived while another synced."""
    return sum(actions.sync(port, incident_id) for incident_id in queries.wanting_sync(clock.now()))


def archive_due(port: SlackPort) -> int:
    done = 0
    for due in queries.due_for_archive(clock.now()):
        channel = actions.claim(due.incident_id, for_sync=False)
        if channel is not None and actions.attempt(channel, functools.partial(_archive, port)):
            done += 1
    return done


def _archive(port: SlackPort, channel: IncidentChannel) -> None:
    try:
        port.archive(channel.channel_id)
    except SlackError as error:
        # Archived or deleted by hand in Slack: what we wanted.
        if error.code not in {"already_archived", "channel_not_found"}:
            raise
    actions.save(channel, archived_at=clock.now())


@dataclass(frozen=True)
class Due:
    """What one channel is owed, found from the cheap per-tick query."""

    update: bool
    commander: bool
    last_update_at: datetime | None


def remind(port: SlackPort) -> int:
    now = clock.now()
    done = 0
    for candidate in queries.responding(now):
        last: datetime | None = getattr(candidate, "last_update_at", None)
        due = Due(_update_overdue(candidate, last, now), _commander_missing(candidate, now), last)
        if not (due.update or due.commander):
            continue
        channel = actions.claim(candidate.incident_id, for_sync=False)
        if channel is not None:
            done += actions.attempt(channel, functools.partial(_send, port, due, now))
    return done


def _update_overdue(channel: IncidentChannel, last: datetime | None, now: datetime) -> bool:
    incident = channel.incident
    if incident.severity is None or incident.declared_at is None:
        return False
    interval = timedelta(minutes=max(1, incident.severity.status_update_interval_minutes))
    base = max(last, incident.declared_at) if last else incident.declared_at
    if now - base < interval:
        return False
    latest_due = base + interval * ((now - base) // interval)
    return channel.update_reminded_at is None or channel.update_reminded_at < latest_due


def _commander_missing(channel: IncidentChannel, now: datetime) -> bool:
    incident = channel.incident
    if channel.commander_reminded_at is not None or incident.status != Status.DECLARED:
        return False
    if incident.declared_at is None or now - incident.declared_at < COMMANDER_GRACE:
        return False
    return queries.commander(incident) is None


def _send(port: SlackPort, due: Due, now: datetime, channel: IncidentChannel) -> None:
    incident = channel.incident
    if due.update and incident.severity is not None and incident.declared_at is not None:
        last = due.last_update_at
        since = max(last, incident.declared_at) if last else incident.declared_at
        people = [queries.mention(person) for person in queries.update_chasers(incident)]
        text = texts.update_reminder(
            incident,
            incident.severity.status_update_interval_minutes,
            int((now - since).total_seconds() // 60),
            last is not None,
            people,
        )
        port.post(channel.channel_id, text)
        actions.save(channel, update_reminded_at=now)
    if due.commander:
        port.post(channel.channel_id, texts.commander_reminder(incident))
        actions.save(channel, commander_reminded_at=now)

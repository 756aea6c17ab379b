"""What Kizuki writes in Slack: topics, relayed timeline lines, announcements, the closing
summary and reminders. Rendered in the active language (the worker activates KIZUKI_LANGUAGE)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuki.incidents.models import EntryKind, Incident, RoleAssignment, Status, TimelineEntry
from kizuki.incidents.timeline_text import describe

TOPIC_MAX = 250
# A note written for an earlier time shows that time.
BACKDATED = timedelta(minutes=1)
EMOJI = {
    "transition": ":arrows_counterclockwise:",
    "severity": ":rotating_light:",
    "edited": ":pencil2:",
    "role_assigned": ":bust_in_silhouette:",
    "role_released": ":bust_in_silhouette:",
    "status_update": ":loudspeaker:",
    "alert_linked": ":bell:",
    "escalated": ":pager:",
    "page_sent": ":pager:",
    "page_failed": ":warning:",
    "page_acknowledged": ":pager:",
}
# Entries the channel does not repeat: the report comes before the channel exists.
SILENT = {"reported"}


def incident_url(incident: Incident) -> str:
    return f"{settings.KIZUKI_BASE_URL}/incidents/{incident.ref}/"


def retrospective_url(incident: Incident) -> str:
    return settings.KIZUKI_BASE_URL + reverse("retro-detail", kwargs={"ref": incident.ref})


def local_time(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")


def duration(start: datetime, end: datetime) -> str:
    minutes = max(0, int((end - start).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


def severity_name(incident: Incident) -> str:
    return incident.severity.label if incident.severity else _("none")


def topic(incident: Incident, commander: str) -> str:
    text = _("%(severity)s | %(status)s | IC: %(commander)s") % {
        "severity": str(incident.severity) if incident.severity else "SEV?",
        "status": Status(incident.status).label,
        "commander": commander or _("unassigned"),
    }
    return text[:TOPIC_MAX]


def announcement(incident: Incident, channel_id: str) -> str:
    text = _("%(ref)s declared as %(severity)s: %(title)s. Join <#%(channel)s> to help.") % {
        "ref": incident.ref,
        "severity": severity_name(incident),
        "title": incident.title,
        "channel": channel_id,
    }
    return f":rotating_light: {text} {incident_url(incident)}"


def entry_line(entry: TimelineEntry) -> str | None:
    """One timeline entry as a channel message; None for entries the channel skips."""
    if entry.event in SILENT or entry.removed_at is not None:
        return None
    text = describe(entry)
    if entry.author is not None:
        text = _("%(text)s (by %(user)s)") % {"text": text, "user": entry.author.username}
    if entry.created_at - entry.occurred_at > BACKDATED:
        text = f"[{local_time(entry.occurred_at)}] {text}"
    emoji = (
        ":memo:" if entry.kind == EntryKind.NOTE else EMOJI.get(entry.event, ":information_source:")
    )
    return f"{emoji} {text}"


def summary(
    incident: Incident, roles: list[RoleAssignment], last_update: str, archive_hours: float
) -> str:
    values = {"ref": incident.ref, "title": incident.title}
    if incident.status == Status.FALSE_ALARM:
        lines = [
            ":information_source: " + _("*%(ref)s closed as a false alarm*: %(title)s") % values
        ]
    else:
        lines = [":white_check_mark: " + _("*%(ref)s closed*: %(title)s") % values]
    lines.append(_("Severity: %(severity)s") % {"severity": severity_name(incident)})
    start = incident.declared_at or incident.reported_at
    end = incident.resolved_at or incident.closed_at
    if end is not None:
        lines.append(
            _("Duration: %(duration)s (%(start)s → %(end)s)")
            % {"duration": duration(start, end), "start": local_time(start), "end": local_time(end)}
        )
    held = ", ".join(f"{a.role.name}: {a.user.username}" for a in roles) or _("none")
    lines.append(_("Roles: %(roles)s") % {"roles": held})
    lines.append(_("Last status update: %(text)s") % {"text": last_update or _("none")})
    lines.append(_("Incident: %(url)s") % {"url": incident_url(incident)})
    lines.append(_("Retrospective: %(url)s") % {"url": retrospective_url(incident)})
    hours = int(archive_hours) if float(archive_hours).is_integer() else archive_hours
    lines.append(_("This channel will be archived in %(hours)s hours.") % {"hours": hours})
    return "\n".join(lines)


def update_reminder(
    incident: Incident, interval: int, minutes: int, any_update: bool, people: list[str]
) -> str:
    values = {"severity": str(incident.severity), "interval": interval, "minutes": minutes}
    if any_update:
        text = _(
            "A status update is overdue: %(severity)s expects one every %(interval)s minutes;"
            " the last one was %(minutes)s minutes ago."
        )
    else:
        text = _(
            "A status update is overdue: %(severity)s expects one every %(interval)s minutes;"
            " none has been posted since the declaration %(minutes)s minutes ago."
        )
    ask = _("%(people)s, please post one: %(url)s") if people else _("Please post one: %(url)s")
    asked = ask % {"people": ", ".join(people), "url": incident_url(incident)}
    return f":alarm_clock: {text % values} {asked}"


def commander_reminder(incident: Incident) -> str:
    text = _("Nobody is incident commander of %(ref)s yet. Please take the role: %(url)s") % {
        "ref": incident.ref,
        "url": incident_url(incident),
    }
    return f":warning: {text}"

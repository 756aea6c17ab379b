"""The Markdown a new retrospective starts with, written from the incident in the active
language: each `Prefill` rule of a template section is one block of plain Markdown that the
writer then edits like any other text."""

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from kizuki.accounts.models import User
from kizuki.alerts import queries as alerts
from kizuki.incidents import queries as incidents
from kizuki.incidents.models import Incident
from kizuki.incidents.timeline_text import describe
from kizuki.retros.models import Prefill

# A timeline entry recorded this much later than it happened was backdated.
BACKDATED_AFTER = timedelta(minutes=1)


def labelled(label: str, value: str) -> str:
    """`label: value`, with the colon the language writes (full-width in Japanese)."""
    return pgettext("a label and its value", "%(label)s: %(value)s") % {
        "label": label,
        "value": value,
    }


def zone_for(user: User | None) -> tzinfo:
    try:
        return ZoneInfo((user.time_zone if user else "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def duration(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    values = {"days": days, "hours": hours, "minutes": minutes}
    if days:
        return _("%(days)d d %(hours)d h %(minutes)d min") % values
    if hours:
        return _("%(hours)d h %(minutes)d min") % values
    return _("%(minutes)d min") % values


def _one_line(text: str) -> str:
    """Text from a note or an alert, on one Markdown list line."""
    return " ".join(text.split())


def _or_none(text: str) -> str:
    return _one_line(text) if text.strip() else _("(not recorded)")


class Writer:
    """Writes the blocks for one incident, with times in one reader's zone."""

    def __init__(self, incident: Incident, reader: User | None) -> None:
        self.incident = incident
        self.zone = zone_for(reader)

    def time(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def block(self, rule: str) -> str:
        writers: dict[str, Callable[[], str]] = {
            Prefill.OVERVIEW: self.overview,
            Prefill.MILESTONES: self.milestones,
            Prefill.TIMELINE: self.timeline,
            Prefill.IMPACT: self.impact,
            Prefill.ROLES: self.roles,
            Prefill.ALERTS: self.alerts,
            Prefill.STATUS_UPDATES: self.status_updates,
            Prefill.PHASES: self.phases,
        }
        return writers[rule]() if rule in writers else ""

    def overview(self) -> str:
        incident = self.incident
        services = ", ".join(s.name for s in incident.services.all()) or _("(none)")
        lines = [
            f"**{incident.ref} {incident.title}**",
            "",
            "- "
            + _("Severity: %(severity)s")
            % {"severity": incident.severity.label if incident.severity else _("(none)")},
            "- " + _("Services: %(services)s") % {"services": services},
            "- "
            + _("Team: %(team)s") % {"team": incident.team.name if incident.team else _("(none)")},
        ]
        if incident.is_drill:
            lines.append("- " + _("This was a drill."))
        if incident.description.strip():
            lines += ["", incident.description.strip()]
        return "\n".join(lines)

    def milestones(self) -> str:
        incident = self.incident
        start = incident.reported_at
        rows = [
            (_("Impact started"), incident.impact_started_at),
            (_("Reported"), incident.reported_at),
            (_("Acknowledged"), incident.acknowledged_at),
            (_("Declared"), incident.declared_at),
            (_("Mitigated"), incident.mitigated_at),
            (_("Resolved"), incident.resolved_at),
            (_("Impact ended"), incident.impact_ended_at),
        ]
        zone = getattr(self.zone, "key", str(self.zone))
        header = [_("Milestone"), _("Time (%(zone)s)") % {"zone": zone}, _("Since reported")]
        lines = ["| " + " | ".join(header) + " |", "|---|---|---|"]
        for label, moment in rows:
            if moment is None:
                continue
            since = duration(moment - start) if moment >= start else "-" + duration(start - moment)
            lines.append(f"| {label} | {self.time(moment)} | {since} |")
        lines.append("")
        spans = [
            (_("Time to acknowledge"), incident.acknowledged_at),
            (_("Time to mitigate"), incident.mitigated_at),
            (_("Time to resolve"), incident.resolved_at),
        ]
        for label, moment in spans:
            value = duration(moment - start) if moment else _("not reached")
            lines.append("- " + labelled(label, value))
        if incident.impact_started_at and incident.impact_started_at < start:
            lines.append(
                "- "
                + _("Time to detect (impact start to report): %(span)s")
                % {"span": duration(start - incident.impact_started_at)}
            )
        return "\n".join(lines)

    def timeline(self) -> str:
        lines = []
        for entry in incidents.timeline(self.incident):
            text = _one_line(describe(entry))
            if entry.created_at - entry.occurred_at > BACKDATED_AFTER:
                text += " " + _("(recorded later, at %(time)s)") % {
                    "time": self.time(entry.created_at)
                }
            author = f" — {entry.author.username}" if entry.author else ""
            lines.append(f"- {self.time(entry.occurred_at)} {text}{author}")
        return "\n".join(lines) or _("(no timeline entries)")

    def impact(self) -> str:
        incident = self.incident
        start, end = incident.impact_started_at, incident.impact_ended_at
        if start and end:
            period = f"{self.time(start)} - {self.time(end)} ({duration(end - start)})"
        elif start:
            period = _("from %(start)s, end not recorded") % {"start": self.time(start)}
        else:
            period = _("(not recorded)")
        return "\n".join(
            [
                "- **" + _("Customers") + "**: " + _or_none(incident.customers_affected),
                "- **" + _("Functions") + "**: " + _or_none(incident.functions_affected),
                "- **" + _("Time") + "**: " + period,
                "- **" + _("Secondary damage") + "**: " + _or_none(incident.secondary_damage),
            ]
        )

    def roles(self) -> str:
        lines = []
        for assignment in incidents.role_history(self.incident):
            person = assignment.user.get_full_name() or assignment.user.username
            until = self.time(assignment.released_at) if assignment.released_at else ""
            held = f"{self.time(assignment.assigned_at)} - {until}".rstrip()
            lines.append("- " + labelled(assignment.role.name, f"{person} ({held})"))
        return "\n".join(lines) or _("(no roles were assigned)")

    def alerts(self) -> str:
        lines = []
        for group in alerts.incident_groups(self.incident):
            count = getattr(group, "alert_count", 0)
            alerts_count = ngettext("%(count)s alert", "%(count)s alerts", count) % {"count": count}
            lines.append(
                f"- {self.time(group.created_at)} {_one_line(group.title)}"
                f" ({group.service.name}, {alerts_count}, {group.get_status_display()})"
            )
        return "\n".join(lines) or _("(no linked alerts)")

    def status_updates(self) -> str:
        lines = []
        for update in reversed(incidents.status_updates(self.incident)):
            audience = update.get_audience_display()
            lines.append(f"- {self.time(update.created_at)} ({audience}) {_one_line(update.text)}")
        return "\n".join(lines) or _("(no status updates)")

    def phases(self) -> str:
        return "\n\n".join(
            f"### {title}\n\n- "
            for title in (_("During development"), _("During verification"), _("After release"))
        )


def prefill(incident: Incident, reader: User | None, rules: list[str]) -> str:
    """The starting text for a section with these prefill rules (empty without rules)."""
    writer = Writer(incident, reader)
    headings: dict[str, str] = {
        Prefill.MILESTONES: _("Milestones"),
        Prefill.TIMELINE: _("Timeline"),
        Prefill.ROLES: _("Roles"),
        Prefill.ALERTS: _("Alerts"),
        Prefill.STATUS_UPDATES: _("Status updates"),
    }
    blocks = []
    for rule in rules:
        text = writer.block(rule)
        if not text:
            continue
        if len(rules) > 1 and rule in headings:
            text = f"#### {headings[rule]}\n\n{text}"
        blocks.append(text)
    return "\n\n".join(blocks)

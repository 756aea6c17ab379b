"""Reading automation rules, their runs, and the editor's preview: which past incidents a
rule would have matched, computed from what is stored."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.alerts.models import AlertGroup
from kizuki.automation import matching, wording
from kizuki.automation.models import EventKind, Rule, Run
from kizuki.core import clock
from kizuki.core.errors import NotFound
from kizuki.followups.models import FollowUp
from kizuki.incidents import mobilisation
from kizuki.incidents.access import Viewer, visible_q
from kizuki.incidents.models import Incident, TimelineEntry
from kizuki.retros.models import Retrospective

PREVIEW_DAYS = 90
PREVIEW_LIMIT = 20
PREVIEW_SCAN = 1000  # candidates looked at, newest first
RUNS_LIMIT = 50

# The incident timestamp each status event stands for.
STAMPS = {
    EventKind.REPORTED: "reported_at",
    EventKind.DECLARED: "declared_at",
    EventKind.MITIGATED: "mitigated_at",
    EventKind.RESOLVED: "resolved_at",
    EventKind.CLOSED: "closed_at",
}


def rules() -> QuerySet[Rule]:
    return Rule.objects.all()


def get_rule(rule_id: int) -> Rule:
    found = Rule.objects.filter(pk=rule_id).first()
    if found is None:
        raise NotFound(_("No automation rule %(id)s.") % {"id": rule_id})
    return found


def runs_of(rule: Rule, viewer: Viewer) -> QuerySet[Run]:
    """The rule's runs, newest first, with their actions: those on incidents `viewer` may see
    (and those on none). The preview below is not filtered: only admins, who see every
    incident, preview."""
    return (
        rule.runs.filter(visible_q(viewer))
        .select_related("incident")
        .prefetch_related("action_runs")
        .order_by("-started_at", "-id")
    )


def runs(rule: Rule, viewer: Viewer, limit: int = RUNS_LIMIT) -> list[Run]:
    """The rule's newest runs (see runs_of)."""
    return list(runs_of(rule, viewer)[:limit])


@dataclass
class Match:
    at: datetime
    incident: Incident | None
    subject: str
    why: list[Any]

    @property
    def why_text(self) -> str:
        return wording.reasons(self.why)


def _incidents() -> QuerySet[Incident]:
    return Incident.objects.select_related("severity", "team").prefetch_related("services")


def _occurrences(event: str, since: datetime) -> list[matching.Occurrence]:
    """The stored occurrences of `event` since `since`, newest first (at most PREVIEW_SCAN).
    Severity, services, team and the drill flag are the incident's as they are now."""
    if event in STAMPS:
        stamp = STAMPS[EventKind(event)]
        found = _incidents().filter(**{f"{stamp}__gte": since}).order_by(f"-{stamp}")
        return [
            matching.of_incident(event, incident, getattr(incident, stamp))
            for incident in found[:PREVIEW_SCAN]
        ]
    if event == EventKind.SEVERITY_CHANGED:
        entries = TimelineEntry.objects.filter(event="severity", occurred_at__gte=since)
        loaded = {i.pk: i for i in _incidents().filter(pk__in=entries.values("incident_id"))}
        found_entries = entries.order_by("-occurred_at")[:PREVIEW_SCAN]
        occurrences = []
        for entry in found_entries:
            occurrence = matching.of_incident(event, loaded[entry.incident_id], entry.occurred_at)
            occurrence.severity = entry.data.get("severity")  # the level it changed to
            occurrences.append(occurrence)
        return occurrences
    if event == EventKind.ALERT_GROUP_TRIGGERED:
        groups = (
            AlertGroup.objects.filter(created_at__gte=since)
            .select_related("service__team", "incident__severity", "incident__team")
            .prefetch_related("incident__services")
        )
        return [
            _group_occurrence(event, group)
            for group in groups.order_by("-created_at")[:PREVIEW_SCAN]
        ]
    if event == EventKind.FOLLOWUP_OVERDUE:
        zone = ZoneInfo(settings.TIME_ZONE)
        today = clock.now().astimezone(zone).date()
        followups = FollowUp.objects.filter(
            due_date__gte=since.astimezone(zone).date(), due_date__lt=today
        ).select_related("incident")
        occurrences = []
        for followup in followups.order_by("-due_date")[:PREVIEW_SCAN]:
            if followup.due_date is not None:
                # The first overdue reminder goes out the morning after the due date.
                day = followup.due_date + timedelta(days=1)
                at = datetime.combine(day, time(9), zone)
                incident = _incidents().get(pk=followup.incident_id)
                occurrences.append(matching.of_incident(event, incident, at))
        return occurrences
    retros = Retrospective.objects.filter(published_at__gte=since).order_by("-published_at")
    occurrences = []
    for retro in retros[:PREVIEW_SCAN]:
        if retro.published_at is not None:
            incident = _incidents().get(pk=retro.incident_id)
            occurrences.append(matching.of_incident(event, incident, retro.published_at))
    return occurrences


def _group_occurrence(event: str, group: AlertGroup) -> matching.Occurrence:
    if group.incident is not None:
        return matching.of_incident(event, group.incident, group.created_at)
    return matching.Occurrence(
        event=event,
        at=group.created_at,
        services={group.service.slug},
        team=group.service.team.slug,
        subject=group.title,
    )


def preview(rule: Rule, limit: int = PREVIEW_LIMIT) -> list[Match]:
    """The newest past occurrences (the last PREVIEW_DAYS days) the rule would have matched,
    at the time each happened (business hours and holidays then). The rule need not be
    saved: the editor previews what is typed."""
    since = clock.now() - timedelta(days=PREVIEW_DAYS)
    hours = mobilisation.paging_settings()
    found: list[Match] = []
    for occurrence in _occurrences(rule.event, since):
        reasons = matching.why(rule, occurrence, hours)
        if reasons is not None:
            found.append(Match(occurrence.at, occurrence.incident, occurrence.subject, reasons))
            if len(found) >= limit:
                break
    return found

"""What the reports read from the other apps: a fixed number of queries per report, each
fetching only the columns needed (aggregated in Python afterwards; see summary.py)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min

from kizuki.accounts.models import Team
from kizuki.alerts.models import AlertGroup
from kizuki.core import clock
from kizuki.followups.models import FollowUp
from kizuki.incidents.models import Incident, RoleAssignment, Severity
from kizuki.incidents.queries import COMMANDER
from kizuki.reports.metrics import IncidentMetrics
from kizuki.retros.models import Retrospective


@dataclass(frozen=True)
class Filters:
    """Which incidents a report covers: reported between `start` and `end` (dates in the
    organisation's time zone, both inclusive), optionally one team, service or severity."""

    start: date
    end: date
    team: str = ""  # team slug
    service: str = ""  # service slug
    severity: int | None = None


@dataclass(frozen=True)
class RetroRow:
    incident_number: int
    required: bool
    status: str
    due_at: datetime | None
    published_at: datetime | None


@dataclass(frozen=True)
class FollowUpRow:
    incident_number: int
    team_id: int | None
    team_name: str
    status: str
    due_date: date | None


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_of(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants [start 00:00, the day after end 00:00) in the organisation's time zone."""
    return (
        datetime.combine(start, time(), zone()),
        datetime.combine(end + timedelta(days=1), time(), zone()),
    )


def incident_metrics(filters: Filters) -> list[IncidentMetrics]:
    """Every incident of the period and filters, drills and false alarms included (callers
    leave them out), oldest first. Three queries."""
    since, until = period_bounds(filters.start, filters.end)
    found = Incident.objects.filter(reported_at__gte=since, reported_at__lt=until)
    if filters.team:
        found = found.filter(team__slug=filters.team)
    if filters.service:
        found = found.filter(services__slug=filters.service).distinct()
    if filters.severity is not None:
        found = found.filter(severity__level=filters.severity)
    rows = list(
        found.order_by("reported_at", "number").values(
            "id",
            "number",
            "title",
            "status",
            "is_drill",
            "team_id",
            "team__name",
            "severity__level",
            "reported_at",
            "acknowledged_at",
            "mitigated_at",
            "resolved_at",
            "impact_started_at",
            "impact_ended_at",
        )
    )
    ids = [row["id"] for row in rows]
    first_alerts = dict(
        AlertGroup.objects.filter(incident_id__in=ids)
        .values("incident_id")
        .annotate(first=Min("created_at"))
        .values_list("incident_id", "first")
    )
    first_commanders = dict(
        RoleAssignment.objects.filter(incident_id__in=ids, role__slug=COMMANDER)
        .values("incident_id")
        .annotate(first=Min("assigned_at"))
        .values_list("incident_id", "first")
    )
    return [
        IncidentMetrics(
            number=row["number"],
            title=row["title"],
            status=row["status"],
            is_drill=row["is_drill"],
            team_id=row["team_id"],
            team_name=row["team__name"] or "",
            severity_level=row["severity__level"],
            reported_at=row["reported_at"],
            first_alert_at=first_alerts.get(row["id"]),
            acknowledged_at=row["acknowledged_at"],
            assigned_at=first_commanders.get(row["id"]),
            mitigated_at=row["mitigated_at"],
            resolved_at=row["resolved_at"],
            impact_started_at=row["impact_started_at"],
            impact_ended_at=row["impact_ended_at"],
        )
        for row in rows
    ]


def retrospectives_of(numbers: list[int]) -> list[RetroRow]:
    """The retrospectives of these incidents (one query)."""
    rows = Retrospective.objects.filter(incident__number__in=numbers).values_list(
        "incident__number", "required", "status", "due_at", "published_at"
    )
    return [RetroRow(*row) for row in rows]


def followups_of(numbers: list[int]) -> list[FollowUpRow]:
    """The follow-ups of these incidents, each counted for its own team, else its incident's
    (one query)."""
    rows = FollowUp.objects.filter(incident__number__in=numbers).values_list(
        "incident__number",
        "team_id",
        "team__name",
        "incident__team_id",
        "incident__team__name",
        "status",
        "due_date",
    )
    return [
        FollowUpRow(number, team_id or inc_team_id, team_name or inc_team_name or "", status, due)
        for number, team_id, team_name, inc_team_id, inc_team_name, status, due in rows
    ]


def day_of_now() -> date:
    """Today in the organisation's time zone, by the injectable clock."""
    return day_of(clock.now())


def teams() -> list[Team]:
    return list(Team.objects.order_by("name"))


def severity_levels() -> list[int]:
    return list(Severity.objects.order_by("level").values_list("level", flat=True))

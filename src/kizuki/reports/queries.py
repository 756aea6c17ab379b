"""What the reports read from the other apps: a fixed number of queries per report, each
fetching only the columns needed, related rows through subqueries on the period (never lists
of incident numbers); durations aggregated in Python (summary.py), follow-ups counted in SQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Coalesce

from kizuki.accounts.models import Team
from kizuki.alerts.models import AlertGroup
from kizuki.core import clock
from kizuki.followups.models import ACTIVE, FollowUp
from kizuki.followups.models import Status as FollowUpStatus
from kizuki.incidents.models import Incident, RoleAssignment, Severity, Status
from kizuki.incidents.queries import COMMANDER
from kizuki.reports.metrics import IncidentMetrics
from kizuki.retros.models import Retrospective


@dataclass(frozen=True)
class Filters:
    """Which incidents a report covers: reported between `start` and `end` (dates in the
    organisation's time zone, both inclusive), optionally one team, service, severity or
    cause category."""

    start: date
    end: date
    team: str = ""  # team slug
    service: str = ""  # service slug
    severity: int | None = None
    cause: str = ""  # cause category slug


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


def scope(filters: Filters) -> QuerySet[Incident]:
    """The incidents of the period and filters, drills and false alarms included (not run)."""
    since, until = period_bounds(filters.start, filters.end)
    found = Incident.objects.filter(reported_at__gte=since, reported_at__lt=until)
    if filters.team:
        found = found.filter(team__slug=filters.team)
    if filters.service:
        found = found.filter(services__slug=filters.service).distinct()
    if filters.severity is not None:
        found = found.filter(severity__level=filters.severity)
    if filters.cause:
        found = found.filter(cause_category__slug=filters.cause)
    return found


def counted(filters: Filters) -> QuerySet[Incident]:
    """The incidents of the period and filters that count: no drills, no false alarms (not
    run; for subqueries, instead of lists of numbers)."""
    return scope(filters).filter(is_drill=False).exclude(status=Status.FALSE_ALARM)


def _ids(incidents: "list[int] | QuerySet[Incident]") -> "QuerySet[Incident, Any]":
    """Incident ids for `incident_id__in`: a subquery for a query set, else the numbers'."""
    if isinstance(incidents, QuerySet):
        return incidents.order_by().values("id")
    return Incident.objects.filter(number__in=incidents).values("id")


MOMENTS = [
    "reported_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
    "impact_started_at",
    "impact_ended_at",
]


def _moment(column: Any) -> Any:
    """A datetime column to select. On SQLite as its stored text (naive UTC), which `_aware`
    reads some twenty times faster than Django's converters: with thousands of incidents per
    period, converting their milestones was most of a report's time."""
    if connection.vendor == "sqlite":
        return Cast(column, TextField())
    return column


def _aware(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def incident_metrics(filters: Filters) -> list[IncidentMetrics]:
    """Every incident of the period and filters, drills and false alarms included (callers
    leave them out), oldest first. Three queries."""
    found = scope(filters)
    columns = ["id", "number", "title", "status", "is_drill", "team_id", "team__name", "private"]
    rows = found.order_by("reported_at", "number").values_list(
        *columns, "severity__level", *[_moment(name) for name in MOMENTS]
    )
    ids = found.order_by().values("id")  # a subquery: no list of thousands of parameters
    first_alerts = dict(
        AlertGroup.objects.filter(incident_id__in=ids)
        .values("incident_id")
        .annotate(first=_moment(Min("created_at")))
        .values_list("incident_id", "first")
    )
    first_commanders = dict(
        RoleAssignment.objects.filter(incident_id__in=ids, role__slug=COMMANDER)
        .values("incident_id")
        .annotate(first=_moment(Min("assigned_at")))
        .values_list("incident_id", "first")
    )
    return [
        IncidentMetrics(
            number=number,
            title=title,
            status=status,
            is_drill=is_drill,
            team_id=team_id,
            team_name=team_name or "",
            severity_level=level,
            reported_at=_aware(reported),  # type: ignore[arg-type]  # never NULL
            first_alert_at=_aware(first_alerts.get(pk)),
            acknowledged_at=_aware(acknowledged),
            assigned_at=_aware(first_commanders.get(pk)),
            mitigated_at=_aware(mitigated),
            resolved_at=_aware(resolved),
            impact_started_at=_aware(impact_started),
            impact_ended_at=_aware(impact_ended),
            private=private,
        )
        for (
            pk,
            number,
            title,
            status,
            is_drill,
            team_id,
            team_name,
            private,
            level,
            reported,
            acknowledged,
            mitigated,
            resolved,
            impact_started,
            impact_ended,
        ) in rows
    ]


def retrospectives_of(numbers: "list[int] | QuerySet[Incident]") -> list[RetroRow]:
    """The retrospectives of these incidents (numbers, or better a query set such as
    `counted(filters)`, run as a subquery; one query)."""
    rows = Retrospective.objects.filter(incident_id__in=_ids(numbers)).values_list(
        "incident__number", "required", "status", _moment("due_at"), _moment("published_at")
    )
    return [
        RetroRow(number, required, status, _aware(due), _aware(published))
        for number, required, status, due, published in rows
    ]


def followups_of(numbers: "list[int] | QuerySet[Incident]") -> list[FollowUpRow]:
    """The follow-ups of these incidents (numbers or a query set, as retrospectives_of), each
    counted for its own team, else its incident's (one query)."""
    rows = FollowUp.objects.filter(incident_id__in=_ids(numbers)).values_list(
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


@dataclass(frozen=True)
class FollowUpCount:
    """One team's follow-ups (its own team, else its incident's; "" for none), counted."""

    team_name: str
    done: int
    open: int  # open or in progress
    overdue: int  # open past its due date
    wont_do: int


def followup_counts(incidents: QuerySet[Incident], today: date) -> list[FollowUpCount]:
    """The follow-ups of these incidents counted per team in SQL (one query, one row per
    team: cheaper than followups_of's row per follow-up)."""
    active = Q(status__in=ACTIVE)
    rows = (
        FollowUp.objects.filter(incident_id__in=_ids(incidents))
        .annotate(label=Coalesce("team__name", "incident__team__name", Value("")))
        .order_by()
        .values("label")
        .annotate(
            done=Count("id", filter=Q(status=FollowUpStatus.DONE)),
            unsettled=Count("id", filter=active),
            overdue=Count("id", filter=active & Q(due_date__lt=today)),
            wont_do=Count("id", filter=Q(status=FollowUpStatus.WONT_DO)),
        )
        .values_list("label", "done", "unsettled", "overdue", "wont_do")
    )
    return [FollowUpCount(*row) for row in rows]


def day_of_now() -> date:
    """Today in the organisation's time zone, by the injectable clock."""
    return day_of(clock.now())


def teams() -> list[Team]:
    return list(Team.objects.order_by("name"))


def severity_levels() -> list[int]:
    return list(Severity.objects.order_by("level").values_list("level", flat=True))

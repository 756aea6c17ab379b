"""The live numbers: MTTA and MTTR week by week (the dashboard's trend) and per team over a
rolling window (the Prometheus gauges), summed by the database.

The definitions are metrics.py's, written here as SQL: every duration runs from the incident's
start (the earlier of its report and its first alert group), a milestone stamped before the
start counts as zero, a missing one leaves the incident out of that mean, and drills and false
alarms are left out. One query per call, with aggregates, however many incidents there are:
the same numbers summary.summarise() computes in Python for a report."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from kizuki.alerts.models import AlertGroup
from kizuki.incidents.models import Incident, Status
from kizuki.reports.queries import day_of, period_bounds


def _counted() -> QuerySet[Incident]:
    """The incidents that count (no drills, no false alarms)."""
    return Incident.objects.filter(is_drill=False).exclude(status=Status.FALSE_ALARM)


class Seconds(Func):
    """The seconds from `start` to `end`, a float (NULL when either is missing), computed by
    the database itself: SQLite through julianday() (to the millisecond; Django's own
    datetime subtraction there calls back into Python for every row), PostgreSQL through
    EXTRACT(EPOCH FROM ...)."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
        return sql, list(params)


def _means() -> dict[str, Aggregate]:
    """Count, MTTA and MTTR (seconds) as aggregates over incidents. The start is written once
    per duration (the database evaluates the first-alert subquery twice per row), the clamp
    at zero is GREATEST, and an incident without the milestone is left out of that mean by
    the aggregate's filter (PostgreSQL's GREATEST would turn NULL into 0)."""
    first_alert = (
        AlertGroup.objects.filter(incident=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )

    def since_start(milestone: str) -> Greatest:
        started = Least("reported_at", Coalesce(Subquery(first_alert), "reported_at"))
        return Greatest(Seconds(F(milestone), started), Value(0.0), output_field=FloatField())

    return {
        "n": Count("pk"),
        "mtta": Avg(since_start("acknowledged_at"), filter=Q(acknowledged_at__isnull=False)),
        "mttr": Avg(since_start("resolved_at"), filter=Q(resolved_at__isnull=False)),
    }


def _seconds(value: float | Decimal | None) -> float | None:
    # To the millisecond: SQLite's julianday() is not finer, and a mean is not read finer.
    return None if value is None else round(float(value), 3)


@dataclass(frozen=True)
class Means:
    """How many incidents counted, and their MTTA and MTTR in seconds (None: no incident has
    the milestone)."""

    incidents: int
    mtta: float | None
    mttr: float | None


@dataclass(frozen=True)
class Week:
    """A week (Monday to Sunday in the organisation's time zone) of reported incidents."""

    monday: date
    means: Means


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(weeks: int, now: datetime) -> list[Week]:
    """The last `weeks` weeks, oldest first, the one holding `now` last (so far). Weeks without
    incidents are there with zero incidents. One query: each incident's week is found by
    comparing its report with the Mondays' midnights (plain comparisons, which every database
    does natively), not by truncating dates."""
    this_monday = monday_of(day_of(now))
    mondays = [this_monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    starts = [period_bounds(day, day)[0] for day in mondays]
    until = period_bounds(this_monday + timedelta(days=6), this_monday + timedelta(days=6))[1]
    week = Case(
        *[When(reported_at__lt=start, then=Value(n - 1)) for n, start in enumerate(starts) if n],
        default=Value(weeks - 1),
        output_field=IntegerField(),
    )
    rows = (
        _counted()
        .filter(reported_at__gte=starts[0], reported_at__lt=until)
        .annotate(week=week)
        .values("week")
        .annotate(**_means())
        .order_by()
    )
    found = {
        row["week"]: Means(row["n"], _seconds(row["mtta"]), _seconds(row["mttr"])) for row in rows
    }
    return [Week(day, found.get(n, Means(0, None, None))) for n, day in enumerate(mondays)]


def by_team(since: datetime, until: datetime) -> dict[str, Means]:
    """MTTA and MTTR of the incidents reported in [since, until) per owning team's slug; ""
    for the incidents without a team. One query."""
    rows = (
        _counted()
        .filter(reported_at__gte=since, reported_at__lt=until)
        .values("team__slug")
        .annotate(**_means())
        .order_by()
    )
    return {
        row["team__slug"] or "": Means(row["n"], _seconds(row["mtta"]), _seconds(row["mttr"]))
        for row in rows
    }

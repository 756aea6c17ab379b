"""The Incident Summary Report's numbers over a period and filters.

First slice: the rows are fetched once (five queries, see queries.py) and aggregated in
Python. Fine for thousands of incidents; the 100,000-incident bench may want SQL aggregates."""

import csv
import io
import math
import statistics
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from kizuki.core import clock
from kizuki.reports import breakdowns, forms, queries
from kizuki.reports.breakdowns import Breakdowns, Bucket, TopCause
from kizuki.reports.load import PersonLoad, responder_load
from kizuki.reports.majors import MajorIncident, major_incidents
from kizuki.reports.metrics import DURATIONS, PHASES, IncidentMetrics
from kizuki.reports.noise import AlertNoise, alert_noise
from kizuki.reports.queries import Filters, FollowUpCount, RetroRow
from kizuki.reports.risk_health import RiskHealth, risk_health
from kizuki.retros.models import RetroStatus


@dataclass(frozen=True)
class Stats:
    """Mean, median and 90th percentile (nearest rank) of some durations, in seconds."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": self.mean, "median": self.median, "p90": self.p90}


def stats_of(durations: list[timedelta | None]) -> Stats:
    seconds = sorted(d.total_seconds() for d in durations if d is not None)
    if not seconds:
        return Stats(0, None, None, None)
    p90 = seconds[math.ceil(0.9 * len(seconds)) - 1]
    return Stats(len(seconds), statistics.fmean(seconds), statistics.median(seconds), p90)


def phases_of(incidents: list[IncidentMetrics]) -> dict[str, Stats]:
    """The detect / assign / recover split (metrics.PHASES) of some incidents."""
    return {name: stats_of([getattr(i, name) for i in incidents]) for name in PHASES}


@dataclass(frozen=True)
class Group:
    """Counts and response times of one team or one severity."""

    key: str
    label: str
    incidents: int
    tta: Stats
    ttr: Stats

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "incidents": self.incidents,
            "mtta_seconds": self.tta.mean,
            "mttr_seconds": self.ttr.mean,
            "tta": self.tta.as_dict(),
            "ttr": self.ttr.as_dict(),
        }


@dataclass(frozen=True)
class RetroHealth:
    """Required: the incidents that need one. Held: published. Late: required and published
    after its due time, or still unpublished past it."""

    required: int
    held: int
    late: int
    label: str = ""  # the team, in retrospectives_by_team

    def as_dict(self) -> dict[str, int]:
        return {"required": self.required, "held": self.held, "late": self.late}


@dataclass(frozen=True)
class FollowUpHealth:
    """Done; open (open or in progress); overdue (open past its due date); won't do.
    Completion: done out of done plus open (won't-do left out)."""

    label: str
    done: int
    open: int
    overdue: int
    wont_do: int

    @property
    def completion(self) -> float | None:
        total = self.done + self.open
        return self.done / total if total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "team": self.label,
            "done": self.done,
            "open": self.open,
            "overdue": self.overdue,
            "wont_do": self.wont_do,
            "completion": self.completion,
        }


@dataclass(frozen=True)
class Summary:
    filters: Filters
    incidents: list[IncidentMetrics]  # the ones counted: no drills, no false alarms
    drills: int
    false_alarms: int
    tta: Stats
    tta_assign: Stats
    ttm: Stats
    ttr: Stats
    by_team: list[Group]
    by_severity: list[Group]
    retrospectives: RetroHealth
    followups: FollowUpHealth
    followups_by_team: list[FollowUpHealth] = field(default_factory=list)
    # Issue 13, content: majors.py, risk_health.py, the previous period (trend).
    retrospectives_by_team: list[RetroHealth] = field(default_factory=list)
    major_incidents: list[MajorIncident] = field(default_factory=list)
    risks: RiskHealth | None = None
    previous: "Summary | None" = None
    # Issue 13, responder load and alert noise: load.py, noise.py.
    responder_load: list[PersonLoad] = field(default_factory=list)
    alert_noise: AlertNoise | None = None
    # Issue 13, by service and by cause, top causes: breakdowns.py.
    breakdowns: Breakdowns | None = None

    @property
    def by_service(self) -> list[Group]:
        return _bucket_groups(self.breakdowns.by_service if self.breakdowns else [])

    @property
    def by_cause(self) -> list[Group]:
        return _bucket_groups(self.breakdowns.by_cause if self.breakdowns else [])

    @property
    def top_causes(self) -> list[TopCause]:
        return self.breakdowns.top_causes if self.breakdowns else []

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.filters.start.isoformat(),
            "to": self.filters.end.isoformat(),
            "incidents": len(self.incidents),
            "drills": self.drills,
            "false_alarms": self.false_alarms,
            "mtta_seconds": self.tta.mean,
            "mttr_seconds": self.ttr.mean,
            "time_to_acknowledge": self.tta.as_dict(),
            "time_to_assign": self.tta_assign.as_dict(),
            "time_to_mitigate": self.ttm.as_dict(),
            "time_to_resolve": self.ttr.as_dict(),
            "by_team": [group.as_dict() for group in self.by_team],
            "by_severity": [group.as_dict() for group in self.by_severity],
            "retrospectives": self.retrospectives.as_dict(),
            "followups": {
                **self.followups.as_dict(),
                "by_team": [team.as_dict() for team in self.followups_by_team],
            },
            **self._content_dict(),
            "responder_load": [person.as_dict() for person in self.responder_load],
            "alert_noise": self.alert_noise.as_dict() if self.alert_noise else None,
            "phases": {name: stats.as_dict() for name, stats in phases_of(self.incidents).items()},
            "by_service": [group.as_dict() for group in self.by_service],
            "by_cause": [group.as_dict() for group in self.by_cause],
            "top_causes": [cause.as_dict() for cause in self.top_causes],
        }

    def _content_dict(self) -> dict[str, Any]:
        """Issue 13's major incidents, risks, retrospectives per team and the previous period."""
        before = self.previous
        return {
            "retrospectives": {
                **self.retrospectives.as_dict(),
                "by_team": [
                    {"team": health.label, **health.as_dict()}
                    for health in self.retrospectives_by_team
                ],
            },
            "major_incidents": [major.as_dict() for major in self.major_incidents],
            "risks": self.risks.as_dict() if self.risks else None,
            "previous": None
            if before is None
            else {
                "from": before.filters.start.isoformat(),
                "to": before.filters.end.isoformat(),
                "incidents": len(before.incidents),
                "mtta_seconds": before.tta.mean,
                "mttr_seconds": before.ttr.mean,
            },
        }


def summarise(filters: Filters, *, now: datetime | None = None, compare: bool = True) -> Summary:
    """The report; with `compare`, also the one of the period of the same length before.
    Without it (that previous period) only the totals and breakdowns: no major incidents, risks,
    responder load or alert noise."""
    now = now or clock.now()
    everything = queries.incident_metrics(filters)
    counted = [incident for incident in everything if incident.counts]
    # Counted in SQL over a subquery of the period (no list of numbers, no row per follow-up).
    followups = queries.followup_counts(queries.counted(filters), queries.day_of(now))
    retros = queries.retrospectives_of(queries.counted(filters))
    return Summary(
        filters=filters,
        incidents=counted,
        drills=sum(1 for incident in everything if incident.is_drill),
        false_alarms=sum(
            1 for incident in everything if incident.is_false_alarm and not incident.is_drill
        ),
        tta=stats_of([incident.time_to_acknowledge for incident in counted]),
        tta_assign=stats_of([incident.time_to_assign for incident in counted]),
        ttm=stats_of([incident.time_to_mitigate for incident in counted]),
        ttr=stats_of([incident.time_to_resolve for incident in counted]),
        by_team=_groups(counted, lambda i: (str(i.team_id or ""), i.team_name)),
        by_severity=_groups(
            counted,
            lambda i: (
                str(i.severity_level or ""),
                f"SEV{i.severity_level}" if i.severity_level else "",
            ),
        ),
        retrospectives=_retro_health(retros, now),
        followups=_followup_health("", followups),
        followups_by_team=_followups_by_team(followups),
        retrospectives_by_team=_retros_by_team(retros, counted, now),
        major_incidents=major_incidents(counted) if compare else [],
        risks=risk_health(filters) if compare else None,
        previous=_previous(filters, now) if compare else None,
        responder_load=responder_load(filters, now=now) if compare else [],
        alert_noise=alert_noise(filters) if compare else None,
        breakdowns=breakdowns.of(filters, counted, rank=compare),
    )


def _bucket_groups(buckets: list[Bucket]) -> list[Group]:
    return [
        Group(
            bucket.key,
            bucket.label,
            len(bucket.members),
            stats_of([m.time_to_acknowledge for m in bucket.members]),
            stats_of([m.time_to_resolve for m in bucket.members]),
        )
        for bucket in buckets
    ]


def _previous(filters: Filters, now: datetime) -> Summary:
    start, end = forms.previous_period(filters.start, filters.end)
    return summarise(replace(filters, start=start, end=end), now=now, compare=False)


def _retros_by_team(
    rows: list[RetroRow], incidents: list[IncidentMetrics], now: datetime
) -> list[RetroHealth]:
    """Retrospective health per team (the incident's owning team), without-team last."""
    team_of = {incident.number: incident.team_name for incident in incidents}
    teams: dict[str, list[RetroRow]] = {}
    for row in rows:
        teams.setdefault(team_of.get(row.incident_number, ""), []).append(row)
    return [
        replace(_retro_health(members, now), label=name)
        for name, members in sorted(teams.items(), key=lambda kv: (not kv[0], kv[0]))
    ]


def _groups(incidents: list[IncidentMetrics], key_of: Any) -> list[Group]:
    grouped: dict[tuple[str, str], list[IncidentMetrics]] = {}
    for incident in incidents:
        grouped.setdefault(key_of(incident), []).append(incident)
    return [
        Group(
            key,
            label,
            len(members),
            stats_of([m.time_to_acknowledge for m in members]),
            stats_of([m.time_to_resolve for m in members]),
        )
        # Unassigned ("") last; the rest by label.
        for (key, label), members in sorted(grouped.items(), key=lambda kv: (not kv[0][0], kv[0]))
    ]


def _retro_health(rows: list[RetroRow], now: datetime) -> RetroHealth:
    required = [row for row in rows if row.required]
    held = [row for row in rows if row.status == RetroStatus.PUBLISHED]
    late = [row for row in required if _late(row, now)]
    return RetroHealth(len(required), len(held), len(late))


def _late(row: RetroRow, now: datetime) -> bool:
    if row.due_at is None:
        return False
    return (row.published_at or now) > row.due_at


def _followup_health(label: str, counts: list[FollowUpCount]) -> FollowUpHealth:
    return FollowUpHealth(
        label=label,
        done=sum(count.done for count in counts),
        open=sum(count.open for count in counts),
        overdue=sum(count.overdue for count in counts),
        wont_do=sum(count.wont_do for count in counts),
    )


def _followups_by_team(counts: list[FollowUpCount]) -> list[FollowUpHealth]:
    return [
        _followup_health(count.team_name, [count])
        for count in sorted(counts, key=lambda count: (not count.team_name, count.team_name))
    ]


CSV_COLUMNS = [
    "incident",
    "title",
    "team",
    "severity",
    "status",
    "reported_at",
    "first_alert_at",
    "acknowledged_at",
    "assigned_at",
    "mitigated_at",
    "resolved_at",
    "impact_started_at",
    "impact_ended_at",
    "time_to_acknowledge_seconds",
    "time_to_assign_seconds",
    "time_to_mitigate_seconds",
    "time_to_resolve_seconds",
    "impact_duration_seconds",
    # Appended by issue 13 (breakdowns.py): the cause category's slug, the services' slugs.
    "cause",
    "services",
]


def csv_text(incidents: list[IncidentMetrics], found: Breakdowns | None = None) -> str:
    """One row per incident: its milestones (ISO 8601, UTC) and durations (whole seconds);
    empty cells where a milestone is missing. Its cause and services come from `found` (a
    summary's breakdowns), else from one more query. Private incidents have no row: they are
    counted in the report's totals only."""
    incidents = [incident for incident in incidents if not incident.private]
    tags = found.tags if found else breakdowns.tags_of_numbers([i.number for i in incidents])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for i in incidents:
        stamps = [
            i.reported_at,
            i.first_alert_at,
            i.acknowledged_at,
            i.assigned_at,
            i.mitigated_at,
            i.resolved_at,
            i.impact_started_at,
            i.impact_ended_at,
        ]
        durations = [getattr(i, name) for name in DURATIONS]
        writer.writerow(
            [i.ref, i.title, i.team_name, f"SEV{i.severity_level}" if i.severity_level else ""]
            + [i.status]
            + [_iso(stamp) for stamp in stamps]
            + ["" if d is None else int(d.total_seconds()) for d in durations]
            + breakdowns.csv_cells(tags.get(i.number, breakdowns.NO_TAGS))
        )
    return out.getvalue()


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat() if moment else ""


def duration_text(seconds: float | None) -> str:
    """A duration for people: "45 s", "12 min", "3 h 05 min", "2 d 4 h"; a dash for none."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return _("%(s)d s") % {"s": whole}
    minutes = whole // 60
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}

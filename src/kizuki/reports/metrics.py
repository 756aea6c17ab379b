"""Per-incident response metrics, from the incident's milestones. The definitions live here
once; docs/reports.md and the page's hover text say the same.

Every duration runs from the incident's *start*: the earlier of its report (`reported_at`)
and the first alert group linked to it (an alert that fired before anyone filed the report is
when the organisation could have known). A duration is None while its end milestone is
missing."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

# Shown on hover on the page and as the CSV's column notes; keys are the metric names.
DEFINITIONS = {
    "time_to_acknowledge": _(
        "Time to acknowledge: from the first alert or the report, whichever came first, to "
        "the acknowledgement."
    ),
    "time_to_assign": _(
        "Time to assign: from the first alert or the report to the first incident commander "
        "assignment."
    ),
    "time_to_mitigate": _(
        "Time to mitigate: from the first alert or the report to the moment it was mitigated."
    ),
    "time_to_resolve": _(
        "Time to resolve: from the first alert or the report to the moment it was resolved."
    ),
    "impact_duration": _(
        "Impact duration: from the recorded start of the impact to its recorded end."
    ),
    "mtta": _(
        "MTTA: the mean time to acknowledge of the incidents acknowledged, drills and false "
        "alarms excluded."
    ),
    "mttr": _(
        "MTTR: the mean time to resolve of the incidents resolved, drills and false alarms "
        "excluded."
    ),
    "detect": _(
        "Detect: from the first alert or the report, whichever came first, to the acknowledgement."
    ),
    "assign": _(
        "Assign: from the acknowledgement to the first incident commander assignment (zero "
        "when the commander came first)."
    ),
    "recover": _(
        "Recover: from the later of the acknowledgement and the first commander assignment "
        "to the moment it was resolved."
    ),
    "median": _("Median: half of the incidents took less, half took more."),
    "p90": _("90th percentile: nine incidents in ten took at most this long."),
}


@dataclass(frozen=True)
class IncidentMetrics:
    """One incident's milestones (timestamps) and the durations between them."""

    number: int
    title: str
    status: str
    is_drill: bool
    team_id: int | None
    team_name: str
    severity_level: int | None
    reported_at: datetime
    first_alert_at: datetime | None
    acknowledged_at: datetime | None
    assigned_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    impact_started_at: datetime | None
    impact_ended_at: datetime | None
    # Counted in the totals like any other; never listed by ref or title.
    private: bool = False

    @property
    def ref(self) -> str:
        return f"INC-{self.number}"

    @property
    def is_false_alarm(self) -> bool:
        return self.status == "false_alarm"

    @property
    def counts(self) -> bool:
        """Drills and false alarms are left out of every figure unless asked for."""
        return not (self.is_drill or self.is_false_alarm)

    @property
    def started_at(self) -> datetime:
        if self.first_alert_at and self.first_alert_at < self.reported_at:
            return self.first_alert_at
        return self.reported_at

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        return _since(self.started_at, self.acknowledged_at)

    @property
    def time_to_assign(self) -> timedelta | None:
        return _since(self.started_at, self.assigned_at)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        return _since(self.started_at, self.mitigated_at)

    @property
    def time_to_resolve(self) -> timedelta | None:
        return _since(self.started_at, self.resolved_at)

    # The detect / assign / recover split of the downtime. When all three are there they add
    # up to the time to resolve; a phase whose milestones are missing is None.
    @property
    def detect(self) -> timedelta | None:
        return self.time_to_acknowledge

    @property
    def assign(self) -> timedelta | None:
        if self.acknowledged_at is None:
            return None
        return _since(self.acknowledged_at, self.assigned_at)

    @property
    def recover(self) -> timedelta | None:
        handled = [m for m in (self.acknowledged_at, self.assigned_at) if m is not None]
        if not handled:
            return None
        return _since(max(*handled, self.started_at), self.resolved_at)

    @property
    def impact_duration(self) -> timedelta | None:
        if self.impact_started_at is None:
            return None
        return _since(self.impact_started_at, self.impact_ended_at)


def _since(start: datetime, end: datetime | None) -> timedelta | None:
    # A milestone stamped before the start (an edited impact, say) counts as zero, not negative.
    return None if end is None else max(end - start, timedelta(0))


DURATIONS = [
    "time_to_acknowledge",
    "time_to_assign",
    "time_to_mitigate",
    "time_to_resolve",
    "impact_duration",
]

# The downtime split into phases (detect + assign + recover = time to resolve).
PHASES = ["detect", "assign", "recover"]

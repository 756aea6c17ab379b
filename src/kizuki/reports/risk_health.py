"""System Risk Records opened and closed in a summary report's period.

- *opened*: risks recorded (`created_at`) in the period;
- *closed*: risks whose status became "done" in the period (the last such change in their
  history counts; a risk reopened afterwards within the period is not closed);
- *open at end*: risks recorded before the period's end whose status at that moment was not
  "done" (read from their history, so later changes do not alter a past report).

Risks have no team of their own: with a team filter a risk belongs to the team when one of
its services is owned by that team; with a service filter, when it concerns that service.
The severity filter does not apply to risks. Three queries."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kizuki.reports.queries import Filters, period_bounds
from kizuki.risks.models import Change, Risk, Status


@dataclass(frozen=True)
class RiskRow:
    ref: str
    id: int
    title: str
    status: str  # today's status
    potential_impact: int | None
    likelihood: int
    priority: int | None  # potential impact * likelihood; None while unknown

    def as_dict(self) -> dict[str, Any]:
        return {
            "risk": self.ref,
            "title": self.title,
            "status": self.status,
            "potential_impact": self.potential_impact,
            "likelihood": self.likelihood,
            "priority": self.priority,
        }


@dataclass(frozen=True)
class RiskHealth:
    opened: list[RiskRow]
    closed: list[RiskRow]
    open_at_end: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "opened": len(self.opened),
            "closed": len(self.closed),
            "open_at_end": self.open_at_end,
            "opened_list": [row.as_dict() for row in self.opened],
            "closed_list": [row.as_dict() for row in self.closed],
        }


def risk_health(filters: Filters) -> RiskHealth:
    since, until = period_bounds(filters.start, filters.end)
    risks = Risk.objects.filter(created_at__lt=until)
    if filters.team:
        risks = risks.filter(services__team__slug=filters.team)
    if filters.service:
        risks = risks.filter(services__slug=filters.service)
    rows = {
        pk: (RiskRow(f"RISK-{pk}", pk, title, status, potential, likelihood, priority), created)
        for pk, title, status, potential, likelihood, priority, created in risks.distinct()
        .order_by("created_at", "id")
        .values_list(
            "id",
            "title",
            "status",
            "potential_impact",
            "likelihood",
            "priority",
            "created_at",
        )
    }
    # Status changes up to the period's end, oldest first: ("created", {"status": ...}) and
    # ("status", "done").
    status_at_end: dict[int, str] = {}
    closed_at: dict[int, datetime] = {}
    history = Change.objects.filter(
        risk_id__in=list(rows), event__in=["created", "status"], at__lt=until
    ).order_by("at", "id")
    for risk_id, event, value, at in history.values_list("risk_id", "event", "value", "at"):
        status = value.get("status") if event == "created" and value else value
        if not isinstance(status, str):
            continue
        status_at_end[risk_id] = status
        if status == Status.DONE:
            closed_at[risk_id] = at
        else:
            closed_at.pop(risk_id, None)
    opened = [row for row, created in rows.values() if created >= since]
    closed = [
        rows[pk][0]
        for pk in sorted(closed_at, key=lambda pk: (closed_at[pk], pk))
        if closed_at[pk] >= since
    ]
    still_open = sum(
        1
        for pk, (row, _created) in rows.items()
        if status_at_end.get(pk, row.status) != Status.DONE
    )
    return RiskHealth(opened=opened, closed=closed, open_at_end=still_open)

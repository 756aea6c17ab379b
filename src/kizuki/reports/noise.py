"""Alert noise over a report's period: the alert groups opened in it, those that never became
incidents, those acknowledged and resolved with no incident (someone looked, nothing was
done), and the integrations that sent the most groups without an incident. Two SQL
aggregate queries whatever the number of groups.

Filters: team (the owning team of the group's service) and service (the group's service)
apply; severity does not (an alert group has no incident severity)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kizuki.alerts.models import AlertGroup
from kizuki.reports.queries import Filters, period_bounds

TOP = 5

# Shown on hover on the page (the metrics.DEFINITIONS pattern); docs/reports.md says the same.
DEFINITIONS = {
    "groups": _("Alert groups: the groups opened in the period."),
    "without_incident": _("Without an incident: alert groups never linked to an incident."),
    "acknowledged_resolved_without_incident": _(
        "Acknowledged and resolved without action: groups someone acknowledged and that were "
        "resolved, never linked to an incident."
    ),
    "top_integrations": _(
        "Noisiest integrations: the five that opened the most groups without an incident; the "
        "share is their part of all groups without an incident."
    ),
}


@dataclass(frozen=True)
class NoisyIntegration:
    integration: int
    name: str
    service: str
    groups: int
    without_incident: int
    share: float  # of all groups without an incident in the period

    def as_dict(self) -> dict[str, Any]:
        return {
            "integration": self.integration,
            "name": self.name,
            "service": self.service,
            "groups": self.groups,
            "without_incident": self.without_incident,
            "share": self.share,
        }


@dataclass(frozen=True)
class AlertNoise:
    groups: int
    without_incident: int
    acknowledged_resolved_without_incident: int
    top_integrations: list[NoisyIntegration] = field(default_factory=list)

    @property
    def without_incident_share(self) -> float | None:
        return round(self.without_incident / self.groups, 4) if self.groups else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "without_incident": self.without_incident,
            "acknowledged_resolved_without_incident": self.acknowledged_resolved_without_incident,
            "top_integrations": [noisy.as_dict() for noisy in self.top_integrations],
        }


NO_INCIDENT = Q(incident__isnull=True)
QUIETLY_CLOSED = NO_INCIDENT & Q(acknowledged_at__isnull=False, resolved_at__isnull=False)


def alert_noise(filters: Filters) -> AlertNoise:
    """The alert noise of the period and filters (two queries)."""
    groups = _groups(filters)
    totals = groups.aggregate(
        groups=Count("pk"),
        without=Count("pk", filter=NO_INCIDENT),
        quiet=Count("pk", filter=QUIETLY_CLOSED),
    )
    without = totals["without"] or 0
    top = (
        groups.filter(integration__isnull=False)
        .values("integration_id", "integration__name", "integration__service__name")
        .annotate(total=Count("pk"), without=Count("pk", filter=NO_INCIDENT))
        .filter(without__gt=0)
        .order_by("-without", "-total", "integration__name", "integration_id")[:TOP]
    )
    return AlertNoise(
        groups=totals["groups"] or 0,
        without_incident=without,
        acknowledged_resolved_without_incident=totals["quiet"] or 0,
        top_integrations=[
            NoisyIntegration(
                integration=row["integration_id"],
                name=row["integration__name"],
                service=row["integration__service__name"],
                groups=row["total"],
                without_incident=row["without"],
                share=round(row["without"] / without, 4),
            )
            for row in top
        ],
    )


def _groups(filters: Filters) -> "QuerySet[AlertGroup]":
    since, until = period_bounds(filters.start, filters.end)
    found = AlertGroup.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
    if filters.team:
        found = found.filter(service__team__slug=filters.team)
    if filters.service:
        found = found.filter(service__slug=filters.service)
    return found

"""Reads for incidents: lookup by reference, filtered lists, the rendered timeline."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput, NotFound
from kizuki.incidents.models import (
    OPEN_STATUSES,
    Incident,
    RoleAssignment,
    RoleType,
    Severity,
    Status,
    StatusUpdate,
    TimelineEntry,
)

REF = re.compile(r"^(?:INC-)?(\d+)$", re.IGNORECASE)
PAGE_SIZE_MAX = 200


def _with_details(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Load what an incident's summary shows in a fixed number of queries, however many rows."""
    return incidents.select_related("severity", "team", "reporter").prefetch_related(
        "services",
        Prefetch(
            "role_assignments",
            RoleAssignment.objects.filter(released_at__isnull=True).select_related("role", "user"),
            to_attr="active_assignments",
        ),
        Prefetch(
            "status_updates",
            StatusUpdate.objects.select_related("author"),
            to_attr="newest_updates",
        ),
    )


def get_incident(ref: str | int) -> Incident:
    """Find an incident by `INC-3`, `3` or its number."""
    match = REF.match(str(ref).strip())
    incident = None
    if match:
        incident = _with_details(Incident.objects.filter(number=int(match.group(1)))).first()
    if incident is None:
        raise NotFound(_("No incident %(ref)s.") % {"ref": ref})
    return incident


@dataclass
class IncidentFilter:
    status: str = ""
    severity: int | None = None
    team: str = ""
    service: str = ""
    text: str = ""
    open_only: bool = False


def filter_incidents(criteria: IncidentFilter) -> QuerySet[Incident]:
    incidents = _with_details(Incident.objects.all())
    if criteria.status:
        if criteria.status not in Status.values:
            raise InvalidInput(
                _("Unknown status %(status)s; use one of %(statuses)s.")
                % {"status": criteria.status, "statuses": ", ".join(Status.values)}
            )
        incidents = incidents.filter(status=criteria.status)
    if criteria.open_only:
        incidents = incidents.filter(status__in=OPEN_STATUSES)
    if criteria.severity is not None:
        incidents = incidents.filter(severity__level=criteria.severity)
    if criteria.team:
        incidents = incidents.filter(team__slug=criteria.team)
    if criteria.service:
        incidents = incidents.filter(services__slug=criteria.service)
    if criteria.text:
        incidents = incidents.filter(
            Q(title__icontains=criteria.text) | Q(description__icontains=criteria.text)
        )
    return incidents.distinct().order_by("-number")


def open_incidents_by_severity() -> list[tuple[str, list[Incident]]]:
    """Dashboard groups: each severity with its open incidents, then unclassified reports."""
    incidents = list(filter_incidents(IncidentFilter(open_only=True)))
    groups: list[tuple[str, list[Incident]]] = []
    for severity in Severity.objects.all():
        members = [i for i in incidents if i.severity_id == severity.pk]
        groups.append((severity.label, members))
    groups.append((_("Not yet classified"), [i for i in incidents if i.severity_id is None]))
    return groups


def active_roles(incident: Incident) -> list[RoleAssignment]:
    if hasattr(incident, "active_assignments"):
        return list(incident.active_assignments)
    return list(
        incident.role_assignments.filter(released_at__isnull=True).select_related("role", "user")
    )


def role_history(incident: Incident) -> list[RoleAssignment]:
    """Every role assignment the incident had, released ones included, in the order given."""
    return list(
        incident.role_assignments.select_related("role", "user").order_by("assigned_at", "id")
    )


def role_catalogue() -> list[RoleType]:
    return list(RoleType.objects.all())


def severities() -> list[Severity]:
    return list(Severity.objects.all())


def severity_choices() -> QuerySet[Severity]:
    """Every severity, for another app's form to choose from."""
    return Severity.objects.all()


def status_updates(incident: Incident) -> list[StatusUpdate]:
    return list(incident.status_updates.select_related("author"))


def latest_status_update(incident: Incident) -> StatusUpdate | None:
    if hasattr(incident, "newest_updates"):
        return incident.newest_updates[0] if incident.newest_updates else None
    return incident.status_updates.select_related("author").first()


def timeline(incident: Incident) -> list[TimelineEntry]:
    return list(incident.timeline.filter(removed_at__isnull=True).select_related("author"))


def get_timeline_entry(incident: Incident, entry_id: int) -> TimelineEntry:
    entry = incident.timeline.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(
            _("No timeline entry %(id)s on %(ref)s.") % {"id": entry_id, "ref": incident.ref}
        )
    return entry

"""Reads for incidents: lookup by reference, filtered lists, the rendered timeline."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.core.sql import fetch, fetch_by, marks, remember, table
from kizuki.incidents import scoring
from kizuki.incidents.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Axis,
    CauseCategory,
    ImpactScale,
    Incident,
    Participant,
    RoleAssignment,
    RoleType,
    Severity,
    Status,
    StatusUpdate,
    TimelineEntry,
)
from kizuki.incidents.visibility import Viewer, visible_incidents
from kizuki.oncall import queries as oncall_queries
from kizuki.schedules import queries as schedule_queries

REF = re.compile(r"^(?:INC-)?(\d+)$", re.IGNORECASE)
PAGE_SIZE_MAX = 200


# The statements every incident page and API call makes are written out: the ORM took
# longer to build them than the database to run them (issue 15's reads). Only names and
# placeholders go into the text (hence the noqa: S608); values are parameters.
SUMMARY_JOINS = ("severity", "team", "reporter", "cause_category")


def with_details(incidents: Iterable[Incident]) -> list[Incident]:
    """Load what an incident's summary shows besides its own row (services, current roles,
    latest status update) in three queries, however many incidents."""
    found = list(incidents)
    if not found:
        return found
    ids = [incident.pk for incident in found]
    listed = marks(ids)
    link, service = table(Incident.services.through), table(Service)
    services = fetch_by(
        f"{link}.incident_id",
        Service,
        f"JOIN {link} ON {link}.service_id = {service}.id"
        f" WHERE {link}.incident_id IN ({listed}) ORDER BY {service}.name",
        ids,
    )
    assignment = table(RoleAssignment)
    roles = fetch_by(
        f"{assignment}.incident_id",
        RoleAssignment,
        f"WHERE {assignment}.released_at IS NULL AND {assignment}.incident_id IN ({listed})"
        f' ORDER BY "role"."order", {assignment}.assigned_at',
        ids,
        joined=("role", "user"),
    )
    # Only each incident's latest update: a long incident has hundreds.
    update = table(StatusUpdate)
    updates = fetch_by(
        f"{update}.incident_id",
        StatusUpdate,
        f"WHERE {update}.incident_id IN ({listed}) AND {update}.id = ("  # noqa: S608
        f"SELECT newer.id FROM {update} newer WHERE newer.incident_id = {update}.incident_id"
        " ORDER BY newer.created_at DESC, newer.id DESC LIMIT 1)",
        ids,
        joined=("author",),
    )
    for incident in found:
        remember(incident, "services", services.get(incident.pk, []))
        incident.active_assignments = roles.get(incident.pk, [])  # type: ignore[attr-defined]
        incident.newest_updates = updates.get(incident.pk, [])  # type: ignore[attr-defined]
    return found


def get_incident(ref: str | int) -> Incident:
    """Find an incident by `INC-3`, `3` or its number."""
    match = REF.match(str(ref).strip())
    number = int(match.group(1)) if match else 0
    found = []
    if 0 < number <= INT_MAX:
        found = fetch(
            Incident,
            f"WHERE {table(Incident)}.number = %s",
            [number],
            joined=SUMMARY_JOINS,
        )
    if not found:
        raise NotFound(_("No incident %(ref)s.") % {"ref": ref})
    return with_details(found)[0]


def is_finished(incident: Incident) -> bool:
    """Closed or a false alarm: the record, of which only the cause category still changes."""
    return incident.status in FINISHED_STATUSES


@dataclass
class IncidentFilter:
    status: str = ""
    severity: int | None = None
    team: str = ""
    service: str = ""
    text: str = ""
    open_only: bool = False


def filter_incidents(criteria: IncidentFilter, *, viewer: Viewer) -> QuerySet[Incident]:
    """The incidents `viewer` may see (None: the operator, who sees all) that match."""
    # Callers load the rest of each summary for the page they show (with_details).
    incidents = visible_incidents(viewer).select_related(*SUMMARY_JOINS)
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
        # The join through services is the only one that can repeat a row; DISTINCT over
        # every column otherwise made counting the list cost more than reading its page.
        incidents = incidents.filter(services__slug=criteria.service).distinct()
    if criteria.text:
        incidents = incidents.filter(
            Q(title__icontains=criteria.text) | Q(description__icontains=criteria.text)
        )
    return incidents.order_by("-number")


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


def cause_categories(*, offered_only: bool = False) -> list[CauseCategory]:
    """The cause categories in their order; `offered_only`: without the retired ones."""
    found = CauseCategory.objects.all()
    return list(found.filter(is_active=True) if offered_only else found)


def cause_category(slug: str) -> CauseCategory:
    """A cause category that is still offered, by slug; else InvalidInput naming the choices."""
    found = CauseCategory.objects.filter(slug=slug, is_active=True).first()
    if found is None:
        slugs = ", ".join(c.slug for c in cause_categories(offered_only=True))
        raise InvalidInput(
            _("Unknown cause category %(slug)s; use one of %(slugs)s, or null.")
            % {"slug": slug, "slugs": slugs}
        )
    return found


def scope_scale() -> list[ImpactScale]:
    return list(ImpactScale.objects.filter(axis=Axis.SCOPE).order_by("value"))


def effect_scale() -> list[ImpactScale]:
    return list(ImpactScale.objects.filter(axis=Axis.EFFECT).order_by("value"))


def score_labels(incident: Incident) -> dict[str, str]:
    """The scale labels of the incident's impact scope and effect (keys "scope", "effect"), in
    the language in force; a factor not known is missing."""
    if incident.impact_scope is None and incident.impact_effect is None:
        return {}
    wanted = Q(axis=Axis.SCOPE, value=incident.impact_scope) | Q(
        axis=Axis.EFFECT, value=incident.impact_effect
    )
    return {step.axis: step.label for step in ImpactScale.objects.filter(wanted)}


def suggested_severity(scope: int | None, effect: int | None) -> Severity | None:
    """The severity an impact scope and effect suggest (Severity.min_impact_level); None while
    either is unknown or no severity's threshold is reached."""
    level = scoring.impact_level(scoring.score_of(scope, effect))
    if level is None:
        return None
    found = {severity.level: severity for severity in Severity.objects.all()}
    thresholds = [(number, severity.min_impact_level) for number, severity in found.items()]
    suggested = scoring.suggested_severity(level, thresholds)
    return found[suggested] if suggested is not None else None


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


# --- the dashboard: a summary and one page of rows, whatever the number of open incidents ---

DASHBOARD_PAGE_SIZE = 25
UNTRIAGED_SHOWN = 10
COMMANDER = "incident_commander"


@dataclass(frozen=True)
class OpenSummary:
    """Counts of open incidents, drills left out: all, untriaged reports, per severity
    (level, label, n); and the open drills, counted apart."""

    total: int
    untriaged: int
    unclassified: int
    by_severity: list[tuple[int, str, int]]
    drills: int = 0
    reports: int = 0  # untriaged reports drills included: the list under its own heading


def open_summary(viewer: Viewer) -> OpenSummary:
    """Two queries: the severities, and one aggregate over the open incidents `viewer` sees
    (None: all of them, for the organisation's anonymous totals)."""
    open_ = visible_incidents(viewer).filter(status__in=OPEN_STATUSES)
    levels = list(Severity.objects.all())
    real = Q(is_drill=False)
    counts = open_.aggregate(
        total=Count("pk", filter=real),
        untriaged=Count("pk", filter=real & Q(status=Status.REPORTED)),
        unclassified=Count("pk", filter=real & Q(severity__isnull=True)),
        drills=Count("pk", filter=Q(is_drill=True)),
        reports=Count("pk", filter=Q(status=Status.REPORTED)),
        **{f"sev{s.pk}": Count("pk", filter=real & Q(severity_id=s.pk)) for s in levels},
    )
    return OpenSummary(
        total=counts["total"],
        untriaged=counts["untriaged"],
        unclassified=counts["unclassified"],
        by_severity=[(s.level, s.label, counts[f"sev{s.pk}"]) for s in levels],
        drills=counts["drills"],
        reports=counts["reports"],
    )


def _for_rows(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """What a dashboard row shows: severity, the commander, the latest update's times."""
    latest = StatusUpdate.objects.filter(incident=OuterRef("pk")).order_by("-created_at", "-id")
    commanders = RoleAssignment.objects.filter(
        released_at__isnull=True, role__slug=COMMANDER
    ).select_related("user")
    return (
        incidents.select_related("severity")
        .annotate(
            last_update_at=Subquery(latest.values("created_at")[:1]),
            last_next_update_at=Subquery(latest.values("next_update_at")[:1]),
        )
        .prefetch_related(Prefetch("role_assignments", commanders, to_attr="commanders"))
    )


def untriaged_reports(viewer: Viewer) -> list[Incident]:
    """The oldest reports nobody has acknowledged yet (they come first on the dashboard)."""
    reported = (
        visible_incidents(viewer).filter(status=Status.REPORTED).order_by("reported_at", "number")
    )
    return list(_for_rows(reported)[:UNTRIAGED_SHOWN])


def triaged_open_incidents(viewer: Viewer) -> QuerySet[Incident]:
    """Open incidents past triage: the most severe first, then the newest."""
    others = (
        visible_incidents(viewer).filter(status__in=OPEN_STATUSES).exclude(status=Status.REPORTED)
    )
    return _for_rows(others).order_by(F("severity__level").asc(nulls_last=True), "-number")


def next_update_due(incident: Incident) -> datetime | None:
    """When the next status update is due: what the latest update promised, else the
    severity's interval after the latest update (or the declaration). Only while declared
    or mitigated; a row from `_for_rows` carries the latest update's times."""
    if incident.status not in (Status.DECLARED, Status.MITIGATED):
        return None
    promised: datetime | None
    if hasattr(incident, "last_update_at"):
        promised, last = getattr(incident, "last_next_update_at", None), incident.last_update_at
    else:
        # An incident fetched for its page: the latest update is prefetched instead.
        latest = latest_status_update(incident)
        promised = latest.next_update_at if latest else None
        last = latest.created_at if latest else None
    if promised is not None:
        return promised
    since: datetime | None = last or incident.declared_at
    if since is None or incident.severity is None:
        return None
    return since + timedelta(minutes=incident.severity.status_update_interval_minutes)


def commander(incident: Incident) -> User | None:
    """Who commands the incident now (the first holder, should several be named)."""
    holders = [a for a in active_roles(incident) if a.role.slug == COMMANDER]
    return holders[0].user if holders else None


def on_call_now(incident: Incident, now: datetime) -> list[tuple[str, list[User]]]:
    """Who the escalation policies of the incident's services would page first, now: per
    policy, the people its first step names, directly or through a schedule."""
    policy_ids = {s.escalation_policy_id for s in incident.services.all()} - {None}
    if not policy_ids:
        return []
    found: list[tuple[str, list[User]]] = []
    for policy in oncall_queries.policies().filter(pk__in=policy_ids):
        steps = list(policy.steps.all())
        targets = list(steps[0].targets.all()) if steps else []
        schedules = [t.schedule for t in targets if t.schedule is not None]
        by_schedule = schedule_queries.on_call_now(schedules, now) if schedules else {}
        people: list[User] = []
        for target in targets:
            named = [target.user] if target.user else by_schedule.get(target.schedule_id or 0, [])
            people += [person for person in named if person not in people]
        found.append((policy.name, people))
    return found


def my_open_roles(person: User) -> list[RoleAssignment]:
    """The roles `person` holds on open incidents, newest incident first (one query)."""
    return list(
        RoleAssignment.objects.filter(
            user=person, released_at__isnull=True, incident__status__in=OPEN_STATUSES
        )
        .select_related("role", "incident", "incident__severity")
        .order_by("-incident__number", "role__order")
    )


def participants(incident: Incident) -> list[Participant]:
    """The people added to the incident by hand, in the order they were added."""
    return list(incident.participants.select_related("user", "added_by"))

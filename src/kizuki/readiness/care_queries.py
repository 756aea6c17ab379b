"""Reads for looking after responders: when a long incident reminds its responders to take a
break, whom it proposes to take over the commander role, and the incident's work list."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.areas import queries as area_queries
from kizuki.areas.models import ResponseArea
from kizuki.core.errors import NotFound
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.models import OPEN_STATUSES, Incident, Severity
from kizuki.readiness.models import BreakReminder, CareSetting, WorkItem
from kizuki.schedules import queries as schedule_queries

DEFAULT_AFTER_MINUTES = 180
DEFAULT_EVERY_MINUTES = 180
SYSTEM_AREA = "system"


class Source:
    """Where a hand-off proposal comes from."""

    ON_CALL = "on_call"
    AREA = "area"


@dataclass(frozen=True)
class Care:
    """The break-reminder rule that applies to an incident."""

    enabled: bool
    after: timedelta
    every: timedelta


@dataclass(frozen=True)
class Handoff:
    user: User
    source: str


def care_settings() -> QuerySet[CareSetting]:
    return CareSetting.objects.select_related("severity").order_by("severity__level", "id")


def care_for(severity: Severity | None) -> Care:
    """The severity's own setting, else the global one, else 3 hours and every 3 hours."""
    found = {row.severity_id: row for row in care_settings()}
    row = (found.get(severity.pk) if severity is not None else None) or found.get(None)
    if row is None:
        return Care(
            True, timedelta(minutes=DEFAULT_AFTER_MINUTES), timedelta(minutes=DEFAULT_EVERY_MINUTES)
        )
    return Care(
        row.enabled, timedelta(minutes=row.after_minutes), timedelta(minutes=row.every_minutes)
    )


def started_at(incident: Incident) -> datetime:
    """When responders started on it: its declaration, else its report."""
    return incident.declared_at or incident.reported_at


def due_number(incident: Incident, care: Care, now: datetime) -> int:
    """How many reminders the incident should have had by `now`: none before `after`, then one
    more each `every`."""
    if not care.enabled or incident.status not in OPEN_STATUSES:
        return 0
    running = now - started_at(incident)
    if running < care.after:
        return 0
    return 1 + int((running - care.after) / max(care.every, timedelta(minutes=1)))


def next_reminder_at(incident: Incident, care: Care, now: datetime) -> datetime | None:
    if not care.enabled or incident.status not in OPEN_STATUSES:
        return None
    number = due_number(incident, care, now)
    return started_at(incident) + care.after + number * max(care.every, timedelta(minutes=1))


def is_open(incident: Incident) -> bool:
    return incident.status in OPEN_STATUSES


def open_incidents() -> QuerySet[Incident]:
    return Incident.objects.filter(status__in=OPEN_STATUSES).select_related("severity")


def reminders(incident: Incident) -> list[BreakReminder]:
    return list(BreakReminder.objects.filter(incident=incident).order_by("number"))


def last_number(incident: Incident) -> int:
    last = BreakReminder.objects.filter(incident=incident).order_by("-number").first()
    return last.number if last else 0


def responders(incident: Incident) -> list[User]:
    """The people holding a role on the incident, each once, in the roles' order."""
    people: dict[int, User] = {}
    for assignment in incident_queries.active_roles(incident):
        people.setdefault(assignment.user.pk, assignment.user)
    return [person for person in people.values() if person.is_active]


def _system_area() -> ResponseArea | None:
    return area_queries.areas().filter(slug=SYSTEM_AREA).first()


def handoff(incident: Incident, now: datetime) -> Handoff | None:
    """Who could take over the commander role: someone on call now for the incident's services
    (else in its team's schedules) who is not on leave and can be paged; else the first of the
    system area's chain (owner, then deputies in order) who is available and reachable. Never
    the commander; None while nobody commands or nobody fits."""
    current = incident_queries.commander(incident)
    if current is None:
        return None
    on_call = [
        person
        for _policy, people in incident_queries.on_call_now(incident, now)
        for person in people
    ]
    if not on_call and incident.team_id is not None:
        schedules = list(schedule_queries.schedules().filter(team_id=incident.team_id))
        by_schedule = schedule_queries.on_call_now(schedules, now) if schedules else {}
        on_call = [person for people in by_schedule.values() for person in people]
    candidates = [person for person in on_call if person.pk != current.pk]
    away = area_queries.absent_ids([person.pk for person in candidates], now)
    reachable = area_queries.reachable_ids(candidates)
    for person in candidates:
        if person.pk not in away and person.pk in reachable:
            return Handoff(person, Source.ON_CALL)
    area = _system_area()
    if area is not None:
        lead = area_queries.lead_for(area, now)
        for step in lead.chain:
            fits = step.state in {area_queries.State.LEAD, area_queries.State.STANDBY}
            if fits and step.user.pk != current.pk:
                return Handoff(step.user, Source.AREA)
    return None


def is_long(incident: Incident, now: datetime) -> bool:
    """Past the first break reminder's time (the page then proposes a hand-off)."""
    return due_number(incident, care_for(incident.severity), now) > 0


def work_items(incident: Incident) -> list[WorkItem]:
    return list(WorkItem.objects.filter(incident=incident).select_related("followup", "created_by"))


def get_work_item(incident: Incident, item_id: int) -> WorkItem:
    found = WorkItem.objects.filter(incident=incident, pk=item_id).first()
    if found is None:
        raise NotFound(_("%(ref)s has no work item %(id)s.") % {"ref": incident.ref, "id": item_id})
    return found


def to_move(incident: Incident) -> list[WorkItem]:
    """The open items not marked for today, not yet moved: what "move the rest" moves."""
    return list(
        WorkItem.objects.filter(
            incident=incident, today=False, done_at__isnull=True, followup__isnull=True
        )
    )

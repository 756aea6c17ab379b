"""Responder load over a report's period: per person, the pages received, the hours spent
holding incident roles, the share of pages that came outside business hours and the hours on
call. Read-only; a fixed number of queries whatever the number of people or incidents.

- Pages: one per escalation step (and repetition) that reached the person, however many
  methods it used (an SMS and an e-mail for the same step are one page); it counts at its
  first successful send, inside the period. Channel posts reach nobody and do not count, nor
  do the pages of a drill incident.
- Out of hours: a page sent outside the organisation's business hours (the paging settings'
  hours on weekdays in the organisation's time zone, never on a Japanese public holiday; see
  incidents.mobilisation.in_business_hours). The share is out-of-hours pages ÷ pages.
- Incident hours: the time a person held at least one role on an incident (assignment to
  release, or to the incident's resolution if earlier), clipped to the period and to now;
  drills and false alarms excluded; overlapping roles on one incident count once.
- On-call hours: the time the schedules name the person on call (schedules.rotation, after
  overrides and layers), clipped to the period and to now; two schedules at once count once.

Filters: team keeps the team's members (each with their whole load: pages and on-call hours
are the person's, wherever they came from); team, service and severity choose the incidents
whose role hours count."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Membership, User
from kizuki.core import clock
from kizuki.incidents.mobilisation import in_business_hours, paging_settings
from kizuki.incidents.models import RoleAssignment, Status
from kizuki.incidents.paging_models import IncidentPaging
from kizuki.oncall.models import Page, PageStatus
from kizuki.reports.queries import Filters, period_bounds
from kizuki.schedules.models import Schedule
from kizuki.schedules.rotation import plans

# Shown on hover on the page (the metrics.DEFINITIONS pattern); docs/reports.md says the same.
DEFINITIONS = {
    "pages": _(
        "Pages: escalation steps that reached the person in the period, however many ways "
        "each one was sent."
    ),
    "incident_hours": _(
        "Incident hours: time holding at least one role on an incident, from assignment to "
        "release or resolution, within the period; drills and false alarms excluded."
    ),
    "out_of_hours_share": _(
        "Out of hours: the share of the person's pages sent outside business hours "
        "(weekdays in business hours, not on a Japanese public holiday)."
    ),
    "oncall_hours": _(
        "On-call hours: time the schedules named the person on call in the period, up to now; "
        "two schedules at once count once."
    ),
}

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class PersonLoad:
    username: str
    name: str
    pages: int
    out_of_hours_pages: int
    incident_seconds: float
    oncall_seconds: float

    @property
    def incident_hours(self) -> float:
        return round(self.incident_seconds / 3600, 2)

    @property
    def oncall_hours(self) -> float:
        return round(self.oncall_seconds / 3600, 2)

    @property
    def out_of_hours_share(self) -> float | None:
        return round(self.out_of_hours_pages / self.pages, 4) if self.pages else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "user": self.username,
            "name": self.name,
            "pages": self.pages,
            "incident_hours": self.incident_hours,
            "out_of_hours_share": self.out_of_hours_share,
            "oncall_hours": self.oncall_hours,
        }


def responder_load(filters: Filters, *, now: datetime | None = None) -> list[PersonLoad]:
    """Everyone with a page, incident hours or on-call hours in the period, by incident hours
    then pages (most first), then username. At most eight queries."""
    now = now or clock.now()
    since, until = period_bounds(filters.start, filters.end)
    until_now = min(until, now)
    pages = _page_times(since, until)
    incident = _incident_seconds(filters, since, until_now)
    oncall = _oncall_seconds(since, until_now)
    people = set(pages) | set(incident) | set(oncall)
    if filters.team:
        people &= set(
            Membership.objects.filter(team__slug=filters.team).values_list("user_id", flat=True)
        )
    if not people:
        return []
    business = paging_settings()
    found = [
        PersonLoad(
            username=username,
            name=f"{first} {last}".strip() or username,
            pages=len(pages.get(pk, [])),
            out_of_hours_pages=sum(
                1 for at in pages.get(pk, []) if not in_business_hours(at, business)
            ),
            incident_seconds=incident.get(pk, 0.0),
            oncall_seconds=oncall.get(pk, 0.0),
        )
        for pk, username, first, last in User.objects.filter(pk__in=people).values_list(
            "pk", "username", "first_name", "last_name"
        )
    ]
    return sorted(found, key=lambda p: (-p.incident_seconds, -p.pages, p.username))


def _page_times(since: datetime, until: datetime) -> dict[int, list[datetime]]:
    """Per person, when each of their pages was first sent (one query: one row per page)."""
    rows = (
        Page.objects.filter(user__isnull=False, status=PageStatus.SENT, sent_at__lt=until)
        .exclude(escalation_id__in=_drill_escalations())
        .values("user_id", "escalation_id", "step_index", "repetition")
        .annotate(first=Min("sent_at"))
        .filter(first__gte=since)
        .order_by()
        .values_list("user_id", "first")
    )
    found: dict[int, list[datetime]] = defaultdict(list)
    for user_id, first in rows:
        found[user_id].append(first)
    return found


def _drill_escalations() -> Any:
    """The escalations a drill incident started (its on-call paged with "[Drill]"): practice,
    not load."""
    return IncidentPaging.objects.filter(incident__is_drill=True).values("escalation_id")


def _incident_seconds(filters: Filters, since: datetime, until: datetime) -> dict[int, float]:
    """Per person, the seconds holding a role on the filters' incidents within [since, until)
    (one query)."""
    if until <= since:
        return {}
    found = RoleAssignment.objects.filter(
        assigned_at__lt=until,
        incident__is_drill=False,
    ).exclude(incident__status=Status.FALSE_ALARM)
    found = found.filter(Q(released_at__isnull=True) | Q(released_at__gt=since))
    found = found.filter(Q(incident__resolved_at__isnull=True) | Q(incident__resolved_at__gt=since))
    if filters.team:
        found = found.filter(incident__team__slug=filters.team)
    if filters.service:
        found = found.filter(incident__services__slug=filters.service)
    if filters.severity is not None:
        found = found.filter(incident__severity__level=filters.severity)
    held: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    for user_id, incident_id, assigned, released, resolved in found.distinct().values_list(
        "user_id", "incident_id", "assigned_at", "released_at", "incident__resolved_at"
    ):
        end = min(moment for moment in (released, resolved, until) if moment is not None)
        start = max(assigned, since)
        if end > start:
            held[(user_id, incident_id)].append((start, end))
    seconds: dict[int, float] = defaultdict(float)
    for (user_id, _incident_id), intervals in held.items():
        seconds[user_id] += _covered(intervals).total_seconds()
    return seconds


def _oncall_seconds(since: datetime, until: datetime) -> dict[int, float]:
    """Per person, the seconds on call in [since, until) across every schedule (four queries,
    the shifts computed by the schedules app)."""
    if until <= since:
        return {}
    shifts: dict[int, list[Interval]] = defaultdict(list)
    for plan in plans(Schedule.objects.all(), since, until).values():
        for shift in plan.timeline(since, until):
            shifts[shift.user.pk].append((shift.starts_at, shift.ends_at))
    return {pk: _covered(intervals).total_seconds() for pk, intervals in shifts.items()}


def _covered(intervals: list[Interval]) -> timedelta:
    """The length of the union of the intervals."""
    total = timedelta(0)
    end: datetime | None = None
    for start, finish in sorted(intervals):
        if end is None or start > end:
            total += finish - start
            end = finish
        elif finish > end:
            total += finish - end
            end = finish
    return total

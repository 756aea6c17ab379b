"""Reads for on-call schedules: lookups, the windows pages and feeds show, and warnings."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core.errors import NotFound
from kizuki.schedules import rotation
from kizuki.schedules.models import (
    SELECTOR_LENGTH,
    CalendarFeed,
    Layer,
    LayerMember,
    Override,
    Schedule,
)

PREVIEW = timedelta(days=14)
# Calendar feeds hold every shift that starts within this from now, each whole.
CALENDAR = timedelta(days=60)
PAGE_SIZE_MAX = 200


@dataclass(frozen=True)
class Problem:
    """Something that would stop a page from reaching anyone: a gap, or an unreachable person."""

    kind: str  # "gap" or "unreachable"
    message: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    user: User | None = None


def schedules() -> QuerySet[Schedule]:
    members = LayerMember.objects.select_related("user").order_by("position")
    layers = Layer.objects.order_by("position", "id").prefetch_related(Prefetch("members", members))
    return (
        Schedule.objects.select_related("team")
        .prefetch_related(Prefetch("layers", layers))
        .order_by("name")
    )


def get_schedule(schedule_id: int) -> Schedule:
    schedule = schedules().filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound(_("No schedule %(id)s.") % {"id": schedule_id})
    return schedule


def get_override(schedule: Schedule, override_id: int) -> Override:
    override = (
        Override.objects.select_related("user", "schedule")
        .filter(schedule=schedule, pk=override_id)
        .first()
    )
    if override is None:
        raise NotFound(
            _("Schedule %(schedule)s has no override %(id)s.")
            % {"schedule": schedule.name, "id": override_id}
        )
    return override


def get_layer(schedule: Schedule, layer_id: int) -> Layer:
    layer = Layer.objects.select_related("schedule").filter(schedule=schedule, pk=layer_id).first()
    if layer is None:
        raise NotFound(
            _("Schedule %(schedule)s has no layer %(id)s.")
            % {"schedule": schedule.name, "id": layer_id}
        )
    return layer


def is_member(schedule: Schedule, person: User) -> bool:
    """Whether `person` takes turns in one of the schedule's layers."""
    return LayerMember.objects.filter(layer__schedule=schedule, user=person).exists()


def policies_using(schedule: Schedule) -> list[str]:
    """The names of the escalation policies that page this schedule, read through the reverse
    relation of oncall's step targets (schedules sits below oncall and may not import it)."""
    names = Schedule.objects.filter(pk=schedule.pk).values_list(
        "steptarget__step__policy__name", flat=True
    )
    return sorted({name for name in names if name})


def get_person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise NotFound(_("No user %(username)s.") % {"username": username})
    return person


def calendar_owner(token: str) -> Schedule | User:
    """Whose feed a calendar URL's token opens; a wrong, rotated or deactivated one opens none."""
    selector, secret = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    feed = CalendarFeed.objects.select_related("schedule", "user").filter(selector=selector).first()
    owner = (feed.schedule or feed.user) if feed else None
    if (
        feed is None
        or owner is None
        or not secrets.compare_digest(feed.secret.encode(), secret.encode())
        or (isinstance(owner, User) and not owner.is_active)
    ):
        raise NotFound(_("No such calendar. Its address may have been changed."))
    return owner


def current_overrides(schedule: Schedule, now: datetime) -> list[Override]:
    """Overrides still running or yet to come, soonest first."""
    found = Override.objects.filter(schedule=schedule, ends_at__gt=now)
    return list(found.select_related("user", "created_by").order_by("starts_at", "id"))


def shifts_of(
    person: User, start: datetime, end: datetime
) -> list[tuple[Schedule, rotation.Shift]]:
    """Every shift `person` works that runs at some moment of [start, end), whole, across
    schedules, by start time."""
    involved = {
        schedule.pk: schedule
        for schedule in Schedule.objects.filter(
            Q(layers__members__user=person)
            | Q(overrides__user=person, overrides__ends_at__gt=start)
        ).distinct()
    }
    found = []
    for schedule_id, timeline in rotation.whole_timelines(involved.values(), start, end).items():
        schedule = involved[schedule_id]
        found += [(schedule, shift) for shift in timeline if shift.user.pk == person.pk]
    return sorted(found, key=lambda pair: (pair[1].starts_at, pair[0].name))


def calendar_shifts(schedule: Schedule, now: datetime) -> list[rotation.Shift]:
    """The shifts a schedule's calendar feed holds: from the one under way on, whole."""
    return rotation.whole_timelines([schedule], now, now + CALENDAR)[schedule.pk]


def calendar_shifts_of(person: User, now: datetime) -> list[tuple[Schedule, rotation.Shift]]:
    return shifts_of(person, now, now + CALENDAR)


def local(moment: datetime, schedule: Schedule) -> str:
    return moment.astimezone(ZoneInfo(schedule.time_zone)).strftime("%Y-%m-%d %H:%M")


def problems(schedule: Schedule, start: datetime, end: datetime) -> list[Problem]:
    """Gaps in cover and people on call whom a page would not reach, over [start, end)."""
    return problems_of([schedule], start, end)[schedule.pk]


def problems_of(
    schedules: list[Schedule], start: datetime, end: datetime
) -> dict[int, list[Problem]]:
    """`problems` of each schedule, in the same few queries however many schedules."""
    loaded = rotation.plans(schedules, start, end)  # refuses naive times
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    timelines = {pk: plan.timeline(start, end) for pk, plan in loaded.items()}
    unreachable = set(rotation.unreachable_in([s for t in timelines.values() for s in t]))
    return {
        schedule.pk: _problems(schedule, timelines[schedule.pk], start, end, unreachable)
        for schedule in schedules
    }


def _problems(
    schedule: Schedule,
    timeline: list[rotation.Shift],
    start: datetime,
    end: datetime,
    unreachable: set[User],
) -> list[Problem]:
    found = [
        Problem(
            "gap",
            _("Nobody is on call from %(start)s to %(end)s (%(zone)s).")
            % {
                "start": local(gap.starts_at, schedule),
                "end": local(gap.ends_at, schedule),
                "zone": schedule.time_zone,
            },
            starts_at=gap.starts_at,
            ends_at=gap.ends_at,
        )
        for gap in rotation.gaps_in(timeline, start, end)
    ]
    on_call = {shift.user.pk: shift.user for shift in timeline}
    for person in [user for user in on_call.values() if user in unreachable]:
        if person.email:
            text = _(
                "%(user)s is on call but has no notification rule: pages reach them only by"
                " e-mail to %(email)s, which is easy to miss at night. Add a notification rule."
            ) % {"user": person.username, "email": person.email}
        else:
            text = _(
                "%(user)s is on call but has no notification rule and no e-mail address:"
                " pages cannot reach them. Add a notification rule."
            ) % {"user": person.username}
        found.append(Problem("unreachable", text, user=person))
    return found


def on_call_now(found: list[Schedule], at: datetime) -> dict[int, list[User]]:
    """Who is on call at `at` in each schedule, loaded together for a list page."""
    loaded = rotation.plans(found, at, at + timedelta(microseconds=1))
    return {pk: [user for user, _source, _key in plan.winners(at)] for pk, plan in loaded.items()}

"""Who is on call, computed from a schedule's layers and overrides. Reads rows, writes nothing.

Rules: an override covering the moment wins (everyone it names); otherwise the last layer
(highest position) with someone on call wins. A layer's shifts run in the schedule's local
wall-clock time: shift k starts at local (start date + hand-off time) + k * shift length, so
a daily 09:00 hand-off stays at 09:00 across daylight-saving changes. A hand-off time that
does not exist locally (the spring-forward gap) happens when the clocks jump; one that exists
twice (fall-back) happens the first time.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.notify.queries import rules_by_user
from kizuki.schedules.models import Holidays, Layer, LayerMember, Override, Schedule

OVERRIDE = "override"
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class Shift:
    user: User
    starts_at: datetime
    ends_at: datetime
    source: str  # the layer's name, or "override"


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    ends_at: datetime


@lru_cache(maxsize=4096)
def is_jp_holiday(day: date) -> bool:
    return day in holidays.country_holidays("JP", years=day.year)


def local_instant(naive: datetime, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as a UTC instant: a time the clocks repeat is its first
    occurrence, and a time they skip is the instant they jump."""
    instant = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == naive:
        return instant
    # Skipped: fold=0 reads it with the offset from before the jump, landing after the jump,
    # and fold=1 with the offset from after it, landing before; the jump lies between.
    return _clock_change(naive.replace(tzinfo=zone, fold=1).astimezone(UTC), instant, zone)


def _clock_change(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (before, after] that already has after's UTC offset."""
    offset = after.astimezone(zone).utcoffset()
    while after - before > _INSTANT:
        middle = before + (after - before) // 2
        if middle.astimezone(zone).utcoffset() == offset:
            after = middle
        else:
            before = middle
    return after


class Rotation:
    """One layer's people taking turns."""

    def __init__(self, layer: Layer, zone: ZoneInfo, members: list[User]) -> None:
        self.layer_id = layer.pk
        self.name = layer.name or _("Layer %(number)s") % {"number": layer.position + 1}
        self.zone = zone
        self.origin = datetime.combine(layer.start, layer.handoff_time)
        self.length = timedelta(seconds=layer.shift_seconds)
        self.members = members
        self.holidays = layer.holidays
        self.first = self.shift_start(0)

    def shift_start(self, k: int) -> datetime:
        return local_instant(self.origin + k * self.length, self.zone)

    def index_at(self, at: datetime) -> int | None:
        """The shift running at `at`, or None before the rotation starts."""
        if at < self.first:
            return None
        # Estimate from the wall clock, then step to the real boundary: a daylight-saving
        # jump puts the estimate off by a shift or two at most.
        local = at.astimezone(self.zone).replace(tzinfo=None)
        k = max((local - self.origin) // self.length, 0)
        while self.shift_start(k + 1) <= at:
            k += 1
        while k > 0 and self.shift_start(k) > at:
            k -= 1
        return k

    def on_call(self, at: datetime) -> tuple[int, User] | None:
        k = self.index_at(at)
        if k is None or not self.members:
            return None
        if self.holidays != Holidays.ANY_DAY:
            holiday = is_jp_holiday(at.astimezone(self.zone).date())
            if holiday != (self.holidays == Holidays.ONLY):
                return None
        return k, self.members[k % len(self.members)]

    def changes(self, start: datetime, end: datetime) -> set[datetime]:
        """Every instant in (start, end) where this layer's answer may change."""
        found: set[datetime] = set()
        k = self.index_at(start)
        k = 0 if k is None else k
        while (boundary := self.shift_start(k)) < end:
            if boundary > start:
                found.add(boundary)
            k += 1
        if self.holidays != Holidays.ANY_DAY:
            day = start.astimezone(self.zone).date()
            while (midnight := local_instant(datetime.combine(day, time()), self.zone)) < end:
                # A midnight repeated by a fall-back also changes the local date a second time.
                found |= {midnight, datetime.combine(day, time(fold=1), self.zone)}
                day += timedelta(days=1)
            found = {moment.astimezone(UTC) for moment in found if start < moment < end}
        return found


# Who is on call, and what makes it one continuous shift: ("layer", layer id, shift index)
# or ("override", override id).
Winner = tuple[User, str, tuple[str, int, int]]


@dataclass
class Plan:
    """A schedule's layers and overrides, loaded once, answering for any moment."""

    rotations: list[Rotation]
    overrides: list[Override] = field(default_factory=list)

    def winners(self, at: datetime) -> list[Winner]:
        covering = [o for o in self.overrides if o.starts_at <= at < o.ends_at]
        if covering:
            seen: set[int] = set()
            found: list[Winner] = []
            for override in covering:
                if override.user_id not in seen:
                    seen.add(override.user_id)
                    found.append((override.user, OVERRIDE, (OVERRIDE, override.pk, 0)))
            return found
        for rotation in reversed(self.rotations):
            hit = rotation.on_call(at)
            if hit is not None:
                k, user = hit
                return [(user, rotation.name, ("layer", rotation.layer_id, k))]
        return []

    def reach(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """A window around [start, end) that holds whole every shift running at its edges: a
        shift never outlasts its layer's turn or its override."""
        first, last = start, end
        for rotation in self.rotations:
            if (k := rotation.index_at(start)) is not None:
                first = min(first, rotation.shift_start(k))
            if (k := rotation.index_at(end)) is not None:
                last = max(last, rotation.shift_start(k + 1))
        for override in self.overrides:
            first, last = min(first, override.starts_at), max(last, override.ends_at)
        return first, last

    def timeline(self, start: datetime, end: datetime) -> list[Shift]:
        points = {start, end}
        for override in self.overrides:
            points |= {t for t in (override.starts_at, override.ends_at) if start < t < end}
        for rotation in self.rotations:
            points |= rotation.changes(start, end)
        shifts: list[Shift] = []
        # The shifts that reach the current instant, by (user, what makes them continuous).
        running: dict[tuple[int, tuple[str, int, int]], int] = {}
        for begin, finish in pairwise(sorted(points)):
            still: dict[tuple[int, tuple[str, int, int]], int] = {}
            for user, source, key in self.winners(begin):
                index = running.get((user.pk, key))
                if index is None:
                    index = len(shifts)
                    shifts.append(Shift(user, begin, finish, source))
                else:
                    shifts[index] = Shift(user, shifts[index].starts_at, finish, source)
                still[(user.pk, key)] = index
            running = still
        return shifts


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if start.tzinfo is None or end.tzinfo is None:
        msg = "schedule windows need time-zone-aware datetimes"
        raise ValueError(msg)
    return start.astimezone(UTC), end.astimezone(UTC)


def plans(schedules: Iterable[Schedule], start: datetime, end: datetime) -> dict[int, Plan]:
    """Each schedule's plan for [start, end), in three queries however many schedules."""
    start, end = _window(start, end)
    schedules = list(schedules)
    ids = [schedule.pk for schedule in schedules]
    zones = {schedule.pk: ZoneInfo(schedule.time_zone) for schedule in schedules}
    layers = Layer.objects.filter(schedule_id__in=ids).prefetch_related(
        Prefetch("members", LayerMember.objects.select_related("user").order_by("position"))
    )
    found = {pk: Plan(rotations=[]) for pk in ids}
    for layer in layers.order_by("schedule_id", "position", "id"):
        members = [member.user for member in layer.members.all()]
        found[layer.schedule_id].rotations.append(
            Rotation(layer, zones[layer.schedule_id], members)
        )
    overrides = Override.objects.filter(
        schedule_id__in=ids, starts_at__lt=end, ends_at__gt=start
    ).select_related("user")
    for override in overrides.order_by("starts_at", "id"):
        found[override.schedule_id].overrides.append(override)
    return found


def plan(schedule: Schedule, start: datetime, end: datetime) -> Plan:
    return plans([schedule], start, end)[schedule.pk]


def whole_timelines(
    schedules: Iterable[Schedule], start: datetime, end: datetime
) -> dict[int, list[Shift]]:
    """Each schedule's shifts that run at some moment of [start, end), whole: one under way at
    `start` keeps its real start and one still running at `end` its real end."""
    start, end = _window(start, end)
    schedules = list(schedules)
    reaches = {pk: found.reach(start, end) for pk, found in plans(schedules, start, end).items()}
    if not reaches:
        return {}
    # Load again over the widened window: overrides beyond [start, end) may cut those shifts.
    wide = plans(
        schedules,
        min(first for first, _last in reaches.values()),
        max(last for _first, last in reaches.values()),
    )
    return {
        pk: [
            shift
            for shift in wide[pk].timeline(*reaches[pk])
            if shift.starts_at < end and shift.ends_at > start
        ]
        for pk in reaches
    }


def users_on_call(schedule: Schedule, at: datetime) -> list[User]:
    """The people to page for this schedule at `at` (empty when nobody is on call)."""
    at = at.astimezone(UTC)
    return [user for user, _source, _key in plan(schedule, at, at + _INSTANT).winners(at)]


def shifts(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """The final timeline for [start, end): who is on call when, after overrides and layers."""
    start, end = _window(start, end)
    return plan(schedule, start, end).timeline(start, end)


def gaps_in(timeline: list[Shift], start: datetime, end: datetime) -> list[Gap]:
    """The stretches of [start, end) no shift covers."""
    gaps: list[Gap] = []
    covered_until = start
    for shift in sorted(timeline, key=lambda s: s.starts_at):
        if shift.starts_at > covered_until:
            gaps.append(Gap(covered_until, shift.starts_at))
        covered_until = max(covered_until, shift.ends_at)
    if covered_until < end:
        gaps.append(Gap(covered_until, end))
    return gaps


def coverage_gaps(schedule: Schedule, start: datetime, end: datetime) -> list[Gap]:
    start, end = _window(start, end)
    return gaps_in(shifts(schedule, start, end), start, end)


def unreachable_in(timeline: list[Shift]) -> list[User]:
    """People on call in the timeline who have no notification rule, so paging reaches
    nobody: an e-mail address on the account is not a rule and does not count."""
    people: dict[int, User] = {}
    for shift in timeline:
        people.setdefault(shift.user.pk, shift.user)
    rules = rules_by_user(people.keys())
    return [user for pk, user in people.items() if not rules.get(pk)]


def unreachable_users(schedule: Schedule, start: datetime, end: datetime) -> list[User]:
    return unreachable_in(shifts(schedule, start, end))

"""The shift calendar of one schedule: a week or a month of days in the schedule's time zone,
each with the shifts that run on it. Reads only; who is on call comes from rotation.py."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kizuki.schedules import rotation
from kizuki.schedules.models import Schedule

WEEK = "week"
MONTH = "month"
VIEWS = (WEEK, MONTH)


@dataclass(frozen=True)
class Entry:
    """A shift as one day shows it. A shift longer than the day appears on each of its days;
    only its first appearance in the view offers to take or swap it."""

    shift: rotation.Shift
    starts_today: bool
    ends_today: bool
    first_in_view: bool
    is_override: bool
    is_over: bool


@dataclass(frozen=True)
class Day:
    day: date
    entries: list[Entry]
    in_period: bool  # a month view pads the first and last weeks with days of other months
    is_today: bool


@dataclass(frozen=True)
class Period:
    view: str
    first: date  # the first day of the week or month shown
    days: list[Day]
    previous: date
    next: date
    today: date

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]


def read_anchor(text: str | None, today: date) -> date:
    """The day a calendar URL asks for (YYYY-MM-DD); anything else, or a date far off, is today."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return today
    return day if 1970 <= day.year <= 2999 else today


def period(schedule: Schedule, view: str, anchor: date | None, now: datetime) -> Period:
    zone = ZoneInfo(schedule.time_zone)
    today = now.astimezone(zone).date()
    anchor = anchor or today
    if view == MONTH:
        first = anchor.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        previous, following = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
    else:
        view = WEEK
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    # Whole weeks, Monday to Sunday.
    shown_from = first - timedelta(days=first.weekday())
    shown_until = last + timedelta(days=6 - last.weekday())
    count = (shown_until - shown_from).days + 1
    days = [shown_from + timedelta(days=n) for n in range(count)]
    bounds = [_midnight(day, zone) for day in [*days, shown_until + timedelta(days=1)]]
    timeline = rotation.whole_timelines([schedule], bounds[0], bounds[-1])[schedule.pk]
    seen: set[tuple[datetime, datetime, int]] = set()
    found = []
    for day, begin, end in zip(days, bounds, bounds[1:], strict=False):
        entries = []
        for shift in timeline:
            if shift.starts_at < end and shift.ends_at > begin:
                key = (shift.starts_at, shift.ends_at, shift.user.pk)
                entries.append(
                    Entry(
                        shift=shift,
                        starts_today=shift.starts_at >= begin,
                        ends_today=shift.ends_at <= end,
                        first_in_view=key not in seen,
                        is_override=shift.source == rotation.OVERRIDE,
                        is_over=shift.ends_at <= now,
                    )
                )
                seen.add(key)
        in_period = first <= day <= last
        found.append(Day(day, entries, in_period, day == today))
    return Period(view, first, found, previous, following, today)


def find_shift(schedule: Schedule, starts_at: datetime, ends_at: datetime) -> rotation.Shift | None:
    """The shift that runs exactly from starts_at until ends_at, as the calendar shows it."""
    timeline = rotation.whole_timelines([schedule], starts_at, ends_at)[schedule.pk]
    return next(
        (shift for shift in timeline if (shift.starts_at, shift.ends_at) == (starts_at, ends_at)),
        None,
    )


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return rotation.local_instant(datetime.combine(day, time()), zone)

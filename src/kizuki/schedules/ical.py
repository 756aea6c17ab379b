"""iCalendar feeds of on-call shifts, for a schedule or for one person, and the secret
addresses calendar apps subscribe to."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.schedules import queries
from kizuki.schedules.models import CalendarFeed, Schedule
from kizuki.schedules.rotation import OVERRIDE, Shift


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _calendar(title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Kizuki//On-call schedules//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    return calendar


def _event(schedule: Schedule, shift: Shift, summary: str) -> Event:
    event = Event()
    # Stable per shift, so a refreshed feed updates events instead of duplicating them.
    event.add("uid", f"{schedule.pk}-{shift.user.pk}-{shift.starts_at:%Y%m%dT%H%M%SZ}@kizuki")
    event.add("dtstamp", clock.now().astimezone(UTC))
    event.add("dtstart", shift.starts_at.astimezone(UTC))
    event.add("dtend", shift.ends_at.astimezone(UTC))
    event.add("summary", summary)
    source = _("override") if shift.source == OVERRIDE else shift.source
    event.add(
        "description",
        _("%(user)s is on call for %(schedule)s (%(source)s).")
        % {"user": display_name(shift.user), "schedule": schedule.name, "source": source},
    )
    return event


def schedule_feed(schedule: Schedule, shifts: list[Shift]) -> bytes:
    """One event per shift, titled with the person on call."""
    calendar = _calendar(_("On call: %(schedule)s") % {"schedule": schedule.name})
    for shift in shifts:
        calendar.add_component(_event(schedule, shift, display_name(shift.user)))
    return bytes(calendar.to_ical())


def person_feed(person: User, entries: list[tuple[Schedule, Shift]]) -> bytes:
    """One event per shift the person works, titled with the schedule."""
    calendar = _calendar(_("On call: %(user)s") % {"user": display_name(person)})
    for schedule, shift in entries:
        summary = _("On call: %(schedule)s") % {"schedule": schedule.name}
        calendar.add_component(_event(schedule, shift, summary))
    return bytes(calendar.to_ical())


def schedule_calendar(schedule: Schedule) -> bytes:
    """A schedule's feed: the shift under way and every one starting in the next 60 days,
    each whole."""
    return schedule_feed(schedule, queries.calendar_shifts(schedule, clock.now()))


def person_calendar(person: User) -> bytes:
    return person_feed(person, queries.calendar_shifts_of(person, clock.now()))


def subscription_url(feed: CalendarFeed) -> str:
    """The address a calendar app subscribes to: the secret is all it needs."""
    return settings.KIZUKI_BASE_URL + reverse("calendar-feed", kwargs={"token": feed.token})

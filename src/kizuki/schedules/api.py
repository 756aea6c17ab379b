"""REST endpoints for on-call schedules: thin wrappers that authorise, call an action or a
query, and serialise."""

from datetime import datetime
from math import ceil

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from kizuki.accounts.queries import get_team, get_user
from kizuki.core import clock
from kizuki.core.errors import InvalidInput
from kizuki.schedules import actions, ical, queries
from kizuki.schedules.access import (
    Need,
    access_override,
    access_person_calendar,
    access_schedule,
    can_edit_schedules,
    can_read_schedules,
)
from kizuki.schedules.models import CalendarFeed, Schedule
from kizuki.schedules.queries import PREVIEW
from kizuki.schedules.rotation import shifts, users_on_call
from kizuki.schedules.schemas import (
    CalendarUrlOut,
    LayersIn,
    OnCallOut,
    OverrideIn,
    OverrideOut,
    ScheduleIn,
    ScheduleOut,
    SchedulePage,
    WarningsOut,
    override_out,
    problem_out,
    schedule_out,
    schedule_summary,
)

router = Router(tags=["schedules"])
CALENDAR_TYPE = "text/calendar; charset=utf-8"


class ScheduleListQuery(Schema):
    page: int = 1
    page_size: int = 50


class OnCallQuery(Schema):
    at: datetime | None = None


def _full(schedule: Schedule) -> ScheduleOut:
    now = clock.now()
    return schedule_out(
        schedule,
        users_on_call(schedule, now),
        queries.current_overrides(schedule, now),
        shifts(schedule, now, now + PREVIEW),
    )


def _calendar(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.post("/schedules", response={201: ScheduleOut})
def create(request: HttpRequest, body: ScheduleIn) -> Status[ScheduleOut]:
    user = can_edit_schedules(request.user)
    schedule = actions.create_schedule(
        user,
        body.name,
        body.time_zone,
        [layer.to_input() for layer in body.layers],
        team=get_team(body.team) if body.team else None,
        description=body.description,
    )
    return Status(201, _full(queries.get_schedule(schedule.pk)))


@router.get("/schedules", response=SchedulePage)
def list_schedules(request: HttpRequest, paging: Query[ScheduleListQuery]) -> SchedulePage:
    can_read_schedules(request.user)
    size = min(max(paging.page_size, 1), queries.PAGE_SIZE_MAX)
    page = max(paging.page, 1)
    found = queries.schedules()
    count = found.count()
    start = (page - 1) * size
    items = found[start : start + size] if start < count else []
    return SchedulePage(
        items=[schedule_summary(s) for s in items], count=count, page=page, pages=ceil(count / size)
    )


@router.get("/schedules/{schedule_id}", response=ScheduleOut)
def show(request: HttpRequest, schedule_id: int) -> ScheduleOut:
    _user, schedule = access_schedule(request.user, schedule_id)
    return _full(schedule)


@router.delete("/schedules/{schedule_id}", response={204: None})
def delete(request: HttpRequest, schedule_id: int) -> Status[None]:
    """Refused (409, naming them) while escalation policies page the schedule."""
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    actions.delete_schedule(user, schedule)
    return Status(204, None)


@router.put("/schedules/{schedule_id}/layers", response=ScheduleOut)
def replace_layers(request: HttpRequest, schedule_id: int, body: LayersIn) -> ScheduleOut:
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    actions.replace_layers(user, schedule, [layer.to_input() for layer in body.layers])
    return _full(queries.get_schedule(schedule_id))


@router.post("/schedules/{schedule_id}/overrides", response={201: OverrideOut})
def add_override(request: HttpRequest, schedule_id: int, body: OverrideIn) -> Status[OverrideOut]:
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    override = actions.add_override(
        user,
        schedule,
        get_user(body.user),
        body.starts_at,
        body.ends_at,
    )
    return Status(201, override_out(override))


@router.delete("/schedules/{schedule_id}/overrides/{override_id}", response={204: None})
def remove_override(request: HttpRequest, schedule_id: int, override_id: int) -> Status[None]:
    user, override = access_override(request.user, schedule_id, override_id)
    actions.remove_override(user, override)
    return Status(204, None)


@router.get("/schedules/{schedule_id}/oncall", response=OnCallOut)
def on_call(request: HttpRequest, schedule_id: int, query: Query[OnCallQuery]) -> OnCallOut:
    _user, schedule = access_schedule(request.user, schedule_id)
    at = query.at or clock.now()
    if at.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone, e.g. 2026-11-25T10:00:00+09:00."))
    if not 1970 <= at.year <= 2999:
        raise InvalidInput(_("Ask about a time between 1970 and 2999."))
    return OnCallOut(at=at, users=[user.username for user in users_on_call(schedule, at)])


@router.get("/schedules/{schedule_id}/warnings", response=WarningsOut)
def warnings(request: HttpRequest, schedule_id: int) -> WarningsOut:
    _user, schedule = access_schedule(request.user, schedule_id)
    start = clock.now()
    end = start + PREVIEW
    found = queries.problems(schedule, start, end)
    return WarningsOut(starts_at=start, ends_at=end, warnings=[problem_out(p) for p in found])


@router.get("/schedules/{schedule_id}/ical", url_name="schedule-ical")
def schedule_calendar(request: HttpRequest, schedule_id: int) -> HttpResponse:
    _user, schedule = access_schedule(request.user, schedule_id)
    return _calendar(ical.schedule_calendar(schedule), f"schedule-{schedule.pk}.ics")


@router.get("/users/{username}/ical", url_name="person-ical")
def person_calendar(request: HttpRequest, username: str) -> HttpResponse:
    can_read_schedules(request.user)
    person = queries.get_person(username)
    return _calendar(ical.person_calendar(person), f"{person.username}.ics")


def _url_out(feed: CalendarFeed) -> CalendarUrlOut:
    return CalendarUrlOut(url=ical.subscription_url(feed), created_at=feed.created_at)


@router.get("/schedules/{schedule_id}/ical-url", response=CalendarUrlOut)
def schedule_calendar_url(request: HttpRequest, schedule_id: int) -> CalendarUrlOut:
    """The secret address calendar apps subscribe to; anyone who can read the schedule sees it."""
    _user, schedule = access_schedule(request.user, schedule_id)
    return _url_out(actions.calendar_feed(schedule=schedule))


@router.post("/schedules/{schedule_id}/ical-url/rotate", response=CalendarUrlOut)
def rotate_schedule_calendar_url(request: HttpRequest, schedule_id: int) -> CalendarUrlOut:
    """A new secret address; the old one answers 404 from now on."""
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    return _url_out(actions.rotate_calendar_feed(user, schedule=schedule))


@router.get("/users/{username}/ical-url", response=CalendarUrlOut)
def person_calendar_url(request: HttpRequest, username: str) -> CalendarUrlOut:
    """The person's own secret address; only they and admins see it."""
    _user, person = access_person_calendar(request.user, username)
    return _url_out(actions.calendar_feed(person=person))


@router.post("/users/{username}/ical-url/rotate", response=CalendarUrlOut)
def rotate_person_calendar_url(request: HttpRequest, username: str) -> CalendarUrlOut:
    user, person = access_person_calendar(request.user, username)
    return _url_out(actions.rotate_calendar_feed(user, person=person))

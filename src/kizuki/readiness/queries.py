"""Reads for readiness: a team's gaps (on-call people a page cannot reach, times nobody is on
call, areas without an owner or deputies, no recent drill or test page, an unread
read-through), its last drill and test page, and read-throughs with who read them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.areas import queries as area_queries
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.drills import queries as drill_queries
from kizuki.drills.models import Drill, TestPage
from kizuki.readiness.models import Reading, ReadThrough
from kizuki.schedules import queries as schedule_queries
from kizuki.schedules.models import Schedule

# How far ahead the schedules are checked for times nobody is on call.
SCHEDULE_HORIZON = timedelta(days=14)
# A team that has not drilled (sent a test page) for this long has a gap.
DRILL_MAX_AGE = timedelta(days=180)
TEST_PAGE_MAX_AGE = timedelta(days=30)


class Code:
    """The stable gap codes (documented in docs/readiness.md)."""

    NO_SCHEDULE = "no_schedule"
    SCHEDULE_GAP = "schedule_gap"
    ONCALL_UNREACHABLE = "oncall_unreachable"
    ONCALL_EMAIL_ONLY = "oncall_email_only"
    AREA_WITHOUT_OWNER = "area_without_owner"
    AREA_WITHOUT_DEPUTIES = "area_without_deputies"
    NO_RECENT_DRILL = "no_recent_drill"
    NO_RECENT_TEST_PAGE = "no_recent_test_page"
    READ_THROUGH_UNREAD = "read_through_unread"


@dataclass
class Gap:
    code: str
    message: str
    link: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadThroughState:
    """A read-through with who of its team read it (and when) and who has not yet."""

    read_through: ReadThrough
    readings: list[Reading]
    not_read: list[User]

    def has_read(self, person: User) -> bool:
        return any(reading.user_id == person.pk for reading in self.readings)


@dataclass
class Readiness:
    team: Team | None
    at: datetime
    gaps: list[Gap]
    last_drill: Drill | None
    last_test_page: TestPage | None
    read_through: ReadThroughState | None


def teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def get_team(slug: str) -> Team:
    """The team a filter names; an unknown one is a bad filter (400), as in the other apps."""
    found = Team.objects.filter(slug=slug).first()
    if found is None:
        raise InvalidInput(_("No team %(team)s.") % {"team": slug})
    return found


def team_of(person: User) -> Team | None:
    """The team a person looks at by default: their first team (by name)."""
    return Team.objects.filter(members=person).order_by("name").first()


def _name(person: User) -> str:
    return person.get_full_name() or person.username


def _schedules(team: Team | None) -> list[Schedule]:
    found = schedule_queries.schedules()
    return list(found.filter(team=team) if team is not None else found)


def _schedule_gaps(team: Team | None, at: datetime, viewer: User | None) -> list[Gap]:
    found = _schedules(team)
    if not found:
        return [
            Gap(
                Code.NO_SCHEDULE,
                _("The team has no on-call schedule: nobody is paged for its services.")
                if team is not None
                else _("There is no on-call schedule: nobody is paged."),
                reverse("schedule-new"),
            )
        ]
    gaps: list[Gap] = []
    unreachable: dict[int, tuple[User, list[Schedule]]] = {}
    problems = schedule_queries.problems_of(found, at, at + SCHEDULE_HORIZON)
    for schedule in found:
        link = reverse("schedule-detail", args=[schedule.pk])
        for problem in problems[schedule.pk]:
            if problem.kind == "gap" and problem.starts_at and problem.ends_at:
                gaps.append(
                    Gap(
                        Code.SCHEDULE_GAP,
                        _("%(schedule)s: nobody is on call from %(start)s to %(end)s (%(zone)s).")
                        % {
                            "schedule": schedule.name,
                            "start": schedule_queries.local(problem.starts_at, schedule),
                            "end": schedule_queries.local(problem.ends_at, schedule),
                            "zone": schedule.time_zone,
                        },
                        link,
                        {
                            "schedule": schedule.name,
                            "schedule_id": schedule.pk,
                            "starts_at": problem.starts_at,
                            "ends_at": problem.ends_at,
                        },
                    )
                )
            elif problem.kind == "unreachable" and problem.user is not None:
                unreachable.setdefault(problem.user.pk, (problem.user, []))[1].append(schedule)
    for person, where in unreachable.values():
        names = ", ".join(schedule.name for schedule in where)
        values = {"user": _name(person), "schedules": names}
        own = viewer is not None and viewer.pk == person.pk
        link = (
            reverse("notification-rules") if own else reverse("schedule-detail", args=[where[0].pk])
        )
        details = {"user": person.username, "schedules": [schedule.name for schedule in where]}
        if person.is_active and person.email:
            gaps.append(
                Gap(
                    Code.ONCALL_EMAIL_ONLY,
                    _(
                        "%(user)s is on call (%(schedules)s) without a notification rule: pages"
                        " reach them only by e-mail, easy to miss at night."
                    )
                    % values,
                    link,
                    details,
                )
            )
        else:
            gaps.append(
                Gap(
                    Code.ONCALL_UNREACHABLE,
                    _(
                        "%(user)s is on call (%(schedules)s) but no page can reach them: no"
                        " notification rule and no e-mail address."
                    )
                    % values,
                    link,
                    details,
                )
            )
    return gaps


def _areas(team: Team | None) -> tuple[list[Any], list[Any]]:
    """The areas without an owner and without deputies: the team's own areas and those of no
    team (the whole organisation's)."""

    def mine(area: Any) -> bool:
        return team is None or area.team_id in (None, team.pk)

    return (
        [a for a in area_queries.areas_without_owner() if mine(a)],
        [a for a in area_queries.areas_without_deputies() if mine(a)],
    )


def _area_gaps(team: Team | None) -> list[Gap]:
    without_owner, without_deputies = _areas(team)
    gaps = []
    for area in without_owner:
        gaps.append(
            Gap(
                Code.AREA_WITHOUT_OWNER,
                _("Nobody owns the area %(area)s.") % {"area": area.name},
                reverse("areas-settings") + f"#edit-area-{area.pk}",
                {"area": area.slug},
            )
        )
    for area in without_deputies:
        gaps.append(
            Gap(
                Code.AREA_WITHOUT_DEPUTIES,
                _("The area %(area)s has no deputy to stand in for its owner.")
                % {"area": area.name},
                reverse("areas-settings") + f"#edit-area-{area.pk}",
                {"area": area.slug},
            )
        )
    return gaps


def _practice_gaps(at: datetime, drill: Drill | None, test_page: TestPage | None) -> list[Gap]:
    gaps = []
    if drill is None or drill.started_at < at - DRILL_MAX_AGE:
        gaps.append(
            Gap(
                Code.NO_RECENT_DRILL,
                _("No drill in the last %(days)s days.") % {"days": DRILL_MAX_AGE.days},
                reverse("drills"),
                {"days": DRILL_MAX_AGE.days},
            )
        )
    if test_page is None or test_page.sent_at < at - TEST_PAGE_MAX_AGE:
        gaps.append(
            Gap(
                Code.NO_RECENT_TEST_PAGE,
                _("No test page in the last %(days)s days.") % {"days": TEST_PAGE_MAX_AGE.days},
                reverse("drills") + "#test-pages",
                {"days": TEST_PAGE_MAX_AGE.days},
            )
        )
    return gaps


def _read_through_gaps(state: ReadThroughState | None) -> list[Gap]:
    if state is None or not state.not_read:
        return []
    item = state.read_through
    names = ", ".join(_name(person) for person in state.not_read)
    return [
        Gap(
            Code.READ_THROUGH_UNREAD,
            _("%(names)s have not yet read “%(name)s” (before %(start)s).")
            % {"names": names, "name": item.name, "start": item.starts_on.isoformat()},
            reverse("readiness") + f"#read-through-{item.pk}",
            {"read_through": item.pk, "users": [person.username for person in state.not_read]},
        )
    ]


def readiness(team: Team | None, at: datetime, viewer: User | None = None) -> Readiness:
    """Everything the readiness page shows for `team` (None: the whole organisation) at `at`."""
    drill = drill_queries.last_drill(team, viewer)
    test_page = drill_queries.last_test_page(team)
    state = current_read_through(team, at.date())
    gaps = (
        _schedule_gaps(team, at, viewer)
        + _area_gaps(team)
        + _practice_gaps(at, drill, test_page)
        + _read_through_gaps(state)
    )
    return Readiness(team, at, gaps, drill, test_page, state)


# Read-throughs ----------------------------------------------------------------------------


def read_throughs(team: Team | None = None) -> QuerySet[ReadThrough]:
    found = ReadThrough.objects.select_related("team", "created_by").prefetch_related(
        "readings__user"
    )
    if team is not None:
        found = found.filter(Q(team=team) | Q(team__isnull=True))
    return found


def get_read_through(read_through_id: int) -> ReadThrough:
    found = read_throughs().filter(pk=read_through_id).first()
    if found is None:
        raise NotFound(_("No read-through %(id)s.") % {"id": read_through_id})
    return found


def readers(read_through: ReadThrough) -> list[User]:
    """Who should read it: the team's members (everyone active without a team)."""
    if read_through.team_id is not None:
        found = User.objects.filter(teams__pk=read_through.team_id, is_active=True)
    else:
        found = User.objects.filter(is_active=True)
    return list(found.order_by("username").distinct())


def state_of(read_through: ReadThrough) -> ReadThroughState:
    readings = sorted(read_through.readings.all(), key=lambda r: (r.read_at, r.pk))
    done = {reading.user_id for reading in readings}
    return ReadThroughState(
        read_through, readings, [p for p in readers(read_through) if p.pk not in done]
    )


def current_read_through(team: Team | None, today: date) -> ReadThroughState | None:
    """The read-through for the team's next (or running) peak period: the earliest one not over
    yet; the team's own before the organisation's."""
    found = read_throughs(team).filter(ends_on__gte=today).order_by("starts_on", "id")
    chosen = (found.filter(team=team).first() if team is not None else None) or found.first()
    return state_of(chosen) if chosen is not None else None


def upcoming_read_throughs(team: Team | None, today: date) -> list[ReadThroughState]:
    found = read_throughs(team).filter(ends_on__gte=today).order_by("starts_on", "id")
    return [state_of(item) for item in found]


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidInput(_("The period must end on or after the day it starts."))

"""API shapes for on-call schedules. Times are ISO 8601 in UTC; the schedule's zone says how
its hand-offs fall locally."""

from datetime import UTC, date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kizuki.accounts.models import User
from kizuki.schedules.actions import LayerInput, format_shift_length
from kizuki.schedules.models import Layer, Override, Schedule
from kizuki.schedules.queries import Problem
from kizuki.schedules.rotation import Shift


class LayerIn(Schema):
    users: list[str] = Field(description="Usernames in rotation order.")
    shift_length: str = Field(max_length=20, description='e.g. "12h", "1d", "1w", "90m".')
    handoff_time: str = Field(default="09:00", max_length=8, description="Local HH:MM.")
    start: str = Field(
        default="",
        max_length=40,
        description="YYYY-MM-DD (or an ISO date-time: its local date); empty means today.",
    )
    name: str = Field(default="", max_length=200)
    holidays: Literal["any", "skip", "only"] = "any"

    def to_input(self) -> LayerInput:
        return LayerInput(
            users=self.users,
            shift_length=self.shift_length,
            handoff_time=self.handoff_time,
            start=self.start,
            name=self.name,
            holidays=self.holidays,
        )


class ScheduleIn(Schema):
    name: str = Field(max_length=200)
    time_zone: str = Field(default="Asia/Tokyo", max_length=64)
    layers: list[LayerIn]
    team: str | None = None
    description: str = ""


class LayersIn(Schema):
    layers: list[LayerIn]


class OverrideIn(Schema):
    user: str
    starts_at: datetime
    ends_at: datetime


class LayerOut(Schema):
    id: int
    position: int
    name: str
    users: list[str]
    shift_length: str
    shift_seconds: int
    handoff_time: str
    start: date
    holidays: str


class ShiftOut(Schema):
    user: str
    name: str
    starts_at: datetime
    ends_at: datetime
    source: str


class OverrideOut(Schema):
    id: int
    user: str
    starts_at: datetime
    ends_at: datetime
    created_by: str | None


class ScheduleSummary(Schema):
    id: int
    name: str
    time_zone: str
    team: str | None
    description: str
    layers: list[LayerOut]


class ScheduleOut(ScheduleSummary):
    on_call: list[str]
    overrides: list[OverrideOut]
    preview: list[ShiftOut]


class SchedulePage(Schema):
    items: list[ScheduleSummary]
    count: int
    page: int
    pages: int


class OnCallOut(Schema):
    at: datetime
    users: list[str]


class ProblemOut(Schema):
    kind: str
    detail: str
    starts_at: datetime | None
    ends_at: datetime | None
    user: str | None


class WarningsOut(Schema):
    starts_at: datetime
    ends_at: datetime
    warnings: list[ProblemOut]


class CalendarUrlOut(Schema):
    url: str = Field(description="Secret: calendar apps subscribe with it, no token needed.")
    created_at: datetime


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def layer_out(layer: Layer) -> LayerOut:
    return LayerOut(
        id=layer.pk,
        position=layer.position,
        name=layer.name,
        users=[member.user.username for member in layer.members.all()],
        shift_length=format_shift_length(layer.shift_seconds),
        shift_seconds=layer.shift_seconds,
        handoff_time=layer.handoff_time.strftime("%H:%M"),
        start=layer.start,
        holidays=layer.holidays,
    )


def shift_out(shift: Shift) -> ShiftOut:
    return ShiftOut(
        user=shift.user.username,
        name=_name(shift.user),
        starts_at=_utc(shift.starts_at),
        ends_at=_utc(shift.ends_at),
        source=shift.source,
    )


def override_out(override: Override) -> OverrideOut:
    return OverrideOut(
        id=override.pk,
        user=override.user.username,
        starts_at=_utc(override.starts_at),
        ends_at=_utc(override.ends_at),
        created_by=override.created_by.username if override.created_by else None,
    )


def schedule_summary(schedule: Schedule) -> ScheduleSummary:
    return ScheduleSummary(
        id=schedule.pk,
        name=schedule.name,
        time_zone=schedule.time_zone,
        team=schedule.team.slug if schedule.team else None,
        description=schedule.description,
        layers=[layer_out(layer) for layer in schedule.layers.all()],
    )


def schedule_out(
    schedule: Schedule, on_call: list[User], overrides: list[Override], preview: list[Shift]
) -> ScheduleOut:
    return ScheduleOut(
        **schedule_summary(schedule).model_dump(),
        on_call=[user.username for user in on_call],
        overrides=[override_out(override) for override in overrides],
        preview=[shift_out(shift) for shift in preview],
    )


def problem_out(problem: Problem) -> ProblemOut:
    return ProblemOut(
        kind=problem.kind,
        detail=problem.message,
        starts_at=_utc(problem.starts_at) if problem.starts_at else None,
        ends_at=_utc(problem.ends_at) if problem.ends_at else None,
        user=problem.user.username if problem.user else None,
    )

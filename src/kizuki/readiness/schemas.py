"""What the readiness, read-through and looking-after-responders API takes and answers."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import INT_MAX, utc
from kizuki.drills import queries as drill_queries
from kizuki.drills.models import Drill, TestPage
from kizuki.readiness import care_queries, queries
from kizuki.readiness.models import BreakReminder, CareSetting, WorkItem

MINUTES_MAX = 7 * 24 * 60


class ReadinessQuery(Schema):
    team: str | None = Field(
        None, description="The team's slug; left out: the reader's team (else everyone's)."
    )


class TeamOut(Schema):
    slug: str
    name: str


class GapOut(Schema):
    code: str = Field(description="Stable: see docs/readiness.md.")
    message: str = Field(description="In the reader's language.")
    link: str = Field(description="The page where the gap is fixed.")
    schedule: str | None = None
    schedule_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    user: str | None = None
    schedules: list[str] | None = None
    area: str | None = None
    days: int | None = None
    read_through: int | None = None
    users: list[str] | None = None


class LastDrillOut(Schema):
    incident: str | None = Field(
        description="The drill's incident number, e.g. INC-12; null when it is private and"
        " the caller is not on it."
    )
    title: str
    started_at: datetime


class LastTestPageOut(Schema):
    target: str
    target_type: str
    sent_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    seconds_to_acknowledge: int | None


class ReadingOut(Schema):
    user: str
    read_at: datetime


class ReadThroughOut(Schema):
    id: int
    name: str
    period: str = Field(description='"golden_week", "summer", "year_end" or "custom".')
    starts_on: date
    ends_on: date
    team: str | None
    items: list[str]
    read_by: list[ReadingOut]
    not_read: list[str] = Field(description="Members of the team who have not read it.")


class ReadinessOut(Schema):
    team: TeamOut | None
    at: datetime
    gaps: list[GapOut]
    last_drill: LastDrillOut | None
    last_test_page: LastTestPageOut | None
    read_through: ReadThroughOut | None


class ReadThroughIn(Schema):
    name: str = Field("", description="Empty: the period's name (not for a custom period).")
    period: str = Field("custom", description='"golden_week", "summer", "year_end" or "custom".')
    starts_on: date
    ends_on: date
    team: str | None = Field(None, description="The team's slug; null: everyone.")
    items: list[str] = Field(description="What to read, in order (at most 50).")


class ReadThroughQuery(Schema):
    team: str | None = None
    upcoming: bool = Field(False, description="Only those whose period is not over.")


class CareSettingIn(Schema):
    severity: int | None = Field(
        None, ge=0, le=INT_MAX, description="The severity level; null: every other severity."
    )
    enabled: bool = True
    after_minutes: int = Field(180, ge=1, le=MINUTES_MAX)
    every_minutes: int = Field(180, ge=1, le=MINUTES_MAX)


class CareSettingOut(Schema):
    severity: int | None
    enabled: bool
    after_minutes: int
    every_minutes: int


class ReminderOut(Schema):
    number: int
    sent_at: datetime
    reminded: list[str]
    proposed: str | None


class HandoffOut(Schema):
    user: str
    source: str = Field(description='"on_call" or "area" (the system area\'s chain).')


class CareOut(Schema):
    running_since: datetime
    enabled: bool
    after_minutes: int
    every_minutes: int
    next_reminder_at: datetime | None
    reminders: list[ReminderOut]
    handoff: HandoffOut | None = Field(description="Proposed once the incident is long.")


class HandoffIn(Schema):
    user: str = Field(description="Who takes over the commander role.")


class WorkItemIn(Schema):
    text: str
    today: bool = Field(True, description="It must be done today.")


class WorkItemPatch(Schema):
    today: bool | None = None
    done: bool | None = None


class WorkItemOut(Schema):
    id: int
    text: str
    today: bool
    done: bool
    followup: int | None = Field(description="The follow-up it was moved to.")


class MoveIn(Schema):
    due_date: date | None = Field(None, description="Null: the severity policy's due date.")


class MovedOut(Schema):
    followups: list[int]


def drill_out(drill: Drill | None) -> LastDrillOut | None:
    if drill is None:
        return None
    return LastDrillOut(
        incident=None if drill_queries.incident_hidden(drill) else drill.incident.ref,
        title=drill.scenario_title,
        started_at=drill.started_at,
    )


def test_page_out(found: TestPage | None) -> LastTestPageOut | None:
    if found is None:
        return None
    return LastTestPageOut(
        target=found.target_name,
        target_type=found.target_type,
        sent_at=found.sent_at,
        acknowledged_at=utc(found.acknowledged_at),
        acknowledged_by=found.acknowledged_by.username if found.acknowledged_by else None,
        seconds_to_acknowledge=drill_queries.seconds_to_acknowledge(found),
    )


def read_through_out(state: queries.ReadThroughState) -> ReadThroughOut:
    item = state.read_through
    return ReadThroughOut(
        id=item.pk,
        name=item.name,
        period=item.period,
        starts_on=item.starts_on,
        ends_on=item.ends_on,
        team=item.team.slug if item.team else None,
        items=[str(text) for text in item.items],
        read_by=[ReadingOut(user=r.user.username, read_at=r.read_at) for r in state.readings],
        not_read=[person.username for person in state.not_read],
    )


def readiness_out(found: queries.Readiness) -> ReadinessOut:
    return ReadinessOut(
        team=TeamOut(slug=found.team.slug, name=found.team.name) if found.team else None,
        at=found.at,
        gaps=[
            GapOut(code=gap.code, message=gap.message, link=gap.link, **gap.details)
            for gap in found.gaps
        ],
        last_drill=drill_out(found.last_drill),
        last_test_page=test_page_out(found.last_test_page),
        read_through=read_through_out(found.read_through) if found.read_through else None,
    )


def care_setting_out(row: CareSetting) -> CareSettingOut:
    return CareSettingOut(
        severity=row.severity.level if row.severity else None,
        enabled=row.enabled,
        after_minutes=row.after_minutes,
        every_minutes=row.every_minutes,
    )


def reminder_out(row: BreakReminder) -> ReminderOut:
    return ReminderOut(
        number=row.number,
        sent_at=row.sent_at,
        reminded=list(row.reminded),
        proposed=row.proposed or None,
    )


def work_item_out(item: WorkItem) -> WorkItemOut:
    return WorkItemOut(
        id=item.pk,
        text=item.text,
        today=item.today,
        done=item.done_at is not None,
        followup=item.followup_id,
    )


def care_out(
    care: care_queries.Care,
    since: datetime,
    next_at: datetime | None,
    reminders: list[BreakReminder],
    proposal: care_queries.Handoff | None,
) -> CareOut:
    return CareOut(
        running_since=since,
        enabled=care.enabled,
        after_minutes=int(care.after.total_seconds() // 60),
        every_minutes=int(care.every.total_seconds() // 60),
        next_reminder_at=next_at,
        reminders=[reminder_out(row) for row in reminders],
        handoff=HandoffOut(user=proposal.user.username, source=proposal.source)
        if proposal
        else None,
    )

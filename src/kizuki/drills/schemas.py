"""What the drills API takes and answers."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import INT_MAX, PageOut, utc
from kizuki.drills import queries
from kizuki.drills.models import Drill, InjectedEvent, Scenario, TestPage


class FakeAlert(Schema):
    title: str = Field(max_length=200)
    details: str = Field("", max_length=2000)


class TimedEvent(Schema):
    offset_minutes: int = Field(ge=0, le=7 * 24 * 60, description="Minutes after the start.")
    kind: Literal["note", "severity", "alert"] = Field(
        description="note: a symptom on the timeline; severity: change it; alert: a fake alert."
    )
    text: str = Field("", max_length=2000)
    severity: int | None = Field(None, ge=0, le=INT_MAX, description="For kind severity.")


class ScenarioIn(Schema):
    title: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    severity: int = Field(ge=0, le=INT_MAX)
    team: str | None = Field(None, description="The team's slug.")
    services: list[str] = Field(default_factory=list, description="Service slugs.")
    fake_alerts: list[FakeAlert] = Field(default_factory=list, max_length=20)
    events: list[TimedEvent] = Field(default_factory=list, max_length=50)


class ScenarioPatch(Schema):
    """Only the fields sent change; lists replace the whole list; team null clears it."""

    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    severity: int | None = Field(None, ge=0, le=INT_MAX)
    team: str | None = None
    services: list[str] | None = None
    fake_alerts: list[FakeAlert] | None = Field(None, max_length=20)
    events: list[TimedEvent] | None = Field(None, max_length=50)


class ScenarioOut(Schema):
    id: int
    title: str
    description: str
    severity: int
    team: str | None
    services: list[str]
    fake_alerts: list[FakeAlert]
    events: list[TimedEvent]


class DrillIn(Schema):
    scenario: int = Field(ge=0, le=INT_MAX)


class InjectedOut(Schema):
    offset_minutes: int
    kind: str
    text: str
    severity: int | None
    due_at: datetime
    done_at: datetime | None
    outcome: str


class DrillOut(Schema):
    id: int
    number: str | None = Field(
        description="The drill incident's number, e.g. INC-12; null when it is private and"
        " the caller is not on it."
    )
    incident_status: str | None
    scenario: int | None
    title: str
    team: str | None
    started_by: str | None
    started_at: datetime
    injected: list[InjectedOut]


class DrillPage(PageOut[DrillOut]):
    pass


class TestPageTargetIn(Schema):
    type: Literal["user", "schedule", "policy"]
    id: Annotated[int, Field(ge=0, le=INT_MAX)] | Annotated[str, Field(max_length=150)] = Field(
        description="A user's id or username; a schedule's or policy's id."
    )


class TestPageIn(Schema):
    target: TestPageTargetIn


class DrillTestPageOut(Schema):
    id: int
    target_type: str
    target_id: int | None
    target_name: str
    team: str | None
    paged: list[str]
    sent_by: str | None
    sent_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    seconds_to_acknowledge: int | None


class TestPagePage(PageOut[DrillTestPageOut]):
    pass


class DrillQuery(Schema):
    team: str | None = Field(None, description="Only this team's (slug).")


def scenario_out(scenario: Scenario) -> ScenarioOut:
    return ScenarioOut(
        id=scenario.pk,
        title=scenario.title,
        description=scenario.description,
        severity=scenario.severity,
        team=scenario.team.slug if scenario.team else None,
        services=sorted(service.slug for service in scenario.services.all()),
        fake_alerts=[FakeAlert(**alert) for alert in scenario.fake_alerts],
        events=[TimedEvent(**event) for event in scenario.events],
    )


def _injected_out(event: InjectedEvent) -> InjectedOut:
    return InjectedOut(
        offset_minutes=event.offset_minutes,
        kind=event.kind,
        text=event.text,
        severity=event.severity,
        due_at=utc(event.due_at) or event.due_at,
        done_at=utc(event.done_at),
        outcome=event.outcome,
    )


def drill_out(drill: Drill) -> DrillOut:
    return DrillOut(
        id=drill.pk,
        number=None if queries.incident_hidden(drill) else drill.incident.ref,
        incident_status=None if queries.incident_hidden(drill) else drill.incident.status,
        scenario=drill.scenario_id,
        title=drill.scenario_title,
        team=drill.team.slug if drill.team else None,
        started_by=drill.started_by.username if drill.started_by else None,
        started_at=utc(drill.started_at) or drill.started_at,
        injected=[_injected_out(event) for event in queries.injected(drill)],
    )


def test_page_out(test_page: TestPage) -> DrillTestPageOut:
    target_id = {
        "user": test_page.target_user_id,
        "schedule": test_page.target_schedule_id,
        "policy": test_page.target_policy_id,
    }.get(test_page.target_type)
    return DrillTestPageOut(
        id=test_page.pk,
        target_type=test_page.target_type,
        target_id=target_id,
        target_name=test_page.target_name,
        team=test_page.team.slug if test_page.team else None,
        paged=list(test_page.paged or []),
        sent_by=test_page.sent_by.username if test_page.sent_by else None,
        sent_at=utc(test_page.sent_at) or test_page.sent_at,
        acknowledged_by=test_page.acknowledged_by.username if test_page.acknowledged_by else None,
        acknowledged_at=utc(test_page.acknowledged_at),
        seconds_to_acknowledge=queries.seconds_to_acknowledge(test_page),
    )

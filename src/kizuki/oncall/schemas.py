"""API shapes for escalation policies."""

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut
from kizuki.oncall.actions import MAX_REPEAT, MAX_STEPS, MAX_TARGETS, MAX_WAIT_MINUTES
from kizuki.oncall.models import EscalationPolicy
from kizuki.oncall.queries import describe_policy

TargetType = Literal["user", "schedule", "team", "everyone", "channel"]


class TargetIn(Schema):
    type: TargetType
    # A username, a schedule id or name, a team slug, nothing (everyone) or a channel name.
    id: int | str | None = None


class StepIn(Schema):
    targets: list[TargetIn] = Field(min_length=1, max_length=MAX_TARGETS)
    wait_minutes: int = Field(default=5, ge=0, le=MAX_WAIT_MINUTES)


class PolicyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    team: str | None = None
    repeat: int = Field(default=0, ge=0, le=MAX_REPEAT)
    steps: list[StepIn] = Field(min_length=1, max_length=MAX_STEPS)

    def steps_data(self) -> list[dict[str, Any]]:
        return [step.model_dump() for step in self.steps]


class TargetOut(Schema):
    type: str
    id: int | str | None
    label: str


class StepOut(Schema):
    position: int
    targets: list[TargetOut]
    wait_minutes: int


class PolicyOut(Schema):
    id: int
    name: str
    team: str | None
    repeat: int
    steps: list[StepOut]


class PolicyPage(PageOut[PolicyOut]):
    pass


class TestPageOut(Schema):
    escalation: int
    pages: int


def policy_out(policy: EscalationPolicy) -> PolicyOut:
    described = describe_policy(policy)
    return PolicyOut(
        id=policy.pk,
        name=described["name"],
        team=described["team"],
        repeat=described["repeat"],
        steps=[
            StepOut(
                position=position,
                wait_minutes=step["wait_minutes"],
                targets=[TargetOut(**target) for target in step["targets"]],
            )
            for position, step in enumerate(described["steps"])
        ],
    )

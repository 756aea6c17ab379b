"""API shapes for Performance Reviews and their findings."""

from datetime import UTC, date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut
from kizuki.risks import review_queries
from kizuki.risks.models import Finding, Review
from kizuki.risks.schemas import IMPACT_HELP, TEXT_MAX, ImpactValue, StatusName

FindingStatusName = Literal["open", "investigating", "watching", "resolved"]


class PerfReviewIn(Schema):
    held_on: date | None = Field(default=None, description="Left out: today.")
    minutes: str = Field(default="", max_length=TEXT_MAX)


class PerfFindingIn(Schema):
    title: str = Field(max_length=200)
    link: str = Field(default="", max_length=500, description="The metric or dashboard.")
    description: str = Field(default="", max_length=TEXT_MAX)
    assignee: str | None = Field(default=None, description="A username.")
    status: FindingStatusName = "open"
    potential_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)


class PerfFindingPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    link: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=TEXT_MAX)
    assignee: str | None = None
    status: FindingStatusName | None = None
    potential_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    note: str = Field(default="", max_length=TEXT_MAX, description="What the assignee found.")


class PromoteIn(Schema):
    likelihood: Literal[1, 2] = 1
    current_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    status: StatusName = "in_progress"
    summary: str = Field(default="", max_length=TEXT_MAX)
    services: list[str] = Field(default=[], max_length=100)


class FindingNoteOut(Schema):
    text: str
    actor: str | None
    at: datetime


class PerfFindingOut(Schema):
    id: int
    review: int
    review_held_on: date
    title: str
    link: str
    description: str
    assignee: str | None
    status: str
    potential_impact: int | None
    proposed: bool = Field(description="It meets the entry criteria: promote it to a risk.")
    risk: int | None
    notes: list[FindingNoteOut]
    created_at: datetime


class PerfReviewOut(Schema):
    id: int
    held_on: date
    minutes: str
    agenda: list[PerfFindingOut] = Field(
        description="The findings raised in it and the earlier ones still open."
    )


class PerfReviewPage(PageOut[PerfReviewOut]):
    pass


def finding_out(finding: Finding) -> PerfFindingOut:
    return PerfFindingOut(
        id=finding.pk,
        review=finding.review_id,
        review_held_on=finding.review.held_on,
        title=finding.title,
        link=finding.link,
        description=finding.description,
        assignee=finding.assignee.username if finding.assignee else None,
        status=finding.status,
        potential_impact=finding.potential_impact,
        proposed=review_queries.is_proposed(finding),
        risk=finding.risk_id,
        notes=[
            FindingNoteOut(
                text=n.text, actor=n.actor.username if n.actor else None, at=n.at.astimezone(UTC)
            )
            for n in finding.notes.all()
        ],
        created_at=finding.created_at.astimezone(UTC),
    )


def review_out(review: Review) -> PerfReviewOut:
    return PerfReviewOut(
        id=review.pk,
        held_on=review.held_on,
        minutes=review.minutes,
        agenda=[finding_out(f) for f in review_queries.agenda(review)],
    )

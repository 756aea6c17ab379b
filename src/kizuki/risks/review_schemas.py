"""API shapes for Performance Reviews, their schedule and their findings."""

from datetime import UTC, date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut
from kizuki.risks import prometheus, review_queries
from kizuki.risks.models import Finding, Review, ReviewSettings, Weekday
from kizuki.risks.schemas import IMPACT_HELP, TEXT_MAX, ImpactValue, StatusName

FindingStatusName = Literal["open", "investigating", "watching", "resolved"]
RangeName = Literal["1h", "6h", "24h", "7d"]
WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SNAPSHOT_HELP = "Only with KIZUKI_PROMETHEUS_URL set (400 otherwise)."


class ReviewSettingsIn(Schema):
    weekday: WeekdayName = Field(description="The day the weekly review is held.")


class ReviewSettingsOut(Schema):
    weekday: WeekdayName
    next_review: date = Field(description="Today while this week's review is not held yet.")
    this_weeks_review: int | None = Field(description="Held since the last review day.")
    snapshots: bool = Field(description="Whether findings may carry a Prometheus query.")


class PerfReviewPatch(Schema):
    minutes: str = Field(max_length=TEXT_MAX)


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
    snapshot_query: str = Field(
        default="", max_length=prometheus.QUERY_MAX, description=f"PromQL. {SNAPSHOT_HELP}"
    )
    snapshot_range: RangeName = Field(default="24h", description="How far back from now.")


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


class SnapshotSeriesOut(Schema):
    labels: dict[str, str]
    points: list[tuple[float, float]] = Field(description="[unix seconds, value] pairs.")


class SnapshotOut(Schema):
    query: str
    range: RangeName
    taken_at: datetime
    series: list[SnapshotSeriesOut]
    failed: str = Field(description='"Snapshot failed: <reason>", or "" when it was taken.')


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
    not_proposed_because: list[str] = Field(
        description="Why not (promoted, resolved, too_early, impact_unknown, impact_low)."
    )
    risk: int | None
    snapshot: SnapshotOut | None
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


def weekday_name(weekday: int) -> Any:
    return Weekday(weekday).name.lower()


def weekday_value(name: str) -> int:
    return int(Weekday[name.upper()])


def settings_out(found: ReviewSettings) -> ReviewSettingsOut:
    this_week = review_queries.this_weeks_review()
    return ReviewSettingsOut(
        weekday=weekday_name(found.weekday),
        next_review=review_queries.next_review_day(),
        this_weeks_review=this_week.pk if this_week else None,
        snapshots=prometheus.enabled(),
    )


def snapshot_out(finding: Finding) -> SnapshotOut | None:
    snapshot = finding.snapshot
    if not finding.snapshot_query or not snapshot:
        return None
    return SnapshotOut(
        query=finding.snapshot_query,
        range=finding.snapshot_range,  # type: ignore[arg-type]  # one of RANGES when stored
        taken_at=datetime.fromisoformat(snapshot["taken_at"]).astimezone(UTC),
        series=[
            SnapshotSeriesOut(labels=item["labels"], points=[tuple(p) for p in item["points"]])
            for item in snapshot.get("series", [])
        ],
        failed=prometheus.failure_text(snapshot),
    )


def finding_out(finding: Finding) -> PerfFindingOut:
    blockers = review_queries.blockers(finding)
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
        proposed=not blockers,
        not_proposed_because=blockers,
        risk=finding.risk_id,
        snapshot=snapshot_out(finding),
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

"""API shapes for follow-ups. Times are ISO 8601 in UTC; due dates are days (YYYY-MM-DD) in
the organisation's time zone."""

from datetime import UTC, date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut, utc
from kizuki.followups import queries
from kizuki.followups.models import Change, FollowUp, Milestone, QualityRule, TrackerConfig
from kizuki.followups.quality import Extra, Finding

StatusName = Literal["open", "in_progress", "done", "wont_do"]
KindName = Literal["prevent", "detect", "mitigate", "repair", ""]
CategoryName = Literal[
    "bug_fix",
    "operations_design",
    "organisation",
    "residual_risk",
    "monitoring_slo",
    "mtta_mttr",
    "",
]
PhaseName = Literal["development", "verification", "after_release", ""]
TEXT_MAX = 20_000
REASON_MAX = 2_000


class MilestoneIn(Schema):
    title: str = Field(max_length=200)
    due_date: date | None = None
    status: Literal["open", "done"] = "open"


class FollowUpIn(Schema):
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=TEXT_MAX)
    owner: str | None = Field(default=None, description="A username; none: nobody yet.")
    team: str | None = Field(default=None, description="A team's slug; left out: the incident's.")
    due_date: date | None = Field(
        default=None, description="Left out: the incident's severity policy decides."
    )
    due_date_reason: str = Field(default="", max_length=REASON_MAX)
    kind: KindName = ""
    category: CategoryName = ""
    phase: PhaseName = ""
    section: str | None = Field(
        default=None,
        max_length=50,
        description="The key of the retrospective section it comes from (permanent-fix, ...).",
    )
    milestones: list[MilestoneIn] = Field(default=[], max_length=30)


class FollowUpPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=TEXT_MAX)
    owner: str | None = None
    team: str | None = None
    due_date: date | None = None
    due_date_reason: str | None = Field(
        default=None, max_length=REASON_MAX, description="Required when due_date changes."
    )
    status: StatusName | None = None
    status_reason: str | None = Field(
        default=None, max_length=REASON_MAX, description="Required for wont_do."
    )
    kind: KindName | None = None
    category: CategoryName | None = None
    phase: PhaseName | None = None
    milestones: list[MilestoneIn] | None = Field(default=None, max_length=30)


class CheckIn(Schema):
    title: str = Field(default="", max_length=TEXT_MAX)
    description: str = Field(default="", max_length=TEXT_MAX)
    owner: str | None = Field(
        default=None, description="Sent (even as null): the owner is checked too."
    )
    due_date: date | None = Field(
        default=None, description="Sent (even as null): the due date is checked too."
    )
    incident: str | None = Field(
        default=None, max_length=20, description="INC-n: its severity policy for the due date."
    )


class FindingOut(Schema):
    code: str
    level: str = Field(description="problem, or warning (weigh it; nothing is refused)")
    message: str


class CheckOut(Schema):
    quality: list[FindingOut]


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: date | None
    status: str


class TrackerLinkOut(Schema):
    state: str
    issue_id: str
    issue_url: str
    issue_closed: bool
    error: str


class FollowUpOut(Schema):
    id: int
    ref: str
    url: str
    incident: str
    incident_title: str
    title: str
    description: str
    owner: str | None
    team: str | None
    due_date: date | None
    policy_due_date: date | None
    overdue: bool
    status: str
    status_reason: str
    kind: str
    category: str
    phase: str
    section: str
    milestones: list[MilestoneOut]
    tracker: TrackerLinkOut | None
    quality: list[FindingOut]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None


class FollowUpPage(PageOut[FollowUpOut]):
    pass


class ChangeOut(Schema):
    event: str
    data: dict[str, object]
    reason: str
    actor: str | None
    at: datetime


def finding_out(finding: Finding) -> FindingOut:
    return FindingOut(code=finding.code, level=finding.level, message=finding.message)


def milestone_out(milestone: Milestone) -> MilestoneOut:
    return MilestoneOut(
        id=milestone.pk, title=milestone.title, due_date=milestone.due_date, status=milestone.status
    )


def followup_out(followup: FollowUp, rules: list[Extra] | None = None) -> FollowUpOut:
    """The follow-up with its quality findings (pass `rules` when serialising many)."""
    link = getattr(followup, "tracker_link", None)
    policy = queries.policy_for(followup.incident, queries.day_of(followup.created_at))
    return FollowUpOut(
        id=followup.pk,
        ref=followup.ref,
        url=reverse("followup-detail", args=[followup.pk]),
        incident=followup.incident.ref,
        incident_title=followup.incident.title,
        title=followup.title,
        description=followup.description,
        owner=followup.owner.username if followup.owner else None,
        team=followup.team.slug if followup.team else None,
        due_date=followup.due_date,
        policy_due_date=policy.due_by if policy else None,
        overdue=queries.is_overdue(followup),
        status=followup.status,
        status_reason=followup.status_reason,
        kind=followup.kind,
        category=followup.category,
        phase=followup.phase,
        section=followup.section_key,
        milestones=[milestone_out(m) for m in followup.milestones.all()],
        tracker=TrackerLinkOut(
            state=link.state,
            issue_id=link.issue_id,
            issue_url=link.issue_url,
            issue_closed=link.issue_closed,
            error=link.error,
        )
        if link
        else None,
        quality=[finding_out(f) for f in queries.quality_of(followup, rules)],
        created_by=followup.created_by.username if followup.created_by else None,
        created_at=followup.created_at.astimezone(UTC),
        updated_at=followup.updated_at.astimezone(UTC),
        done_at=utc(followup.done_at),
    )


def change_out(change: Change) -> ChangeOut:
    return ChangeOut(
        event=change.event,
        data=change.data,
        reason=change.reason,
        actor=change.actor.username if change.actor else None,
        at=change.at.astimezone(UTC),
    )


class QualityRuleIn(Schema):
    code: str = Field(max_length=50)
    pattern: str = Field(max_length=500)
    language: Literal["ja", "en", ""] = ""
    message_en: str = Field(max_length=2000)
    message_ja: str = Field(max_length=2000)
    enabled: bool = True


class QualityRulePatch(Schema):
    code: str | None = Field(default=None, max_length=50)
    pattern: str | None = Field(default=None, max_length=500)
    language: Literal["ja", "en", ""] | None = None
    message_en: str | None = Field(default=None, max_length=2000)
    message_ja: str | None = Field(default=None, max_length=2000)
    enabled: bool | None = None


class QualityRuleOut(Schema):
    id: int
    code: str
    pattern: str
    language: str
    message_en: str
    message_ja: str
    enabled: bool


def rule_out(rule: QualityRule) -> QualityRuleOut:
    return QualityRuleOut(
        id=rule.pk,
        code=rule.code,
        pattern=rule.pattern,
        language=rule.language,
        message_en=rule.message_en,
        message_ja=rule.message_ja,
        enabled=rule.enabled,
    )


class TrackerIn(Schema):
    kind: Literal["github", "jira"]
    base_url: str = Field(max_length=300, description="The API root, e.g. https://api.github.com")
    project: str = Field(max_length=200, description="GitHub owner/name, or the Jira project key")
    account: str = Field(default="", max_length=200, description="Jira: the token's e-mail")
    issue_type: str = Field(default="Task", max_length=50)
    token: str = Field(default="", max_length=500, description="Write-only; empty: unchanged")
    webhook_secret: str = Field(
        default="", max_length=500, description="GitHub webhook secret; write-only"
    )
    enabled: bool = True


class TrackerOut(Schema):
    id: int
    team: str
    kind: str
    base_url: str
    project: str
    account: str
    issue_type: str
    enabled: bool
    token_set: bool
    webhook_secret_set: bool
    webhook_url: str | None = Field(description="Where GitHub sends `issues` events")


def tracker_out(config: TrackerConfig) -> TrackerOut:
    return TrackerOut(
        id=config.pk,
        team=config.team.slug,
        kind=config.kind,
        base_url=config.base_url,
        project=config.project,
        account=config.account,
        issue_type=config.issue_type,
        enabled=config.enabled,
        token_set=bool(config.token_sealed),
        webhook_secret_set=bool(config.webhook_secret_sealed),
        webhook_url=reverse("api:followup-github-webhook", args=[config.pk])
        if config.kind == "github"
        else None,
    )


class WebhookOut(Schema):
    result: str

"""API shapes for retrospectives. Times are ISO 8601 in UTC; titles, names and guidance are
in the reader's language (the `_en`/`_ja` fields carry both where admins edit them)."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kizuki.core import clock
from kizuki.core.schemas import INT_MAX, utc
from kizuki.retros import queries
from kizuki.retros.models import (
    RetroSection,
    Retrospective,
    RetroStatus,
    RetroVersion,
    Review,
    SectionComment,
    Template,
    TemplateSection,
)

KEY = r"^[a-z0-9][a-z0-9_-]{0,49}$"
ToName = Literal["in_review", "published", "draft"]


class TemplateSectionIO(Schema):
    key: str = Field(pattern=KEY)
    title_en: str = Field(max_length=200)
    title_ja: str = Field(max_length=200)
    guidance_en: str = ""
    guidance_ja: str = ""
    prefill: list[str] = []
    purpose: str = ""
    asks_evidence: bool = False


class TemplateSectionOut(TemplateSectionIO):
    title: str
    guidance: str
    position: int


class TemplateIn(Schema):
    key: str = Field(pattern=KEY)
    name_en: str = Field(max_length=100)
    name_ja: str = Field(max_length=100)
    description_en: str = ""
    description_ja: str = ""
    position: int | None = Field(default=None, ge=0, le=32767)
    sections: list[TemplateSectionIO]


class TemplatePatch(Schema):
    name_en: str | None = Field(default=None, max_length=100)
    name_ja: str | None = Field(default=None, max_length=100)
    description_en: str | None = None
    description_ja: str | None = None
    position: int | None = Field(default=None, ge=0, le=32767)
    retired: bool | None = None
    sections: list[TemplateSectionIO] | None = None


class TemplateOut(Schema):
    key: str
    name: str
    description: str
    name_en: str
    name_ja: str
    description_en: str
    description_ja: str
    built_in: bool
    retired: bool
    position: int
    sections: list[TemplateSectionOut]


def _template_section_out(section: TemplateSection) -> TemplateSectionOut:
    return TemplateSectionOut(
        key=section.key,
        title=section.title,
        guidance=section.guidance,
        title_en=section.title_en,
        title_ja=section.title_ja,
        guidance_en=section.guidance_en,
        guidance_ja=section.guidance_ja,
        prefill=list(section.prefill),
        purpose=section.purpose,
        asks_evidence=section.asks_evidence,
        position=section.position,
    )


def template_out(template: Template) -> TemplateOut:
    return TemplateOut(
        key=template.key,
        name=template.name,
        description=template.description,
        name_en=template.name_en,
        name_ja=template.name_ja,
        description_en=template.description_en,
        description_ja=template.description_ja,
        built_in=template.built_in,
        retired=template.retired,
        position=template.position,
        sections=[_template_section_out(s) for s in template.sections.all()],
    )


class StartIn(Schema):
    template: str | None = Field(default=None, description="A template key; none: the default.")


class RetrospectivePatch(Schema):
    sections: dict[str, str] | None = Field(
        default=None, description="New Markdown text by section key."
    )
    owner: str | None = Field(default=None, description="A username; null: nobody.")
    due_at: datetime | None = None
    stakeholder_summary: str | None = None


class RetroTransitionIn(Schema):
    to: ToName


class SectionOut(Schema):
    key: str
    title: str
    body: str
    guidance: str
    purpose: str
    asks_evidence: bool
    drafted: bool
    position: int
    updated_at: datetime | None
    updated_by: str | None


class ReviewOut(Schema):
    reviewer: str
    state: str
    comment: str
    version: int | None
    current: bool  # judged the current version
    requested_by: str | None
    requested_at: datetime | None
    at: datetime


class RetrospectiveOut(Schema):
    incident: str
    incident_title: str
    status: str
    status_label: str
    template: str | None
    template_name: str | None
    language: str
    owner: str | None
    required: bool
    due_at: datetime | None
    overdue: bool
    not_needed_reason: str
    version: int
    stakeholder_summary: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    published_at: datetime | None
    publish_blocker: str | None
    sections: list[SectionOut]
    reviews: list[ReviewOut]


def review_out(review: Review, current_version: int) -> ReviewOut:
    return ReviewOut(
        reviewer=review.reviewer.username,
        state=review.state,
        comment=review.comment,
        version=review.version,
        current=review.version == current_version,
        requested_by=review.requested_by.username if review.requested_by else None,
        requested_at=utc(review.requested_at),
        at=utc(review.at) or review.at,
    )


def _section_out(section: RetroSection, guidance: dict[str, str]) -> SectionOut:
    return SectionOut(
        key=section.key,
        title=section.title,
        body=section.body,
        guidance=guidance.get(section.key, ""),
        purpose=section.purpose,
        asks_evidence=section.asks_evidence,
        drafted=section.drafted,
        position=section.position,
        updated_at=utc(section.updated_at),
        updated_by=section.updated_by.username if section.updated_by else None,
    )


def _overdue(retro: Retrospective) -> bool:
    return bool(
        retro.required
        and retro.due_at
        and retro.due_at < clock.now()
        and retro.status != RetroStatus.PUBLISHED
    )


def retrospective_out(retro: Retrospective) -> RetrospectiveOut:
    guidance = queries.guidance(retro) if retro.started else {}
    started = retro.started
    return RetrospectiveOut(
        incident=retro.incident.ref,
        incident_title=retro.incident.title,
        status=retro.status,
        status_label=str(RetroStatus(retro.status).label),
        template=retro.template.key if retro.template else None,
        template_name=retro.template.name if retro.template else None,
        language=retro.language,
        owner=retro.owner.username if retro.owner else None,
        required=retro.required,
        due_at=utc(retro.due_at),
        overdue=_overdue(retro),
        not_needed_reason=retro.not_needed_reason,
        version=retro.version,
        stakeholder_summary=retro.stakeholder_summary,
        created_at=utc(retro.created_at) or retro.created_at,
        updated_at=utc(retro.updated_at) or retro.updated_at,
        started_at=utc(retro.started_at),
        published_at=utc(retro.published_at),
        publish_blocker=queries.publish_blocker(retro) if started else None,
        sections=[_section_out(s, guidance) for s in queries.sections(retro)] if started else [],
        reviews=[review_out(r, retro.version) for r in queries.reviews(retro)],
    )


class RetrospectiveListItem(Schema):
    incident: str
    incident_title: str
    status: str
    template: str | None
    owner: str | None
    required: bool
    due_at: datetime | None
    overdue: bool
    published_at: datetime | None


def list_item(retro: Retrospective) -> RetrospectiveListItem:
    return RetrospectiveListItem(
        incident=retro.incident.ref,
        incident_title=retro.incident.title,
        status=retro.status,
        template=retro.template.key if retro.template else None,
        owner=retro.owner.username if retro.owner else None,
        required=retro.required,
        due_at=utc(retro.due_at),
        overdue=_overdue(retro),
        published_at=utc(retro.published_at),
    )


class VersionOut(Schema):
    number: int
    author: str | None
    created_at: datetime
    changed: list[str]


class VersionSectionOut(Schema):
    key: str
    title: str
    body: str


class VersionDetailOut(VersionOut):
    sections: list[VersionSectionOut]


def version_out(version: RetroVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        author=version.author.username if version.author else None,
        created_at=utc(version.created_at) or version.created_at,
        changed=list(version.changed),
    )


def version_detail_out(version: RetroVersion) -> VersionDetailOut:
    return VersionDetailOut(
        **version_out(version).model_dump(),
        sections=[VersionSectionOut(**s) for s in version.snapshot.get("sections", [])],
    )


class DiffQuery(Schema):
    old: int = Field(ge=1, le=INT_MAX)
    new: int = Field(ge=1, le=INT_MAX)


class SectionDiffOut(Schema):
    key: str
    title: str
    changed: bool
    lines: list[str]


class DiffOut(Schema):
    old: int
    new: int
    sections: list[SectionDiffOut]


class ReviewersIn(Schema):
    reviewers: list[str] = Field(min_length=1, max_length=50)


class ReviewIn(Schema):
    state: Literal["approved", "commented"]
    comment: str = ""


class CommentIn(Schema):
    section: str = Field(max_length=50)
    text: str


class CommentPatch(Schema):
    resolved: bool


class CommentOut(Schema):
    id: int
    section: str
    author: str | None
    text: str
    created_at: datetime
    resolved: bool
    resolved_by: str | None
    resolved_at: datetime | None


def comment_out(comment: SectionComment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        section=comment.section_key,
        author=comment.author.username if comment.author else None,
        text=comment.text,
        created_at=utc(comment.created_at) or comment.created_at,
        resolved=comment.resolved,
        resolved_by=comment.resolved_by.username if comment.resolved_by else None,
        resolved_at=utc(comment.resolved_at),
    )


class RequirementIn(Schema):
    required: bool
    due_at: datetime | None = Field(default=None, description="When required; default: policy.")
    reason: str = Field(default="", description="Why none is needed (required: false).")


class RequirementOut(Schema):
    incident: str
    status: str
    required: bool
    due_at: datetime | None
    overdue: bool
    not_needed_reason: str
    decided_by: str | None


def requirement_out(incident_ref: str, retro: Retrospective | None) -> RequirementOut:
    if retro is None:
        return RequirementOut(
            incident=incident_ref,
            status=RetroStatus.NOT_STARTED,
            required=False,
            due_at=None,
            overdue=False,
            not_needed_reason="",
            decided_by=None,
        )
    return RequirementOut(
        incident=incident_ref,
        status=retro.status,
        required=retro.required,
        due_at=utc(retro.due_at),
        overdue=_overdue(retro),
        not_needed_reason=retro.not_needed_reason,
        decided_by=retro.decided_by.username if retro.decided_by else None,
    )


class SeverityPolicyOut(Schema):
    level: int
    label: str
    required: bool
    due_days: int
    template: str | None


class TeamTemplateOut(Schema):
    team: str
    template: str


class RetroPolicyOut(Schema):
    severities: list[SeverityPolicyOut]
    teams: list[TeamTemplateOut]


class SeverityPolicyPatch(Schema):
    required: bool | None = None
    due_days: int | None = Field(default=None, ge=1, le=365)
    template: str | None = None


class TeamTemplateIn(Schema):
    template: str | None

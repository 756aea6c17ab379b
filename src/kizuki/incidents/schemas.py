"""API shapes for incidents. Times are ISO 8601 in UTC."""

from datetime import UTC, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import INT_MAX, OutSchema, PageOut, utc
from kizuki.incidents import queries
from kizuki.incidents.models import (
    Incident,
    Participant,
    RoleAssignment,
    StatusUpdate,
    TimelineEntry,
)
from kizuki.incidents.timeline_text import describe

TransitionName = Literal[
    "acknowledged", "declared", "mitigated", "resolved", "closed", "false_alarm", "reopened"
]
AudienceName = Literal["internal", "stakeholders"]

ScopeValue = Literal[1, 2, 3]  # scoring.SCOPES
EffectValue = Literal[1, 3, 5]  # scoring.EFFECTS
SCORE_HELP = "The incident score is impact_scope (1, 2, 3) * impact_effect (1, 3, 5)."

# The columns' limits, checked here so oversized input is a 422 rather than a database error.
URL_MAX = 200
URL_OR_EMPTY = r"^(https?://\S+)?$"


PRIVATE_HELP = "Private: seen only by its participants and admins; a 404 for everyone else."


class IncidentIn(Schema):
    title: str = Field(max_length=200)
    description: str = ""
    severity: int | None = Field(default=None, ge=1, le=5)
    services: list[str] = []
    team: str | None = None
    is_drill: bool = False
    impact_scope: ScopeValue | None = Field(default=None, description=SCORE_HELP)
    impact_effect: EffectValue | None = None
    private: bool = Field(default=False, description=PRIVATE_HELP)


class IncidentPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    description: str | None = None
    severity: int | None = Field(default=None, ge=1, le=5)
    services: list[str] | None = None
    team: str | None = None
    is_drill: bool | None = None
    customers_affected: str | None = None
    functions_affected: str | None = None
    impact_started_at: datetime | None = None
    impact_ended_at: datetime | None = None
    secondary_damage: str | None = None
    bridge_system_url: str | None = Field(default=None, max_length=URL_MAX, pattern=URL_OR_EMPTY)
    bridge_customer_url: str | None = Field(default=None, max_length=URL_MAX, pattern=URL_OR_EMPTY)
    document_url: str | None = Field(default=None, max_length=URL_MAX, pattern=URL_OR_EMPTY)
    impact_scope: ScopeValue | None = Field(default=None, description=SCORE_HELP)
    impact_effect: EffectValue | None = None
    cause_category: str | None = Field(
        default=None,
        max_length=50,
        description="The slug of a cause category (GET /cause-categories); null: not classified.",
    )
    private: bool | None = Field(
        default=None, description=PRIVATE_HELP + " Changed by its commander or an admin."
    )


class TransitionIn(Schema):
    to: TransitionName
    severity: int | None = Field(default=None, ge=1, le=5)
    note: str = ""
    final_message: str = Field(
        default="",
        description="When resolving: a last status update posted to the stakeholders "
        "(not for drills). At most 5,000 characters.",
    )


class RoleIn(Schema):
    role: str
    user: str


class TimelineIn(Schema):
    text: str = Field(description="At most 5,000 characters.")
    occurred_at: datetime | None = None


class StatusUpdateIn(Schema):
    text: str
    next_update_at: datetime | None = None
    audience: AudienceName = "internal"
    plain_text: str = Field(
        default="", description="For stakeholders: the plain-language version they read."
    )


class RoleOut(OutSchema):
    role: str
    role_name: str
    user: str
    assigned_at: datetime


class ImpactOut(OutSchema):
    customers_affected: str
    functions_affected: str
    started_at: datetime | None
    ended_at: datetime | None
    secondary_damage: str


class LinksOut(OutSchema):
    bridge_system: str
    bridge_customer: str
    document: str


class StatusUpdateOut(OutSchema):
    id: int
    text: str
    audience: str
    plain_text: str
    status: str
    next_update_at: datetime | None
    author: str | None
    created_at: datetime


class TimelineOut(OutSchema):
    id: int
    kind: str
    event: str
    text: str
    occurred_at: datetime
    created_at: datetime
    author: str | None
    edited: bool


class IncidentOut(OutSchema):
    id: int
    number: str
    title: str
    description: str
    status: str
    severity: int | None
    severity_label: str | None
    services: list[str]
    team: str | None
    reporter: str | None
    is_drill: bool
    private: bool
    reported_at: datetime
    acknowledged_at: datetime | None
    declared_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    roles: list[RoleOut]
    impact: ImpactOut
    links: LinksOut
    latest_status_update: StatusUpdateOut | None
    impact_scope: int | None
    impact_effect: int | None
    impact_score: int | None = Field(description="impact_scope * impact_effect; null: unknown")
    impact_level: int | None = Field(
        description="The highest of 10, 6, 3, 1, 0 the score reaches; null: unknown"
    )
    cause_category: str | None = Field(
        default=None, description="The cause category's slug; null: not classified"
    )


class IncidentPage(PageOut[IncidentOut]):
    pass


def role_out(assignment: RoleAssignment) -> RoleOut:
    return RoleOut(
        role=assignment.role.slug,
        role_name=assignment.role.name,
        user=assignment.user.username,
        assigned_at=assignment.assigned_at.astimezone(UTC),
    )


def status_update_out(update: StatusUpdate) -> StatusUpdateOut:
    return StatusUpdateOut(
        id=update.pk,
        text=update.text,
        audience=update.audience,
        plain_text=update.plain_text,
        status=update.status,
        next_update_at=utc(update.next_update_at),
        author=update.author.username if update.author else None,
        created_at=update.created_at.astimezone(UTC),
    )


def timeline_out(entry: TimelineEntry) -> TimelineOut:
    return TimelineOut(
        id=entry.pk,
        kind=entry.kind,
        event=entry.event,
        text=describe(entry),
        occurred_at=entry.occurred_at.astimezone(UTC),
        created_at=entry.created_at.astimezone(UTC),
        author=entry.author.username if entry.author else None,
        edited=entry.edited_at is not None,
    )


def incident_out(incident: Incident) -> IncidentOut:
    latest = queries.latest_status_update(incident)
    return IncidentOut(
        id=incident.pk,
        number=incident.ref,
        title=incident.title,
        description=incident.description,
        status=incident.status,
        severity=incident.severity.level if incident.severity else None,
        severity_label=incident.severity.label if incident.severity else None,
        services=[service.slug for service in incident.services.all()],
        team=incident.team.slug if incident.team else None,
        reporter=incident.reporter.username if incident.reporter else None,
        is_drill=incident.is_drill,
        private=incident.private,
        reported_at=incident.reported_at.astimezone(UTC),
        acknowledged_at=utc(incident.acknowledged_at),
        declared_at=utc(incident.declared_at),
        mitigated_at=utc(incident.mitigated_at),
        resolved_at=utc(incident.resolved_at),
        closed_at=utc(incident.closed_at),
        roles=[role_out(a) for a in queries.active_roles(incident)],
        impact=ImpactOut(
            customers_affected=incident.customers_affected,
            functions_affected=incident.functions_affected,
            started_at=utc(incident.impact_started_at),
            ended_at=utc(incident.impact_ended_at),
            secondary_damage=incident.secondary_damage,
        ),
        links=LinksOut(
            bridge_system=incident.bridge_system_url,
            bridge_customer=incident.bridge_customer_url,
            document=incident.document_url,
        ),
        latest_status_update=status_update_out(latest) if latest else None,
        impact_scope=incident.impact_scope,
        impact_effect=incident.impact_effect,
        impact_score=incident.impact_score,
        impact_level=incident.impact_level,
        cause_category=incident.cause_category.slug if incident.cause_category else None,
    )


class SeverityOut(Schema):
    level: int
    label: str
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    retrospective_required: bool
    follow_up_due_days: int
    status_update_interval_minutes: int
    page_all_key_people: bool
    min_impact_level: int | None = Field(
        default=None,
        description="An incident whose impact level reaches this is suggested this severity "
        "(the gravest reached wins); null: never suggested.",
    )


class SeverityPatch(Schema):
    name_ja: str | None = Field(default=None, min_length=1, max_length=100)
    name_en: str | None = Field(default=None, min_length=1, max_length=100)
    description_ja: str | None = None
    description_en: str | None = None
    retrospective_required: bool | None = None
    follow_up_due_days: int | None = Field(default=None, ge=0, le=INT_MAX)
    status_update_interval_minutes: int | None = Field(default=None, ge=1, le=INT_MAX)
    page_all_key_people: bool | None = None
    min_impact_level: Literal[10, 6, 3, 1, 0] | None = None


class CauseCategoryOut(Schema):
    slug: str
    name: str
    name_ja: str
    name_en: str
    description: str
    position: int
    is_active: bool = Field(description="Offered when classifying; false: retired")


class RoleTypeOut(Schema):
    slug: str
    name: str
    name_ja: str
    name_en: str
    description: str
    allow_several: bool


class ParticipantIn(Schema):
    user: str = Field(description="The username of the person who may see the incident.")


class ParticipantOut(Schema):
    user: str
    added_at: datetime
    added_by: str | None


def participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        user=participant.user.username,
        added_at=participant.added_at.astimezone(UTC),
        added_by=participant.added_by.username if participant.added_by else None,
    )

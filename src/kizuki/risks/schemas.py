"""API shapes for risk records. Impacts are levels (10, 6, 3, 1, 0); null (or "unknown" on the
way in) is unknown. Visit dates are days (YYYY-MM-DD) in the organisation's time zone; times
are ISO 8601 in UTC."""

from datetime import UTC, date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut
from kizuki.risks import queries
from kizuki.risks.models import Change, Risk

StatusName = Literal["not_started", "in_progress", "watching", "interim_done", "done"]
ImpactValue = Literal[10, 6, 3, 1, 0, "unknown"] | None
TEXT_MAX = 20_000
REASON_MAX = 2_000
IMPACT_HELP = 'An impact level: 10, 6, 3, 1 or 0; null or "unknown": unknown.'


class RiskIn(Schema):
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=TEXT_MAX)
    services: list[str] = Field(default=[], max_length=100, description="Service slugs.")
    owner: str | None = Field(default=None, description="A username; none: nobody yet.")
    status: StatusName = "not_started"
    current_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    potential_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    likelihood: Literal[1, 2] = Field(
        default=1, description="2: can happen any time, or almost certainly with scale; 1: can."
    )
    next_visit: date | None = Field(default=None, description="Left out: the status's default.")
    noticed: str = Field(default="", max_length=TEXT_MAX, description="How it was noticed.")
    cause: str = Field(default="", max_length=TEXT_MAX)
    plan: str = Field(default="", max_length=TEXT_MAX, description="The countermeasure plan.")
    countermeasures: str = Field(
        default="", max_length=TEXT_MAX, description="The countermeasure log."
    )
    next_action: str = Field(default="", max_length=TEXT_MAX)
    incidents: list[str] = Field(default=[], max_length=100, description="INC-n references.")
    reason: str = Field(default="", max_length=REASON_MAX)


class RiskPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, max_length=TEXT_MAX)
    services: list[str] | None = Field(default=None, max_length=100)
    owner: str | None = None
    status: StatusName | None = None
    current_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    potential_impact: ImpactValue = Field(default=None, description=IMPACT_HELP)
    likelihood: Literal[1, 2] | None = None
    next_visit: date | None = None
    noticed: str | None = Field(default=None, max_length=TEXT_MAX)
    cause: str | None = Field(default=None, max_length=TEXT_MAX)
    plan: str | None = Field(default=None, max_length=TEXT_MAX)
    countermeasures: str | None = Field(default=None, max_length=TEXT_MAX)
    next_action: str | None = Field(default=None, max_length=TEXT_MAX)
    incidents: list[str] | None = Field(default=None, max_length=100)
    reason: str = Field(
        default="",
        max_length=REASON_MAX,
        description="Why the status, an impact or the likelihood changes; kept in the history.",
    )


class VisitIn(Schema):
    note: str = Field(max_length=TEXT_MAX, description="What was checked.")
    next_visit: date | None = Field(default=None, description="Left out: the status's default.")


class RiskLinkOut(Schema):
    kind: Literal["incident", "retrospective", "followup"]
    ref: str = Field(description="INC-n for an incident and its retrospective, FU-n.")
    title: str
    url: str


class RiskOut(Schema):
    id: int
    ref: str
    url: str
    title: str
    summary: str
    services: list[str]
    owner: str | None
    status: str
    current_impact: int | None
    potential_impact: int | None
    likelihood: int
    priority: int | None
    next_visit: date | None
    overdue: bool
    noticed: str
    cause: str
    plan: str
    countermeasures: str
    next_action: str
    incidents: list[str]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    links: list[RiskLinkOut] = Field(
        default=[], description="The incidents, retrospectives and follow-ups it is linked to."
    )


class RiskPage(PageOut[RiskOut]):
    pass


class RiskChangeOut(Schema):
    event: str = Field(
        description="created, status, current_impact, potential_impact, likelihood,"
        " next_visit, visit or edited"
    )
    previous: object
    value: object
    reason: str
    actor: str | None
    at: datetime


def risk_out(risk: Risk) -> RiskOut:
    return RiskOut(
        id=risk.pk,
        ref=risk.ref,
        url=reverse("risk-detail", args=[risk.pk]),
        title=risk.title,
        summary=risk.summary,
        services=sorted(s.slug for s in risk.services.all()),
        owner=risk.owner.username if risk.owner else None,
        status=risk.status,
        current_impact=risk.current_impact,
        potential_impact=risk.potential_impact,
        likelihood=risk.likelihood,
        priority=risk.priority,
        next_visit=risk.next_visit,
        overdue=queries.is_overdue(risk),
        noticed=risk.noticed,
        cause=risk.cause,
        plan=risk.plan,
        countermeasures=risk.countermeasures,
        next_action=risk.next_action,
        # The register is organisation-wide: links to private incidents are never listed.
        incidents=[
            i.ref for i in sorted(risk.incidents.all(), key=lambda i: i.pk) if not i.private
        ],
        created_by=risk.created_by.username if risk.created_by else None,
        created_at=risk.created_at.astimezone(UTC),
        updated_at=risk.updated_at.astimezone(UTC),
        links=links_out(risk),
    )


def links_out(risk: Risk) -> list[RiskLinkOut]:
    # Links to private incidents (and their retrospectives and follow-ups) are never listed.
    incidents = sorted((i for i in risk.incidents.all() if not i.private), key=lambda i: i.pk)
    retros = sorted(
        (r for r in risk.retrospectives.all() if not r.incident.private), key=lambda r: r.pk
    )
    followups = sorted(
        (f for f in risk.followups.all() if not f.incident.private), key=lambda f: f.pk
    )
    return [
        *(
            RiskLinkOut(
                kind="incident",
                ref=i.ref,
                title=i.title,
                url=reverse("incident-detail", args=[i.ref]),
            )
            for i in incidents
        ),
        *(
            RiskLinkOut(
                kind="retrospective",
                ref=r.incident.ref,
                title=r.incident.title,
                url=reverse("retro-detail", args=[r.incident.ref]),
            )
            for r in retros
        ),
        *(
            RiskLinkOut(
                kind="followup",
                ref=f.ref,
                title=f.title,
                url=reverse("followup-detail", args=[f.pk]),
            )
            for f in followups
        ),
    ]


def change_out(change: Change) -> RiskChangeOut:
    return RiskChangeOut(
        event=change.event,
        previous=change.previous,
        value=change.value,
        reason=change.reason,
        actor=change.actor.username if change.actor else None,
        at=change.at.astimezone(UTC),
    )

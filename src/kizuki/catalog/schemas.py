"""API shapes for the service catalogue."""

from datetime import UTC, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from kizuki.catalog.models import Service, ServiceChange
from kizuki.core.schemas import PageOut

PolicyRef = int | str


class ServiceIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(
        default="", max_length=50, description="Empty: made from the name (numbered if taken)."
    )
    team: str | None = Field(
        default=None, description='Owning team slug; empty puts it in the "unassigned" team.'
    )
    description: str = ""
    escalation_policy: PolicyRef | None = Field(
        default=None, description="Who is paged for its alerts: a policy id or name."
    )


class ServicePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    team: str | None = None
    description: str | None = None
    escalation_policy: PolicyRef | None = Field(
        default=None, description="A policy id or name; null stops paging for unrouted alerts."
    )


class ServiceOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    team: str
    escalation_policy: int | None
    escalation_policy_name: str | None


class ServicePage(PageOut[ServiceOut]):
    pass


def service_out(service: Service) -> ServiceOut:
    policy = service.escalation_policy
    return ServiceOut(
        id=service.pk,
        slug=service.slug,
        name=service.name,
        description=service.description,
        team=service.team.slug,
        escalation_policy=policy.pk if policy else None,
        escalation_policy_name=policy.name if policy else None,
    )


class ServiceChangeOut(Schema):
    id: int
    service: int
    summary: str
    source: str
    happened_at: datetime = Field(description="When the sender says it happened (UTC).")
    details: dict[str, Any]
    links: list[dict[str, Any]]
    received_at: datetime


class ServiceChangePage(PageOut[ServiceChangeOut]):
    pass


def change_out(change: ServiceChange) -> ServiceChangeOut:
    return ServiceChangeOut(
        id=change.pk,
        service=change.service_id,
        summary=change.summary,
        source=change.source,
        happened_at=change.happened_at.astimezone(UTC),
        details=change.details,
        links=change.links,
        received_at=change.received_at.astimezone(UTC),
    )

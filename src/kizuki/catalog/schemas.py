"""API shapes for the service catalogue."""

from ninja import Schema
from pydantic import Field

from kizuki.catalog.models import Service

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


class ServicePage(Schema):
    items: list[ServiceOut]
    count: int
    page: int
    pages: int


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

"""API shapes for the status page and stakeholder subscriptions. Times are ISO 8601 in UTC."""

from datetime import UTC, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut, utc
from kizuki.notify.masking import masked
from kizuki.stakeholders.models import Delivery, Subscription
from kizuki.stakeholders.queries import StatusEntry, StatusPage

KindName = Literal["email", "apprise", "slack_channel"]


class ServiceRef(Schema):
    slug: str
    name: str


class StakeholderUpdateOut(Schema):
    text: str
    created_at: datetime


class StatusIncidentOut(Schema):
    number: str
    title: str
    status: str
    status_text: str = Field(description="The status in plain words, in the reader's language.")
    severity: int | None
    severity_label: str | None
    services: list[ServiceRef]
    reported_at: datetime
    resolved_at: datetime | None
    latest_update: StakeholderUpdateOut | None = Field(
        description="The latest update for stakeholders (its plain-language version when it "
        "has one); internal updates never appear here. For a resolved incident, only one "
        "posted once it was resolved (its final message)."
    )


class StatusOut(Schema):
    ongoing: list[StatusIncidentOut]
    recently_resolved: list[StatusIncidentOut]
    generated_at: datetime


class SubscriptionIn(Schema):
    kind: KindName = "email"
    address: str = Field(max_length=500)
    service: str | None = Field(default=None, description="A service slug; empty: all incidents.")
    language: Literal["", "ja", "en"] = Field(
        default="", description="Language of the messages; empty: KIZUKI_LANGUAGE."
    )


class SubscriptionOut(Schema):
    id: int
    kind: str
    address: str
    service: str | None
    language: str
    created_by: str | None
    created_at: datetime


class SubscriptionPage(PageOut[SubscriptionOut]):
    pass


class DeliveryOut(Schema):
    status_update: int
    subscription: int
    kind: str
    address: str
    service: str | None
    outcome: str = Field(description="pending, sending, sent or failed")
    error: str = Field(description="Why the last attempt failed (also while it is retried).")
    attempts: int
    attempted_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When a failed attempt is retried.")


def status_incident_out(entry: StatusEntry) -> StatusIncidentOut:
    incident = entry.incident
    return StatusIncidentOut(
        number=incident.ref,
        title=incident.title,
        status=incident.status,
        status_text=entry.status_text,
        severity=incident.severity.level if incident.severity else None,
        severity_label=incident.severity.label if incident.severity else None,
        services=[ServiceRef(slug=s.slug, name=s.name) for s in entry.services],
        reported_at=incident.reported_at.astimezone(UTC),
        resolved_at=utc(incident.resolved_at),
        latest_update=(
            StakeholderUpdateOut(text=entry.update_text, created_at=entry.update_at.astimezone(UTC))
            if entry.update_at
            else None
        ),
    )


def status_out(page: StatusPage) -> StatusOut:
    return StatusOut(
        ongoing=[status_incident_out(e) for e in page.ongoing],
        recently_resolved=[status_incident_out(e) for e in page.resolved],
        generated_at=page.generated_at.astimezone(UTC),
    )


def subscription_out(subscription: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=subscription.pk,
        kind=subscription.kind,
        address=masked(subscription.address),  # an Apprise URL's tokens stay here
        service=subscription.service.slug if subscription.service else None,
        language=subscription.language,
        created_by=subscription.created_by.username if subscription.created_by else None,
        created_at=subscription.created_at.astimezone(UTC),
    )


def delivery_out(delivery: Delivery) -> DeliveryOut:
    subscription = delivery.subscription
    return DeliveryOut(
        status_update=delivery.status_update_id,
        subscription=subscription.pk,
        kind=subscription.kind,
        address=masked(subscription.address),  # an Apprise URL's tokens stay here
        service=subscription.service.slug if subscription.service else None,
        outcome=delivery.outcome,
        error=delivery.error,
        attempts=delivery.attempts,
        attempted_at=utc(delivery.attempted_at),
        next_attempt_at=utc(delivery.next_attempt_at),
    )

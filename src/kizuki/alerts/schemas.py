"""API shapes for alerts. Times are ISO 8601 in UTC."""

from datetime import UTC, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kizuki.alerts.actions import SILENCE_MINUTES_MAX
from kizuki.alerts.models import Alert, AlertGroup, Integration, RoutingRule
from kizuki.core.schemas import INT_MAX, utc
from kizuki.oncall.models import EscalationEvent, Page


class IngestOut(Schema):
    status: Literal["accepted"] = "accepted"
    alerts: int = Field(description="How many alerts the request carried.")
    groups: list[int] = Field(description="Ids of the alert groups they went to.")
    dedup_keys: list[str] = Field(
        description="Each alert's de-duplication key (generated when the sender gave none)."
    )


class EventOut(Schema):
    """Events API v2 answers exactly as PagerDuty does; the rest are Kizuki's own."""

    status: Literal["success"] = "success"
    message: Literal["Event processed"] = "Event processed"
    dedup_key: str = Field(description="The alert's key; generated when the sender gave none.")
    alerts: int
    groups: list[int] = Field(description="Ids of the alert groups the event went to.")
    dedup_keys: list[str]


class ChangeEventOut(Schema):
    status: Literal["success"] = "success"
    message: Literal["Change event processed"] = "Change event processed"


class InvalidEventOut(Schema):
    """PagerDuty's 400, with Kizuki's usual `detail` and `code` alongside."""

    status: Literal["invalid event"] = "invalid event"
    message: Literal["Event object is invalid"] = "Event object is invalid"
    errors: list[str]
    detail: str
    code: str = "invalid"


class IngestErrorOut(Schema):
    detail: str
    code: str


class IntegrationIn(Schema):
    kind: Literal["alertmanager", "grafana", "events", "webhook", "heartbeat"]
    name: str = Field(min_length=1, max_length=200)
    grouping_key: str = Field(
        default="",
        max_length=200,
        description="A label whose value groups alerts; empty uses the sender's own grouping.",
    )
    rate_limit_per_minute: int | None = Field(default=None, ge=1, le=INT_MAX)
    heartbeat_minutes: int | None = Field(
        default=None, ge=1, le=INT_MAX, description="Heartbeat integrations: the longest gap."
    )


class IntegrationOut(Schema):
    id: int
    service: int
    kind: str
    name: str
    token_prefix: str = Field(description="The start of the URL token, to tell URLs apart.")
    grouping_key: str
    rate_limit_per_minute: int
    heartbeat_minutes: int | None
    last_heartbeat_at: datetime | None
    is_active: bool
    created_at: datetime


class IntegrationCreatedOut(IntegrationOut):
    url: str = Field(
        description="The ingestion URL with its secret token. Shown only in this response:"
        " Kizuki stores only the token's SHA-256, so copy it now."
    )


class RoutingRuleIn(Schema):
    name: str = Field(default="", max_length=200)
    match_labels: dict[str, str] = Field(
        default_factory=dict,
        description="Labels an alert must carry with exactly these values (severity too).",
    )
    escalation_policy: int | str | None = Field(
        default=None, description="A policy id or name; empty uses the service's policy."
    )
    declare_severity: int | None = Field(
        default=None, ge=1, le=5, description="Also declare an incident of this severity."
    )
    position: int | None = Field(default=None, ge=0, le=32767)


class RoutingRuleOut(Schema):
    id: int
    service: int
    position: int
    name: str
    match_labels: dict[str, Any]
    escalation_policy: int | None
    escalation_policy_name: str | None
    declare_severity: int | None


class IntegrationPatch(Schema):
    is_active: bool | None = Field(
        default=None,
        description="false: its URL refuses alerts (404) and heartbeats are not checked, until"
        " set true again.",
    )


class RoutingRulePatch(Schema):
    name: str | None = Field(default=None, max_length=200)
    match_labels: dict[str, str] | None = Field(
        default=None, description="Replaces the labels; null or {} matches every alert."
    )
    escalation_policy: int | str | None = Field(
        default=None, description="A policy id or name; null uses the service's policy."
    )
    declare_severity: int | None = Field(
        default=None, ge=1, le=5, description="null: declare no incident."
    )
    position: int | None = Field(default=None, ge=0, le=32767)


class SendTestAlertIn(Schema):
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Labels the test alert carries, to try a routing rule (an events"
        " integration carries only source, severity, component, group and class).",
    )


class SilenceIn(Schema):
    minutes: int = Field(ge=1, le=SILENCE_MINUTES_MAX)


class AlertOut(Schema):
    id: int
    dedup_key: str
    status: str
    title: str
    severity: str
    labels: dict[str, Any]
    details: dict[str, Any]
    url: str
    links: list[dict[str, Any]]
    images: list[dict[str, Any]]
    raw: dict[str, Any]
    received_count: int
    first_received_at: datetime
    last_received_at: datetime
    resolved_at: datetime | None


class EscalationEventOut(Schema):
    at: datetime
    kind: str
    user: str | None
    data: dict[str, Any]


class NotificationOut(Schema):
    id: int
    user: str | None
    method: str
    status: str
    attempts: int
    last_error: str
    due_at: datetime
    sent_at: datetime | None


class AlertGroupOut(Schema):
    id: int
    service: str
    service_name: str
    integration: str | None
    group_key: str
    title: str
    status: str
    alert_count: int
    silenced_until: datetime | None
    escalation_status: str | None
    incident: str | None = Field(
        description="The linked incident's number, e.g. INC-12; null for a private incident."
    )
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None


class AlertGroupDetailOut(AlertGroupOut):
    alerts: list[AlertOut]
    escalation_history: list[EscalationEventOut]
    notifications: list[NotificationOut]


class SentTestAlertOut(Schema):
    group: AlertGroupOut = Field(description="The alert group the test alert landed in.")
    opened: bool = Field(
        description="false: it joined an alert group already open, so nobody was paged again."
    )


class AlertGroupPage(Schema):
    items: list[AlertGroupOut]
    count: int
    page: int
    pages: int


def integration_out(integration: Integration) -> IntegrationOut:
    return IntegrationOut(
        id=integration.pk,
        service=integration.service_id,
        kind=integration.kind,
        name=integration.name,
        token_prefix=integration.token_prefix,
        grouping_key=integration.grouping_key,
        rate_limit_per_minute=integration.rate_limit_per_minute,
        heartbeat_minutes=integration.heartbeat_minutes,
        last_heartbeat_at=utc(integration.last_heartbeat_at),
        is_active=integration.is_active,
        created_at=integration.created_at.astimezone(UTC),
    )


def rule_out(rule: RoutingRule) -> RoutingRuleOut:
    policy = rule.escalation_policy
    return RoutingRuleOut(
        id=rule.pk,
        service=rule.service_id,
        position=rule.position,
        name=rule.name,
        match_labels=rule.match_labels,
        escalation_policy=policy.pk if policy else None,
        escalation_policy_name=policy.name if policy else None,
        declare_severity=rule.declare_severity,
    )


def group_out(group: AlertGroup) -> AlertGroupOut:
    return AlertGroupOut(**_group_fields(group))


def _group_fields(group: AlertGroup) -> dict[str, Any]:
    count = getattr(group, "alert_count", None)
    return {
        "id": group.pk,
        "service": group.service.slug,
        "service_name": group.service.name,
        "integration": group.integration.name if group.integration else None,
        "group_key": group.group_key,
        "title": group.title,
        "status": group.status,
        "alert_count": count if count is not None else group.alerts.count(),
        "silenced_until": utc(group.silenced_until),
        "escalation_status": group.escalation.status if group.escalation else None,
        # Alert screens are shared: a private incident is not named there (to anyone).
        "incident": group.incident.ref if group.incident and not group.incident.private else None,
        "created_at": group.created_at.astimezone(UTC),
        "acknowledged_at": utc(group.acknowledged_at),
        "acknowledged_by": group.acknowledged_by.username if group.acknowledged_by else None,
        "resolved_at": utc(group.resolved_at),
    }


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        dedup_key=alert.dedup_key,
        status=alert.status,
        title=alert.title,
        severity=alert.severity,
        labels=alert.labels,
        details=alert.details,
        url=alert.url,
        links=alert.links,
        images=alert.images,
        raw=alert.raw,
        received_count=alert.received_count,
        first_received_at=alert.first_received_at.astimezone(UTC),
        last_received_at=alert.last_received_at.astimezone(UTC),
        resolved_at=utc(alert.resolved_at),
    )


def event_out(event: EscalationEvent) -> EscalationEventOut:
    return EscalationEventOut(
        at=event.at.astimezone(UTC),
        kind=event.kind,
        user=event.user.username if event.user else None,
        data=event.data,
    )


def notification_out(page: Page) -> NotificationOut:
    return NotificationOut(
        id=page.pk,
        user=page.user.username if page.user else None,
        method=page.method,
        status=page.status,
        attempts=page.attempts,
        last_error=page.last_error,
        due_at=page.due_at.astimezone(UTC),
        sent_at=utc(page.sent_at),
    )


def group_detail_out(
    group: AlertGroup, alerts: list[Alert], history: list[EscalationEvent], pages: list[Page]
) -> AlertGroupDetailOut:
    return AlertGroupDetailOut(
        **_group_fields(group),
        alerts=[alert_out(a) for a in alerts],
        escalation_history=[event_out(e) for e in history],
        notifications=[notification_out(p) for p in pages],
    )

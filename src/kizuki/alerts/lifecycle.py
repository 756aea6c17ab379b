"""Called only from alerts.actions and ingestion (under actions or the worker); the caller owns
the transaction.

State changes of one alert group, shared by ingestion and the public actions. Callers hold
the group's lock (or just created the group), except that mark_acknowledged needs none."""

from datetime import datetime
from typing import Any

from django.db.models import Q

from kizuki.accounts.models import User
from kizuki.alerts import links
from kizuki.alerts.models import AlertGroup, GroupStatus
from kizuki.core.actions import record_audit
from kizuki.incidents.timeline_actions import record_paging_event
from kizuki.oncall import actions as oncall
from kizuki.oncall.models import EscalationPolicy, EscalationStatus

OPEN = (GroupStatus.FIRING, GroupStatus.ACKNOWLEDGED)
STOPPED = (EscalationStatus.ACKNOWLEDGED, EscalationStatus.RESOLVED)


def snapshot(group: AlertGroup) -> dict[str, Any]:
    """The audited view of a group: plain JSON values."""
    return {
        "status": group.status,
        "title": group.title,
        "silenced_until": group.silenced_until.isoformat() if group.silenced_until else None,
        "escalation": group.escalation_id,
        "incident": group.incident_id,
    }


def actor_name(actor: User | None, group: AlertGroup) -> str:
    """Who to name on the incident timeline: the person, else the sender that acted."""
    if actor is not None:
        return actor.username
    return group.integration.name if group.integration is not None else "Kizuki"


def page(group: AlertGroup, policy: EscalationPolicy, description: Any = "") -> None:
    """Start paging the policy's people about this group."""
    service = group.service.name
    summary = (
        f"{service}: {description}" if isinstance(description, str) and description else service
    )
    group.escalation = oncall.start_escalation(
        policy,
        group.title,
        summary=summary,
        link=links.group_url(group.pk),
        ack_link=links.ack_url(group.pk),
    )
    group.save(update_fields=["escalation"])


def mark_acknowledged(group: AlertGroup, actor: User | None, now: datetime) -> bool:
    """The one write that acknowledges a group (and ends its silence), audited once. A
    conditional update, so whichever side gets here first (the group's own acknowledge, or
    its escalation's EscalationAcknowledged event) wins and the other changes nothing, in
    any order. Returns whether this call changed the group; `group` is fresh either way."""
    before = snapshot(group)
    changed = (
        AlertGroup.objects.filter(pk=group.pk, status__in=OPEN)
        .filter(Q(status=GroupStatus.FIRING) | Q(silenced_until__isnull=False))
        .update(
            status=GroupStatus.ACKNOWLEDGED,
            acknowledged_at=now,
            acknowledged_by=actor,
            silenced_until=None,
        )
    )
    group.refresh_from_db(fields=["status", "acknowledged_at", "acknowledged_by", "silenced_until"])
    if changed:
        record_audit(actor, "alert_group.acknowledge", group, before=before, after=snapshot(group))
    return bool(changed)


def acknowledge(group: AlertGroup, actor: User | None, now: datetime) -> None:
    """Acknowledge the group and stop its paging. The 'page_acknowledged' timeline entry is
    written by the EscalationAcknowledged handler (actions.record_escalation_event) when
    there is paging to stop, and here only when there is none (so no event comes)."""
    marked = mark_acknowledged(group, actor, now)
    escalation = group.escalation
    # An exhausted escalation's pages still go out until someone acknowledges.
    if escalation is not None and escalation.status not in STOPPED:
        oncall.acknowledge_escalation(escalation, actor)
    elif marked and group.incident is not None:
        record_paging_event(
            group.incident, "page_acknowledged", actor, user=actor_name(actor, group)
        )


def resolve(group: AlertGroup, actor: User | None, now: datetime) -> None:
    before = snapshot(group)
    group.status = GroupStatus.RESOLVED
    group.resolved_at = now
    group.save(update_fields=["status", "resolved_at"])
    record_audit(actor, "alert_group.resolve", group, before=before, after=snapshot(group))
    escalation = group.escalation
    if escalation is not None and escalation.status != EscalationStatus.RESOLVED:
        oncall.resolve_escalation(escalation, actor)


def wake(group: AlertGroup) -> None:
    """A silence ended on an open group: it fires again and paging starts over."""
    before = snapshot(group)
    group.status = GroupStatus.FIRING
    group.acknowledged_at = None
    group.acknowledged_by = None
    group.silenced_until = None
    if group.escalation is not None:
        group.past_escalations.add(group.escalation)
        group.escalation = None
    group.save()
    if group.escalation_policy is not None:
        first = group.alerts.order_by("first_received_at", "id").first()
        page(group, group.escalation_policy, first.details.get("description") if first else "")
    record_audit(None, "alert_group.silence_ended", group, before=before, after=snapshot(group))

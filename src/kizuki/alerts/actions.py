"""The only write path for alerts: ingestion (parse, rate-limit, de-duplicate, group, route,
page) in one transaction per request; the alert group lifecycle (acknowledge, resolve,
silence), which stops or restarts paging through the on-call actions; heartbeats; the SOS
form; integrations and routing rules.

Concurrency: ingestion first counts the request against the integration's rate window in
a statement of its own (the row is locked inside the database for that statement only,
never while alerts are stored, and a refusal costs next to nothing), then stores the
alerts in one transaction that locks the open groups it touches: requests touching the
same group apply one at a time, others in parallel. A partial unique index allows one open
group per service and key, so two requests opening one group at once make one."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.alerts import lifecycle
from kizuki.alerts.ingestion import record
from kizuki.alerts.models import (
    Alert,
    AlertGroup,
    AlertStatus,
    GroupStatus,
    Integration,
    IntegrationKind,
)
from kizuki.alerts.parsers import AlertEvent, EventStatus, parse, parse_change
from kizuki.alerts.probe import payload_for
from kizuki.alerts.queries import page_address
from kizuki.alerts.ratelimit import count_alerts
from kizuki.alerts.setup_actions import create_integration
from kizuki.catalog.actions import record_change
from kizuki.catalog.models import Service, ServiceChange
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.incidents.timeline_actions import PagingEntry, record_paging_events
from kizuki.oncall.events import (
    EscalationAcknowledged,
    EscalationEvent,
    EscalationStepRan,
    PageFailed,
    PageSent,
)

SILENCE_MINUTES_MAX = 7 * 24 * 60
DEADLOCK_RETRIES = 2
SOS_NAME = "SOS"


@dataclass
class Ingested:
    """What one request did: how many alerts it carried and which groups they landed in."""

    alerts: int
    groups: list[int] = field(default_factory=list)
    dedup_keys: list[str] = field(default_factory=list)


def ingest(integration: Integration, payload: Any) -> Ingested:
    """Take one request's payload. A bad payload raises InvalidInput before anything is
    stored; going over the integration's limit raises RateLimited and stores nothing."""
    events = parse(integration.kind, payload, integration.grouping_key)
    count_alerts(integration, max(len(events), 1), clock.now())
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                now = clock.now()
                applied = events
                if integration.kind == IntegrationKind.HEARTBEAT:
                    applied = _heartbeat_received(integration, now)
                groups = record(integration.service_id, integration, applied, now)
            break
        except OperationalError as error:
            if attempt == DEADLOCK_RETRIES or not _deadlock_victim(error):
                raise
    return Ingested(len(events), groups, [event.dedup_key for event in events])


def _deadlock_victim(error: OperationalError) -> bool:
    """PostgreSQL broke a lock cycle by rolling this transaction back (SQLSTATE 40P01): a
    request that found a group another had just opened can meet one that locked it first.
    Nothing was stored, so the request may run again, unless a caller's transaction was
    rolled back with it."""
    victim = getattr(error.__cause__, "sqlstate", None) == "40P01"
    return victim and not transaction.get_connection().in_atomic_block


def ingest_change(integration: Integration, payload: Any) -> ServiceChange:
    """Take an Events API v2 change event: a recent change on the integration's service. It
    counts against the integration's rate limit like an alert."""
    change = parse_change(payload)
    count_alerts(integration, 1, clock.now())
    with transaction.atomic():
        now = clock.now()
        return record_change(
            integration.service,
            change.summary,
            source=change.source,
            happened_at=change.happened_at,
            details=change.details,
            links=change.links,
            now=now,
        )


# Heartbeats ---------------------------------------------------------------------------


def _miss_group_key(integration: Integration) -> str:
    return f"heartbeat:{integration.pk}"


def _miss_event(integration: Integration, dedup_key: str, status: EventStatus) -> AlertEvent:
    return AlertEvent(
        dedup_key=dedup_key,
        group_key=_miss_group_key(integration),
        status=status,
        title=_("Heartbeat missed: %(name)s") % {"name": integration.name},
        labels={"source": "heartbeat", "integration": integration.name},
        details={
            "description": _("No heartbeat for %(minutes)s minutes.")
            % {"minutes": integration.heartbeat_minutes}
        },
        raw={},
    )


def _heartbeat_received(integration: Integration, now: datetime) -> list[AlertEvent]:
    """Note the heartbeat (which also locks the integration's row against the missed-heartbeat
    check); returns resolves for the missed-heartbeat alerts still firing."""
    Integration.objects.filter(pk=integration.pk).update(last_heartbeat_at=now)
    firing = Alert.objects.filter(
        group__service_id=integration.service_id,
        group__group_key=_miss_group_key(integration),
        group__status__in=lifecycle.OPEN,
        status=AlertStatus.FIRING,
    ).values_list("dedup_key", flat=True)
    return [_miss_event(integration, key, "resolved") for key in firing]


def _overdue(integration: Integration, now: datetime) -> bool:
    since = integration.last_heartbeat_at or integration.created_at
    minutes = integration.heartbeat_minutes or 0
    return bool(minutes) and now > since + timedelta(minutes=minutes)


def _miss_key(integration: Integration) -> str:
    """A miss is named by the last heartbeat before it, so it is raised once however often
    the check runs, even when someone resolved it by hand."""
    since = integration.last_heartbeat_at or integration.created_at
    return f"heartbeat-missed:{since.isoformat()}"


def _raised(integration: Integration) -> bool:
    key = _miss_key(integration)
    return Alert.objects.filter(group__integration=integration, dedup_key=key).exists()


def check_heartbeats() -> int:
    """Periodic (every worker tick): open one alert per missed heartbeat; returns how many.
    Reads only, unless a miss needs raising."""
    now = clock.now()
    candidates = Integration.objects.filter(
        kind=IntegrationKind.HEARTBEAT, is_active=True, heartbeat_minutes__isnull=False
    )
    late = [i for i in candidates if _overdue(i, now) and not _raised(i)]
    return sum(_raise_missed(integration.pk) for integration in late)


@transaction.atomic
def _raise_missed(integration_id: int) -> bool:
    """Check again under the integration's lock, which a heartbeat being received holds."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    now = clock.now()
    key = _miss_key(integration)
    if not _overdue(integration, now) or _raised(integration):
        return False
    record(integration.service_id, integration, [_miss_event(integration, key, "firing")], now)
    return True


# Alert group lifecycle ----------------------------------------------------------------


def _locked(group: AlertGroup) -> AlertGroup:
    return (
        AlertGroup.objects.select_for_update(of=("self",))
        .select_related("service", "escalation", "incident", "integration")
        .get(pk=group.pk)
    )


def _refuse_resolved(group: AlertGroup) -> None:
    if group.status == GroupStatus.RESOLVED:
        raise Conflict(_("Alert group %(id)s is already resolved.") % {"id": group.pk})


@transaction.atomic
def acknowledge_group(actor: User | None, group: AlertGroup) -> AlertGroup:
    """Someone is on it: paging stops. Acknowledging an acknowledged group does nothing,
    except that it ends a silence, so paging will not restart when the silence would end."""
    group = _locked(group)
    _refuse_resolved(group)
    if group.status == GroupStatus.ACKNOWLEDGED and group.silenced_until is None:
        return group
    lifecycle.acknowledge(group, actor, clock.now())
    return group


@transaction.atomic
def resolve_group(actor: User | None, group: AlertGroup) -> AlertGroup:
    """Close the group and its paging; resolving twice does nothing. An alert with the same
    key arriving later opens a new group."""
    group = _locked(group)
    if group.status != GroupStatus.RESOLVED:
        lifecycle.resolve(group, actor, clock.now())
    return group


@transaction.atomic
def silence_group(actor: User | None, group: AlertGroup, minutes: int) -> AlertGroup:
    """Stop paging for `minutes`. Silencing acknowledges (the group shows who silenced it);
    if the group is still open when the silence ends it fires and pages again. A new group
    opened meanwhile for the same key waits out the same silence before paging."""
    if not 1 <= minutes <= SILENCE_MINUTES_MAX:
        raise InvalidInput(
            _("Silence for 1 to %(max)s minutes, not %(minutes)s.")
            % {"max": SILENCE_MINUTES_MAX, "minutes": minutes}
        )
    group = _locked(group)
    _refuse_resolved(group)
    now = clock.now()
    if group.status == GroupStatus.FIRING:
        lifecycle.acknowledge(group, actor, now)
    before = lifecycle.snapshot(group)
    group.silenced_until = now + timedelta(minutes=minutes)
    group.save(update_fields=["silenced_until"])
    record_audit(
        actor, "alert_group.silence", group, before=before, after=lifecycle.snapshot(group)
    )
    return group


def end_silences() -> int:
    """Periodic: open groups whose silence has ended fire and page again. Returns how many."""
    now = clock.now()
    due = AlertGroup.objects.filter(status__in=lifecycle.OPEN, silenced_until__lte=now)
    woken = 0
    for pk in list(due.values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            group = (
                AlertGroup.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("service", "escalation", "escalation_policy")
                .filter(pk=pk, status__in=lifecycle.OPEN, silenced_until__lte=now)
                .first()
            )
            if group is not None:
                lifecycle.wake(group)
                woken += 1
    return woken


def record_escalation_event(event: EscalationEvent) -> None:
    """Subscribed to the engine's escalation events: an acknowledgement made on the on-call
    side acknowledges the group too, and paging steps (and the acknowledgement, written only
    here while paging runs) go on the linked incident's timeline."""
    record_escalation_events([event])


@transaction.atomic
def record_escalation_events(events: list[EscalationEvent]) -> None:
    """record_escalation_event for a batch of the worker's events, in order: their groups and
    people are read in one query each and the timeline entries written in one insert."""
    # One group per escalation (the paging it started).
    linked = AlertGroup.objects.select_related("incident", "integration").filter(
        escalation_id__in={event.escalation_id for event in events}
    )
    groups = {group.escalation_id: group for group in linked}
    if not groups:
        return
    names = {event.user for event in events if event.user and event.escalation_id in groups}
    people = {person.username: person for person in User.objects.filter(username__in=names)}
    entries: list[PagingEntry] = []
    for event in events:
        group = groups.get(event.escalation_id)
        if group is None:
            continue
        data, user = event.data, event.user
        person = people.get(user) if user else None
        acknowledged = isinstance(event, EscalationAcknowledged)
        if acknowledged:
            # A no-op when the group's own acknowledge got there first (it stops the paging).
            lifecycle.mark_acknowledged(group, person, clock.now())
        if group.incident is None:
            continue
        # Nobody named: a chat channel was paged (its name is the address), or a sender acted.
        who = user or page_address(data.get("page")) or lifecycle.actor_name(None, group)
        if isinstance(event, EscalationStepRan):
            entries.append((group.incident, "escalated", person, {"step": data.get("step", "")}))
        elif isinstance(event, PageSent):
            values = {"user": who, "method": data.get("method", "")}
            entries.append((group.incident, "page_sent", person, values))
        elif isinstance(event, PageFailed):
            values = {"user": who, "method": data.get("method", ""), "error": data.get("error", "")}
            entries.append((group.incident, "page_failed", person, values))
        elif acknowledged:
            entries.append((group.incident, "page_acknowledged", person, {"user": who}))
    record_paging_events(entries)


# SOS -----------------------------------------------------------------------------------


@transaction.atomic
def raise_sos(actor: User, service: Service, problem: str) -> AlertGroup:
    """Someone outside engineering asks for help: a generic-webhook alert on the service's
    internal SOS integration (made on first use), so its on-call is paged like any alert."""
    problem = problem.strip()
    if not problem:
        raise InvalidInput(_("Describe the problem."))
    integration = Integration.objects.filter(
        service=service, kind=IntegrationKind.WEBHOOK, name=SOS_NAME
    ).first()
    if integration is None:
        integration, _token = create_integration(actor, service, IntegrationKind.WEBHOOK, SOS_NAME)
    first_line = problem.splitlines()[0][:150]
    payload = {
        "title": _("SOS: %(problem)s") % {"problem": first_line},
        "severity": "critical",
        "labels": {"source": "sos", "reported_by": actor.username},
        "details": {"description": problem, "reported_by": actor.username},
    }
    result = ingest(integration, payload)
    group = AlertGroup.objects.get(pk=result.groups[0])
    record_audit(actor, "alert.sos", group, after={"service": service.slug, "problem": problem})
    return group


# Test alerts ---------------------------------------------------------------------------


@dataclass
class SentTestAlert:
    """Where a test alert landed: its group, and whether the test opened it (a test grouped
    into a group already open pages nobody again)."""

    group: AlertGroup
    opened: bool


def send_test_alert(
    actor: User, integration: Integration, labels: dict[str, str] | None = None
) -> SentTestAlert:
    """Send a marked test alert through the integration as its sender would: it is parsed,
    rate-limited, routed and pages like a real one. An inactive integration refuses it."""
    if not integration.is_active:
        raise Conflict(
            _("%(name)s is inactive: it refuses alerts, so no test alert was sent.")
            % {"name": integration.name}
        )
    payload = payload_for(integration.kind, integration.name, actor.username, labels or {})
    with transaction.atomic():
        result = ingest(integration, payload)
        group = AlertGroup.objects.select_related("incident", "escalation_policy").get(
            pk=result.groups[0]
        )
        opened = not group.alerts.exclude(dedup_key__in=result.dedup_keys).exists()
        record_audit(
            actor,
            "alert.test",
            group,
            after={"integration": integration.pk, "labels": labels or {}, "opened": opened},
        )
    return SentTestAlert(group, opened)

"""Called only from alerts.ingestion under alerts.actions; the caller owns the transaction.

Opening a new alert group: pick the routing rule, inherit a running silence, page the
chosen escalation policy, and declare an incident when the rule says so."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from kizuki.alerts import links
from kizuki.alerts.events import AlertGroupTriggered
from kizuki.alerts.lifecycle import OPEN, page, snapshot
from kizuki.alerts.models import AlertGroup, GroupStatus, Integration, RoutingRule
from kizuki.alerts.parsers import AlertEvent
from kizuki.catalog.models import Service
from kizuki.core.actions import record_audit
from kizuki.core.events import publish
from kizuki.core.sql import fetch, table
from kizuki.incidents.actions import report_incident
from kizuki.incidents.timeline_actions import record_paging_event

INCIDENT_TITLE_MAX = 200


def matches(rule: RoutingRule, labels: dict[str, str]) -> bool:
    """Every label the rule names must be present with exactly that value (severity is just
    another label). A rule naming no labels matches everything."""
    wanted: dict[str, Any] = rule.match_labels or {}
    return all(labels.get(str(key)) == str(value) for key, value in wanted.items())


# The reads of every group that opens are written out: the ORM took longer to build them
# than the database to run them (issue 15's paging speed).


def choose_rule(service: Service, labels: dict[str, str]) -> RoutingRule | None:
    rule = table(RoutingRule)
    rules = fetch(
        RoutingRule,
        f"WHERE {rule}.service_id = %s ORDER BY {rule}.position, {rule}.id",
        [service.pk],
        joined=("escalation_policy",),
    )
    return next((rule for rule in rules if matches(rule, labels)), None)


def _running_silence(service: Service, group_key: str, now: datetime) -> datetime | None:
    """A silence set on an earlier group with this key that has not ended yet."""
    latest = fetch(
        AlertGroup,
        "WHERE service_id = %s AND group_key = %s AND silenced_until > %s"
        " ORDER BY silenced_until DESC LIMIT 1",
        [service.pk, group_key, connection.ops.adapt_datetimefield_value(now)],
        fields=("id", "silenced_until"),
    )
    return latest[0].silenced_until if latest else None


def _description(event: AlertEvent) -> str:
    text = event.details.get("description")
    return text if isinstance(text, str) else ""


def lock_open(service_id: int, group_key: str) -> AlertGroup | None:
    """The open group for the key, locked until commit (None if there is none)."""
    found = AlertGroup.objects.select_for_update(of=("self",)).filter(
        service_id=service_id, group_key=group_key, status__in=OPEN
    )
    return found.first()


def open_group(
    service: Service, integration: Integration | None, event: AlertEvent, now: datetime
) -> tuple[AlertGroup, bool]:
    """The open group for the event's key, made now unless another request made it a moment
    ago; True if made here. The partial unique index (one open group per service and key)
    decides: a second insert waits for the first transaction and fails if it committed, and
    then the group it made is locked and used."""
    rule = choose_rule(service, event.labels)
    policy = (rule.escalation_policy if rule else None) or service.escalation_policy
    group = AlertGroup(
        service=service,
        integration=integration,
        group_key=event.group_key,
        title=event.title,
        status=GroupStatus.FIRING,
        silenced_until=_running_silence(service, event.group_key, now),
        routing_rule=rule,
        escalation_policy=policy,
        created_at=now,
    )
    for attempt in range(3):
        try:
            with transaction.atomic():
                group.save(force_insert=True)
            break
        except IntegrityError:
            if attempt == 2:
                raise
            group.pk = None
            existing = lock_open(service.pk, event.group_key)
            if existing is not None:
                return existing, False
            # It was resolved meanwhile: open one after all.
    if rule is not None and rule.declare_severity is not None:
        _declare(group, event, rule.declare_severity)
    if policy is not None and group.silenced_until is None:
        page(group, policy, _description(event))
    record_audit(
        None,
        "alert_group.open",
        group,
        after={
            **snapshot(group),
            "rule": rule.pk if rule else None,
            "policy": policy and policy.pk,
        },
    )
    publish(AlertGroupTriggered(group.pk, service.pk, group.incident_id))
    return group, True


def _declare(group: AlertGroup, event: AlertEvent, severity: int) -> None:
    lines = [
        _description(event),
        event.url,
        _("Alert group: %(url)s") % {"url": links.group_url(group.pk)},
    ]
    incident = report_incident(
        None,
        group.title[:INCIDENT_TITLE_MAX],
        "\n\n".join(line for line in lines if line),
        severity=severity,
        services=[group.service],
        page_on_call=False,  # the group's own escalation pages
    )
    group.incident = incident
    group.save(update_fields=["incident"])
    record_paging_event(incident, "alert_linked", group=group.pk, title=group.title)

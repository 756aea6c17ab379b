"""Called only from alerts.actions, which owns the transaction (and took the rate-limit lock).

Applying parsed alert events to a service's alert groups: the hot path of ingestion.
A request costs a fixed number of queries whatever its size, plus a few per group it opens."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F

from kizuki.alerts.lifecycle import OPEN, acknowledge, resolve
from kizuki.alerts.models import Alert, AlertGroup, AlertStatus, GroupStatus, Integration
from kizuki.alerts.parsers import AlertEvent
from kizuki.alerts.routing import open_group


def _open_groups(service_id: int, keys: set[str]) -> dict[str, AlertGroup]:
    found = AlertGroup.objects.filter(service_id=service_id, group_key__in=keys, status__in=OPEN)
    # Newest last, so it wins should two ever be open for one key.
    return {group.group_key: group for group in found.order_by("created_at", "id")}


def _load(
    service_id: int, events: list[AlertEvent]
) -> tuple[dict[str, AlertGroup], dict[tuple[int, str], Alert]]:
    """The open groups for the events' keys and the alerts already in them, by key. Repeats
    of known alerts, the usual traffic, cost one query (alerts joined with their groups); a
    second finds open groups none of these alerts are in yet."""
    keys = {event.group_key for event in events}
    found = (
        Alert.objects.filter(
            group__service_id=service_id,
            group__group_key__in=keys,
            group__status__in=OPEN,
            dedup_key__in={event.dedup_key for event in events},
        )
        .select_related("group")
        .defer("raw", "first_received_at")
        .order_by("group__created_at", "group_id")
    )
    groups: dict[str, AlertGroup] = {}
    alerts: dict[tuple[int, str], Alert] = {}
    for alert in found:
        groups[alert.group.group_key] = alert.group
        alerts[(alert.group_id, alert.dedup_key)] = alert
    for alert in alerts.values():
        alert.group = groups[alert.group.group_key]  # one object per group
    missing = keys - set(groups)
    if missing:
        groups.update(_open_groups(service_id, missing))
    return groups, alerts


def _new_alert(group: AlertGroup, event: AlertEvent, now: datetime) -> Alert:
    resolved = event.status == "resolved"
    return Alert(
        group=group,
        dedup_key=event.dedup_key,
        status=AlertStatus.RESOLVED if resolved else AlertStatus.FIRING,
        title=event.title,
        severity=event.severity,
        labels=event.labels,
        details=event.details,
        url=event.url,
        links=event.links,
        images=event.images,
        raw=event.raw,
        received_count=1,
        first_received_at=now,
        last_received_at=now,
        resolved_at=now if resolved else None,
    )


CONTENT = ("title", "severity", "details", "url", "links", "images")


def _content(alert: Alert, event: AlertEvent) -> dict[str, Any]:
    """What a repeat makes of the alert's content: a field the repeat leaves empty keeps the
    value an earlier event gave it (senders often send the details only once), a non-empty
    one replaces it; labels count one by one."""
    fresh = {name: getattr(event, name) or getattr(alert, name) for name in CONTENT}
    fresh["labels"] = {**alert.labels, **event.labels}
    return fresh


@dataclass
class Change:
    """What one request changes on a stored alert: its count goes up by `seen`, and the
    fields in `values` take new values."""

    seen: int = 0
    values: dict[str, Any] = field(default_factory=dict)


def _update_alert(alert: Alert, event: AlertEvent, now: datetime, change: Change | None) -> None:
    """Apply a repeat of a known alert; for a stored one, `change` collects what to write.
    The raw payload kept is the one that last changed the alert, so a repeat that only says
    "still firing" costs a counter bump."""
    alert.received_count += 1
    alert.last_received_at = now
    if event.status == "resolved":
        fresh: dict[str, Any] = {
            "status": AlertStatus.RESOLVED,
            "resolved_at": alert.resolved_at or now,
        }
    else:
        fresh = {"status": AlertStatus.FIRING, "resolved_at": None, **_content(alert, event)}
    differs = {name: value for name, value in fresh.items() if getattr(alert, name) != value}
    if differs or change is None:
        differs["raw"] = event.raw
    for name, value in differs.items():
        setattr(alert, name, value)
    if change is not None:
        change.seen += 1
        change.values.update(differs)


def _write_changes(changes: dict[int, Change], now: datetime) -> None:
    """One UPDATE per distinct change (usually one in all: "seen once more")."""
    batches: dict[str, tuple[Change, list[int]]] = {}
    for pk, change in changes.items():
        key = json.dumps([change.seen, change.values], sort_keys=True, cls=DjangoJSONEncoder)
        batches.setdefault(key, (change, []))[1].append(pk)
    for change, ids in batches.values():
        Alert.objects.filter(pk__in=ids).update(
            received_count=F("received_count") + change.seen,
            last_received_at=now,
            **change.values,
        )


def record(
    service_id: int, integration: Integration | None, events: list[AlertEvent], now: datetime
) -> list[int]:
    """Apply events in order: find the open group for each key or open one, upsert the alert
    by its dedup key, then resolve groups left with nothing firing. Returns the ids of the
    groups touched. The caller runs one request of this integration at a time (ingest holds
    the integration's rate-window row, the heartbeat check the integration row)."""
    groups, alerts = _load(service_id, events)
    touched: dict[int, AlertGroup] = {}
    new: list[Alert] = []
    changed: dict[int, Change] = {}
    resolving: set[int] = set()
    acknowledging: list[AlertGroup] = []
    for event in events:
        group = groups.get(event.group_key)
        if group is None:
            if event.status != "firing":
                continue  # nothing open to resolve or acknowledge
            group, made = open_group(service_id, integration, event, now)
            groups[event.group_key] = group
            if not made:  # just opened by another integration of the service
                same_key = [e for e in events if e.group_key == event.group_key]
                alerts.update(_load(service_id, same_key)[1])
        touched[group.pk] = group
        if event.status == "acknowledged":
            acknowledging.append(group)
            continue
        alert = alerts.get((group.pk, event.dedup_key))
        if alert is None:
            alert = alerts[(group.pk, event.dedup_key)] = _new_alert(group, event, now)
            new.append(alert)
        elif alert.pk is None:
            _update_alert(alert, event, now, None)
        else:
            _update_alert(alert, event, now, changed.setdefault(alert.pk, Change()))
        if event.status == "resolved":
            resolving.add(group.pk)
    Alert.objects.bulk_create(new)
    _write_changes(changed, now)
    _resolve_finished(touched, resolving, now)
    for group in acknowledging:
        if group.status == GroupStatus.FIRING:
            acknowledge(group, None, now)
    return list(touched)


def _resolve_finished(groups: dict[int, AlertGroup], candidates: set[int], now: datetime) -> None:
    """Resolve the groups that got a resolve and have no firing alert left."""
    if not candidates:
        return
    firing = set(
        Alert.objects.filter(group_id__in=candidates, status=AlertStatus.FIRING)
        .values_list("group_id", flat=True)
        .distinct()
    )
    for pk in sorted(candidates - firing):
        resolve(groups[pk], None, now)

"""Called only from alerts.actions, which owns the transaction.

Applying parsed alert events to a service's alert groups: the hot path of ingestion.
A request costs a fixed number of queries whatever its size (lock its groups, read their
alerts, insert the new ones in one statement, one UPDATE per distinct change), plus a few
per group it opens."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F

from kizuki.alerts.lifecycle import OPEN, acknowledge, resolve
from kizuki.alerts.models import Alert, AlertGroup, AlertStatus, GroupStatus, Integration
from kizuki.alerts.parsers import AlertEvent
from kizuki.alerts.routing import open_group
from kizuki.catalog.models import Service
from kizuki.core.sql import fetch, marks, table

# The statements below run on every request: they are written out in SQL, as the ORM would
# build them, because building them took more time than running them (issue 15's ingestion
# speed). Columns are the models' own (no db_column is set in alerts.models); only table
# names and placeholders are put into the text (hence the noqa: S608), values are parameters.


def _lock_groups(service_id: int, keys: set[str]) -> dict[str, AlertGroup]:
    """The open groups for the keys, locked until commit in id order (so two requests never
    wait on each other crosswise): requests touching the same group apply one at a time."""
    if not keys:
        return {}  # a heartbeat with nothing to raise or resolve
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found = fetch(
        AlertGroup,
        f"WHERE service_id = %s AND status IN ({marks(OPEN)}) AND group_key IN ({marks(keys)})"
        f" ORDER BY id{lock}",
        [service_id, *OPEN, *keys],
    )
    return {group.group_key: group for group in found}


def _alerts_in(groups: list[AlertGroup], events: list[AlertEvent]) -> dict[tuple[int, str], Alert]:
    """The stored alerts of these groups that the events name, in one query (without their
    raw payload and first receipt, which a repeat never reads)."""
    if not groups or not events:
        return {}
    group_ids = [group.pk for group in groups]
    keys = {event.dedup_key for event in events}
    found = fetch(
        Alert,
        f"WHERE group_id IN ({marks(group_ids)}) AND dedup_key IN ({marks(keys)})",
        [*group_ids, *keys],
        ALERT_READ,
    )
    return {(alert.group_id, alert.dedup_key): alert for alert in found}


def _open_missing(
    service_id: int,
    integration: Integration | None,
    events: list[AlertEvent],
    groups: dict[str, AlertGroup],
    now: datetime,
) -> tuple[dict[str, int], set[int]]:
    """Open a group for each key with no open group and a firing event, at the key's first
    firing event (earlier events of the key have nothing to act on and are skipped). Keys
    are opened in sorted order, so two requests opening several never deadlock. Returns the
    index of the opening event by key, and the ids of the groups made here (another request
    may have made one a moment ago)."""
    opening: dict[str, int] = {}
    made: set[int] = set()
    for index, event in enumerate(events):
        if event.group_key not in groups and event.status == "firing":
            opening.setdefault(event.group_key, index)
    if opening:
        service = fetch(
            Service, f"WHERE {table(Service)}.id = %s", [service_id], joined=("escalation_policy",)
        )[0]
        for key in sorted(opening):
            group, new = open_group(service, integration, events[opening[key]], now)
            groups[key] = group
            if new:
                made.add(group.pk)
    return opening, made


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
# What a repeat reads of a stored alert (not its raw payload nor its first receipt).
ALERT_READ = (
    "id",
    "group_id",
    "dedup_key",
    "status",
    "labels",
    "received_count",
    "last_received_at",
    "resolved_at",
    *CONTENT,
)


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
        if change.values:
            Alert.objects.filter(pk__in=ids).update(
                received_count=F("received_count") + change.seen,
                last_received_at=now,
                **change.values,
            )
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table(Alert)} SET received_count = received_count + %s,"  # noqa: S608
                f" last_received_at = %s WHERE id IN ({marks(ids)})",
                [change.seen, connection.ops.adapt_datetimefield_value(now), *ids],
            )


def record(
    service_id: int, integration: Integration | None, events: list[AlertEvent], now: datetime
) -> list[int]:
    """Apply events in order: find the open group for each key or open one, upsert the alert
    by its dedup key, then resolve groups left with nothing firing. Returns the ids of the
    groups touched. Every group written is locked first (or made here), so concurrent
    requests with the same keys count every alert once and open one group."""
    groups = _lock_groups(service_id, {event.group_key for event in events})
    opening, made = _open_missing(service_id, integration, events, groups, now)
    # A group made here has no alerts yet.
    alerts = _alerts_in([group for group in groups.values() if group.pk not in made], events)
    touched: dict[int, AlertGroup] = {}
    new: list[Alert] = []
    changed: dict[int, Change] = {}
    resolving: set[int] = set()
    acknowledging: list[AlertGroup] = []
    for index, event in enumerate(events):
        group = groups.get(event.group_key)
        if group is None or index < opening.get(event.group_key, 0):
            continue  # nothing open to resolve or acknowledge
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

"""Shared write helpers every app's actions use: the audit log and human-number counters."""

from typing import Any

from django.db import models

from kizuki.core import clock
from kizuki.core.models import AuditEntry, Counter


def record_audit(
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        at=clock.now(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def next_number(name: str) -> int:
    """The next value of a counter; call inside a transaction so the lock holds until commit."""
    counter, _ = Counter.objects.select_for_update().get_or_create(name=name)
    counter.value = models.F("value") + 1
    counter.save(update_fields=["value"])
    counter.refresh_from_db(fields=["value"])
    return counter.value

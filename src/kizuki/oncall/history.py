"""The escalation history: one row per thing that happened, told to higher apps as it is written.

`escalation.event` handlers (alerts puts paging on the incident timeline) run synchronously
inside the writer's transaction, so the history and their copies commit or vanish together."""

from typing import Any

from kizuki.accounts.models import User
from kizuki.core import clock, events
from kizuki.oncall.models import Escalation, EscalationEvent, EventKind

EVENT = "escalation.event"


def log_event(
    escalation: Escalation, kind: EventKind, user: User | None = None, **data: Any
) -> EscalationEvent:
    event = EscalationEvent.objects.create(
        escalation=escalation, at=clock.now(), kind=kind, user=user, data=data
    )
    events.emit(
        EVENT,
        escalation_id=escalation.pk,
        kind=str(kind),
        user=user.username if user else None,
        data=data,
    )
    return event

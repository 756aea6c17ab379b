"""Called only from oncall actions and the worker's engine and delivery; the caller owns the
transaction.

The escalation history: one row per thing that happened, told to higher apps as it is written.

Each row publishes its oncall.events class; the alerts app subscribes in the transaction (it
puts paging on the incident timeline), so the history and their copies commit or vanish
together."""

from typing import Any

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.events import publish, publish_all
from kizuki.oncall import events
from kizuki.oncall.models import Escalation, EscalationEvent, EventKind

FACTS: dict[str, type[events.EscalationEvent]] = {
    EventKind.TRIGGERED: events.EscalationTriggered,
    EventKind.STEP: events.EscalationStepRan,
    EventKind.REPEATED: events.EscalationRepeated,
    EventKind.EXHAUSTED: events.EscalationExhausted,
    EventKind.ACKNOWLEDGED: events.EscalationAcknowledged,
    EventKind.RESOLVED: events.EscalationResolved,
    EventKind.SENT: events.PageSent,
    EventKind.FAILED: events.PageFailed,
    EventKind.NOBODY: events.NobodyToPage,
}


def log_event(
    escalation: Escalation, kind: EventKind, user: User | None = None, **data: Any
) -> EscalationEvent:
    event = EscalationEvent.objects.create(
        escalation=escalation, at=clock.now(), kind=kind, user=user, data=data
    )
    publish(FACTS[kind](escalation.pk, user.username if user else None, data))
    return event


# (escalation, kind, user, data): one history row to write.
Entry = tuple[Escalation, EventKind, User | None, dict[str, Any]]


def log_events(entries: list[Entry]) -> None:
    """log_event for many rows at once (the worker's batches): one insert, then the facts are
    published together, in order, so a subscriber with a batch form handles them all at once
    (the alerts app writes their incident timeline entries in a few queries, not per page)."""
    now = clock.now()
    EscalationEvent.objects.bulk_create(
        [
            EscalationEvent(escalation=escalation, at=now, kind=kind, user=user, data=data)
            for escalation, kind, user, data in entries
        ]
    )
    publish_all(
        [
            FACTS[kind](escalation.pk, user.username if user else None, data)
            for escalation, kind, user, data in entries
        ]
    )

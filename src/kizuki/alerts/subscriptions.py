"""Every event the alerts app listens to, and when its handler runs (see core.events)."""

from kizuki.alerts import actions
from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.oncall import events as oncall


def register() -> None:
    # In the engine's transaction, so the timeline copy commits or vanishes with the history.
    # The worker's batches reach the batch form at once (core.events.publish_all).
    for event in (
        oncall.EscalationStepRan,
        oncall.PageSent,
        oncall.PageFailed,
        oncall.EscalationAcknowledged,
    ):
        subscribe(
            event,
            actions.record_escalation_event,
            delivery=IN_TRANSACTION,
            batch=actions.record_escalation_events,
        )

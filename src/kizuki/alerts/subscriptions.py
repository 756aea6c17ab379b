"""Every event the alerts app listens to, and when its handler runs (see core.events)."""

from kizuki.alerts import actions
from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.oncall import events as oncall


def register() -> None:
    # In the engine's transaction, so the timeline copy commits or vanishes with the history.
    subscribe(oncall.EscalationStepRan, actions.record_escalation_event, delivery=IN_TRANSACTION)
    subscribe(oncall.PageSent, actions.record_escalation_event, delivery=IN_TRANSACTION)
    subscribe(oncall.PageFailed, actions.record_escalation_event, delivery=IN_TRANSACTION)
    subscribe(
        oncall.EscalationAcknowledged, actions.record_escalation_event, delivery=IN_TRANSACTION
    )

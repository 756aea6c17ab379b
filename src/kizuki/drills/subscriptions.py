"""Every event the drills app listens to (called from DrillsConfig.ready())."""

from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.drills import actions
from kizuki.oncall.events import EscalationAcknowledged


def register() -> None:
    # Whoever acknowledges a test page's escalation, by any path, is recorded with the time.
    subscribe(EscalationAcknowledged, actions.record_acknowledgement, delivery=IN_TRANSACTION)

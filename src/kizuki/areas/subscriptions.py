"""Every event the areas app listens to, and when its handler runs (see core.events)."""

from kizuki.areas import actions
from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.incidents import events


def register() -> None:
    # In the declaring transaction: the proposal and its timeline entry commit with it.
    subscribe(events.IncidentDeclared, actions.propose_leads, delivery=IN_TRANSACTION)

"""Every event the formations app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.formations import actions
from kizuki.incidents import events


def register() -> None:
    # In the declaring transaction: the positions, checklists and their timeline entries commit
    # with the declaration.
    subscribe(events.IncidentDeclared, actions.on_declared, delivery=IN_TRANSACTION)
    # A new severity may pick another formation or other checklists: add what is missing.
    subscribe(events.SeverityChanged, actions.on_severity_changed, delivery=IN_TRANSACTION)

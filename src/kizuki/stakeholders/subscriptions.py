"""Every event the stakeholders app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import IN_TRANSACTION, subscribe
from kizuki.incidents import events as incidents
from kizuki.stakeholders import tasks


def register() -> None:
    # In post_status_update's transaction: the relay job commits with the update.
    subscribe(incidents.StatusUpdatePosted, tasks.on_status_update, delivery=IN_TRANSACTION)

"""Every event the retros app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import AFTER_COMMIT, IN_TRANSACTION, subscribe
from kizuki.incidents import events as incidents
from kizuki.retros import actions, indexing, policy_actions
from kizuki.retros.events import RetrospectiveStatusChanged


def register() -> None:
    # In the incident's transaction: the requirement commits with the resolve, and a refused
    # close rolls the whole move back.
    subscribe(
        incidents.IncidentStatusChanged, policy_actions.require_on_resolve, delivery=IN_TRANSACTION
    )
    subscribe(
        incidents.IncidentStatusChanged,
        policy_actions.refuse_close_until_published,
        delivery=IN_TRANSACTION,
    )
    # In the incident's transaction: made private, it keeps its retrospective's owner on it.
    subscribe(incidents.PrivacyChanged, actions.keep_owner_on_private, delivery=IN_TRANSACTION)
    # In the worker after commit (durably queued): the knowledge index follows publication.
    subscribe(RetrospectiveStatusChanged, indexing.on_status_changed, delivery=AFTER_COMMIT)

"""Every event the followups app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import AFTER_COMMIT, IN_TRANSACTION, subscribe
from kizuki.followups import actions, events, indexing
from kizuki.incidents.events import PrivacyChanged

# What changes a follow-up's document in the search index (reminders and exports do not).
INDEXED = (
    events.FollowUpCreated,
    events.FollowUpEdited,
    events.FollowUpDueDateChanged,
    events.FollowUpStatusChanged,
)


def register() -> None:
    # In the incident's transaction: made private, it keeps its follow-ups' owners on it.
    subscribe(PrivacyChanged, actions.keep_owners_on_private, delivery=IN_TRANSACTION)
    # In the worker, after the follow-up's change committed: the search index.
    for event_class in INDEXED:
        subscribe(event_class, indexing.on_followup_changed, delivery=AFTER_COMMIT)

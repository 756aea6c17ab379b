"""Every event the incidents app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import AFTER_COMMIT, IN_TRANSACTION, subscribe
from kizuki.incidents import events, mobilisation


def register() -> None:
    # In the reporting / declaring transaction: the page is queued with the report, or not at all.
    subscribe(events.IncidentReported, mobilisation.page_on_report, delivery=IN_TRANSACTION)
    subscribe(events.IncidentDeclared, mobilisation.page_key_people, delivery=IN_TRANSACTION)
    # In the worker: a message goes out only once the assignment committed.
    subscribe(events.RoleAssigned, mobilisation.tell_role_holder, delivery=AFTER_COMMIT)

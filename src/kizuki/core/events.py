"""Domain events: the facts an app publishes (frozen dataclasses in its `events.py`) and the
handlers other apps subscribe to them, so a lower app can tell higher ones what happened
without importing them.

The subscriber chooses when its handler runs:
- IN_TRANSACTION: at once, inside the publishing action's transaction; its writes commit or
  roll back with the action's.
- AFTER_COMMIT: in the worker, once the action committed. `publish` enqueues one `deliver`
  job per such handler in the action's transaction (an outbox), so a crash between commit
  and delivery loses nothing: the job is in the database and the next worker runs it.

A handler subscribed to a class also gets that class's subclasses. Event fields are ids and
plain values, so the event can travel in a job's JSON and be re-created in the worker."""

import dataclasses
import enum
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.utils.module_loading import import_string
from django_tasks import task


class Event:
    """Base of every domain event; each subclass is a frozen dataclass with a docstring."""


class Delivery(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


IN_TRANSACTION = Delivery.IN_TRANSACTION
AFTER_COMMIT = Delivery.AFTER_COMMIT

E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


@dataclasses.dataclass(frozen=True)
class Subscription:
    handler: Handler
    delivery: Delivery

    @property
    def name(self) -> str:
        """How a job names the handler: where it is defined."""
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: dict[type[Event], list[Subscription]] = defaultdict(list)


def _path(event_class: type[Event]) -> str:
    return f"{event_class.__module__}.{event_class.__qualname__}"


def subscribe(event_class: type[E], handler: Callable[[E], None], *, delivery: Delivery) -> None:
    """Call `handler` with each published `event_class` (or subclass) event. Subscribing the
    same handler twice changes nothing."""
    if not (dataclasses.is_dataclass(event_class) and issubclass(event_class, Event)):
        raise TypeError(f"{event_class!r} is not an event dataclass")
    subscription = Subscription(cast(Handler, handler), delivery)
    if subscription not in _subscriptions[event_class]:
        _subscriptions[event_class].append(subscription)


def unsubscribe(event_class: type[E], handler: Callable[[E], None]) -> None:
    """Tests take their handlers back with this."""
    _subscriptions[event_class] = [s for s in _subscriptions[event_class] if s.handler != handler]


def subscribers(event_class: type[Event]) -> list[Subscription]:
    """Everything subscribed to this class or one of its bases, in subscription order."""
    return [
        subscription
        for base in event_class.__mro__
        if base in _subscriptions
        for subscription in _subscriptions[base]
    ]


def publish(event: Event) -> None:
    """Tell the subscribers. Call it inside the action's transaction, after its writes."""
    fields: dict[str, Any] | None = None
    for subscription in subscribers(type(event)):
        if subscription.delivery is IN_TRANSACTION:
            subscription.handler(event)
            continue
        if fields is None:
            fields = dataclasses.asdict(cast(Any, event))
        deliver.enqueue(_path(type(event)), subscription.name, fields)


@task()
def deliver(event_path: str, handler_name: str, fields: dict[str, Any]) -> None:
    """In the worker: re-create the event and call the after-commit handler it was queued
    for. Only a handler subscribed to that class runs (the names come from the database)."""
    event_class = import_string(event_path)
    if not (isinstance(event_class, type) and issubclass(event_class, Event)):
        raise LookupError(f"{event_path} is not an event")
    for subscription in subscribers(event_class):
        if subscription.delivery is AFTER_COMMIT and subscription.name == handler_name:
            subscription.handler(event_class(**fields))
            return
    raise LookupError(f"{handler_name} is not subscribed to {event_path} after commit")

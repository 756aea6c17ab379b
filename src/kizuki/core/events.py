"""Domain events: the facts an app publishes (frozen dataclasses in its `events.py`) and the
handlers other apps subscribe to them, so a lower app can tell higher ones what happened
without importing them.

The subscriber chooses when its handler runs:
- IN_TRANSACTION: at once, inside the publishing action's transaction; its writes commit or
  roll back with the action's.
- AFTER_COMMIT: in the worker, once the action committed. `publish` writes the event and
  the names of such handlers into one `deliver_all` job in the action's transaction (an
  outbox), so a crash between commit and delivery loses nothing: the job is in the database
  and the next worker runs it. One job per event, not one per event and handler. In the
  worker each handler runs on its own: one that fails is queued again alone (`deliver`),
  and the others are not run twice.

A handler subscribed to a class also gets that class's subclasses. Event fields are ids and
plain values, so the event can travel in a job's JSON and be re-created in the worker.

A writer of many rows at once (the worker's batches) calls `publish_all`: an in-transaction
handler subscribed with a `batch` form gets its share of the events in one call, so it can
read and write for all of them in a few queries instead of a few per event."""

import dataclasses
import enum
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)


class Event:
    """Base of every domain event; each subclass is a frozen dataclass with a docstring."""


class Delivery(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


IN_TRANSACTION = Delivery.IN_TRANSACTION
AFTER_COMMIT = Delivery.AFTER_COMMIT

E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]
BatchHandler = Callable[[list[Any]], None]


@dataclasses.dataclass(frozen=True)
class Subscription:
    handler: Handler
    delivery: Delivery
    batch: BatchHandler | None = None

    @property
    def name(self) -> str:
        """How a job names the handler: where it is defined."""
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: dict[type[Event], list[Subscription]] = defaultdict(list)


def _path(event_class: type[Event]) -> str:
    return f"{event_class.__module__}.{event_class.__qualname__}"


def subscribe(
    event_class: type[E],
    handler: Callable[[E], None],
    *,
    delivery: Delivery,
    batch: Callable[[list[E]], None] | None = None,
) -> None:
    """Call `handler` with each published `event_class` (or subclass) event. `batch` (only
    in the transaction) does for a list of them, in order, what `handler` does for each; the
    events of one `publish_all` call reach it in one call. Subscribing the same handler twice
    changes nothing."""
    if not (dataclasses.is_dataclass(event_class) and issubclass(event_class, Event)):
        raise TypeError(f"{event_class!r} is not an event dataclass")
    if batch is not None and delivery is not IN_TRANSACTION:
        raise TypeError("only an in-transaction handler has a batch form")
    subscription = Subscription(cast(Handler, handler), delivery, cast(BatchHandler, batch))
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
    _tell(event, None)


def publish_all(events: list[Event]) -> None:
    """`publish` each event, in order, except that a handler with a batch form gets all its
    events in one call once the others have run (all still in the caller's transaction)."""
    batches: dict[BatchHandler, list[Event]] = {}
    for event in events:
        _tell(event, batches)
    for batch, share in batches.items():
        batch(share)


def _tell(event: Event, batches: dict[BatchHandler, list[Event]] | None) -> None:
    """Run the in-transaction handlers (or, given `batches`, set the event aside for those
    with a batch form) and queue one job for the after-commit ones."""
    handler_names: list[str] = []
    for subscription in subscribers(type(event)):
        if batches is not None and subscription.batch is not None:
            batches.setdefault(subscription.batch, []).append(event)
        elif subscription.delivery is IN_TRANSACTION:
            subscription.handler(event)
        else:
            handler_names.append(subscription.name)
    if handler_names:
        fields = dataclasses.asdict(cast(Any, event))
        deliver_all.enqueue(
            [{"event": _path(type(event)), "fields": fields, "handlers": handler_names}]
        )


def _run(event_path: str, handler_name: str, fields: dict[str, Any]) -> None:
    """Re-create the event and call the after-commit handler named. Only a handler
    subscribed to that class runs (the names come from the database)."""
    event_class = import_string(event_path)
    if not (isinstance(event_class, type) and issubclass(event_class, Event)):
        raise LookupError(f"{event_path} is not an event")
    for subscription in subscribers(event_class):
        if subscription.delivery is AFTER_COMMIT and subscription.name == handler_name:
            subscription.handler(event_class(**fields))
            return
    raise LookupError(f"{handler_name} is not subscribed to {event_path} after commit")


@task()
def deliver_all(deliveries: list[dict[str, Any]]) -> None:
    """In the worker: every after-commit handler of every event one transaction published,
    in order, each on its own. A handler that fails is logged and queued again alone as a
    `deliver` job (whose failure is then recorded against that handler); the handlers that
    succeeded are not run again. If the worker dies mid-job, the whole job runs again."""
    for delivery in deliveries:
        for handler_name in delivery["handlers"]:
            try:
                _run(delivery["event"], handler_name, delivery["fields"])
            except Exception:
                logger.exception("%s failed on %s; queued again", handler_name, delivery["event"])
                # With the database away this raises too, and the worker puts the whole job back.
                deliver.enqueue(delivery["event"], handler_name, delivery["fields"])


@task()
def deliver(event_path: str, handler_name: str, fields: dict[str, Any]) -> None:
    """In the worker: one after-commit handler of one event, again after it failed in its
    `deliver_all` job (and for jobs queued one per handler by earlier versions)."""
    _run(event_path, handler_name, fields)

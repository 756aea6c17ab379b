"""The write path for stakeholder deliveries: one Delivery row per update and subscription,
sent once, retried with back-off after a transient failure.

As with pages (oncall/delivery.py): a delivery is leased in a short transaction, sent with
no transaction open, and its outcome recorded in another. A sent delivery is never sent
again; a worker that dies while sending leaves the lease to run out, and the next worker
sends it once more (the one case a subscriber may get an update twice)."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from kizuki.core import clock
from kizuki.incidents.models import Audience, StatusUpdate
from kizuki.notify.channels import SLACK_CHANNEL_POST, DeliveryError, channel_for
from kizuki.notify.models import Method
from kizuki.stakeholders import messages
from kizuki.stakeholders.models import Delivery, Kind, Outcome, Subscription

logger = logging.getLogger(__name__)

# Longer than a channel may take (notify.channels.SEND_TIMEOUT_SECONDS).
LEASE = timedelta(seconds=60)
# Wait before the 2nd, 3rd and 4th attempt; after the 4th failure the delivery has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
MAX_ATTEMPTS = len(BACKOFF) + 1
ERROR_MAX = 2000
# Which notify channel carries each kind of subscription.
CHANNEL_OF = {
    Kind.EMAIL: Method.EMAIL,
    Kind.APPRISE: Method.APPRISE,
    Kind.SLACK_CHANNEL: SLACK_CHANNEL_POST,
}


def recipients(update: StatusUpdate) -> list[Subscription]:
    """Active subscriptions to every incident and to the incident's services, each address
    once (its all-incidents subscription first)."""
    services = update.incident.services.all()
    found = (
        Subscription.objects.filter(is_active=True)
        .filter(Q(service__isnull=True) | Q(service__in=services))
        .select_related("service")
        .order_by("kind", "address", "service_id", "id")
    )
    chosen: dict[tuple[str, str], Subscription] = {}
    for subscription in found:
        chosen.setdefault((subscription.kind, subscription.address), subscription)
    return list(chosen.values())


def _due(now: datetime) -> Q:
    return Q(outcome=Outcome.PENDING, next_attempt_at__lte=now) | Q(
        outcome=Outcome.SENDING, lease_until__lte=now
    )


def _settle(delivery: Delivery, outcome: str, reason: str, now: datetime) -> None:
    delivery.outcome, delivery.error = outcome, reason[:ERROR_MAX]
    delivery.lease_until = delivery.next_attempt_at = None
    delivery.save(update_fields=["outcome", "error", "lease_until", "next_attempt_at"])
    if outcome == Outcome.FAILED:
        logger.warning(
            "stakeholder update %s to subscription %s failed: %s (at %s)",
            delivery.status_update_id,
            delivery.subscription_id,
            reason,
            now.isoformat(),
        )


@transaction.atomic
def _claim(status_update_id: int | None) -> Delivery | None:
    """Lease the next due delivery (of one update, or of any); settle on the way those that
    must not be sent any more."""
    now = clock.now()
    due = Delivery.objects.filter(_due(now))
    if status_update_id is not None:
        due = due.filter(status_update_id=status_update_id)
    while True:
        delivery = (
            due.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription", "status_update__incident")
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is None:
            return None
        if not delivery.subscription.is_active:
            _settle(delivery, Outcome.FAILED, "unsubscribed before it could be sent", now)
        elif delivery.status_update.incident.private:
            # Private incidents never reach stakeholders, even if made private after queuing.
            _settle(delivery, Outcome.FAILED, "the incident was made private", now)
        elif delivery.outcome == Outcome.SENDING and delivery.attempts >= MAX_ATTEMPTS:
            reason = "the worker stopped while sending the last attempt"
            _settle(delivery, Outcome.FAILED, reason, now)
        else:
            delivery.outcome, delivery.lease_until = Outcome.SENDING, now + LEASE
            delivery.attempts += 1
            delivery.attempted_at = now
            delivery.save(update_fields=["outcome", "lease_until", "attempts", "attempted_at"])
            return delivery


def _leased(delivery_id: int, attempt: int) -> Delivery | None:
    """The delivery, locked, if this attempt still holds it (a later claim bumped `attempts`)."""
    return (
        Delivery.objects.select_for_update(of=("self",))
        .filter(pk=delivery_id, outcome=Outcome.SENDING, attempts=attempt)
        .first()
    )


@transaction.atomic
def _record(delivery_id: int, attempt: int, error: DeliveryError | None) -> Delivery | None:
    delivery = _leased(delivery_id, attempt)
    if delivery is None:
        return None
    now = clock.now()
    if error is None:
        _settle(delivery, Outcome.SENT, "", now)
    elif error.permanent or attempt >= MAX_ATTEMPTS:
        _settle(delivery, Outcome.FAILED, error.reason, now)
    else:
        delivery.outcome, delivery.error = Outcome.PENDING, error.reason[:ERROR_MAX]
        delivery.lease_until, delivery.next_attempt_at = None, now + BACKOFF[attempt - 1]
        delivery.save(update_fields=["outcome", "error", "lease_until", "next_attempt_at"])
    return delivery


def _send(delivery: Delivery) -> Delivery | None:
    """Hand one delivery to its channel, with no transaction (or row lock) held meanwhile."""
    subscription = delivery.subscription
    update = StatusUpdate.objects.select_related("incident__severity").get(
        pk=delivery.status_update_id
    )
    try:
        message = messages.render(update, subscription)
        channel_for(CHANNEL_OF[Kind(subscription.kind)]).send(
            subscription.address, message.subject, message.body
        )
    except DeliveryError as error:
        return _record(delivery.pk, delivery.attempts, error)
    except Exception as error:
        # A bug in a channel must not leave the delivery stuck until its lease runs out.
        logger.exception("stakeholder delivery %s: unexpected error while sending", delivery.pk)
        return _record(
            delivery.pk, delivery.attempts, DeliveryError(f"{type(error).__name__}: {error}")
        )
    return _record(delivery.pk, delivery.attempts, None)


def deliver_due(status_update_id: int | None = None, limit: int = 50) -> int:
    """Send up to `limit` due deliveries (of one update, or of any); returns how many went
    out. The worker runs it on every tick, for the retries."""
    sent = 0
    for _attempt in range(limit):
        delivery = _claim(status_update_id)
        if delivery is None:
            break
        recorded = _send(delivery)
        if recorded is not None and recorded.outcome == Outcome.SENT:
            sent += 1
    return sent


def queue_deliveries(status_update_id: int) -> bool:
    """One pending Delivery per subscriber of a stakeholder update, all in one transaction
    (those already there are kept). False for updates that are not relayed: internal ones
    and drills, and private incidents (they never leave the organisation)."""
    update = (
        StatusUpdate.objects.select_related("incident")
        .prefetch_related("incident__services")
        .filter(pk=status_update_id)
        .first()
    )
    if (
        update is None
        or update.audience != Audience.STAKEHOLDERS
        or update.incident.is_drill
        or update.incident.private
    ):
        return False
    now = clock.now()
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [
                Delivery(status_update=update, subscription=subscription, next_attempt_at=now)
                for subscription in recipients(update)
            ],
            ignore_conflicts=True,
        )
    return True


def relay_update(status_update_id: int) -> int:
    """Queue a stakeholder update for each subscriber and send it now; failures are recorded
    and retried later, not raised. Run again, it adds and sends only what is missing. Returns
    how many deliveries went out."""
    if not queue_deliveries(status_update_id):
        return 0
    return deliver_due(status_update_id, limit=10_000)

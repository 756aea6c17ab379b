"""Background jobs: relaying a stakeholder update to its subscribers, and mailing the link an
anonymous subscriber confirms their address with."""

import logging

from django_tasks import task

from kizuki.incidents.events import StatusUpdatePosted
from kizuki.incidents.models import Audience
from kizuki.notify.channels import DeliveryError, channel_for
from kizuki.notify.models import Method
from kizuki.stakeholders import messages, relay_actions
from kizuki.stakeholders.models import Subscription

logger = logging.getLogger(__name__)


@task()
def relay_status_update(status_update_id: int) -> int:
    """Send the update to every subscriber; returns how many deliveries went out."""
    return relay_actions.relay_update(status_update_id)


@task()
def send_confirmation(subscription_id: int) -> bool:
    """Mail the confirmation link of a pending anonymous subscription; whether it went out.
    A failure is logged, not retried: the visitor may simply ask again."""
    subscription = (
        Subscription.objects.select_related("service")
        .filter(pk=subscription_id, is_active=False, confirmation_sent_at__isnull=False)
        .first()
    )
    if subscription is None or subscription.confirmation_sent_at is None:
        return False
    message = messages.render_confirmation(subscription, subscription.confirmation_sent_at)
    try:
        channel_for(Method.EMAIL).send(subscription.address, message.subject, message.body)
    except DeliveryError as error:
        logger.warning("confirmation for subscription %s failed: %s", subscription.pk, error.reason)
        return False
    return True


def on_status_update(event: StatusUpdatePosted) -> None:
    """Stakeholder updates get a relay job, enqueued in the transaction that posted them (so
    it commits, or is lost, with the update)."""
    if event.audience == Audience.STAKEHOLDERS:
        relay_status_update.enqueue(event.status_update_id)

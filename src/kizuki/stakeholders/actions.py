"""The only write path for stakeholder communication: subscribing, unsubscribing, and relaying
a stakeholder update to its subscribers with one recorded Delivery per subscription."""

import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.incidents.models import Audience, StatusUpdate
from kizuki.notify.channels import SLACK_CHANNEL_POST, DeliveryError, apprise_accepts, channel_for
from kizuki.notify.models import Method
from kizuki.stakeholders import messages
from kizuki.stakeholders.models import Delivery, Kind, Outcome, Subscription

logger = logging.getLogger(__name__)

ADDRESS_MAX = 500
EMAIL_MAX = 254
SLACK_CHANNEL = re.compile(r"^#?[^\s#]{1,80}$")
# Which notify channel carries each kind of subscription.
CHANNEL_OF = {
    Kind.EMAIL: Method.EMAIL,
    Kind.APPRISE: Method.APPRISE,
    Kind.SLACK_CHANNEL: SLACK_CHANNEL_POST,
}


def audited(subscription: Subscription) -> dict[str, Any]:
    """What the audit log keeps. Apprise URLs often embed tokens, so only their scheme."""
    address = subscription.address
    if subscription.kind == Kind.APPRISE:
        address = address.split("://", 1)[0] + "://…"
    return {
        "kind": subscription.kind,
        "address": address,
        "service": subscription.service.slug if subscription.service else None,
        "language": subscription.language,
        "is_active": subscription.is_active,
    }


def clean_address(kind: str, address: str) -> str:
    """The address as stored (e-mail lower-cased), or InvalidInput saying what is wrong."""
    if kind not in Kind.values:
        raise InvalidInput(
            _("Unknown kind %(kind)s; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Kind.values)}
        )
    address = address.strip()
    if len(address) > ADDRESS_MAX:
        raise InvalidInput(_("The address may be at most 500 characters."))
    if kind == Kind.EMAIL:
        try:
            if len(address) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(address)
        except ValidationError:
            raise InvalidInput(
                _("%(address)s is not an e-mail address.") % {"address": address}
            ) from None
        return address.lower()
    if kind == Kind.APPRISE:
        if not apprise_accepts(address):
            raise InvalidInput(
                _("Apprise does not accept this URL; see the Apprise documentation for the format.")
            )
        return address
    if not SLACK_CHANNEL.match(address):
        raise InvalidInput(_("Enter a Slack channel ID or name, such as C012AB3CD or #status."))
    return address


def _clean_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise InvalidInput(
            _("Unknown language %(language)s; use one of %(languages)s.")
            % {"language": language, "languages": ", ".join(codes)}
        )
    return language


@transaction.atomic
def subscribe(
    actor: User | None,
    kind: str,
    address: str,
    service: Service | None = None,
    *,
    language: str = "",
) -> tuple[Subscription, bool]:
    """Subscribe an address to stakeholder updates of every incident, or of one service's.
    Returns the subscription and whether it is new (or active again); subscribing twice is
    harmless."""
    address = clean_address(kind, address)
    language = _clean_language(language)
    same = Subscription.objects.select_for_update().filter(
        kind=kind, address=address, service=service
    )
    existing = same.order_by("pk").first()
    if existing is None:
        try:
            # A savepoint: a concurrent identical subscribe may create the row first.
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    kind=kind,
                    address=address,
                    service=service,
                    language=language,
                    created_by=actor,
                    created_at=clock.now(),
                )
        except IntegrityError:
            existing = same.order_by("pk").get()
        else:
            record_audit(actor, "subscription.add", subscription, after=audited(subscription))
            return subscription, True
    if existing.is_active:
        return existing, False
    before = audited(existing)
    existing.is_active = True
    existing.language = language
    existing.save(update_fields=["is_active", "language"])
    record_audit(actor, "subscription.resume", existing, before=before, after=audited(existing))
    return existing, True


@transaction.atomic
def unsubscribe(actor: User | None, subscription: Subscription) -> Subscription:
    """Stop sending to this subscription; its delivery history stays."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_active:
        before = audited(subscription)
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        record_audit(
            actor, "subscription.remove", subscription, before=before, after=audited(subscription)
        )
    return subscription


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


def _deliver(update: StatusUpdate, subscription: Subscription) -> Delivery:
    try:
        message = messages.render(update, subscription)
        channel_for(CHANNEL_OF[Kind(subscription.kind)]).send(
            subscription.address, message.subject, message.body
        )
    except DeliveryError as error:
        outcome, reason = Outcome.FAILED, error.reason
    else:
        outcome, reason = Outcome.SENT, ""
    delivery, _created = Delivery.objects.update_or_create(
        status_update=update,
        subscription=subscription,
        defaults={"outcome": outcome, "error": reason[:2000], "attempted_at": clock.now()},
    )
    return delivery


def relay_update(status_update_id: int) -> int:
    """Send a stakeholder update to its subscribers and record each outcome. Failures are
    recorded, not raised; run again, it sends only what has not gone out. Drills are never
    relayed. Returns how many deliveries were sent."""
    update = (
        StatusUpdate.objects.select_related("incident__severity")
        .prefetch_related("incident__services")
        .filter(pk=status_update_id)
        .first()
    )
    if update is None or update.audience != Audience.STAKEHOLDERS or update.incident.is_drill:
        return 0
    done = set(
        Delivery.objects.filter(status_update=update, outcome=Outcome.SENT).values_list(
            "subscription_id", flat=True
        )
    )
    sent = 0
    # No transaction around sending: each outcome is saved as soon as it is known.
    for subscription in recipients(update):
        if subscription.pk in done:
            continue
        delivery = _deliver(update, subscription)
        if delivery.outcome == Outcome.SENT:
            sent += 1
        else:
            logger.warning(
                "stakeholder update %s to subscription %s failed: %s",
                update.pk,
                subscription.pk,
                delivery.error,
            )
    return sent

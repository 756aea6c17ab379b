"""The write path for stakeholder subscriptions: subscribing (with a confirmation by e-mail
for anonymous visitors), unsubscribing. Relaying updates is in relay_actions."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.notify.channels import check_apprise_url
from kizuki.stakeholders import links, ratelimit, tasks
from kizuki.stakeholders.models import Kind, Subscription

ADDRESS_MAX = 500
EMAIL_MAX = 254
SLACK_CHANNEL = re.compile(r"^#?[^\s#]{1,80}$")


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
        check_apprise_url(address)
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


def _same(kind: str, address: str, service: Service | None) -> QuerySet[Subscription]:
    return Subscription.objects.select_for_update().filter(
        kind=kind, address=address, service=service
    )


def _create(
    actor: User | None, kind: str, address: str, service: Service | None, **fields: Any
) -> Subscription | None:
    """A new subscription, or None when a concurrent identical subscribe made it first."""
    try:
        # A savepoint: the unique constraints decide between two concurrent requests.
        with transaction.atomic():
            return Subscription.objects.create(
                kind=kind,
                address=address,
                service=service,
                created_by=actor,
                created_at=clock.now(),
                **fields,
            )
    except IntegrityError:
        return None


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
    harmless. A logged-in user (or the system) needs no confirmation: the audit log names them."""
    address = clean_address(kind, address)
    language = _clean_language(language)
    now = clock.now()
    existing = _same(kind, address, service).order_by("pk").first()
    if existing is None:
        created = _create(actor, kind, address, service, language=language, confirmed_at=now)
        if created is not None:
            record_audit(actor, "subscription.add", created, after=audited(created))
            return created, True
        existing = _same(kind, address, service).order_by("pk").get()
    if existing.is_active:
        return existing, False
    before = audited(existing)
    existing.is_active, existing.language = True, language
    existing.confirmed_at, existing.confirmation_sent_at = now, None
    existing.save(update_fields=["is_active", "language", "confirmed_at", "confirmation_sent_at"])
    record_audit(actor, "subscription.resume", existing, before=before, after=audited(existing))
    return existing, True


@transaction.atomic
def request_subscription(
    address: str, service: Service | None, *, language: str = "", client: str
) -> Subscription:
    """An anonymous visitor of the public status page asks for e-mail updates: nothing is
    sent to the address until its owner confirms through the link mailed to it (double
    opt-in). Rate-limited per client address and per e-mail address (RateLimited).
    An address that is already subscribed gets no mail, but the same answer."""
    address = clean_address(Kind.EMAIL, address)
    language = _clean_language(language)
    now = clock.now()
    ratelimit.count_request(client, address, now)
    existing = _same(Kind.EMAIL, address, service).order_by("pk").first()
    if existing is None:
        existing = (
            _create(
                None,
                Kind.EMAIL,
                address,
                service,
                language=language,
                is_active=False,
                confirmation_sent_at=now,
            )
            or _same(Kind.EMAIL, address, service).order_by("pk").get()
        )
    elif not existing.is_active:
        existing.language, existing.confirmation_sent_at = language, now
        existing.save(update_fields=["language", "confirmation_sent_at"])
    if existing.is_active:
        return existing
    record_audit(None, "subscription.request", existing, after=audited(existing))
    tasks.send_confirmation.enqueue(existing.pk)
    return existing


@transaction.atomic
def confirm(subscription_id: int, requested_stamp: int) -> Subscription:
    """The address's owner confirms from the mailed link (a POST: mail scanners open links).
    Only the latest request's link works, and only for a week (links.CONFIRM_WITHIN)."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("service")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise NotFound(_("This confirmation link is not valid."))
    if subscription.is_active:
        return subscription
    requested = subscription.confirmation_sent_at
    if (
        requested is None
        or f"{requested.timestamp():.0f}" != str(requested_stamp)
        or clock.now() - requested > links.CONFIRM_WITHIN
    ):
        raise NotFound(
            _(
                "This confirmation link has expired or was replaced by a newer one; subscribe"
                " again on the status page."
            )
        )
    before = audited(subscription)
    subscription.is_active, subscription.confirmed_at = True, clock.now()
    subscription.confirmation_sent_at = None
    subscription.save(update_fields=["is_active", "confirmed_at", "confirmation_sent_at"])
    record_audit(
        None, "subscription.confirm", subscription, before=before, after=audited(subscription)
    )
    return subscription


def expire_unconfirmed() -> int:
    """The worker's periodic clean-up: requests never confirmed within a week are
    dropped (one that was confirmed before keeps its row and history, inactive), and the
    rate-limit counts older than an hour. Returns how many rows changed."""
    now = clock.now()
    stale = Subscription.objects.filter(
        is_active=False, confirmation_sent_at__lte=now - links.CONFIRM_WITHIN
    )
    forgotten, _per_model = stale.filter(
        confirmed_at__isnull=True, deliveries__isnull=True
    ).delete()
    cleared = stale.update(confirmation_sent_at=None)
    return forgotten + cleared + ratelimit.forget_old(now)


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

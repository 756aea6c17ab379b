from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kizuki.catalog.models import Service
from kizuki.core.fields import SecretAddressField
from kizuki.incidents.models import StatusUpdate
from kizuki.notify.masking import masked


class Kind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    APPRISE = "apprise", _("Apprise URL (Teams, LINE, webhook…)")
    SLACK_CHANNEL = "slack_channel", _("Slack channel")


class Subscription(models.Model):
    """Someone who hears about stakeholder updates: of every incident (no service), or of the
    incidents affecting one service."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Apprise URLs carry their service's tokens: stored sealed.
    address = SecretAddressField(
        _("address"),
        max_length=500,
        help_text=_("E-mail address or list, Apprise URL, or Slack channel ID or name."),
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholder_subscriptions",
        help_text=_("Empty: every incident."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty: the site's language.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    is_active = models.BooleanField(_("active"), default=True)
    # Anonymous visitors of a public status page must confirm the address from the e-mail
    # sent to it (double opt-in): until then the subscription stays inactive.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation requested at"), null=True, blank=True
    )

    class Meta:
        ordering = ["service__name", "kind", "address", "id"]
        verbose_name = _("stakeholder subscription")
        verbose_name_plural = _("stakeholder subscriptions")
        constraints = [
            # One row per address and scope; unsubscribing deactivates it, subscribing again
            # reactivates it (so its delivery history stays attached).
            models.UniqueConstraint(
                fields=["kind", "address", "service"],
                condition=Q(service__isnull=False),
                name="one_subscription_per_service",
            ),
            models.UniqueConstraint(
                fields=["kind", "address"],
                condition=Q(service__isnull=True),
                name="one_subscription_to_everything",
            ),
        ]

    def __str__(self) -> str:
        # Shown in the admin and in logs: an Apprise URL's tokens stay out.
        return f"{self.kind}:{masked(self.address)} ({self.service or '*'})"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One stakeholder update to one subscription: whether it went out, and why not. A
    transient failure is tried again later (`next_attempt_at`); a permanent one is final."""

    status_update = models.ForeignKey(
        StatusUpdate, on_delete=models.CASCADE, related_name="stakeholder_deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why the last attempt failed."))
    attempted_at = models.DateTimeField(_("attempted at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # While a worker sends: after this moment another worker may take the delivery over.
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name = _("stakeholder delivery")
        verbose_name_plural = _("stakeholder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["status_update", "subscription"], name="one_delivery_per_subscription"
            )
        ]
        indexes = [models.Index(fields=["outcome", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.status_update_id} → {self.subscription_id}: {self.outcome}"


class SubscribeRequest(models.Model):
    """One anonymous subscribe request, counted against its client address and its e-mail
    address (as keyed hashes: the table names no one) for the rate limit. Kept an hour."""

    key = models.CharField(max_length=80)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "requested_at"], name="subscribe_request_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.requested_at:%Y-%m-%d %H:%M}"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.core.fields import SecretAddressField


class Method(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SLACK = "slack", _("Slack direct message")
    APPRISE = "apprise", _("Apprise URL (LINE, Teams, Telegram, webhook…)")


class NotificationRule(models.Model):
    """How and when to reach one person when they are paged: tried in position order,
    each after its delay, until someone acknowledges."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_rules"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    # Apprise URLs carry their service's tokens: stored sealed.
    address = SecretAddressField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("E-mail address, Slack user ID or Apprise URL (empty e-mail: the account's)."),
    )
    delay_minutes = models.PositiveIntegerField(_("delay (minutes)"), default=0)

    class Meta:
        ordering = ["user", "position", "id"]
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self) -> str:
        return f"{self.user} {self.method} +{self.delay_minutes}m"

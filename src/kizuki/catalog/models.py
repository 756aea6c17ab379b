from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.oncall.models import EscalationPolicy


class Service(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("owning team"), on_delete=models.PROTECT, related_name="services"
    )
    escalation_policy = models.ForeignKey(
        EscalationPolicy,
        verbose_name=_("escalation policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Who is paged for this service's alerts unless a routing rule says otherwise."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class ServiceChange(models.Model):
    """A change to a service (a deploy, a flag flip, a config push) as a sender reported it
    through an Events API v2 change event: shown on incidents as "what changed before"."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="changes"
    )
    summary = models.CharField(_("summary"), max_length=1024)
    source = models.CharField(_("source"), max_length=255, blank=True)
    happened_at = models.DateTimeField(_("happened at"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["service", "happened_at"])]
        verbose_name = _("service change")
        verbose_name_plural = _("service changes")

    def __str__(self) -> str:
        return self.summary

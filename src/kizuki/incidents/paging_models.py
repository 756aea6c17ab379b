"""Who a report or a declaration pages: the organisation's paging settings (one row) and the
escalations each incident started. Imported by incidents.models so Django finds them."""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PagingSettings(models.Model):
    """One row (pk 1): the triage policy for reports without a service, and the key people
    paged when a severity says "page all key people"."""

    triage_policy = models.ForeignKey(
        "oncall.EscalationPolicy",
        verbose_name=_("triage escalation policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Paged when a report names no service with an escalation policy."),
    )
    key_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("key people"), blank=True, related_name="+"
    )
    key_teams = models.ManyToManyField(
        "accounts.Team", verbose_name=_("key teams"), blank=True, related_name="+"
    )
    key_policy = models.ForeignKey(
        "oncall.EscalationPolicy",
        verbose_name=_("key people's escalation policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_people_out_of_hours_only = models.BooleanField(
        _("page key people only outside business hours"), default=False
    )
    business_day_start = models.TimeField(_("business hours start"), default=time(9, 0))
    business_day_end = models.TimeField(_("business hours end"), default=time(18, 0))

    class Meta:
        verbose_name = _("paging settings")
        verbose_name_plural = _("paging settings")

    def __str__(self) -> str:
        return str(_("Paging settings"))


class IncidentPaging(models.Model):
    """An escalation an incident started: for its report or for its key people."""

    class Reason(models.TextChoices):
        REPORT = "report", _("Report")
        KEY_PEOPLE = "key_people", _("Key people")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    escalation = models.ForeignKey("oncall.Escalation", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.reason}"

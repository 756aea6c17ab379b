from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Incident


class MailReport(models.Model):
    """A message filed as a report. Its unique Message-ID makes a re-delivered message (an
    MTA retrying after a timeout) find the report it already made instead of a second one."""

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="mails"
    )
    sender = models.CharField(_("sender"), max_length=320)
    received_at = models.DateTimeField(_("received at"))
    replied_at = models.DateTimeField(
        _("replied at"),
        null=True,
        blank=True,
        help_text=_("When the thank-you went out; empty means a re-delivery sends it again."),
    )

    class Meta:
        verbose_name = _("report by e-mail")
        verbose_name_plural = _("reports by e-mail")

    def __str__(self) -> str:
        return f"{self.message_id} → {self.incident_id}"

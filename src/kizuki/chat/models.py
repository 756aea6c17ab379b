from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Incident


class IncidentChannel(models.Model):
    """An incident's Slack channel and how far Kizuki has brought it up to date.

    Each step (create, invite, guide, announcement, relayed timeline, topic, summary, archive)
    is recorded as it succeeds, so a sync that fails half-way resumes where it stopped instead
    of creating a second channel or posting twice. `sync_wanted` says there is news to relay;
    `lease_until` keeps two workers from syncing one channel at once; `retry_at` spaces out
    attempts while Slack fails."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="slack_channel"
    )
    channel_id = models.CharField(_("Slack channel ID"), max_length=32, blank=True, db_index=True)
    name = models.CharField(_("channel name"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"))
    invited_at = models.DateTimeField(_("people invited at"), null=True, blank=True)
    guide_ts = models.CharField(_("guide message"), max_length=32, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=250, blank=True)
    relayed_entry_id = models.BigIntegerField(
        _("relayed up to timeline entry"), default=0, help_text=_("Entries after it are posted.")
    )
    summary_posted_at = models.DateTimeField(_("summary posted at"), null=True, blank=True)
    archive_due_at = models.DateTimeField(_("archive due at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("channel archived at"), null=True, blank=True)
    update_reminded_at = models.DateTimeField(
        _("status update reminder sent at"), null=True, blank=True
    )
    commander_reminded_at = models.DateTimeField(
        _("commander reminder sent at"), null=True, blank=True
    )

    sync_wanted = models.BooleanField(_("sync wanted"), default=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    retry_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("incident channel")
        verbose_name_plural = _("incident channels")

    def __str__(self) -> str:
        return f"#{self.name or '?'} ({self.incident_id})"


class SlackUserLink(models.Model):
    """Which Slack account belongs to which Kizuki user, matched by e-mail and cached."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="slack_link",
    )
    slack_user_id = models.CharField(_("Slack user ID"), max_length=32, unique=True)
    email = models.EmailField(_("matched e-mail"), blank=True)
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("Slack user link")
        verbose_name_plural = _("Slack user links")

    def __str__(self) -> str:
        return f"{self.user_id} = {self.slack_user_id}"


class HotlineReport(models.Model):
    """A hotline message filed as a report. The unique key is the claim every process shares,
    so two clicks on the same message, even on different web workers, file it once."""

    channel_id = models.CharField(max_length=40)
    message_ts = models.CharField(max_length=40)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE)
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel_id", "message_ts"], name="one_report_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}/{self.message_ts}"

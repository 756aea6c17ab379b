"""Read-throughs before peak periods (and who read them), the settings for looking after
responders in long incidents, the break reminders sent, and an incident's work list (what must
be done today, the rest moved to follow-ups)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.followups.models import FollowUp
from kizuki.incidents.models import Incident, Severity


class Period(models.TextChoices):
    GOLDEN_WEEK = "golden_week", _("Golden Week")
    SUMMER = "summer", _("Summer holidays")
    YEAR_END = "year_end", _("Year-end and New Year holidays")
    CUSTOM = "custom", _("Custom")


class ReadThrough(models.Model):
    """A checklist the team reads before a peak period: the start-up flow, who leads which area,
    how to page, where the bridge calls are..."""

    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(
        _("period"), max_length=20, choices=Period.choices, default=Period.CUSTOM
    )
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE
    )
    items = models.JSONField(_("items"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("read-through")
        verbose_name_plural = _("read-throughs")

    def __str__(self) -> str:
        return self.name


class Reading(models.Model):
    """One person has read a read-through."""

    read_through = models.ForeignKey(ReadThrough, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        ordering = ["read_at", "id"]
        constraints = [models.UniqueConstraint(fields=["read_through", "user"], name="read_once")]

    def __str__(self) -> str:
        return f"{self.user} read {self.read_through}"


class CareSetting(models.Model):
    """After how long an incident reminds its responders to take a break and a meal, and how
    often again. One per severity; the row without a severity applies to every other one."""

    severity = models.OneToOneField(
        Severity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enabled = models.BooleanField(_("remind"), default=True)
    after_minutes = models.PositiveIntegerField(_("first reminder after (minutes)"), default=180)
    every_minutes = models.PositiveIntegerField(_("again every (minutes)"), default=180)

    class Meta:
        verbose_name = _("break reminder setting")
        verbose_name_plural = _("break reminder settings")

    def __str__(self) -> str:
        scope = f"SEV{self.severity.level}" if self.severity else "*"
        return f"{scope}: {self.after_minutes}/{self.every_minutes} min"


class BreakReminder(models.Model):
    """The n-th break reminder of an incident (n counts intervals: it is sent once each)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    sent_at = models.DateTimeField()
    reminded = models.JSONField(default=list)  # usernames
    proposed = models.CharField(max_length=150, blank=True)  # hand-off proposal: a username

    class Meta:
        ordering = ["incident", "number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="remind_once_per_interval")
        ]

    def __str__(self) -> str:
        return f"{self.incident} break reminder {self.number}"


class WorkItem(models.Model):
    """One open piece of work on an incident; the commander marks what must be done today and
    moves the rest to follow-ups."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("text"), max_length=200)
    today = models.BooleanField(_("must be done today"), default=True)
    done_at = models.DateTimeField(null=True, blank=True)
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the follow-up it was moved to
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["incident", "created_at", "id"]

    def __str__(self) -> str:
        return self.text

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.core.fields import SecretAddressField
from kizuki.schedules.models import Schedule


class EscalationPolicy(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    repeat = models.PositiveSmallIntegerField(
        _("repeat"), default=0, help_text=_("How many more times to run all steps.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")

    def __str__(self) -> str:
        return self.name


class EscalationStep(models.Model):
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    wait_minutes = models.PositiveIntegerField(_("then wait (minutes)"), default=5)

    class Meta:
        ordering = ["policy", "position"]

    def __str__(self) -> str:
        return f"{self.policy} step {self.position}"


class TargetKind(models.TextChoices):
    USER = "user", _("A person")
    SCHEDULE = "schedule", _("Whoever is on call in a schedule")
    TEAM = "team", _("Everyone in a team")
    EVERYONE = "everyone", _("All key people (every responder and admin)")
    CHANNEL = "channel", _("A chat channel")


class StepTarget(models.Model):
    step = models.ForeignKey(EscalationStep, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # PROTECT: a schedule a policy pages cannot be deleted from under it (schedules refuses).
    schedule = models.ForeignKey(Schedule, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    channel = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}"


class EscalationStatus(models.TextChoices):
    ACTIVE = "active", _("Escalating")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    EXHAUSTED = "exhausted", _("Ran out of steps")


class Escalation(models.Model):
    """The state of one running escalation, as rows: which step is next and when it is due.
    The policy is copied in at trigger time, so later edits do not disturb it."""

    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    ack_link = models.CharField(max_length=500, blank=True)
    policy = models.ForeignKey(EscalationPolicy, null=True, on_delete=models.SET_NULL)
    policy_snapshot = models.JSONField()
    step_index = models.PositiveSmallIntegerField(default=0)
    repetition = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.ACTIVE
    )
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Bumped on every stop; a step holding an older token knows it is stale.
    token = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_due_at"])]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    TRIGGERED = "triggered", _("Triggered")
    STEP = "step", _("Step run")
    REPEATED = "repeated", _("Policy repeated")
    EXHAUSTED = "exhausted", _("No more steps")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    SENT = "sent", _("Notification sent")
    FAILED = "failed", _("Notification failed")
    NOBODY = "nobody", _("Nobody to notify")


class EscalationEvent(models.Model):
    """The escalation history shown on an alert group."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.kind}"


class PageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Page(models.Model):
    """One notification to one person by one method. The unique key (escalation, step,
    repetition, user, method) means a retry, a second worker or a restart never sends twice."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="pages")
    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20)
    address = SecretAddressField(max_length=500)  # an Apprise URL is stored sealed
    rule_position = models.PositiveSmallIntegerField(default=0)
    step_index = models.PositiveSmallIntegerField()
    repetition = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PageStatus.choices, default=PageStatus.PENDING)
    due_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.key

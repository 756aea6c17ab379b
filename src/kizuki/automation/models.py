"""Automation rules: when an event happens and the conditions hold, run the actions in order.

A `Rule` names one event kind (catalogue.EVENTS), its conditions as typed fields (an empty
list means "any") and an ordered list of actions with their parameters (catalogue.ACTIONS).
Each time a rule matches, a `Run` records what happened and why it matched; each of its
actions is an `ActionRun` of its own, attempted and retried on its own, so one failing action
holds up none of the others and a retry never repeats an action that already succeeded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Incident


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    DECLARED = "declared", _("Declared")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    MITIGATED = "mitigated", _("Mitigated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    ALERT_GROUP_TRIGGERED = "alert_group_triggered", _("Alert group triggered")
    FOLLOWUP_OVERDUE = "followup_overdue", _("Follow-up overdue")
    RETROSPECTIVE_PUBLISHED = "retrospective_published", _("Retrospective published")


class DrillCondition(models.TextChoices):
    ANY = "any", _("Drills and real incidents")
    YES = "yes", _("Only drills")
    NO = "no", _("Only real incidents")


class HoursCondition(models.TextChoices):
    ANY = "any", _("Any time")
    IN = "in", _("Only in business hours")
    OUT = "out", _("Only outside business hours")


class HolidayCondition(models.TextChoices):
    ANY = "any", _("Any day")
    ONLY = "only", _("Only on Japanese public holidays")
    EXCEPT = "except", _("Not on Japanese public holidays")


class Rule(models.Model):
    name = models.CharField(_("name"), max_length=200)
    enabled = models.BooleanField(_("enabled"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    event = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    severities = models.JSONField(_("severities"), default=list, blank=True)
    services = models.JSONField(_("services"), default=list, blank=True)
    teams = models.JSONField(_("teams"), default=list, blank=True)
    drill = models.CharField(
        _("drills"), max_length=10, choices=DrillCondition.choices, default=DrillCondition.ANY
    )
    business_hours = models.CharField(
        _("business hours"), max_length=10, choices=HoursCondition.choices, default="any"
    )
    holidays = models.CharField(
        _("Japanese holidays"), max_length=10, choices=HolidayCondition.choices, default="any"
    )
    # [{"kind": "page_policy", "policy": 3}, {"kind": "webhook", "url": "https://…"}, …]
    actions = models.JSONField(_("actions"), default=list)
    # The default rules a new installation starts with carry a key (blank for the admins').
    key = models.SlugField(max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")

    def __str__(self) -> str:
        return self.name


class Run(models.Model):
    """One match of a rule: the event, the incident (None for an alert group without one)
    and why the conditions held."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(max_length=40, choices=EventKind.choices)
    subject = models.CharField(max_length=300, blank=True)
    why = models.JSONField(default=list)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["rule", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.event}"


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ActionRun(models.Model):
    """One action of a run, with the parameters it had when the rule matched. Pending until it
    succeeds or runs out of attempts; `next_attempt_at` says when the worker tries again."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="action_runs")
    position = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="one_action_run_per_step")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.run_id}.{self.position}: {self.action}"

"""Drill scenarios, the drills started from them (with their injected events), and test
pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.catalog.models import Service
from kizuki.incidents.models import Incident
from kizuki.oncall.models import Escalation, EscalationPolicy
from kizuki.schedules.models import Schedule


class InjectKind(models.TextChoices):
    NOTE = "note", _("A symptom or message on the timeline")
    SEVERITY = "severity", _("A change of severity")
    ALERT = "alert", _("A fake alert")


class Scenario(models.Model):
    """What a drill plays out: the incident it opens, its fake alerts (injected at the start)
    and its timed events (`events`: a list of {"offset_minutes", "kind", "text", "severity"})."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"))
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    services = models.ManyToManyField(Service, verbose_name=_("services"), blank=True)
    fake_alerts = models.JSONField(_("fake alerts"), default=list, blank=True)
    events = models.JSONField(_("timed events"), default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("drill scenario")
        verbose_name_plural = _("drill scenarios")

    def __str__(self) -> str:
        return self.title


class Drill(models.Model):
    """One run of a scenario: its incident is a real drill incident (Incident.is_drill)."""

    scenario = models.ForeignKey(
        Scenario, null=True, on_delete=models.SET_NULL, related_name="drills"
    )
    scenario_title = models.CharField(max_length=200)
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="drill_run")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self) -> str:
        return f"{self.scenario_title} ({self.incident_id})"


class InjectedEvent(models.Model):
    """An event a drill injects into its incident when it is due (the worker runs it)."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="injected")
    position = models.PositiveSmallIntegerField()
    offset_minutes = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=InjectKind.choices)
    text = models.CharField(max_length=2000, blank=True)
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    # What happened: "done", or why it was skipped ("finished": the incident was over).
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["drill", "due_at", "position"]
        indexes = [models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.drill_id} +{self.offset_minutes} {self.kind}"


class TargetType(models.TextChoices):
    USER = "user", _("A person")
    SCHEDULE = "schedule", _("Whoever is on call in a schedule")
    POLICY = "policy", _("The first step of an escalation policy")


class TestPage(models.Model):
    """A page that says it is a test, sent through the real paging path; acknowledging it (its
    link, or the API) records who did and when."""

    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_policy = models.ForeignKey(
        EscalationPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_name = models.CharField(max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    escalation = models.ForeignKey(
        Escalation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Usernames paged when it was sent (the worker's pages may add none, never others).
    paged = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("test page")
        verbose_name_plural = _("test pages")

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_name}"

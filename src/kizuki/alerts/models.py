from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.catalog.models import Service
from kizuki.incidents.models import Incident
from kizuki.oncall.models import Escalation, EscalationPolicy


class IntegrationKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    GRAFANA = "grafana", _("Grafana alerting")
    EVENTS = "events", _("Events API v2 (PagerDuty-compatible)")
    WEBHOOK = "webhook", _("Generic webhook")
    HEARTBEAT = "heartbeat", _("Heartbeat")


class Integration(models.Model):
    """An inbound alert endpoint of a service. Its URL carries a secret token; only the
    token's SHA-256 is stored."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="integrations")
    kind = models.CharField(_("kind"), max_length=20, choices=IntegrationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    token_prefix = models.CharField(max_length=12)
    token_digest = models.CharField(max_length=64, unique=True)
    grouping_key = models.CharField(
        _("grouping key"),
        max_length=200,
        blank=True,
        help_text=_("Label whose value groups alerts; empty uses the sender's own grouping."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("alerts per minute"), default=6000)
    heartbeat_minutes = models.PositiveIntegerField(
        _("heartbeat interval (minutes)"), null=True, blank=True
    )
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return f"{self.service} / {self.name}"


class RoutingRule(models.Model):
    """Alerts whose labels match go to this rule's escalation policy and may open an incident.
    Rules are tried in position order; the first match wins."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="routing_rules")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200, blank=True)
    match_labels = models.JSONField(_("labels to match"), default=dict, blank=True)
    escalation_policy = models.ForeignKey(
        EscalationPolicy, null=True, blank=True, on_delete=models.SET_NULL
    )
    declare_severity = models.PositiveSmallIntegerField(
        _("declare an incident of severity"), null=True, blank=True
    )

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name or f"{self.service} #{self.position}"


class GroupStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class AlertGroup(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="alert_groups")
    integration = models.ForeignKey(Integration, null=True, on_delete=models.SET_NULL)
    group_key = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    status = models.CharField(
        max_length=20, choices=GroupStatus.choices, default=GroupStatus.FIRING, db_index=True
    )
    silenced_until = models.DateTimeField(null=True, blank=True)
    escalation = models.OneToOneField(
        Escalation, null=True, blank=True, on_delete=models.SET_NULL, related_name="alert_group"
    )
    routing_rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The policy chosen when the group opened; paging restarts with it when a silence ends.
    escalation_policy = models.ForeignKey(
        EscalationPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Escalations this group ran before the current one (paging restarts when a silence ends);
    # kept so the group's paging history stays whole.
    past_escalations = models.ManyToManyField(Escalation, blank=True, related_name="+")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="alert_groups"
    )
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "group_key", "status"])]
        constraints = [
            # Exact de-duplication under concurrent requests: a second request opening the
            # same group waits for the first and then uses its group.
            models.UniqueConstraint(
                fields=["service", "group_key"],
                condition=models.Q(status__in=["firing", "acknowledged"]),
                name="one_open_group_per_key",
            )
        ]
        verbose_name = _("alert group")
        verbose_name_plural = _("alert groups")

    def __str__(self) -> str:
        return self.title


class AlertStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


class Alert(models.Model):
    group = models.ForeignKey(AlertGroup, on_delete=models.CASCADE, related_name="alerts")
    dedup_key = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=AlertStatus.choices)
    title = models.CharField(max_length=500)
    severity = models.CharField(max_length=50, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    # Events API v2 `links` ({href, text}) and `images` ({src, href, alt}), web addresses only.
    links = models.JSONField(default=list, blank=True)
    images = models.JSONField(default=list, blank=True)
    raw = models.JSONField()
    received_count = models.PositiveIntegerField(default=1)
    first_received_at = models.DateTimeField()
    last_received_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_received_at", "id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "dedup_key"], name="one_alert_per_key_in_group"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RateWindow(models.Model):
    """How many alerts one integration sent in one clock minute. A row in the database, so
    every web process counts against the same limit; older minutes are pruned as new ones start."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "minute"], name="one_window_a_minute")
        ]

    def __str__(self) -> str:
        return f"{self.integration_id} {self.minute:%H:%M} {self.count}"

"""Regulator-ready reports: per incident, one report per stage (initial, interim, final), each
save kept as a numbered version, with the time the report was submitted to the regulator."""

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Incident


class Stage(models.TextChoices):
    INITIAL = "initial", _("Initial report")
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


# The sections every stage has, in the order regulators read them.
SECTIONS: list[tuple[str, str | Promise]] = [
    ("what_happened", _("What happened")),
    ("detection", _("When it was detected")),
    ("impact", _("Impact on customers and services")),
    ("cause", _("Cause")),
    ("response", _("Response")),
    ("recovery", _("Recovery")),
    ("prevention", _("Prevention")),
]
SECTION_KEYS = [key for key, _title in SECTIONS]


class RegulatoryReport(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="regulatory_reports"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "stage"], name="one_report_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.incident.ref} {self.stage}"


class RegulatoryReportVersion(models.Model):
    """One save of a report: all its sections as they were then."""

    report = models.ForeignKey(RegulatoryReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    sections = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("saved at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_regulatory_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

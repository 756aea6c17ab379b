"""Formations of positions the commander fills, and checklists ticked off on the incident page.

A position is one of the incident roles (incidents.RoleType) with the formation's duties: who
holds a position on an incident is who holds that role, so the incident's roles and its
formation never disagree."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Bilingual, Incident, RoleType, Severity


def _japanese() -> bool:
    return (get_language() or "").startswith("ja")


class Formation(Bilingual):
    """A named set of positions (the description says when it is meant for). A severity picks
    its formation through SeverityFormation; one without falls back to the default one."""

    slug = models.SlugField(_("slug"), unique=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for severities not mapped to a formation.")
    )

    class Meta:
        ordering = ["-is_default", "slug"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def __str__(self) -> str:
        return self.slug


class Position(Bilingual):
    """One position of a formation: an incident role with its duties (`description_*`)."""

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="positions")
    role = models.ForeignKey(
        RoleType, on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["formation", "order", "id"]
        verbose_name = pgettext_lazy("formation", "position")
        verbose_name_plural = pgettext_lazy("formation", "positions")
        constraints = [
            models.UniqueConstraint(fields=["formation", "role"], name="formations_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.formation_id}:{self.role_id}"


class SeverityFormation(models.Model):
    """The formation a severity picks (at most one per severity)."""

    severity = models.OneToOneField(
        Severity, on_delete=models.CASCADE, related_name="+", verbose_name=_("severity")
    )
    formation = models.ForeignKey(
        Formation, on_delete=models.CASCADE, related_name="severity_links"
    )

    class Meta:
        ordering = ["severity__level"]
        verbose_name = _("formation of a severity")
        verbose_name_plural = _("formations of severities")

    def __str__(self) -> str:
        return f"{self.severity_id} -> {self.formation_id}"


class IncidentPosition(Bilingual):
    """A position on one incident, copied from its formation on declaration (so editing the
    formation later does not change past incidents). Its holders are the incident's holders
    of `role`."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="positions")
    role = models.ForeignKey(RoleType, on_delete=models.PROTECT, related_name="+")
    formation = models.ForeignKey(
        Formation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["incident", "order", "id"]
        verbose_name = _("incident position")
        verbose_name_plural = _("incident positions")
        constraints = [
            models.UniqueConstraint(fields=["incident", "role"], name="formations_incident_role")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}:{self.role_id}"


class ChecklistTemplate(Bilingual):
    """A checklist for one role (None: anyone on the incident) attached to incidents of the
    chosen severities (none chosen: every severity) when they are declared."""

    slug = models.SlugField(_("slug"), unique=True)
    role = models.ForeignKey(
        RoleType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role"),
    )
    severities = models.ManyToManyField(
        Severity,
        blank=True,
        related_name="+",
        verbose_name=_("severities"),
        help_text=_("None chosen: every severity."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    attach_on_declare = models.BooleanField(
        _("attach on declaration"),
        default=True,
        help_text=_("Off: only posted by hand or by an automation rule."),
    )

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self) -> str:
        return self.slug


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_ja = models.CharField(_("text (Japanese)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text_en[:50]

    @property
    def text(self) -> str:
        return self.text_ja if _japanese() else self.text_en


class IncidentChecklist(Bilingual):
    """A checklist on one incident, copied from its template when posted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="checklists")
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(
        RoleType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["incident", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "template"], name="formations_checklist_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}:{self.template_id}"


class IncidentChecklistItem(models.Model):
    checklist = models.ForeignKey(IncidentChecklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text_ja = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    ticked_at = models.DateTimeField(null=True, blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["checklist", "order", "id"]

    def __str__(self) -> str:
        return self.text_en[:50]

    @property
    def text(self) -> str:
        return self.text_ja if _japanese() else self.text_en

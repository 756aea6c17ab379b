"""Response areas: an owner and up to four ordered deputies per area, absences, and who leads
each area on an incident (proposed on declaration, changeable by the commander)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Bilingual, Incident

if TYPE_CHECKING:
    from kizuki.accounts.models import User

MAX_DEPUTIES = 4


class ResponseArea(Bilingual):
    """Something one person answers for in an incident (customers, the system, the bridge):
    its owner leads it, else the first of its deputies, in rank order, who can be reached."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_areas",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response_areas",
        verbose_name=_("team"),
    )
    deputies: "models.ManyToManyField[User, Deputy]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Deputy", related_name="deputy_areas", blank=True
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("response area")
        verbose_name_plural = _("response areas")

    def __str__(self) -> str:
        return self.slug


class Deputy(models.Model):
    """One deputy of an area, `rank` 1 (asked first) to 4."""

    area = models.ForeignKey(ResponseArea, on_delete=models.CASCADE, related_name="deputy_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputy_links"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["area", "rank"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        constraints = [
            models.UniqueConstraint(fields=["area", "user"], name="areas_deputy_once"),
            models.UniqueConstraint(fields=["area", "rank"], name="areas_deputy_rank_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=MAX_DEPUTIES), name="areas_deputy_rank_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}#{self.rank}"


class Absence(models.Model):
    """A person on leave (or otherwise away) from `starts_at` until `ends_at`: they are not
    proposed to lead, nor paged as a key person, while it covers the moment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="areas_absence_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d} - {self.ends_at:%Y-%m-%d}"


class AreaLead(models.Model):
    """Who leads one area on one incident. Kizuki proposes it on declaration from the area's
    chain (`chain`: each person considered, in order, with why they were passed over); the
    commander may change it (`lead` then differs from `proposed`)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="area_leads")
    area = models.ForeignKey(ResponseArea, on_delete=models.CASCADE, related_name="leads")
    proposed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # [{"username": ..., "rank": 0 (owner) | 1..4, "state": "lead" | "absent" | "unreachable"
    #   | "standby"}] in the order asked.
    chain = models.JSONField(default=list)
    proposed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["incident", "area__position", "area__slug"]
        verbose_name = _("area lead")
        verbose_name_plural = _("area leads")
        constraints = [models.UniqueConstraint(fields=["incident", "area"], name="areas_lead_once")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.area_id}"

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.catalog.models import Service
from kizuki.incidents import scoring

# Django registers an app's models from its models module; they live apart for size.
from kizuki.incidents.paging_models import IncidentPaging, PagingSettings  # noqa: F401


class Bilingual(models.Model):
    """Catalogue rows named in Japanese and English; `name` picks the active language."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_ja if (get_language() or "").startswith("ja") else self.name_en

    @property
    def description(self) -> str:
        return (
            self.description_ja if (get_language() or "").startswith("ja") else self.description_en
        )


class Severity(Bilingual):
    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    retrospective_required = models.BooleanField(_("retrospective required"), default=False)
    follow_up_due_days = models.PositiveIntegerField(_("follow-up due in days"), default=30)
    status_update_interval_minutes = models.PositiveIntegerField(
        _("status update interval (minutes)"), default=60
    )
    page_all_key_people = models.BooleanField(_("page all key people"), default=False)
    # The incident score maps to a severity through this (see scoring.suggested_severity).
    min_impact_level = models.PositiveSmallIntegerField(
        _("lowest impact level"),
        choices=[(level, str(level)) for level in scoring.LEVELS],
        null=True,
        blank=True,
        help_text=_(
            "An incident whose impact level reaches this is suggested this severity (the "
            "gravest one reached wins). Empty: never suggested."
        ),
    )

    class Meta:
        ordering = ["level"]
        verbose_name = _("severity")
        verbose_name_plural = _("severities")

    def __str__(self) -> str:
        return f"SEV{self.level}"

    @property
    def label(self) -> str:
        return f"SEV{self.level} {self.name}"


class RoleType(Bilingual):
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    allow_several = models.BooleanField(
        _("several holders"), default=False, help_text=_("Several people may hold it at once.")
    )

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("incident role")
        verbose_name_plural = _("incident roles")

    def __str__(self) -> str:
        return self.slug


class CauseCategory(Bilingual):
    """What kind of cause an incident had (a release, a setting, load, ...): the reports count
    incidents per cause. Admins rename, reorder and retire them; a retired one (`is_active`
    off) is no longer offered but stays on the incidents that have it."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Offered when classifying an incident.")
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("cause category")
        verbose_name_plural = _("cause categories")

    def __str__(self) -> str:
        return self.slug


class Axis(models.TextChoices):
    SCOPE = "scope", _("Scope")
    EFFECT = "effect", _("Effect")


class ImpactScale(models.Model):
    """One step of an impact scale (scope 1/2/3, effect 1/3/5). The values are fixed; admins
    rename the steps for their business (sites, stores, merchants, users)."""

    axis = models.CharField(_("axis"), max_length=10, choices=Axis.choices)
    value = models.PositiveSmallIntegerField(_("value"))
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)

    class Meta:
        ordering = ["axis", "value"]
        verbose_name = _("impact scale step")
        verbose_name_plural = _("impact scales")
        constraints = [
            models.UniqueConstraint(fields=["axis", "value"], name="one_impact_scale_step")
        ]

    def __str__(self) -> str:
        return f"{self.axis} {self.value}: {self.label}"

    @property
    def label(self) -> str:
        """The label in the language in force."""
        return self.label_ja if (get_language() or "").startswith("ja") else self.label_en


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DECLARED = "declared", _("Declared")
    MITIGATED = "mitigated", _("Mitigated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    FALSE_ALARM = "false_alarm", _("False alarm")


OPEN_STATUSES = [Status.REPORTED, Status.ACKNOWLEDGED, Status.DECLARED, Status.MITIGATED]
# The record: nothing on a finished incident changes any more (retrospectives aside).
FINISHED_STATUSES = [Status.CLOSED, Status.FALSE_ALARM]


class Incident(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    severity = models.ForeignKey(
        Severity, verbose_name=_("severity"), null=True, blank=True, on_delete=models.PROTECT
    )
    services = models.ManyToManyField(Service, verbose_name=_("affected services"), blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("owning team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reported_incidents",
    )
    is_drill = models.BooleanField(_("drill"), default=False)
    # Seen only by its participants and admins (incidents.visibility decides, nothing else).
    private = models.BooleanField(_("private"), default=False, db_index=True)
    cause_category = models.ForeignKey(
        CauseCategory,
        verbose_name=_("cause category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )

    reported_at = models.DateTimeField(_("reported at"), db_index=True)  # reports' periods
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    mitigated_at = models.DateTimeField(_("mitigated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    customers_affected = models.TextField(_("customers affected"), blank=True)
    functions_affected = models.TextField(_("functions affected"), blank=True)
    impact_started_at = models.DateTimeField(_("impact started at"), null=True, blank=True)
    impact_ended_at = models.DateTimeField(_("impact ended at"), null=True, blank=True)
    secondary_damage = models.TextField(_("secondary damage"), blank=True)
    # The incident score's two factors (scoring.SCOPES, scoring.EFFECTS); NULL: not known.
    impact_scope = models.PositiveSmallIntegerField(
        _("impact scope"), choices=[(v, str(v)) for v in scoring.SCOPES], null=True, blank=True
    )
    impact_effect = models.PositiveSmallIntegerField(
        _("impact effect"), choices=[(v, str(v)) for v in scoring.EFFECTS], null=True, blank=True
    )

    bridge_system_url = models.URLField(_("bridge call: system recovery"), blank=True)
    bridge_customer_url = models.URLField(_("bridge call: customer response"), blank=True)
    document_url = models.URLField(_("recording document"), blank=True)

    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"INC-{self.number}"

    @property
    def impact_score(self) -> int | None:
        return scoring.score_of(self.impact_scope, self.impact_effect)

    @property
    def impact_level(self) -> int | None:
        return scoring.impact_level(self.impact_score)


class RoleAssignment(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.ForeignKey(RoleType, on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role__order", "assigned_at"]
        # An incident's holders of one role (its commanders): the dashboard and the reports.
        indexes = [models.Index(fields=["incident", "role"], name="incidents_ra_incident_role")]

    def __str__(self) -> str:
        return f"{self.role.slug}: {self.user}"


class Participant(models.Model):
    """Someone added to an incident by hand so they may see it while it is private (the
    reporter, role holders and the people paged for it are participants without a row)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="one_participant_row")
        ]
        # visibility.participant_incident_ids looks rows up by person.
        indexes = [models.Index(fields=["user", "incident"], name="incidents_participant_user")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.user_id}"


class EntryKind(models.TextChoices):
    CHANGE = "change", _("Change")
    NOTE = "note", _("Note")


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    # Automatic entries store an event code and its data, rendered in the reader's language.
    event = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    text = models.TextField(_("text"), blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    created_at = models.DateTimeField(_("recorded at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class Audience(models.TextChoices):
    """Who a status update is for: the responders only, or also the stakeholders' subscribers
    and the status page."""

    INTERNAL = "internal", _("Internal only")
    STAKEHOLDERS = "stakeholders", _("Stakeholders")


class StatusUpdate(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="status_updates")
    text = models.TextField(_("text"))
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.INTERNAL
    )
    plain_text = models.TextField(
        _("plain-language version"),
        blank=True,
        help_text=_("What stakeholders read instead of the text; empty: they read the text."),
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    next_update_at = models.DateTimeField(_("next update due"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]

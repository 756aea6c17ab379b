"""Retrospective templates (data, in Japanese and English), the documents written from them,
their versions, reviews and section comments, the policy that asks for them, and the
reminders sent when one is overdue."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.incidents.models import Incident, Severity


def _japanese() -> bool:
    return (get_language() or "").startswith("ja")


class Prefill(models.TextChoices):
    """What starting a retrospective writes into a section, from the incident."""

    OVERVIEW = "overview", _("Overview: title, severity, services, team, description")
    MILESTONES = "milestones", _("Milestones and durations")
    TIMELINE = "timeline", _("Timeline")
    IMPACT = "impact", _("Impact on customers, functions and time; secondary damage")
    ROLES = "roles", _("Roles and who held them")
    ALERTS = "alerts", _("Linked alerts")
    STATUS_UPDATES = "status_updates", _("Status updates")
    PHASES = "phases", _("Headings by phase: development, verification, after release")


class Purpose(models.TextChoices):
    """What a section is for, so summaries and the learnings digest can find it whatever the
    template calls it."""

    NONE = "", _("Other")
    OVERVIEW = "overview", _("Overview")
    TIMELINE = "timeline", _("Timeline")
    IMPACT = "impact", _("Impact")
    CAUSE = "cause", _("Cause")
    RESPONSE = "response", _("Response taken")
    PREVENTION = "prevention", _("Prevention")
    REFLECTION = "reflection", _("Reflection")


class Template(models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    built_in = models.BooleanField(_("built in"), default=False)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("Retired templates cannot start new documents.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("retrospective template")
        verbose_name_plural = _("retrospective templates")

    def __str__(self) -> str:
        return self.key

    @property
    def name(self) -> str:
        return self.name_ja if _japanese() else self.name_en

    @property
    def description(self) -> str:
        return self.description_ja if _japanese() else self.description_en


class TemplateSection(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=50)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_ja = models.TextField(_("guidance (Japanese)"), blank=True)
    # Prefill values, in the order their text is written into the section.
    prefill = models.JSONField(_("pre-filled with"), default=list, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, blank=True, default=""
    )
    asks_evidence = models.BooleanField(
        _("asks for evidence"),
        default=False,
        help_text=_("Writers link evidence: chat links, commands and output, dashboards."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="one_template_section_key")
        ]
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")

    def __str__(self) -> str:
        return f"{self.template.key}/{self.key}"

    @property
    def title(self) -> str:
        return self.title_ja if _japanese() else self.title_en

    @property
    def guidance(self) -> str:
        return self.guidance_ja if _japanese() else self.guidance_en


class RetroPolicy(models.Model):
    """Per severity: how many days after resolving a required retrospective is due, and the
    template it starts from. Whether it is required is the severity's own
    `retrospective_required` (one truth, shown on the severity too)."""

    severity = models.OneToOneField(Severity, on_delete=models.CASCADE, related_name="retro_policy")
    due_days = models.PositiveIntegerField(_("due in days"), default=14)
    template = models.ForeignKey(
        Template,
        verbose_name=_("default template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("retrospective policy")
        verbose_name_plural = _("retrospective policies")

    def __str__(self) -> str:
        return f"SEV{self.severity.level}"


class TeamTemplate(models.Model):
    """A team's default template; it wins over the severity's."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="retro_template")
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("team default template")
        verbose_name_plural = _("team default templates")

    def __str__(self) -> str:
        return f"{self.team.slug}: {self.template.key}"


class RetroStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


STARTED = [RetroStatus.DRAFT, RetroStatus.IN_REVIEW, RetroStatus.PUBLISHED]


class Retrospective(models.Model):
    """One incident's retrospective. The row exists from the moment one is required (status
    not_started, with `required` and `due_at`) or started (draft)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="retrospective"
    )
    template = models.ForeignKey(
        Template, null=True, blank=True, on_delete=models.PROTECT, related_name="retrospectives"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RetroStatus.choices,
        default=RetroStatus.NOT_STARTED,
        db_index=True,
    )
    # The language it was pre-filled in ("ja" or "en").
    language = models.CharField(_("language"), max_length=10, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_retrospectives",
    )
    required = models.BooleanField(_("required"), default=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    not_needed_reason = models.TextField(_("why none is needed"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For stakeholders: impact, cause in plain words, what will change (kept apart).
    stakeholder_summary = models.TextField(_("summary for stakeholders"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-incident__number"]
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")

    def __str__(self) -> str:
        return f"{self.incident.ref} {self.status}"

    @property
    def started(self) -> bool:
        return self.status != RetroStatus.NOT_STARTED


class RetroSection(models.Model):
    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True, default="")
    asks_evidence = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Proposed by the AI and accepted, but not yet edited by a person.
    drafted = models.BooleanField(_("drafted by AI"), default=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["retro", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["retro", "key"], name="one_retro_section_key")
        ]

    def __str__(self) -> str:
        return self.key


class RetroVersion(models.Model):
    """The whole text after a save that changed it: {"sections": [{key, title, body}]}."""

    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    changed = models.JSONField(default=list)  # keys of the sections this save changed
    snapshot = models.JSONField()

    class Meta:
        ordering = ["retro", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["retro", "number"], name="one_retro_version_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ReviewState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    COMMENTED = "commented", _("Commented")


class Review(models.Model):
    """One reviewer's standing on a retrospective; `version` is the text they judged."""

    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=20, choices=ReviewState.choices)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["retro", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["retro", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.state}"


class SectionComment(models.Model):
    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(max_length=50)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField()
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["retro", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ReminderKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    TEAM = "team", _("Team")


class RetroReminder(models.Model):
    """A reminder sent about an overdue retrospective. Claimed under a unique key before
    sending, so each is sent once per due date, however many workers run."""

    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)  # usernames

    class Meta:
        ordering = ["retro", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["retro", "kind", "due_at"], name="one_retro_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.retro_id} {self.kind}"

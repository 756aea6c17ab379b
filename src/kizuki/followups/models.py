"""Follow-ups: the measures an incident leaves behind (from its retrospective, its page, the
API or Slack), their milestones and history, the reminders sent about them, the issue-tracker
settings per team with the link to the tracker's issue, and the admins' own quality rules.

The link to a System Risk Record waits for the risks app (issue 12)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.core.fields import SealedTextField
from kizuki.incidents.models import Incident
from kizuki.retros.models import Retrospective


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    WONT_DO = "wont_do", _("Won't do")


# Follow-ups still to be done: reminders, "overdue" and the overviews count only these.
ACTIVE = [Status.OPEN, Status.IN_PROGRESS]


class Kind(models.TextChoices):
    """What the measure does about the next incident (Asoview: prevent, detect, mitigate,
    repair)."""

    PREVENT = "prevent", _("Prevent")
    DETECT = "detect", _("Detect")
    MITIGATE = "mitigate", _("Mitigate")
    REPAIR = "repair", _("Repair")


class Category(models.TextChoices):
    """Where the measure acts (Merpay's six viewpoints)."""

    BUG_FIX = "bug_fix", _("Bug fix")
    OPERATIONS_DESIGN = "operations_design", _("Operations or design")
    ORGANISATION = "organisation", _("Organisation")
    RESIDUAL_RISK = "residual_risk", _("Residual risk")
    MONITORING_SLO = "monitoring_slo", _("Monitoring or SLO")
    MTTA_MTTR = "mtta_mttr", _("MTTA/MTTR")


class Phase(models.TextChoices):
    """When the measure catches the problem (Mirrativ: the earlier, the cheaper)."""

    DEVELOPMENT = "development", _("Development")
    VERIFICATION = "verification", _("Verification")
    AFTER_RELEASE = "after_release", _("After release")


class FollowUp(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="followups")
    retrospective = models.ForeignKey(
        Retrospective,
        verbose_name=_("retrospective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    # The retrospective section it came from ("permanent-fix", "prevention", ...).
    section_key = models.CharField(_("retrospective section"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        # The overdue ones (status open or in progress, due before today), counted and listed
        # most overdue first on the dashboard, from the index alone however many are done.
        indexes = [models.Index(fields=["status", "due_date"], name="followup_status_due")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"FU-{self.pk} {self.title}"

    @property
    def ref(self) -> str:
        return f"FU-{self.pk}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Milestone(models.Model):
    """A stage of a follow-up that cannot be done at once (Merpay: split it into milestones)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["followup", "position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Change(models.Model):
    """The follow-up's own history: created, edited, its due date moved (with the reason), its
    status changed, exported to a tracker, closed from there."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(max_length=30)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.followup_id} {self.event}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A reminder about a follow-up, claimed under a unique key before it is sent: each goes
    out once per due date and step (overdue reminders repeat weekly: step 0, 1, 2, ...)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_date = models.DateField()
    step = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)  # usernames

    class Meta:
        ordering = ["followup", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "kind", "due_date", "step"], name="one_followup_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.followup_id} {self.kind} {self.step}"


class TrackerKind(models.TextChoices):
    GITHUB = "github", _("GitHub Issues")
    JIRA = "jira", _("Jira Cloud")


class TrackerConfig(models.Model):
    """A team's issue tracker. The token and the webhook secret are stored sealed (see
    core/sealing.py) and never shown again."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="tracker")
    kind = models.CharField(_("tracker"), max_length=10, choices=TrackerKind.choices)
    base_url = models.URLField(_("API base URL"), max_length=300)
    # GitHub: "owner/repository"; Jira: the project key.
    project = models.CharField(_("repository or project key"), max_length=200)
    # Jira Cloud: the account's e-mail address the API token belongs to.
    account = models.CharField(_("account"), max_length=200, blank=True)
    issue_type = models.CharField(_("issue type"), max_length=50, blank=True, default="Task")
    token_sealed = SealedTextField(blank=True)
    webhook_secret_sealed = SealedTextField(blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("issue tracker")
        verbose_name_plural = _("issue trackers")

    def __str__(self) -> str:
        return f"{self.team} {self.kind} {self.project}"


class LinkState(models.TextChoices):
    PENDING = "pending", _("Exporting")
    LINKED = "linked", _("Linked")
    FAILED = "failed", _("Export failed")


class TrackerLink(models.Model):
    """The follow-up's issue in its team's tracker. Written before the issue is created, with
    an idempotency key the issue carries: a job that runs twice finds the issue it made."""

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="tracker_link")
    config = models.ForeignKey(TrackerConfig, on_delete=models.CASCADE, related_name="links")
    key = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=LinkState.choices, default=LinkState.PENDING)
    issue_id = models.CharField(max_length=100, blank=True, db_index=True)
    issue_url = models.URLField(max_length=500, blank=True)
    issue_closed = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    linked_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.followup_id} {self.issue_id or self.state}"


class RuleLanguage(models.TextChoices):
    ANY = "", _("Any")
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")


class QualityRule(models.Model):
    """An admin's own check of how follow-ups are written, applied after the built-in ones:
    a pattern (a regular expression, case-insensitive) and the explanation in both languages
    of why it is a problem and how to rewrite it."""

    code = models.SlugField(_("code"), max_length=50)
    pattern = models.CharField(_("pattern"), max_length=500)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=RuleLanguage.choices,
        blank=True,
        help_text=_("Applies to text in this language (any: to every text)."),
    )
    message_en = models.TextField(_("message (English)"))
    message_ja = models.TextField(_("message (Japanese)"))
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("quality rule")
        verbose_name_plural = _("quality rules")

    def __str__(self) -> str:
        return self.code

"""System Risk Records: latent risks kept visible until they are gone, their history (every
change of impact, likelihood or status, and every visit, with its reason), the reminders sent
when a visit is due. The impact scales are the incidents' (incidents.models.ImpactScale)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.catalog.models import Service
from kizuki.followups.models import FollowUp
from kizuki.incidents.models import Incident
from kizuki.retros.models import Retrospective


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    WATCHING = "watching", _("Watching")
    INTERIM_DONE = "interim_done", _("Interim measure done")
    DONE = "done", _("Done")


# Risks still open: the register, the reminders and the totals count only these.
OPEN = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.WATCHING, Status.INTERIM_DONE]


class Impact(models.IntegerChoices):
    """An impact level: the incident score it can reach. Unknown is stored as NULL."""

    TEN = 10, "10"
    SIX = 6, "6"
    THREE = 3, "3"
    ONE = 1, "1"
    NONE = 0, "0"


class Likelihood(models.IntegerChoices):
    CAN_HAPPEN = 1, _("1: can happen")
    ANY_TIME = 2, _("2: can happen any time, or almost certainly with scale")


class Risk(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="risks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    current_impact = models.SmallIntegerField(
        _("current impact"), choices=Impact.choices, null=True, blank=True
    )
    potential_impact = models.SmallIntegerField(
        _("potential impact"), choices=Impact.choices, null=True, blank=True
    )
    likelihood = models.SmallIntegerField(
        _("likelihood"), choices=Likelihood.choices, default=Likelihood.CAN_HAPPEN
    )
    # potential impact * likelihood, stored so the register sorts by it; NULL while unknown.
    priority = models.SmallIntegerField(_("priority"), null=True, blank=True, db_index=True)
    next_visit = models.DateField(_("next visit"), null=True, blank=True, db_index=True)
    noticed = models.TextField(_("how it was noticed"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    plan = models.TextField(_("countermeasure plan"), blank=True)
    countermeasures = models.TextField(_("countermeasure log"), blank=True)
    next_action = models.TextField(_("next action"), blank=True)
    incidents = models.ManyToManyField(
        Incident, verbose_name=_("incidents"), blank=True, related_name="risks"
    )
    # Where the risk came from or what it concerns (risks.link_actions records them).
    retrospectives = models.ManyToManyField(
        Retrospective, verbose_name=_("retrospectives"), blank=True, related_name="risks"
    )
    followups = models.ManyToManyField(
        FollowUp, verbose_name=_("follow-ups"), blank=True, related_name="risks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-priority", "next_visit", "id"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"RISK-{self.pk} {self.title}"

    @property
    def ref(self) -> str:
        return f"RISK-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Change(models.Model):
    """The risk's history: created, a change of status, current or potential impact or
    likelihood (`previous` → `value`, with the reason), a visit (the note is the reason;
    `value` the next visit), an edit of its text."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(max_length=30)
    previous = models.JSONField(null=True, blank=True)
    value = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.event}"


class Reminder(models.Model):
    """A reminder that a risk's visit is due, claimed under a unique key before it is sent:
    once per risk and next-visit date."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reminders")
    next_visit = models.DateField()
    sent_at = models.DateTimeField()
    recipient = models.CharField(max_length=150)

    class Meta:
        ordering = ["risk", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "next_visit"], name="one_risk_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.next_visit}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    WATCHING = "watching", _("Watching")
    RESOLVED = "resolved", _("Resolved")
    PROMOTED = "promoted", _("Promoted to a risk")


# A finding stays on the agenda of every review until it is resolved, watched or promoted.
ON_AGENDA = [FindingStatus.OPEN, FindingStatus.INVESTIGATING]


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday()): Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReviewSettings(models.Model):
    """When the organisation holds its Performance Review: weekly, on one weekday. One row at
    most; without it the defaults apply (review_queries.review_settings)."""

    weekday = models.PositiveSmallIntegerField(
        _("review day"), choices=Weekday.choices, default=Weekday.MONDAY
    )

    class Meta:
        verbose_name = _("performance review settings")
        verbose_name_plural = _("performance review settings")

    def __str__(self) -> str:
        return f"weekly on {self.get_weekday_display()}"


class Review(models.Model):
    """A Performance Review: the regular look at the metrics (weekly by default), its minutes
    and the findings raised in it."""

    held_on = models.DateField(_("held on"), db_index=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")

    def __str__(self) -> str:
        return f"{self.held_on} review"


class Finding(models.Model):
    """Something odd in the metrics, raised in a review, investigated by its assignee and
    reported at the next reviews until it is resolved, watched, or promoted to a risk."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    # The impact it can reach (the entry criterion compares it with 3); NULL: not known yet.
    potential_impact = models.SmallIntegerField(
        _("potential impact"), choices=Impact.choices, null=True, blank=True
    )
    # A Prometheus snapshot taken once when the finding was raised (risks.prometheus): the
    # PromQL query, its range (1h, 6h, 24h, 7d), and the series or why it failed.
    snapshot_query = models.TextField(_("PromQL query"), blank=True)
    snapshot_range = models.CharField(_("range"), max_length=5, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    # The later reviews whose agenda it was carried over to, still open when they were held:
    # their agendas stay as they were, even once it is resolved (review_actions.hold_review).
    carried_to = models.ManyToManyField(
        Review, verbose_name=_("carried over to"), blank=True, related_name="carried_over"
    )
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.title


class FindingNote(models.Model):
    """What the assignee reported about a finding, or a change of it: its history, which
    becomes the risk's log when it is promoted."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.at}"

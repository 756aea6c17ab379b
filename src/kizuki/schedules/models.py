"""On-call schedules: rotation layers and their members, overrides, calendar feeds and the
shift reminders sent. The tables keep their names from when schedules lived in oncall, so
upgrading moved no data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team


class Schedule(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        db_table = "oncall_schedule"
        ordering = ["name"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.name


class Holidays(models.TextChoices):
    ANY_DAY = "any", _("Every day")
    SKIP = "skip", _("Not on Japanese public holidays")
    ONLY = "only", _("Only on Japanese public holidays")


class Layer(models.Model):
    """One rotation: its people take turns, each for one shift, handing off at a local time.
    Later layers win over earlier ones where both have someone on call."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="layers")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200, blank=True)
    shift_seconds = models.PositiveIntegerField(_("shift length (seconds)"))
    handoff_time = models.TimeField(_("hand-off time"))
    start = models.DateField(_("rotation starts on"))
    holidays = models.CharField(
        _("holidays"), max_length=10, choices=Holidays.choices, default=Holidays.ANY_DAY
    )

    class Meta:
        db_table = "oncall_layer"
        ordering = ["schedule", "position", "id"]
        verbose_name = _("layer")
        verbose_name_plural = _("layers")

    def __str__(self) -> str:
        return self.name or f"{self.schedule} #{self.position}"


class LayerMember(models.Model):
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "oncall_layermember"
        ordering = ["layer", "position"]

    def __str__(self) -> str:
        return f"{self.layer} {self.position}: {self.user}"


class Override(models.Model):
    """A person covers the schedule for a window, whoever the layers say."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "oncall_override"
        ordering = ["starts_at"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M} - {self.ends_at:%Y-%m-%d %H:%M}"


# A calendar URL's token is a selector this long, then the secret.
SELECTOR_LENGTH = 12


class CalendarFeed(models.Model):
    """The secret in the calendar subscription URL of one schedule or one person. It is kept
    as is, not hashed, so its owner can see the URL again; rotating it replaces it. The URL
    carries the selector, for the lookup, then the rest, compared in constant time."""

    schedule = models.OneToOneField(
        Schedule, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    selector = models.CharField(max_length=16, unique=True)
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        db_table = "oncall_calendarfeed"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schedule__isnull=False, user__isnull=True)
                | models.Q(schedule__isnull=True, user__isnull=False),
                name="calendar_feed_of_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule or self.user} {self.selector}…"

    @property
    def token(self) -> str:
        return self.selector + self.secret


class ShiftReminder(models.Model):
    """The shift-start reminder sent to one person for one shift. The unique key is claimed
    before the e-mail goes out, so a second worker or a later tick never sends it twice."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shift_start = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "oncall_shiftreminder"
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "user", "shift_start"], name="one_reminder_a_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.user} {self.shift_start:%Y-%m-%d %H:%M}"

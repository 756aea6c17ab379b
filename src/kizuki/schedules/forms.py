"""Forms for the schedule pages. They only shape input; the actions validate it."""

from functools import lru_cache
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.schedules.models import Holidays

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@lru_cache(maxsize=1)
def zone_choices() -> list[tuple[str, str]]:
    # Reading the zone database walks the filesystem: once per process is enough.
    return [(zone, zone) for zone in sorted(available_timezones())]


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="Asia/Tokyo")
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), to_field_name="slug", required=False
    )
    layer_name = forms.CharField(label=_("Layer name"), max_length=200, required=False)
    users = forms.CharField(
        label=_("People, in rotation order"),
        max_length=2000,
        help_text=_("Usernames separated by commas, e.g. ana, ben, chie."),
    )
    shift_length = forms.CharField(
        label=_("Shift length"),
        max_length=20,
        initial="1w",
        help_text=_("For example 12h, 1d, 1w or 90m."),
    )
    handoff_time = forms.CharField(
        label=_("Hand-off time"),
        max_length=8,
        initial="09:00",
        widget=forms.TextInput(attrs={"type": "time"}),
    )
    start = forms.CharField(
        label=_("Rotation starts on"),
        max_length=10,
        required=False,
        help_text=_("Empty: today."),
        widget=forms.TextInput(attrs={"type": "date"}),
    )
    holidays = forms.ChoiceField(
        label=_("Japanese public holidays"), choices=Holidays.choices, initial=Holidays.ANY_DAY
    )

    def usernames(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["users"].split(",") if name.strip()]


class OverrideForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=LOCAL_TIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=LOCAL_TIME)

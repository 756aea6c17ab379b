"""Forms for the schedule pages. They shape input and, so that a mistake shows next to the
field it concerns, check each field with the same parsers the actions use."""

from collections.abc import Callable
from functools import lru_cache
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.accounts.queries import get_user
from kizuki.core.errors import CORRECTABLE
from kizuki.schedules import actions
from kizuki.schedules.models import Holidays, Layer

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@lru_cache(maxsize=1)
def zone_choices() -> list[tuple[str, str]]:
    # Reading the zone database walks the filesystem: once per process is enough.
    return [(zone, zone) for zone in sorted(available_timezones())]


def _checked(parse: Callable[[str], object], text: str) -> str:
    """The text if the action's parser accepts it; its complaint as the field's error if not."""
    try:
        parse(text)
    except CORRECTABLE as error:
        raise forms.ValidationError(error.detail) from None
    return text


class LayerForm(forms.Form):
    """One rotation layer: its people in order, shift length, hand-off time, start, holidays."""

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
        help_text=_("Empty: at once, from the latest hand-off time."),
        widget=forms.TextInput(attrs={"type": "date"}),
    )
    holidays = forms.ChoiceField(
        label=_("Japanese public holidays"), choices=Holidays.choices, initial=Holidays.ANY_DAY
    )

    @classmethod
    def of(cls, layer: Layer) -> "LayerForm":
        """The form filled in with a layer as it is, to edit it."""
        return cls(
            initial={
                "layer_name": layer.name,
                "users": ", ".join(member.user.username for member in layer.members.all()),
                "shift_length": actions.format_shift_length(layer.shift_seconds),
                "handoff_time": layer.handoff_time.strftime("%H:%M"),
                "start": layer.start.isoformat(),
                "holidays": layer.holidays,
            }
        )

    def usernames(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["users"].split(",") if name.strip()]

    def clean_users(self) -> str:
        text: str = self.cleaned_data["users"]
        names = [name.strip() for name in text.split(",") if name.strip()]
        if not names:
            raise forms.ValidationError(_("Give at least one person."))
        for name in names:
            _checked(get_user, name)
        return text

    def clean_shift_length(self) -> str:
        return _checked(actions.parse_shift_length, self.cleaned_data["shift_length"])

    def clean_handoff_time(self) -> str:
        return _checked(actions.parse_handoff, self.cleaned_data["handoff_time"])

    def clean_start(self) -> str:
        text: str = self.cleaned_data["start"]
        # A plain date reads the same in every zone: UTC only checks how it is written.
        return _checked(lambda t: actions.parse_start(t, actions.parse_zone("UTC")), text)

    def layer_input(self) -> actions.LayerInput:
        data = self.cleaned_data
        return actions.LayerInput(
            users=self.usernames(),
            shift_length=data["shift_length"],
            handoff_time=data["handoff_time"],
            start=data["start"],
            name=data["layer_name"],
            holidays=data["holidays"],
        )


class ScheduleForm(LayerForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="Asia/Tokyo")
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), to_field_name="slug", required=False
    )
    field_order = ["name", "time_zone", "team"]


class OverrideForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=LOCAL_TIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=LOCAL_TIME)


class ShiftForm(forms.Form):
    """Which shift: its exact start and end, as the calendar showed them (ISO, with offset)."""

    starts_at = forms.DateTimeField(widget=forms.HiddenInput)
    ends_at = forms.DateTimeField(widget=forms.HiddenInput)


class SwapForm(ShiftForm):
    user = forms.ModelChoiceField(
        label=_("Who takes this shift"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )

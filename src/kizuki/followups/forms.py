"""Forms of the follow-up pages: they check the shape of what was posted; the rules (a reason
for a moved due date or for "won't do") live in the actions, whose errors show beside the form.

The title and description boxes ask the quality check as one types (htmx posts the form to
followup-check), the owner and due date when they change."""

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.followups.models import Category, Kind, MilestoneStatus, Phase, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECK_URL = reverse_lazy("followup-check")


def _typing(extra: dict[str, str] | None = None) -> dict[str, Any]:
    """htmx attributes that send the form to the quality check as one types."""
    return {
        "hx-post": CHECK_URL,
        # keyup as one types; input also for pasting and IME (Japanese input sends no keyup
        # per character). `changed` keeps an unchanged box from asking twice.
        "hx-trigger": "keyup changed delay:500ms, input changed delay:500ms",
        "hx-target": "#quality",
        "hx-swap": "innerHTML",
        "hx-sync": "closest form:replace",
        **(extra or {}),
    }


def _changing() -> dict[str, Any]:
    return {**_typing(), "hx-trigger": "change"}


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class FollowUpForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs=_typing())
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs=_typing({"rows": "4"})),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="username",
        widget=forms.Select(attrs=_changing()),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, to_field_name="slug"
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **_changing()}, format="%Y-%m-%d"),
    )
    due_date_reason = forms.CharField(
        label=_("Why the due date changes"),
        required=False,
        max_length=2000,
        help_text=_("Needed when you move the due date; it is kept with the follow-up."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(Kind.choices), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=_blank(Category.choices), required=False
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=_blank(Phase.choices), required=False)
    section = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    # Which incident's severity policy the live check compares the due date with.
    incident = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        team = self.fields["team"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(team, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(is_active=True).order_by("username")
        team.queryset = Team.objects.order_by("name")


class QuickForm(forms.Form):
    """The incident page's short form: a title and an owner (the rest has defaults)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, to_field_name="username"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(is_active=True).order_by("username")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    status_reason = forms.CharField(
        label=_("Reason (needed for won't do)"), required=False, max_length=2000
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MilestoneStatus.choices)


class CheckForm(forms.Form):
    """What the live check reads from the follow-up form (anything else is ignored)."""

    title = forms.CharField(required=False, max_length=20_000)
    description = forms.CharField(required=False, max_length=20_000)
    owner = forms.CharField(required=False, max_length=150)
    due_date = forms.DateField(required=False)
    incident = forms.CharField(required=False, max_length=20)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_blank(Status.choices), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, to_field_name="slug"
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.order_by("name")

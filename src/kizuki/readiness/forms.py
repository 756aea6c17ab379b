"""Forms of the readiness page (team picker, a new read-through, break-reminder settings) and
of the looking-after-responders panel on an incident's page. They read what was typed; the
actions check it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.incidents import queries as incident_queries
from kizuki.readiness.actions import ITEM_MAX, NAME_MAX
from kizuki.readiness.care_actions import TEXT_MAX
from kizuki.readiness.models import Period

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _team_field(label: Any, empty: Any) -> forms.ModelChoiceField[Team]:
    return forms.ModelChoiceField(
        label=label,
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=empty,
    )


class TeamForm(forms.Form):
    """Whose readiness the page shows."""

    team = _team_field(_("Team"), _("Everyone"))


class ReadThroughForm(forms.Form):
    period = forms.ChoiceField(label=_("Peak period"), choices=Period.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Empty: the period's name. A custom period needs one."),
    )
    starts_on = forms.DateField(label=_("Period starts on"), widget=DAY)
    ends_on = forms.DateField(label=_("Period ends on"), widget=DAY)
    team = _team_field(_("Team"), _("Everyone"))
    items = forms.CharField(
        label=_("Items to read, one a line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: the start-up flow, who leads which area, how to page, where the"
            " bridge calls are."
        ),
    )

    def fields_for_action(self) -> dict[str, Any]:
        data = self.cleaned_data
        lines = [line.strip()[: ITEM_MAX + 1] for line in str(data["items"]).splitlines()]
        return {
            "name": data["name"],
            "period": data["period"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "team": data["team"].slug if data["team"] else None,
            "items": [line for line in lines if line],
        }


class SeverityField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return f"SEV{obj.level} {obj.name}"


class CareForm(forms.Form):
    severity = SeverityField(
        label=_("Severity"),
        queryset=incident_queries.severity_choices(),
        to_field_name="level",
        required=False,
        empty_label=_("Every severity without its own setting"),
    )
    enabled = forms.BooleanField(label=_("Remind"), required=False, initial=True)
    after_minutes = forms.IntegerField(
        label=_("First reminder after (minutes)"), min_value=1, max_value=7 * 24 * 60, initial=180
    )
    every_minutes = forms.IntegerField(
        label=_("Again every (minutes)"), min_value=1, max_value=7 * 24 * 60, initial=180
    )


class PersonField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class HandoffForm(forms.Form):
    user = PersonField(
        label=_("New commander"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )


class WorkItemForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=TEXT_MAX)
    today = forms.BooleanField(label=_("Must be done today"), required=False, initial=True)


class WorkItemChangeForm(forms.Form):
    today = forms.NullBooleanField(required=False)
    done = forms.NullBooleanField(required=False)


class MoveForm(forms.Form):
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DAY, help_text=_("Empty: the usual due date.")
    )

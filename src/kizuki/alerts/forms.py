from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.alerts.actions import SILENCE_MINUTES_MAX
from kizuki.alerts.models import GroupStatus, IntegrationKind
from kizuki.catalog import queries as catalog_queries
from kizuki.incidents import queries as incidents_queries
from kizuki.oncall import queries as oncall_queries

SILENCE_CHOICES = [
    (15, _("15 minutes")),
    (60, _("1 hour")),
    (240, _("4 hours")),
    (1440, _("1 day")),
]


class GroupFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *GroupStatus.choices]
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=catalog_queries.service_choices(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
    )


class SilenceForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("Silence for"), choices=SILENCE_CHOICES, coerce=int, initial=60
    )

    def clean_minutes(self) -> int:
        minutes: int = self.cleaned_data["minutes"]
        if not 1 <= minutes <= SILENCE_MINUTES_MAX:
            raise forms.ValidationError(_("Choose one of the listed durations."))
        return minutes


class IntegrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IntegrationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    grouping_key = forms.CharField(
        label=_("Group by label"),
        max_length=200,
        required=False,
        help_text=_("Empty uses the sender's own grouping."),
    )
    rate_limit_per_minute = forms.IntegerField(
        label=_("Alerts per minute"), min_value=1, required=False
    )
    heartbeat_minutes = forms.IntegerField(
        label=_("Heartbeat interval (minutes)"),
        min_value=1,
        required=False,
        help_text=_("Heartbeat integrations only: alert when no heartbeat came for this long."),
    )


def parse_labels(text: str) -> dict[str, str]:
    """`severity=critical, team=db` (commas or new lines) into a dict."""
    labels: dict[str, str] = {}
    for part in text.replace("\n", ",").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError(
                _("Write labels as name=value, separated by commas: %(part)s"),
                params={"part": part.strip()},
            )
        labels[key.strip()] = value.strip()
    return labels


class RoutingRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    match_labels = forms.CharField(
        label=_("Labels to match"),
        required=False,
        help_text=_("e.g. severity=critical, team=db. Empty matches every alert."),
    )
    escalation_policy = forms.ModelChoiceField(
        label=_("Escalation policy"),
        queryset=oncall_queries.policy_choices(),
        required=False,
        empty_label=_("The service's policy"),
    )
    declare_severity = forms.ModelChoiceField(
        label=_("Declare an incident"),
        queryset=incidents_queries.severity_choices(),
        to_field_name="level",
        required=False,
        empty_label=_("No incident"),
    )

    def clean_match_labels(self) -> dict[str, str]:
        return parse_labels(self.cleaned_data["match_labels"])


def labels_text(labels: dict[str, str]) -> str:
    """The inverse of parse_labels, to fill a form with a rule's labels."""
    return ", ".join(f"{key}={value}" for key, value in labels.items())


class TestAlertForm(forms.Form):
    labels = forms.CharField(
        label=_("Labels"),
        required=False,
        help_text=_("Optional, e.g. severity=critical, to try a routing rule."),
    )

    def clean_labels(self) -> dict[str, str]:
        return parse_labels(self.cleaned_data["labels"])


class SosForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Which service has the problem?"), queryset=catalog_queries.service_choices()
    )
    problem = forms.CharField(
        label=_("What is wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you see, since when, and who is affected, if you know."),
    )

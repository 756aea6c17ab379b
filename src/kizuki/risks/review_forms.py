"""Forms of the Performance Review pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import User
from kizuki.risks import prometheus
from kizuki.risks.forms import DATE, impact_choices, impact_value
from kizuki.risks.models import FindingStatus, Likelihood, Weekday

TEXT_MAX = 20_000
STATUSES = [(v, label) for v, label in FindingStatus.choices if v != FindingStatus.PROMOTED]


def _people(form: forms.Form, field: str) -> None:
    people = form.fields[field]
    assert isinstance(people, forms.ModelChoiceField)
    people.queryset = User.objects.filter(is_active=True).order_by("username")


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 3})
    )


class ReviewSettingsForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Review day"), choices=Weekday.choices, coerce=int)


RANGE_CHOICES = [
    ("1h", _("Last hour")),
    ("6h", _("Last 6 hours")),
    ("24h", _("Last 24 hours")),
    ("7d", _("Last 7 days")),
]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 5})
    )


class FindingForm(forms.Form):
    title = forms.CharField(label=_("What looks odd"), max_length=200)
    link = forms.URLField(
        label=_("Link to the metric"), required=False, max_length=500, assume_scheme="https"
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, to_field_name="username"
    )
    potential_impact = forms.ChoiceField(
        label=_("Potential impact"), choices=impact_choices, required=False
    )
    snapshot_query = forms.CharField(
        label=_("PromQL query (optional)"),
        required=False,
        max_length=prometheus.QUERY_MAX,
        widget=forms.Textarea({"rows": 2, "spellcheck": "false"}),
        help_text=_("Kizuki takes one snapshot of it now and keeps it with the finding."),
    )
    snapshot_range = forms.ChoiceField(
        label=_("Range"), choices=RANGE_CHOICES, initial=prometheus.DEFAULT_RANGE, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, "assignee")
        if not prometheus.enabled():
            # Without a Prometheus URL there is nothing to ask: the fields are not offered.
            del self.fields["snapshot_query"]
            del self.fields["snapshot_range"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["potential_impact"] = impact_value(data["potential_impact"] or "")
        return data


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("What the investigation found"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 2}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES)
    potential_impact = forms.ChoiceField(label=_("Potential impact"), choices=impact_choices)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["potential_impact"] = impact_value(data["potential_impact"])
        return data


class PromoteForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=Likelihood.choices, coerce=int
    )

"""Forms of the risk pages: they check the shape of what was posted and, next to the field,
that a chosen next visit fits the status (the same rule the actions apply)."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import User
from kizuki.catalog.queries import service_choices
from kizuki.risks import queries, scoring
from kizuki.risks.models import Likelihood, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN = "unknown"
TEXT_MAX = 20_000


def impact_choices() -> list[tuple[str, Any]]:
    return [(UNKNOWN, _("Unknown")), *[(str(level), str(level)) for level in scoring.LEVELS]]


def impact_value(choice: str) -> int | None:
    return None if choice in ("", UNKNOWN) else int(choice)


def impact_choice(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


def _check_visit(status: str, day: date | None) -> str | None:
    """The error for a next visit that does not fit `status`, or None."""
    if day is None:
        return None
    window = scoring.visit_window(status, queries.today())
    if window is None:
        return str(_("A done risk has no next visit."))
    earliest, latest = window
    if earliest <= day <= latest:
        return None
    return str(
        _("Choose a day between %(earliest)s and %(latest)s for this status.")
        % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}
    )


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 3})
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=service_choices(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, to_field_name="username"
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    current_impact = forms.ChoiceField(
        label=_("Current impact"),
        choices=impact_choices,
        help_text=_("Is it causing errors or incidents now? The level such an incident reaches."),
    )
    potential_impact = forms.ChoiceField(
        label=_("Potential impact"),
        choices=impact_choices,
        help_text=_("The worst it can reach if nothing is done while the product scales."),
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=Likelihood.choices, coerce=int
    )
    next_visit = forms.DateField(
        label=_("Next visit"),
        required=False,
        widget=DATE,
        help_text=_(
            "Empty: from the status (in progress: in 2 weeks; watching or interim measure"
            " done: in a month)."
        ),
    )
    noticed = forms.CharField(
        label=_("How it was noticed"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("The metric that showed it (a link) and the log up to the cause."),
    )
    cause = forms.CharField(
        label=_("Cause"), required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 3})
    )
    plan = forms.CharField(
        label=_("Countermeasure plan"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("The plan, and the alternatives compared."),
    )
    countermeasures = forms.CharField(
        label=_("Countermeasure log"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Interim and permanent fixes, links to their pull requests."),
    )
    next_action = forms.CharField(
        label=_("Next action"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 2}),
    )
    incidents = forms.CharField(
        label=_("Incidents"),
        required=False,
        max_length=1000,
        help_text=_("References such as INC-12, separated by spaces or commas."),
    )
    reason = forms.CharField(
        label=_("Why it changes"),
        required=False,
        max_length=2000,
        help_text=_("Kept in the history with a change of status, impact or likelihood."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(is_active=True).order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("next_visit")
        # A date left as it was is not checked again (the status may have moved past it).
        unchanged = day is not None and day == self.initial.get("next_visit")
        error = None if unchanged else _check_visit(str(data.get("status") or ""), day)
        if error and "status" in data:
            self.add_error("next_visit", error)
        return data

    def clean_incidents(self) -> list[str]:
        text = str(self.cleaned_data.get("incidents") or "")
        refs = [ref.upper() for ref in re.split(r"[\s,、]+", text) if ref]
        wrong = [ref for ref in refs if not re.fullmatch(r"INC-\d{1,9}", ref)]
        if wrong:
            raise forms.ValidationError(
                _("Not an incident reference: %(refs)s.") % {"refs": ", ".join(wrong)}
            )
        return list(dict.fromkeys(refs))

    def values(self) -> dict[str, Any]:
        """What the actions take: impacts as levels (None: unknown), lists as lists."""
        data = dict(self.cleaned_data)
        data["current_impact"] = impact_value(data["current_impact"])
        data["potential_impact"] = impact_value(data["potential_impact"])
        data["services"] = list(data["services"])
        return data


class VisitForm(forms.Form):
    note = forms.CharField(
        label=_("What you checked"),
        max_length=TEXT_MAX,
        widget=forms.Textarea({"rows": 3}),
    )
    next_visit = forms.DateField(
        label=_("Next visit"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the default for its status."),
    )

    def __init__(self, *args: Any, status: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = status

    def clean_next_visit(self) -> date | None:
        day: date | None = self.cleaned_data.get("next_visit")
        error = _check_visit(self.status, day)
        if error:
            raise forms.ValidationError(error)
        return day


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Not done yet")), *Status.choices, ("all", _("All"))],
        required=False,
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=service_choices(), required=False, to_field_name="slug"
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, to_field_name="username"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(is_active=True).order_by("username")

"""The paging settings form (admins): who a report naming no service pages, who the key
people are, and when they are paged."""

import re
from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.oncall import queries as oncall_queries

# A zone typed after the time: "09:00Z", "09:00+09:00", "09:00 -0500".
_ZONE = re.compile(r"(z|[+-]\d\d:?\d\d)$", re.IGNORECASE)


class LocalTimeField(forms.TimeField):
    """A wall-clock time in the organisation's zone. A time typed with a zone is refused with
    the API's own words (mobilisation.update_paging_settings), not read as some other time."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, str) and _ZONE.search(value.strip()):
            raise ValidationError(
                _("Give business hours as local times without a zone, e.g. 09:00."), code="zone"
            )
        return super().to_python(value)


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person: User = obj
        name = person.get_full_name()
        return f"{name} ({person.username})" if name else person.username


class PagingSettingsForm(forms.Form):
    triage_policy = forms.ModelChoiceField(
        label=_("Triage escalation policy"),
        queryset=oncall_queries.policy_choices().order_by("name"),
        required=False,
        empty_label=_("None: nobody is paged"),
        help_text=_("Paged when a report names no service with an escalation policy."),
    )
    key_people = PeopleField(
        label=_("Key people"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Paged when an incident is declared at a severity that pages all key people."),
    )
    key_teams = forms.ModelMultipleChoiceField(
        label=_("Key teams"),
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every member is paged with the key people."),
    )
    key_policy = forms.ModelChoiceField(
        label=_("Key people's escalation policy"),
        queryset=oncall_queries.policy_choices().order_by("name"),
        required=False,
        empty_label=_("None: only the people and teams above"),
        help_text=_("Also started with the key people, e.g. to reach whoever is on call for them."),
    )
    key_people_out_of_hours_only = forms.BooleanField(
        label=_("Page key people only outside business hours"),
        required=False,
        help_text=_("In business hours the on-call handles it and key people are not paged."),
    )
    business_day_start = LocalTimeField(label=_("Business hours start"))
    business_day_end = LocalTimeField(label=_("Business hours end"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("business_day_start"), cleaned.get("business_day_end")
        if start is not None and end is not None and end <= start:
            self.add_error("business_day_end", _("Business hours must end after they start."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The cleaned form as mobilisation.update_paging_settings takes it."""
        data = self.cleaned_data
        return {
            "triage_policy": data["triage_policy"].pk if data["triage_policy"] else None,
            "key_people": [person.username for person in data["key_people"]],
            "key_teams": [team.slug for team in data["key_teams"]],
            "key_policy": data["key_policy"].pk if data["key_policy"] else None,
            "key_people_out_of_hours_only": data["key_people_out_of_hours_only"],
            "business_day_start": data["business_day_start"],
            "business_day_end": data["business_day_end"],
        }

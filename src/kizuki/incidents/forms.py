from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.catalog import queries as catalog_queries
from kizuki.incidents.lifecycle import TRANSITIONS
from kizuki.incidents.models import Audience, RoleType, Severity, Status

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReportForm(forms.Form):
    title = forms.CharField(label=_("What is wrong?"), max_length=200)
    description = forms.CharField(
        label=_("What do you see?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services (if you know)"),
        queryset=catalog_queries.service_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=[(t, t) for t in TRANSITIONS])
    severity = forms.ModelChoiceField(
        label=_("Severity"), queryset=Severity.objects.all(), required=False, to_field_name="level"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class RoleForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=RoleType.objects.all(), to_field_name="slug"
    )
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )


class TimelineForm(forms.Form):
    text = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(
        label=_("When it happened (empty: now)"), required=False, widget=LOCAL_TIME
    )


class StatusUpdateForm(forms.Form):
    text = forms.CharField(label=_("Status update"), widget=forms.Textarea(attrs={"rows": 3}))
    next_update_at = forms.DateTimeField(
        label=_("Next update due"), required=False, widget=LOCAL_TIME
    )
    # Not required: a form without the choice (older pages, scripts) posts an internal update.
    audience = forms.ChoiceField(
        label=_("Who reads it"),
        choices=Audience.choices,
        initial=Audience.INTERNAL,
        required=False,
        widget=forms.RadioSelect,
    )
    plain_text = forms.CharField(
        label=_("In plain words, for stakeholders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What business people read on the status page and in their messages: what they "
            "notice and what to tell customers, without system jargon. Empty: they read the "
            "update above."
        ),
    )


class ImpactForm(forms.Form):
    customers_affected = forms.CharField(
        label=_("Customers affected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    functions_affected = forms.CharField(
        label=_("Functions affected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    impact_started_at = forms.DateTimeField(
        label=_("Impact started"), required=False, widget=LOCAL_TIME
    )
    impact_ended_at = forms.DateTimeField(
        label=_("Impact ended"), required=False, widget=LOCAL_TIME
    )
    secondary_damage = forms.CharField(
        label=_("Secondary damage"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bridge_system_url = forms.URLField(
        label=_("Bridge call: system recovery"), required=False, assume_scheme="https"
    )
    bridge_customer_url = forms.URLField(
        label=_("Bridge call: customer response"), required=False, assume_scheme="https"
    )
    document_url = forms.URLField(
        label=_("Recording document"), required=False, assume_scheme="https"
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )
    severity = forms.ModelChoiceField(
        label=_("Severity"),
        queryset=Severity.objects.all(),
        required=False,
        to_field_name="level",
        empty_label=_("Any"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=catalog_queries.service_choices(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any"),
    )
    text = forms.CharField(label=_("Search"), required=False)

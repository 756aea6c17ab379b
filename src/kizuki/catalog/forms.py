from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.oncall import queries as oncall_queries


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.all(), to_field_name="slug"
    )
    escalation_policy = forms.ModelChoiceField(
        label=_("Escalation policy"), queryset=oncall_queries.policy_choices(), required=False
    )


class ServicePolicyForm(forms.Form):
    escalation_policy = forms.ModelChoiceField(
        label=_("Escalation policy"),
        queryset=oncall_queries.policy_choices(),
        required=False,
        empty_label=_("None: nobody is paged"),
        help_text=_("Who is paged for this service's alerts unless a routing rule says otherwise."),
    )

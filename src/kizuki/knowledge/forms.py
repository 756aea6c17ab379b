from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.catalog import queries as catalog_queries
from kizuki.incidents import queries as incident_queries
from kizuki.knowledge.models import Kind
from kizuki.knowledge.queries import QUERY_MAX, SearchFilters

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """The results page's form: the words (as in the header's box) and the filters."""

    q = forms.CharField(label=_("Search for"), max_length=QUERY_MAX, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All teams"),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=catalog_queries.service_choices(),
        to_field_name="slug",
        required=False,
        empty_label=_("All services"),
    )
    severity = forms.ModelChoiceField(
        label=_("Severity"),
        queryset=incident_queries.severity_choices(),
        to_field_name="level",
        required=False,
        empty_label=_("All severities"),
    )
    since = forms.DateField(label=_("From"), required=False, widget=DAY)
    until = forms.DateField(label=_("Until"), required=False, widget=DAY)

    def filters(self) -> SearchFilters:
        """The filters, once the form is valid."""
        data = self.cleaned_data
        return SearchFilters(
            kind=data["kind"] or "",
            team=data["team"].slug if data["team"] else "",
            service=data["service"].slug if data["service"] else "",
            severity=data["severity"].level if data["severity"] else None,
            since=data["since"],
            until=data["until"],
        )

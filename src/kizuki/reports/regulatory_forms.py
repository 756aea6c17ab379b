"""Forms of the regulator-ready report pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.reports.models import SECTIONS, Stage
from kizuki.reports.regulatory_actions import MAX_SECTION


class PrepareForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)


class SectionsForm(forms.Form):
    """Every section as a text area; "What happened" may not be left empty."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, title in SECTIONS:
            self.fields[key] = forms.CharField(
                label=str(title),  # the form is built per request, in its language
                required=key == "what_happened",
                max_length=MAX_SECTION,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.notify.actions import MAX_DELAY_MINUTES
from kizuki.notify.models import Method


class RuleForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        help_text=_(
            "E-mail: an address, or empty for your account's. Apprise: a URL such as "
            "line://TOKEN or json://host/path. Slack: your member ID, e.g. U012AB3CD."
        ),
    )
    delay_minutes = forms.IntegerField(
        label=_("After (minutes)"),
        min_value=0,
        max_value=MAX_DELAY_MINUTES,
        initial=0,
        help_text=_("How long after the page starts to use this method."),
    )

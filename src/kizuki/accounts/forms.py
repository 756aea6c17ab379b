from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.actions import MAX_TOKEN_DAYS, MAX_TOKEN_NAME


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_TOKEN_NAME,
        required=False,
        help_text=_("Where the token is used, e.g. “monitoring script”."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        required=False,
        initial=90,
        help_text=_("Empty: the token works until it is revoked."),
    )

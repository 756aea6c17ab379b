from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    """Subscribe an e-mail address to one service's incidents (no service: all incidents)."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    service = forms.SlugField(required=False, widget=forms.HiddenInput)

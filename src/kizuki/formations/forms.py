"""Forms of the incident's positions panel. They read what was chosen; the actions check it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import User
from kizuki.formations import queries


class PersonField(forms.ModelChoiceField[User]):
    """A person chosen by username, shown by the name people know them by."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class HolderForm(forms.Form):
    """Add one person to a position."""

    user = PersonField(
        label=_("Person"),
        queryset=queries.people(),
        to_field_name="username",
        empty_label="-",
    )


class TickForm(forms.Form):
    """Tick (1) or untick (0) a checklist item."""

    ticked = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")

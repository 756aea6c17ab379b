"""The test page form of the drills page: one list of people, schedules and policies."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts import queries as accounts
from kizuki.oncall import queries as oncall
from kizuki.schedules import queries as schedules


def target_choices() -> list[tuple[Any, Any]]:
    """Grouped choices: "user:<id>", "schedule:<id>", "policy:<id>"."""
    people = [
        (f"user:{person.pk}", person.get_full_name() or person.username)
        for person in accounts.active_users()
    ]
    found = [(f"schedule:{item.pk}", item.name) for item in schedules.schedules()]
    policies = [(f"policy:{item.pk}", item.name) for item in oncall.policy_choices()]
    return [
        ("", "---------"),
        (_("A person"), people),
        (_("Whoever is on call in a schedule"), found),
        (_("The first step of an escalation policy"), policies),
    ]


class TestPageForm(forms.Form):
    __test__ = False  # a form, not a test case

    target = forms.ChoiceField(label=_("Whom to page"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = target_choices()

    def chosen(self) -> tuple[str, int]:
        """The target's type and id."""
        kind, _sep, ref = str(self.cleaned_data["target"]).partition(":")
        return kind, int(ref)

"""Forms of the response areas settings page and the incident's area-leads panel. They read
what was typed; the actions check it (at most four deputies, the owner not a deputy, ...)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuki.accounts.models import Team, User
from kizuki.areas.models import MAX_DEPUTIES

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonField(forms.ModelChoiceField[User]):
    """A person chosen by username, shown by the name people know them by."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def _person_field(label: Any, required: bool = False) -> PersonField:
    return PersonField(
        label=label,
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        required=required,
        empty_label="-",
    )


class AreaForm(forms.Form):
    """One area's owner, deputies in rank order, team, names and duties."""

    owner = _person_field(pgettext_lazy("response area", "Owner"))
    deputy_1 = _person_field(_("Deputy 1"))
    deputy_2 = _person_field(_("Deputy 2"))
    deputy_3 = _person_field(_("Deputy 3"))
    deputy_4 = _person_field(_("Deputy 4"))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="-",
    )
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    description_ja = forms.CharField(
        label=_("Duties (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Duties (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        deputies = [data[f"deputy_{rank}"] for rank in range(1, MAX_DEPUTIES + 1)]
        owner = data["owner"]
        team = data["team"]
        return {
            "owner": owner.username if owner else None,
            # Blank rank selects close up: "-, Ken, -, Mei" is Ken first, then Mei.
            "deputies": [person.username for person in deputies if person is not None],
            "team": team.slug if team else None,
            "name_ja": data["name_ja"],
            "name_en": data["name_en"],
            "description_ja": data["description_ja"],
            "description_en": data["description_en"],
            "position": data["position"],
        }


class NewAreaForm(AreaForm):
    slug = forms.SlugField(label=_("Slug"), max_length=50)

    field_order = ["slug", "name_ja", "name_en"]

    def changes(self) -> dict[str, Any]:
        return {**super().changes(), "slug": self.cleaned_data["slug"]}


class AbsenceForm(forms.Form):
    """A leave: who (admins choose; others record their own), from, until, a note."""

    user = _person_field(_("Person"))
    starts_at = forms.DateTimeField(label=_("From"), widget=LOCAL_TIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=LOCAL_TIME)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class LeadForm(forms.Form):
    """The commander's choice of who leads an area on the incident (empty: nobody)."""

    user = _person_field(_("Lead"))

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kizuki.accounts.models import Team, User
from kizuki.catalog import queries as catalog_queries
from kizuki.incidents import queries
from kizuki.incidents.lifecycle import TRANSITIONS
from kizuki.incidents.models import Audience, CauseCategory, RoleType, Severity, Status
from kizuki.incidents.timeline_actions import TEXT_MAX_LENGTH

DRILL_HELP = _("For practice: stakeholders are not told, and the dashboard counts it apart.")
TEXT_HELP = _("At most 5,000 characters.")
PRIVATE_HELP = _(
    "Only the people on it (you, its role holders, those paged and those added) and admins "
    "will see it; it is kept off the status page and shared channels."
)


LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _long_text(label: StrOrPromise, rows: int) -> forms.CharField:
    """A text the timeline keeps (notes, updates): the limit shown and checked."""
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=TEXT_HELP,
    )


# Generic in the type stubs only: Django's class cannot be subscripted at run time.
if TYPE_CHECKING:
    _SeverityChoice = forms.ModelChoiceField[Severity]
    _CauseChoice = forms.ModelChoiceField[CauseCategory]
else:
    _SeverityChoice = forms.ModelChoiceField
    _CauseChoice = forms.ModelChoiceField


class SeverityField(_SeverityChoice):
    """Severities offered by their full label ("SEV2 Major"), chosen by level."""

    def label_from_instance(self, obj: Severity) -> str:
        return obj.label


class CauseField(_CauseChoice):
    """Cause categories offered by their name in the reader's language, chosen by slug."""

    def label_from_instance(self, obj: CauseCategory) -> str:
        return obj.name


SCOPE_HELP = _("How many of your sites (stores, customers) it reaches.")
EFFECT_HELP = _("How badly their core work suffers.")


def _score_factor(label: StrOrPromise, help_text: StrOrPromise) -> forms.TypedChoiceField:
    """An impact scope or effect: the organisation's scale (its labels are read when the form
    is made, see ScoreFields), or not known."""
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, help_text=help_text
    )


class ScoreFields(forms.Form):
    """The impact scope and effect whose product is the incident score."""

    impact_scope = _score_factor(_("Impact scope"), SCOPE_HELP)
    impact_effect = _score_factor(_("Impact effect"), EFFECT_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unknown = ("", _("Not known"))
        for name, scale in (
            ("impact_scope", queries.scope_scale()),
            ("impact_effect", queries.effect_scale()),
        ):
            field = self.fields.get(name)
            if isinstance(field, forms.TypedChoiceField):
                field.choices = [unknown, *[(s.value, f"{s.value}: {s.label}") for s in scale]]


class ReportForm(ScoreFields):
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
    is_drill = forms.BooleanField(label=_("This is a drill"), required=False, help_text=DRILL_HELP)
    private = forms.BooleanField(
        label=_("Private incident"), required=False, help_text=PRIVATE_HELP
    )

    field_order = ["title", "description", "services", "impact_scope", "impact_effect"]


class TransitionForm(ScoreFields):
    to = forms.ChoiceField(choices=[(t, t) for t in TRANSITIONS])
    severity = forms.ModelChoiceField(
        label=_("Severity"), queryset=Severity.objects.all(), required=False, to_field_name="level"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    # Read when resolving only: posted to the stakeholders with the move.
    final_message = forms.CharField(
        label=_("Final message to stakeholders"), required=False, max_length=TEXT_MAX_LENGTH
    )
    # Read when declaring, and only from a form that showed the checkbox (drill_asked).
    is_drill = forms.BooleanField(label=_("This is a drill"), required=False)
    drill_asked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Likewise the impact scope and effect, from a form that showed them (score_asked).
    score_asked = forms.BooleanField(required=False, widget=forms.HiddenInput)


def final_message_default() -> str:
    return str(
        _(
            "This incident is resolved. The service is working normally again. Thank you for "
            "your patience."
        )
    )


class PrivacyForm(forms.Form):
    private = forms.BooleanField(label=_("Private incident"), required=False)


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )


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
    text = _long_text(_("What happened?"), 2)
    occurred_at = forms.DateTimeField(
        label=_("When it happened (empty: now)"), required=False, widget=LOCAL_TIME
    )


class NoteEditForm(forms.Form):
    text = _long_text(_("Note"), 4)
    occurred_at = forms.DateTimeField(
        label=_("When it happened"), required=False, widget=LOCAL_TIME
    )


class StatusUpdateForm(forms.Form):
    text = _long_text(_("Status update"), 3)
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


class ImpactForm(ScoreFields):
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

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        started, ended = data.get("impact_started_at"), data.get("impact_ended_at")
        if started and ended and ended < started:
            self.add_error("impact_ended_at", _("The impact cannot end before it started."))
        return data


class EditForm(forms.Form):
    """What a responder corrects at any time: the name, the story, how bad, what is hit."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    severity = SeverityField(
        label=_("Severity"),
        queryset=Severity.objects.all(),
        required=False,
        to_field_name="level",
        empty_label=_("Not yet classified"),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services"),
        queryset=catalog_queries.service_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The offered ones; the view adds the incident's own when it has been retired since.
    cause_category = CauseField(
        label=_("Cause category"),
        queryset=CauseCategory.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("Not yet known"),
        help_text=_("What kind of cause it had; the reports count incidents by cause."),
    )
    # Removed by the view once the incident is declared: a drill stays a drill.
    is_drill = forms.BooleanField(label=_("This is a drill"), required=False, help_text=DRILL_HELP)


class CauseForm(forms.Form):
    """The cause alone: what still changes once an incident is finished (it is often known
    only at the retrospective)."""

    cause_category = EditForm.base_fields["cause_category"]


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

"""Forms of the retrospective pages: they check the shape of what was posted; the rules live
in the actions."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team, User
from kizuki.incidents import queries as incidents
from kizuki.retros import queries
from kizuki.retros.models import Prefill, Purpose, RetroSection, RetroStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


def end_of_day(day: date | None) -> datetime | None:
    """A due date is due by the end of that day, in the reader's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def template_choices() -> list[tuple[str, str]]:
    """Templates in use, named in the reader's language (read each time a form is made)."""
    return [(t.key, t.name) for t in queries.templates()]


def default_or_template() -> list[tuple[str, str]]:
    return [("", str(_("Default"))), *template_choices()]


def none_or_template() -> list[tuple[str, str]]:
    return [("", str(_("None (the severity's)"))), *template_choices()]


class StartForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=template_choices)


class RequirementForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("required", _("Required")), ("not_needed", _("Not needed"))],
        widget=forms.HiddenInput,
    )
    due = forms.DateField(label=_("Due date (empty: by the policy)"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Why none is needed"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "not_needed" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why no retrospective is needed."))
        return data


class EditForm(forms.Form):
    """Owner, due date and one text box per section (`section-<key>`)."""

    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, to_field_name="username"
    )
    due = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args: Any, sections: list[RetroSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = people()
        for section in sections:
            self.fields[f"section-{section.key}"] = forms.CharField(
                label=section.title,
                required=False,
                initial=section.body,
                widget=forms.Textarea(attrs={"rows": 10}),
            )

    def section_texts(self) -> dict[str, str]:
        return {
            name.removeprefix("section-"): value.replace("\r\n", "\n")
            for name, value in self.cleaned_data.items()
            if name.startswith("section-")
        }


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, max_length=200_000)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        choices=[
            (RetroStatus.IN_REVIEW, RetroStatus.IN_REVIEW.label),
            (RetroStatus.PUBLISHED, RetroStatus.PUBLISHED.label),
            (RetroStatus.DRAFT, RetroStatus.DRAFT.label),
        ]
    )


class ReviewRequestForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        to_field_name="username",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, exclude: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewers = self.fields["reviewers"]
        assert isinstance(reviewers, forms.ModelMultipleChoiceField)
        reviewers.queryset = people().exclude(pk=exclude.pk) if exclude else people()


class ReviewForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Your review"),
        choices=[("approved", _("Approve")), ("commented", _("Comment only"))],
        widget=forms.RadioSelect,
        initial="approved",
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    section = forms.SlugField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Comment on this section"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolved = forms.BooleanField(required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for stakeholders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What business people read: the impact, the cause in plain words and what will "
            "change. No system jargon, no names. Markdown."
        ),
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *RetroStatus.choices],
    )
    required = forms.BooleanField(label=_("Required only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DigestForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        return data


# Templates and the policy (admins).


class TemplateForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=50, help_text=_("Letters, digits and hyphens; not changeable.")
    )
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    description_ja = forms.CharField(
        label=_("Description (Japanese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=10)


class SectionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=50)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    guidance_ja = forms.CharField(
        label=_("Guidance (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance_en = forms.CharField(
        label=_("Guidance (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prefill = forms.MultipleChoiceField(
        label=_("Pre-filled with"),
        required=False,
        choices=Prefill.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=Purpose.choices)
    asks_evidence = forms.BooleanField(label=_("Asks for evidence"), required=False)


class BaseSectionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Each section needs its own key."))
        if not keys:
            raise forms.ValidationError(_("A template needs at least one section."))


def section_data(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The sections of a valid formset, in order, without the ones ticked for deletion."""
    found = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        found.append({name: value for name, value in data.items() if name != "DELETE"})
    return found


SectionFormSet = forms.formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_delete=True
)


class SeverityPolicyForm(forms.Form):
    required = forms.BooleanField(label=_("Required"), required=False)
    due_days = forms.IntegerField(label=_("Due in days"), min_value=1, max_value=365)
    template = forms.ChoiceField(
        label=_("Default template"), required=False, choices=default_or_template
    )


class TeamTemplateForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), to_field_name="slug"
    )
    template = forms.ChoiceField(
        label=_("Default template"), required=False, choices=none_or_template
    )


def severity_levels() -> list[int]:
    return [severity.level for severity in incidents.severities()]

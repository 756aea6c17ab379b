"""The escalation policy form. Steps are typed one per line, so a policy fits in one textarea:

schedule:Primary, user:rei | 10
team:payments | 15
everyone
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.oncall.actions import MAX_REPEAT

DEFAULT_WAIT = 5


def parse_steps(text: str) -> list[dict[str, Any]]:
    """Lines of `type:id, type:id | minutes` into the steps the actions take."""
    steps = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        names, _bar, wait = line.partition("|")
        if wait.strip() and not (wait.strip().isdecimal() and len(wait.strip()) < 10):
            raise forms.ValidationError(
                _("Line %(line)s: after | give the minutes to wait, e.g. | 10."),
                params={"line": number},
            )
        targets = []
        for item in names.split(","):
            kind, _colon, ref = item.strip().partition(":")
            if kind.strip():
                targets.append({"type": kind.strip().lower(), "id": ref.strip() or None})
        steps.append(
            {"targets": targets, "wait_minutes": int(wait) if wait.strip() else DEFAULT_WAIT}
        )
    return steps


def format_steps(steps: list[dict[str, Any]]) -> str:
    """The described steps (queries.describe_policy) back as lines of the same format."""
    lines = []
    for step in steps:
        names = []
        for target in step["targets"]:
            ref = target["label"] if target["type"] == "schedule" else target["id"]
            if target["type"] == "schedule" and any(mark in ref for mark in ",|"):
                ref = target["id"]  # a name the format cannot carry: use the schedule's id
            names.append(target["type"] if ref is None else f"{target['type']}:{ref}")
        lines.append(f"{', '.join(names)} | {step['wait_minutes']}")
    return "\n".join(lines)


STEPS_HELP = _(
    "One step per line: who to page, separated by commas, then | and the minutes to wait "
    "before the next step (5 if left out). Who: user:USERNAME, schedule:SCHEDULE NAME, "
    "team:TEAM SLUG, everyone (all responders and admins), channel:CHANNEL. "
    "Example: schedule:Primary, user:rei | 10"
)


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.all(), required=False, to_field_name="slug"
    )
    repeat = forms.IntegerField(
        label=_("Repeat all steps"),
        min_value=0,
        max_value=MAX_REPEAT,
        initial=0,
        help_text=_("How many more times to run all steps while nobody acknowledges."),
    )
    steps = forms.CharField(
        label=_("Steps"), widget=forms.Textarea(attrs={"rows": 6}), help_text=STEPS_HELP
    )

    def clean_steps(self) -> list[dict[str, Any]]:
        return parse_steps(self.cleaned_data["steps"])

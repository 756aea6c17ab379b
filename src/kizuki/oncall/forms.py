"""The escalation policy form: the name, owning team and repeat are a Django form; the steps
are rows of a step builder, posted as fields of their own:

    step-0-wait                  minutes to wait before the next step (5 if left empty)
    step-0-target-1-kind         user | schedule | team | everyone | channel
    step-0-target-1-id           which one: "user:rei", "schedule:3", "team:payments"
    step-0-target-1-channel      the channel name, for a channel

The builder works without JavaScript: its buttons are submit buttons named `op` whose value
says what to change ("add-step", "remove-step-2", "up-1", "add-target-0", ...). The view
applies the change to the posted rows and shows the form again, saving nothing."""

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuki.accounts.models import Team, User
from kizuki.accounts.queries import active_users, all_teams
from kizuki.oncall.actions import MAX_REPEAT, MAX_STEPS, MAX_TARGETS, MAX_WAIT_MINUTES
from kizuki.oncall.models import TargetKind
from kizuki.schedules.queries import schedules

DEFAULT_WAIT = 5
OP = "op"
SAVE = "save"
NEW_STEP_SLOTS = 2  # empty target slots a new step shows
FIELD = re.compile(r"^step-(\d{1,3})-(?:(wait)|target-(\d{1,3})-(kind|id|channel))$")


class PolicyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Owning team"),
        queryset=Team.objects.all(),
        required=False,
        to_field_name="slug",
    )
    repeat = forms.IntegerField(
        label=gettext_lazy("Repeat all steps"),
        min_value=0,
        max_value=MAX_REPEAT,
        initial=0,
        help_text=gettext_lazy("How many more times to run all steps while nobody acknowledges."),
    )


def posted_settings(data: QueryDict) -> dict[str, str]:
    """The form's own fields as typed, to show again unchecked after a builder button."""
    return {name: data.get(name, "") for name in PolicyForm.base_fields}


@dataclass
class TargetRow:
    kind: str = ""
    id: str = ""  # "kind:ref" as the list offers it, or a bare ref read with `kind`
    channel: str = ""
    error: str = ""
    unknown: bool = False  # `id` is not on the list offered (see for_display)

    @property
    def blank(self) -> bool:
        return not (self.kind or self.id or self.channel)

    @property
    def chosen(self) -> tuple[str, str]:
        """(kind, ref) of the picked entry; the kind is "" for a bare ref."""
        kind, colon, ref = self.id.partition(":")
        return (kind, ref) if colon else ("", self.id)


@dataclass
class StepRow:
    wait: str = ""
    targets: list[TargetRow] = field(default_factory=list)
    wait_error: str = ""
    error: str = ""

    @property
    def blank(self) -> bool:
        """An untouched row (the empty one the form always offers): skipped when saving."""
        return not self.wait and all(target.blank for target in self.targets)


@dataclass(frozen=True)
class Choices:
    """What a target may name, as (value, label) pairs; values are "kind:ref"."""

    people: list[tuple[str, str]]
    schedules: list[tuple[str, str]]
    teams: list[tuple[str, str]]

    def values(self, kind: str) -> set[str]:
        found = {
            TargetKind.USER: self.people,
            TargetKind.SCHEDULE: self.schedules,
            TargetKind.TEAM: self.teams,
        }.get(TargetKind(kind), [])
        return {value for value, _label in found}

    def all_values(self) -> set[str]:
        return {value for value, _label in [*self.people, *self.schedules, *self.teams]}


def person_label(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def load_choices() -> Choices:
    return Choices(
        people=[(f"user:{user.username}", person_label(user)) for user in active_users()],
        schedules=[(f"schedule:{found.pk}", found.name) for found in schedules()],
        teams=[(f"team:{team.slug}", team.name) for team in all_teams()],
    )


def rows_from_post(data: QueryDict) -> list[StepRow]:
    """The posted rows in the order their numbers give, every row and slot kept (a button's
    numbers count them as shown)."""
    steps: dict[int, StepRow] = {}
    slots: dict[tuple[int, int], TargetRow] = {}
    for key in data:
        match = FIELD.match(key)
        if match is None:
            continue
        number, value = int(match[1]), data.get(key, "").strip()
        row = steps.setdefault(number, StepRow())
        if match[2]:
            row.wait = value
        else:
            setattr(slots.setdefault((number, int(match[3])), TargetRow()), match[4], value)
    for (number, _slot), target in sorted(slots.items()):
        steps[number].targets.append(target)
    return [steps[number] for number in sorted(steps)]


def rows_from_steps(steps: list[dict[str, Any]]) -> list[StepRow]:
    """The described steps (queries.describe_policy) as rows to edit."""
    rows = []
    for step in steps:
        targets = []
        for target in step["targets"]:
            kind, ref = target["type"], target["id"]
            if kind == TargetKind.CHANNEL:
                targets.append(TargetRow(kind=kind, channel=ref))
            elif kind == TargetKind.EVERYONE:
                targets.append(TargetRow(kind=kind))
            else:
                targets.append(TargetRow(kind=kind, id=f"{kind}:{ref}"))
        rows.append(StepRow(wait=str(step["wait_minutes"]), targets=targets))
    return rows


def with_blanks(rows: list[StepRow]) -> list[StepRow]:
    """Room to type: an empty target slot in every step (two in a new one) and an empty step
    at the end."""
    if len(rows) < MAX_STEPS and (not rows or not rows[-1].blank):
        rows.append(StepRow())
    for row in rows:
        if len(row.targets) < MAX_TARGETS and (not row.targets or not row.targets[-1].blank):
            row.targets.append(TargetRow())
        while len(row.targets) < min(NEW_STEP_SLOTS, MAX_TARGETS) and row.blank:
            row.targets.append(TargetRow())
    return rows


def for_display(rows: list[StepRow], choices: Choices) -> list[StepRow]:
    """The rows with room to type, each typed entry kept even when the list lacks it."""
    offered = choices.all_values()
    for row in with_blanks(rows):
        for target in row.targets:
            target.unknown = bool(target.id) and target.id not in offered
    return rows


def apply_op(rows: list[StepRow], op: str) -> list[StepRow]:
    """A builder button's change; numbers out of range (a stale page) change nothing."""
    words = op.split("-")
    numbers = [int(word) for word in words if word.isdecimal() and len(word) < 4]
    action = "-".join(word for word in words if not word.isdecimal())
    step = numbers[0] if numbers and numbers[0] < len(rows) else -1
    if action == "add-step" and len(rows) < MAX_STEPS:
        rows.append(StepRow(targets=[TargetRow() for _slot in range(NEW_STEP_SLOTS)]))
    elif step < 0:
        return rows
    elif action == "remove-step":
        del rows[step]
    elif action == "up" and step > 0:
        rows[step - 1], rows[step] = rows[step], rows[step - 1]
    elif action == "down" and step + 1 < len(rows):
        rows[step], rows[step + 1] = rows[step + 1], rows[step]
    elif action == "add-target" and len(rows[step].targets) < MAX_TARGETS:
        rows[step].targets.append(TargetRow())
    elif action == "remove-target" and len(numbers) == 2 and numbers[1] < len(rows[step].targets):
        del rows[step].targets[numbers[1]]
    return rows


def clean_target(target: TargetRow, choices: Choices) -> dict[str, Any] | None:
    """The target as the actions take it, or None with the reason in target.error."""
    picked_kind, ref = target.chosen
    kind = target.kind or picked_kind or (TargetKind.CHANNEL if target.channel else "")
    if kind not in TargetKind.values:
        target.error = _("Choose whom to page.")
        return None
    if kind == TargetKind.EVERYONE:
        return {"type": kind, "id": None}
    if kind == TargetKind.CHANNEL:
        if not target.channel:
            target.error = _("Type the channel's name.")
        elif len(target.channel) > 200:
            target.error = _("A channel name may be at most 200 characters.")
        return None if target.error else {"type": kind, "id": target.channel}
    if not ref or (picked_kind and picked_kind != kind):
        target.error = {
            TargetKind.USER: _("Choose a person."),
            TargetKind.SCHEDULE: _("Choose a schedule."),
            TargetKind.TEAM: _("Choose a team."),
        }[TargetKind(kind)]
        return None
    if f"{kind}:{ref}" not in choices.values(kind):
        target.error = {
            TargetKind.USER: _("Unknown person %(ref)s."),
            TargetKind.SCHEDULE: _("Unknown schedule %(ref)s."),
            TargetKind.TEAM: _("Unknown team %(ref)s."),
        }[TargetKind(kind)] % {"ref": ref}
        return None
    return {"type": kind, "id": int(ref) if kind == TargetKind.SCHEDULE else ref}


def clean_wait(row: StepRow) -> int | None:
    if not row.wait:
        return DEFAULT_WAIT
    if row.wait.isdecimal() and len(row.wait) < 6 and int(row.wait) <= MAX_WAIT_MINUTES:
        return int(row.wait)
    row.wait_error = _("Give the minutes as a whole number from 0 to %(max)s.") % {
        "max": MAX_WAIT_MINUTES
    }
    return None


def clean_rows(rows: list[StepRow], choices: Choices) -> tuple[list[dict[str, Any]], str] | None:
    """The steps the actions take, and an error about the steps as a whole (or ""); None when
    a row or target has an error of its own, written on it."""
    steps, valid = [], True
    for row in rows:
        if row.blank:
            continue
        wait = clean_wait(row)
        typed = [target for target in row.targets if not target.blank]
        targets = [clean_target(target, choices) for target in typed]
        if not typed:
            row.error = _("Choose at least one person, schedule, team or channel to page.")
        elif len(typed) > MAX_TARGETS:
            row.error = _("A step may page at most %(max)s targets.") % {"max": MAX_TARGETS}
        if row.error or wait is None or None in targets:
            valid = False
            continue
        steps.append({"targets": targets, "wait_minutes": wait})
    if not valid:
        return None
    if not steps:
        return steps, _("Add at least one step: whom to page first.")
    if len(steps) > MAX_STEPS:
        return steps, _("A policy may have at most %(max)s steps.") % {"max": MAX_STEPS}
    return steps, ""

"""The rule editor: event, conditions, and a few action rows (kind + the parameters it takes;
the fields a kind does not use are ignored). The form only gathers input: catalogue.py checks
it, with the API's own words."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.automation.catalogue import ACTIONS
from kizuki.automation.models import DrillCondition, EventKind, HolidayCondition, HoursCondition
from kizuki.catalog import queries as catalog
from kizuki.formations import queries as formations
from kizuki.incidents import queries as incidents
from kizuki.oncall import queries as oncall
from kizuki.schedules import queries as schedules

ACTION_ROWS = 4


def _choices(pairs: list[tuple[Any, str]], empty: Any = None) -> list[tuple[Any, Any]]:
    return ([("", empty)] if empty is not None else []) + pairs


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    event = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    severities = forms.TypedMultipleChoiceField(
        label=_("Severities"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any severity."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any service."),
    )
    teams = forms.MultipleChoiceField(
        label=_("Teams"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any team."),
    )
    drill = forms.ChoiceField(label=_("Drills"), choices=DrillCondition.choices)
    business_hours = forms.ChoiceField(label=_("Business hours"), choices=HoursCondition.choices)
    holidays = forms.ChoiceField(label=_("Japanese holidays"), choices=HolidayCondition.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["severities"].choices = [  # type: ignore[attr-defined]
            (severity.level, severity.label) for severity in incidents.severities()
        ]
        self.fields["services"].choices = [  # type: ignore[attr-defined]
            (service.slug, service.name) for service in catalog.all_services()
        ]
        self.fields["teams"].choices = [  # type: ignore[attr-defined]
            (team.slug, team.name) for team in Team.objects.order_by("name")
        ]
        kinds = [(key, kind.label) for key, kind in ACTIONS.items()]
        policies = [(policy.pk, policy.name) for policy in oncall.policy_choices().order_by("name")]
        found_schedules = [(schedule.pk, schedule.name) for schedule in schedules.schedules()]
        roles = [(role.slug, role.name) for role in incidents.role_catalogue()]
        checklists = [(template.slug, template.name) for template in formations.templates()]
        for row in range(ACTION_ROWS):
            self.fields[f"action_{row}_kind"] = forms.ChoiceField(
                label=_("Action %(number)s") % {"number": row + 1},
                choices=_choices(kinds, _("(none)")),
                required=False,
            )
            self.fields[f"action_{row}_policy"] = forms.ChoiceField(
                label=_("Escalation policy"), choices=_choices(policies, "—"), required=False
            )
            self.fields[f"action_{row}_schedule"] = forms.ChoiceField(
                label=_("Schedule"), choices=_choices(found_schedules, "—"), required=False
            )
            self.fields[f"action_{row}_role"] = forms.ChoiceField(
                label=_("Role"), choices=_choices(roles, "—"), required=False
            )
            self.fields[f"action_{row}_checklist"] = forms.ChoiceField(
                label=_("Checklist"), choices=_choices(checklists, "—"), required=False
            )
            self.fields[f"action_{row}_title"] = forms.CharField(
                label=_("Follow-up title"), max_length=200, required=False
            )
            self.fields[f"action_{row}_text"] = forms.CharField(
                label=_("Update text"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{row}_url"] = forms.CharField(
                label=_("Webhook URL"), max_length=500, required=False
            )

    def action_rows(self) -> list[dict[str, Any]]:
        """The bound fields of each action row, for the template."""
        return [
            {
                "number": row + 1,
                "kind": self[f"action_{row}_kind"],
                "params": [
                    (name, self[f"action_{row}_{name}"])
                    for name in ("policy", "schedule", "role", "checklist", "title", "text", "url")
                ],
            }
            for row in range(ACTION_ROWS)
        ]

    def changes(self) -> dict[str, Any]:
        """The rule's fields as actions.create_rule / update_rule take them."""
        data = self.cleaned_data
        actions = []
        for row in range(ACTION_ROWS):
            kind = data.get(f"action_{row}_kind")
            if not kind:
                continue
            action: dict[str, Any] = {"kind": kind}
            for name in ACTIONS[kind].params:
                value = data.get(f"action_{row}_{name}")
                action[name] = value if value not in ("", None) else None
            actions.append(action)
        return {
            "name": data["name"],
            "enabled": data["enabled"],
            "event": data["event"],
            "severities": data["severities"],
            "services": data["services"],
            "teams": data["teams"],
            "drill": data["drill"],
            "business_hours": data["business_hours"],
            "holidays": data["holidays"],
            "note": data["note"],
            "actions": actions,
        }


def initial_for(fields: dict[str, Any]) -> dict[str, Any]:
    """A stored rule (actions.describe_rule) as the form's initial values."""
    initial = {key: value for key, value in fields.items() if key != "actions"}
    for row, action in enumerate(fields.get("actions", [])[:ACTION_ROWS]):
        for key, value in action.items():
            initial[f"action_{row}_{key}"] = value
    return initial

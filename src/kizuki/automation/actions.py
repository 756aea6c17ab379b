"""The only write path for automation rules: create, change and delete them (admins), each
checked by catalogue.py and audited. Running them is running.py's business."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.automation import catalogue
from kizuki.automation.models import Rule
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput

NAME_MAX = 200
NOTE_MAX = 2000
FIELDS = {
    "name",
    "enabled",
    "position",
    "event",
    "severities",
    "services",
    "teams",
    "drill",
    "business_hours",
    "holidays",
    "actions",
    "note",
}


def describe_rule(rule: Rule) -> dict[str, Any]:
    """The rule as plain JSON values (the API's answer and the audit record)."""
    return {
        "id": rule.pk,
        "name": rule.name,
        "enabled": rule.enabled,
        "position": rule.position,
        "event": rule.event,
        "severities": list(rule.severities),
        "services": list(rule.services),
        "teams": list(rule.teams),
        "drill": rule.drill,
        "business_hours": rule.business_hours,
        "holidays": rule.holidays,
        "actions": list(rule.actions),
        "note": rule.note,
        "key": rule.key,
    }


def _name(value: Any) -> str:
    name = str(value or "").strip() if isinstance(value, str) else ""
    if not name:
        raise InvalidInput(_("A rule needs a name."))
    if len(name) > NAME_MAX:
        raise InvalidInput(_("The name may be at most %(limit)s characters.") % {"limit": NAME_MAX})
    return name


def _apply(rule: Rule, changes: dict[str, Any]) -> None:
    unknown = set(changes) - FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    if "name" in changes:
        rule.name = _name(changes["name"])
    if changes.get("enabled") is not None:
        if not isinstance(changes["enabled"], bool):
            raise InvalidInput(_("enabled must be true or false."))
        rule.enabled = changes["enabled"]
    if changes.get("position") is not None:
        position = changes["position"]
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < 10**6:
            raise InvalidInput(_("position must be a number from 0."))
        rule.position = position
    if "event" in changes:
        rule.event = catalogue.clean_event(changes["event"])
    for field, value in catalogue.clean_conditions(changes).items():
        setattr(rule, field, value)
    if "actions" in changes:
        rule.actions = catalogue.clean_actions(changes["actions"])
    if changes.get("note") is not None:
        note = str(changes["note"]).strip()
        if len(note) > NOTE_MAX:
            raise InvalidInput(
                _("The note may be at most %(limit)s characters.") % {"limit": NOTE_MAX}
            )
        rule.note = note


@transaction.atomic
def create_rule(actor: User | None, fields: dict[str, Any]) -> Rule:
    """A new rule; `name`, `event` and `actions` are required. Without a position it comes
    last."""
    for required in ("name", "event", "actions"):
        if fields.get(required) is None:
            raise InvalidInput(_("%(field)s is required.") % {"field": required})
    now = clock.now()
    last = Rule.objects.aggregate(last=Max("position"))["last"]
    rule = Rule(created_at=now, updated_at=now, created_by=actor, position=(last or 0) + 1)
    _apply(rule, fields)
    rule.save()
    record_audit(actor, "automation_rule.create", rule, after=describe_rule(rule))
    return rule


@transaction.atomic
def update_rule(actor: User | None, rule: Rule, changes: dict[str, Any]) -> Rule:
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = describe_rule(rule)
    _apply(rule, changes)
    rule.updated_at = clock.now()
    rule.save()
    record_audit(actor, "automation_rule.update", rule, before=before, after=describe_rule(rule))
    return rule


@transaction.atomic
def delete_rule(actor: User | None, rule: Rule) -> None:
    """Remove a rule and its run history (the incident timelines keep what ran)."""
    record_audit(actor, "automation_rule.delete", rule, before=describe_rule(rule))
    rule.delete()


def draft_rule(fields: dict[str, Any]) -> Rule:
    """An unsaved rule from the fields, checked as on saving (actions may still be missing):
    the editor previews what is typed before anyone saves it."""
    now = clock.now()
    rule = Rule(created_at=now, updated_at=now)
    _apply(rule, {key: value for key, value in fields.items() if key != "actions"})
    if fields.get("actions"):
        rule.actions = catalogue.clean_actions(fields["actions"])
    return rule

"""The retrospective policy: which severities require one and when it is due, the default
templates, and the two rules it enforces on incidents — a resolved incident whose severity
requires one gets a required retrospective with a due date, and (when
KIZUKI_RETRO_BLOCKS_CLOSE is on) an incident cannot be closed until its required
retrospective is published."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.core.events import publish
from kizuki.incidents import actions as incident_actions
from kizuki.incidents import queries as incidents
from kizuki.incidents.events import IncidentStatusChanged
from kizuki.incidents.models import Incident
from kizuki.retros import actions, events, queries
from kizuki.retros.actions import lock_row
from kizuki.retros.models import RetroPolicy, RetroStatus, TeamTemplate, Template

MAX_DUE_DAYS = 365


def _template(key: str | None) -> Template | None:
    if key is None:
        return None
    template = queries.get_template(key)
    if template.retired:
        raise InvalidInput(
            _("The template %(key)s is retired; choose another.") % {"key": template.key}
        )
    return template


@transaction.atomic
def set_severity_policy(actor: User | None, level: int, changes: dict[str, Any]) -> RetroPolicy:
    """Keys: `required` (bool: the severity's own setting), `due_days`, `template` (a key or
    None for the team's or the built-in default)."""
    unknown = sorted(set(changes) - {"required", "due_days", "template"})
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(unknown)})
    for field in ("required", "due_days"):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("%(field)s may not be null.") % {"field": field})
    current = queries.severity_policy(level)
    severity = next(s for s in incidents.severities() if s.level == level)
    policy, _created = RetroPolicy.objects.select_for_update().get_or_create(severity=severity)
    before = {
        "required": current.required,
        "due_days": policy.due_days,
        "template": current.template,
    }
    if "due_days" in changes:
        days = changes["due_days"]
        if not 1 <= days <= MAX_DUE_DAYS:
            raise InvalidInput(_("due_days must be between 1 and %(max)s.") % {"max": MAX_DUE_DAYS})
        policy.due_days = days
    if "template" in changes:
        policy.template = _template(changes["template"])
    policy.save()
    if "required" in changes and changes["required"] != current.required:
        incident_actions.update_severity(
            actor, level, {"retrospective_required": changes["required"]}
        )
    after = queries.severity_policy(level)
    record_audit(
        actor,
        "retro_policy.update",
        policy,
        before=before,
        after={"required": after.required, "due_days": after.due_days, "template": after.template},
    )
    return policy


@transaction.atomic
def set_team_template(actor: User | None, team: Team, template_key: str | None) -> None:
    """Choose the team's default template (None: back to the severity's)."""
    template = _template(template_key)
    current = TeamTemplate.objects.select_for_update().filter(team=team).first()
    before = {"template": current.template.key if current else None}
    if template is None:
        TeamTemplate.objects.filter(team=team).delete()
    else:
        TeamTemplate.objects.update_or_create(team=team, defaults={"template": template})
    record_audit(actor, "retro_policy.team", team, before=before, after={"template": template_key})


def require_on_resolve(event: IncidentStatusChanged) -> None:
    """In the resolving transaction: when the severity's policy requires a retrospective (or
    the commander already did, without a date), it becomes required and due `due_days` after
    resolving. A decision already taken (a due date, or "not needed") stands."""
    if event.status != "resolved":
        return
    incident = Incident.objects.select_related("severity").get(pk=event.incident_id)
    existing = queries.find_retrospective(incident)
    if existing and (existing.not_needed_reason or (existing.required and existing.due_at)):
        return
    by_policy = event.severity is not None and queries.severity_policy(event.severity).required
    if not by_policy and not (existing and existing.required):
        return
    retro = lock_row(incident)
    retro.required = True
    retro.due_at = actions.policy_due_at(incident)
    retro.updated_at = clock.now()
    retro.save()
    due = retro.due_at.isoformat() if retro.due_at else None
    record_audit(
        None,
        "retrospective.require",
        retro,
        after={"policy": f"SEV{event.severity}" if by_policy else None, "due_at": due},
    )
    publish(events.RetrospectiveRequired(retro.pk, incident.pk, None, due))


def refuse_close_until_published(event: IncidentStatusChanged) -> None:
    """In the closing transaction: with KIZUKI_RETRO_BLOCKS_CLOSE on, refuse (and so roll
    back) closing an incident whose required retrospective is not published."""
    if event.status != "closed" or not settings.KIZUKI_RETRO_BLOCKS_CLOSE:
        return
    incident = Incident.objects.get(pk=event.incident_id)
    retro = queries.find_retrospective(incident)
    if retro is None or not retro.required or retro.status == RetroStatus.PUBLISHED:
        return
    raise Conflict(
        _(
            "%(ref)s cannot be closed until its required retrospective is published"
            " (it is %(status)s). Publish it, or have the commander record that none is needed."
        )
        % {"ref": incident.ref, "status": RetroStatus(retro.status).label}
    )

"""The only write path for incidents. Each action is one transaction that also writes the
timeline, the audit log and the jobs it causes, and publishes its event (incidents.events)
to the subscribers in that transaction. Each locks the incident row it changes."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.actions import next_number, record_audit
from kizuki.core.errors import Conflict, InvalidInput, NotFound
from kizuki.core.events import Event, publish
from kizuki.incidents import events, lifecycle, queries, scoring, timeline_actions
from kizuki.incidents.journal import log_change, require_open, require_zone
from kizuki.incidents.models import (
    Audience,
    CauseCategory,
    Incident,
    RoleAssignment,
    RoleType,
    Severity,
    Status,
)

EDITABLE_TEXT = [
    "title",
    "description",
    "customers_affected",
    "functions_affected",
    "secondary_damage",
    "bridge_system_url",
    "bridge_customer_url",
    "document_url",
]
EDITABLE_TIMES = ["impact_started_at", "impact_ended_at"]
# The incident score's factors (scoring.SCOPES, scoring.EFFECTS); None: not known.
EDITABLE_SCORE = {"impact_scope": scoring.SCOPES, "impact_effect": scoring.EFFECTS}


def _id(user: User | None) -> int | None:
    return user.pk if user else None


def _level(severity: Severity | None) -> int | None:
    return severity.level if severity else None


def _severity(level: int) -> Severity:
    try:
        return Severity.objects.get(level=level)
    except Severity.DoesNotExist:
        levels = ", ".join(str(s) for s in Severity.objects.values_list("level", flat=True))
        raise InvalidInput(
            _("Unknown severity %(level)s; use one of %(levels)s.")
            % {"level": level, "levels": levels}
        ) from None


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise InvalidInput(_("A title is required."))
    if len(title) > 200:
        raise InvalidInput(_("The title may be at most 200 characters."))
    return title


def _check_score_factor(field: str, value: Any) -> None:
    allowed = EDITABLE_SCORE[field]
    if value is not None and (isinstance(value, bool) or value not in allowed):
        raise InvalidInput(
            _("%(field)s must be one of %(values)s.")
            % {"field": field, "values": ", ".join(str(v) for v in allowed)}
        )


def _check_impact_period(incident: Incident) -> None:
    started, ended = incident.impact_started_at, incident.impact_ended_at
    if started is not None and ended is not None and ended < started:
        raise InvalidInput(_("The impact cannot end before it started."))


def snapshot(incident: Incident) -> dict[str, Any]:
    """The audited view of an incident: plain JSON values."""
    return {
        "title": incident.title,
        "description": incident.description,
        "status": incident.status,
        "severity": incident.severity.level if incident.severity else None,
        "team": incident.team.slug if incident.team else None,
        "is_drill": incident.is_drill,
        "private": incident.private,
        "cause_category": incident.cause_category.slug if incident.cause_category else None,
        **{field: getattr(incident, field) for field in EDITABLE_TEXT[2:]},
        **{
            field: value.isoformat() if (value := getattr(incident, field)) else None
            for field in EDITABLE_TIMES
        },
        **{field: getattr(incident, field) for field in EDITABLE_SCORE},
    }


@transaction.atomic
def report_incident(
    actor: User | None,
    title: str,
    description: str = "",
    *,
    severity: int | None = None,
    services: list[Service] | None = None,
    team: Team | None = None,
    is_drill: bool = False,
    page_on_call: bool = True,
    impact_scope: int | None = None,
    impact_effect: int | None = None,
    private: bool = False,
) -> Incident:
    """File a report; with a severity the incident is declared at once. The report pages the
    on-call of its services (see incidents.mobilisation) unless `page_on_call` is False. Its
    impact scope and effect, when known, give its score. A `private` report is seen only by
    its participants and admins from the start (incidents.visibility)."""
    title = _clean_title(title)
    _check_score_factor("impact_scope", impact_scope)
    _check_score_factor("impact_effect", impact_effect)
    sev = _severity(severity) if severity is not None else None
    now = clock.now()
    incident = Incident.objects.create(
        number=next_number("incident"),
        title=title,
        description=description.strip(),
        reporter=actor,
        team=team or (services[0].team if services else None),
        is_drill=is_drill,
        impact_scope=impact_scope,
        impact_effect=impact_effect,
        private=private,
        reported_at=now,
        updated_at=now,
    )
    if services:
        incident.services.set(services)
    log_change(incident, actor, "reported")
    if private:
        log_change(incident, actor, "made_private")
    record_audit(actor, "incident.report", incident, after=snapshot(incident))
    publish(events.IncidentReported(incident.pk, _id(actor), page_on_call))
    if sev is not None:
        return transition(actor, incident, "declared", severity=sev.level)
    return incident


def _severity_after(incident: Incident, to: str, level: int | None) -> Severity | None:
    """The severity chosen, else the one kept; declaring without one takes the severity the
    incident's score suggests (None when it suggests none)."""
    if level is not None:
        return _severity(level)
    if to == "declared" and incident.severity is None:
        return queries.suggested_severity(incident.impact_scope, incident.impact_effect)
    return incident.severity


@transaction.atomic
def transition(
    actor: User | None,
    incident: Incident,
    to: str,
    severity: int | None = None,
    note: str = "",
    *,
    final_message: str = "",
    is_drill: bool | None = None,
    score: dict[str, int | None] | None = None,
) -> Incident:
    """Move an incident along. Resolving with a `final_message` also posts it to the
    stakeholders; declaring may say at last whether it is a drill (`is_drill`). `score`
    changes the impact scope and effect first (keys of EDITABLE_SCORE, as an edit would);
    declaring without a severity takes the one the score suggests."""
    if score:
        update_incident(actor, incident, score)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if to not in lifecycle.TRANSITIONS:
        raise InvalidInput(
            _("Unknown transition %(to)s; use one of %(names)s.")
            % {"to": to, "names": ", ".join(lifecycle.TRANSITIONS)}
        )
    allowed = lifecycle.allowed_transitions(incident.status)
    if to not in allowed:
        raise Conflict(
            _("%(ref)s is %(status)s and cannot move to %(to)s; allowed: %(allowed)s.")
            % {
                "ref": incident.ref,
                "status": Status(incident.status).label,
                "to": to,
                "allowed": ", ".join(allowed) or _("nothing"),
            }
        )
    before = snapshot(incident)
    incident.severity = _severity_after(incident, to, severity)
    if to == "declared" and incident.severity is None:
        raise InvalidInput(_("Declaring an incident needs a severity."))
    now = clock.now()
    for field in lifecycle.STAMPS[to]:
        if getattr(incident, field) is None:
            setattr(incident, field, now)
    if to == "reopened":
        incident.mitigated_at = incident.resolved_at = None
    previous = incident.status
    drill_changed = to == "declared" and is_drill is not None and is_drill != incident.is_drill
    if drill_changed:
        incident.is_drill = bool(is_drill)
    incident.status = lifecycle.TARGET_STATUS[to]
    incident.updated_at = now
    incident.save()
    if drill_changed:
        log_change(incident, actor, "edited", fields=["is_drill"])
        publish(events.IncidentEdited(incident.pk, _id(actor), ["is_drill"]))
    if severity is not None and to != "declared" and before["severity"] != severity:
        # Declaring names its severity in its own entry; other moves record a change apart.
        log_change(incident, actor, "severity", previous=before["severity"], severity=severity)
        publish(events.SeverityChanged(incident.pk, _id(actor), before["severity"], severity))
    log_change(
        incident,
        actor,
        "transition",
        to=to,
        previous=previous,
        severity=incident.severity.level if incident.severity else None,
        note=note.strip(),
    )
    record_audit(actor, f"incident.{to}", incident, before=before, after=snapshot(incident))
    moved = events.IncidentDeclared if to == "declared" else events.IncidentStatusChanged
    publish(
        moved(incident.pk, _id(actor), to, previous, incident.status, _level(incident.severity))
    )
    if to == "resolved" and final_message.strip():
        # Posted after the move, so the update carries the resolved status; same transaction.
        timeline_actions.post_status_update(
            actor, incident, final_message, audience=Audience.STAKEHOLDERS
        )
    return incident


def _check_change(field: str, value: Any) -> None:
    if value is None and field in {*EDITABLE_TEXT, "is_drill"}:
        raise InvalidInput(_("%(field)s may not be null.") % {"field": field})
    if field in EDITABLE_SCORE:
        _check_score_factor(field, value)
    if field in EDITABLE_TIMES and value is not None:
        require_zone(value)
    if field == "cause_category" and not (value is None or isinstance(value, CauseCategory)):
        raise InvalidInput(_("cause_category must be a cause category or null."))


def _change_severity(
    actor: User | None, incident: Incident, level: int | None
) -> events.SeverityChanged | None:
    new = _severity(level) if level is not None else None
    if new is None and incident.status not in {Status.REPORTED, Status.ACKNOWLEDGED}:
        raise InvalidInput(_("A declared incident keeps a severity."))
    if new != incident.severity:
        previous = _level(incident.severity)
        log_change(incident, actor, "severity", previous=previous, severity=_level(new))
        incident.severity = new
        return events.SeverityChanged(incident.pk, _id(actor), previous, _level(new))
    return None


@transaction.atomic
def update_incident(actor: User | None, incident: Incident, changes: dict[str, Any]) -> Incident:
    """Apply a partial edit. Keys: the editable fields, `severity` (level), `team` (Team),
    `services` (list of Service), `is_drill`, `cause_category` (CauseCategory or None)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    require_open(incident)
    before = snapshot(incident)
    changed: list[str] = []
    published: list[Event] = []
    for field, value in changes.items():
        _check_change(field, value)
        if field == "severity":
            published += filter(None, [_change_severity(actor, incident, value)])
            continue
        if field == "services":
            if {s.pk for s in value} != set(incident.services.values_list("pk", flat=True)):
                incident.services.set(value)
                changed.append(field)
            continue
        if field not in {
            *EDITABLE_TEXT,
            *EDITABLE_TIMES,
            *EDITABLE_SCORE,
            "team",
            "is_drill",
            "cause_category",
        }:
            raise InvalidInput(_("%(field)s cannot be edited.") % {"field": field})
        if field == "is_drill" and value != incident.is_drill and incident.declared_at:
            raise InvalidInput(_("Whether it is a drill cannot change once it is declared."))
        new = _clean_title(value) if field == "title" else value
        if getattr(incident, field) != new:
            setattr(incident, field, new)
            changed.append(field)
    _check_impact_period(incident)
    if changed:
        log_change(incident, actor, "edited", fields=changed)
        published.append(events.IncidentEdited(incident.pk, _id(actor), changed))
    incident.updated_at = clock.now()
    incident.save()
    for event in published:
        publish(event)
    after = snapshot(incident)
    if after != before or changed:
        record_audit(actor, "incident.update", incident, before=before, after=after)
    return incident


@transaction.atomic
def set_cause_category(
    actor: User | None, incident: Incident, category: CauseCategory | None
) -> Incident:
    """Set, change or clear only the cause category, whatever the incident's status: teams
    classify the cause at the retrospective, after resolution, when the rest of a closed
    incident is the record (update_incident refuses it). A timeline entry and the audit log
    say so, as for any edit."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _check_change("cause_category", category)
    if incident.cause_category_id == (category.pk if category else None):
        return incident
    before = snapshot(incident)
    incident.cause_category = category
    incident.updated_at = clock.now()
    incident.save(update_fields=["cause_category", "updated_at"])
    log_change(incident, actor, "edited", fields=["cause_category"])
    publish(events.IncidentEdited(incident.pk, _id(actor), ["cause_category"]))
    record_audit(actor, "incident.update", incident, before=before, after=snapshot(incident))
    return incident


def _lock(incident: Incident) -> None:
    """Hold the incident row until commit, so changes to one incident apply one at a time;
    refuse if it is finished."""
    require_open(Incident.objects.select_for_update().get(pk=incident.pk))


def _role(slug: str) -> RoleType:
    try:
        return RoleType.objects.get(slug=slug)
    except RoleType.DoesNotExist:
        slugs = ", ".join(RoleType.objects.values_list("slug", flat=True))
        raise InvalidInput(
            _("Unknown role %(role)s; use one of %(roles)s.") % {"role": slug, "roles": slugs}
        ) from None


@transaction.atomic
def assign_role(
    actor: User | None, incident: Incident, role_slug: str, user: User
) -> RoleAssignment:
    """Give a role to a person. A single-holder role is handed over from its current holder."""
    role = _role(role_slug)
    _lock(incident)
    holders = RoleAssignment.objects.filter(incident=incident, role=role, released_at__isnull=True)
    current = holders.filter(user=user).first()
    if current:
        return current
    now = clock.now()
    previous = [] if role.allow_several else list(holders.select_related("user"))
    for assignment in previous:
        assignment.released_at = now
        assignment.save(update_fields=["released_at"])
    assignment = RoleAssignment.objects.create(
        incident=incident, role=role, user=user, assigned_at=now, assigned_by=actor
    )
    log_change(
        incident,
        actor,
        "role_assigned",
        role=role.slug,
        user=user.username,
        previous=[a.user.username for a in previous],
    )
    record_audit(
        actor,
        "incident.assign_role",
        incident,
        before={"role": role.slug, "holders": [a.user.username for a in previous]},
        after={"role": role.slug, "user": user.username},
    )
    previous_ids = [a.user_id for a in previous]
    publish(events.RoleAssigned(incident.pk, _id(actor), role.slug, user.pk, previous_ids))
    return assignment


@transaction.atomic
def release_role(actor: User | None, incident: Incident, role_slug: str, user: User) -> None:
    role = _role(role_slug)
    _lock(incident)
    assignment = RoleAssignment.objects.filter(
        incident=incident, role=role, user=user, released_at__isnull=True
    ).first()
    if assignment is None:
        raise NotFound(
            _("%(user)s does not hold %(role)s on %(ref)s.")
            % {"user": user.username, "role": role.name, "ref": incident.ref}
        )
    assignment.released_at = clock.now()
    assignment.save(update_fields=["released_at"])
    log_change(incident, actor, "role_released", role=role.slug, user=user.username)
    record_audit(
        actor, "incident.release_role", incident, before={"role": role.slug, "user": user.username}
    )
    publish(events.RoleReleased(incident.pk, _id(actor), role.slug, user.pk))


SEVERITY_FIELDS = {
    "name_ja",
    "name_en",
    "description_ja",
    "description_en",
    "retrospective_required",
    "follow_up_due_days",
    "status_update_interval_minutes",
    "page_all_key_people",
    "min_impact_level",
}


@transaction.atomic
def update_severity(actor: User | None, level: int, changes: dict[str, Any]) -> Severity:
    severity = Severity.objects.select_for_update().get(pk=_severity(level).pk)
    unknown = set(changes) - SEVERITY_FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(sorted(unknown))})
    lowest = changes.get("min_impact_level")
    if lowest is not None and (isinstance(lowest, bool) or lowest not in scoring.LEVELS):
        raise InvalidInput(
            _("min_impact_level must be one of %(levels)s, or null.")
            % {"levels": ", ".join(str(level) for level in scoring.LEVELS)}
        )
    # The lowest impact level may be emptied: the severity is then never suggested.
    empty = sorted(
        field for field, value in changes.items() if value is None and field != "min_impact_level"
    )
    if empty:
        raise InvalidInput(_("%(field)s may not be null.") % {"field": ", ".join(empty)})
    before = {field: getattr(severity, field) for field in SEVERITY_FIELDS}
    for field, value in changes.items():
        setattr(severity, field, value)
    severity.save()
    after = {field: getattr(severity, field) for field in SEVERITY_FIELDS}
    record_audit(actor, "severity.update", severity, before=before, after=after)
    publish(events.SeverityDefinitionChanged(severity.level, _id(actor), sorted(changes)))
    return severity

"""The write path for formations and checklists: the formation's positions and the matching
checklists put on an incident when it is declared (or its severity changes), filling positions
(through the incident's roles), posting a checklist (also for automation rules) and ticking its
items. Each action owns its transaction and writes its timeline entry and audit record."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.formations import queries
from kizuki.formations.models import (
    ChecklistTemplate,
    IncidentChecklist,
    IncidentChecklistItem,
    IncidentPosition,
)
from kizuki.incidents import actions as incident_actions
from kizuki.incidents import events
from kizuki.incidents.models import FINISHED_STATUSES, Incident
from kizuki.incidents.timeline_actions import record_change

# Timeline event codes (worded by formations.timeline_text).
CHECKLIST_POSTED = "checklist_posted"
ITEM_TICKED = "checklist_item_ticked"
ITEM_UNTICKED = "checklist_item_unticked"

MAX_HOLDERS = 20


def _lock(incident: Incident) -> Incident:
    """Hold the incident row until commit (changes to one incident apply one at a time)."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _require_open(incident: Incident) -> None:
    if incident.status in FINISHED_STATUSES:
        raise Conflict(
            _("%(ref)s is finished and can no longer be changed.") % {"ref": incident.ref}
        )


# --- formations -----------------------------------------------------------------------------


def apply_formation(incident: Incident) -> list[IncidentPosition]:
    """Give the incident the positions of the formation its severity picks, unfilled. Positions
    it already has are kept (declared again, or a severity whose formation shares them): only
    the missing ones are added. Runs inside the caller's transaction (the declaring one). The
    timeline is left alone: the panel shows the positions, and filling one is a role change,
    which is on the timeline."""
    locked = _lock(incident)
    formation = queries.formation_for(locked.severity)
    if formation is None:
        return []
    have = set(IncidentPosition.objects.filter(incident=locked).values_list("role_id", flat=True))
    now = clock.now()
    start = IncidentPosition.objects.filter(incident=locked).count()
    added = [
        IncidentPosition(
            incident=locked,
            role=position.role,
            formation=formation,
            order=start + index,
            name_ja=position.name_ja,
            name_en=position.name_en,
            description_ja=position.description_ja,
            description_en=position.description_en,
            created_at=now,
        )
        for index, position in enumerate(
            (p for p in queries.positions_of_formation(formation) if p.role_id not in have), 1
        )
    ]
    if not added:
        return []
    IncidentPosition.objects.bulk_create(added)
    return added


def _usernames(people: list[User]) -> list[str]:
    return [person.username for person in people]


@transaction.atomic
def fill_position(
    actor: User | None, incident: Incident, position_id: int, people: list[User]
) -> queries.Filled:
    """Exactly `people` hold the position from now on (empty: nobody, the position is open
    again). A position is an incident role, so this assigns and releases that role: the
    timeline and the roles list say who took or left it. One person may hold several positions;
    a position whose role has one holder (the commander) takes one person."""
    locked = _lock(incident)
    _require_open(locked)
    filled = queries.get_position(locked, position_id)
    wanted: list[User] = []
    for person in people:
        if person.pk not in {p.pk for p in wanted}:
            wanted.append(person)
    if filled.single and len(wanted) > 1:
        raise InvalidInput(
            _("Only one person may hold %(position)s.") % {"position": filled.position.name}
        )
    if len(wanted) > MAX_HOLDERS:
        raise InvalidInput(_("A position may have at most %(max)s holders.") % {"max": MAX_HOLDERS})
    inactive = [person.username for person in wanted if not person.is_active]
    if inactive:
        raise InvalidInput(_("Unknown user %(username)s.") % {"username": inactive[0]})
    before = _usernames(filled.holders)
    role = filled.position.role.slug
    keep = {person.pk for person in wanted}
    # A single-holder role given to someone else is handed over by assigning it (the timeline
    # then says "handed over from ... to ..."); otherwise those left out are released.
    handed_over = filled.single and bool(wanted)
    for holder in filled.holders:
        if holder.pk not in keep and not handed_over:
            incident_actions.release_role(actor, locked, role, holder)
    for person in wanted:
        incident_actions.assign_role(actor, locked, role, person)
    result = queries.get_position(locked, position_id)
    after = _usernames(result.holders)
    if before != after:
        record_audit(
            actor,
            "incident.fill_position",
            locked,
            before={"position": role, "holders": before},
            after={"position": role, "holders": after},
        )
    return result


# --- checklists -----------------------------------------------------------------------------


def _post(incident: Incident, template: ChecklistTemplate, actor: User | None) -> IncidentChecklist:
    order = IncidentChecklist.objects.filter(incident=incident).count() + 1
    checklist = IncidentChecklist.objects.create(
        incident=incident,
        template=template,
        role=template.role,
        order=order,
        name_ja=template.name_ja,
        name_en=template.name_en,
        description_ja=template.description_ja,
        description_en=template.description_en,
        posted_at=clock.now(),
        posted_by=actor if actor is not None and actor.pk else None,
    )
    items = list(template.items.order_by("order", "id"))
    IncidentChecklistItem.objects.bulk_create(
        [
            IncidentChecklistItem(
                checklist=checklist,
                order=index,
                text_ja=item.text_ja,
                text_en=item.text_en,
            )
            for index, item in enumerate(items, 1)
        ]
    )
    if actor is None:
        # Kizuki attached it (declaration, severity change) or an automation rule posted it,
        # which writes its own run on the timeline: a person posting one is what is recorded.
        return checklist
    record_change(
        incident,
        CHECKLIST_POSTED,
        actor,
        checklist=checklist.pk,
        template=template.slug,
        name_ja=template.name_ja,
        name_en=template.name_en,
        role_ja=template.role.name_ja if template.role else "",
        role_en=template.role.name_en if template.role else "",
        count=len(items),
    )
    return checklist


@transaction.atomic
def post_checklist(
    incident: Incident, template: ChecklistTemplate, actor: User | None = None
) -> IncidentChecklist:
    """Put a copy of `template` on the incident (automation rules call this; `actor` None is
    Kizuki itself). Idempotent: a template already on the incident is not posted again, and the
    checklist already there is returned (no new timeline entry)."""
    locked = _lock(incident)
    existing = IncidentChecklist.objects.filter(incident=locked, template=template).first()
    if existing is not None:
        return existing
    _require_open(locked)
    try:
        with transaction.atomic():
            return _post(locked, template, actor)
    except IntegrityError:  # posted at the same moment by another transaction
        return IncidentChecklist.objects.get(incident=locked, template=template)


def attach_checklists(incident: Incident) -> list[IncidentChecklist]:
    """The templates matching the incident's severity that it does not have yet (inside the
    caller's transaction)."""
    locked = _lock(incident)
    posted = []
    for template in queries.templates_for(locked.severity):
        if not queries.has_checklist(locked, template):
            posted.append(_post(locked, template, None))
    return posted


@transaction.atomic
def set_item(
    actor: User, incident: Incident, item: IncidentChecklistItem, ticked: bool
) -> IncidentChecklistItem:
    """Tick (or untick) one item; each change is on the timeline with who and when. Ticking a
    ticked item (or unticking an open one) changes nothing."""
    locked = _lock(incident)
    _require_open(locked)
    current = IncidentChecklistItem.objects.select_for_update().get(pk=item.pk)
    if (current.ticked_at is not None) == ticked:
        return current
    checklist = IncidentChecklist.objects.get(pk=current.checklist_id)
    current.ticked_at = clock.now() if ticked else None
    current.ticked_by = actor if ticked else None
    current.save(update_fields=["ticked_at", "ticked_by"])
    data: dict[str, Any] = {
        "checklist": checklist.pk,
        "item": current.pk,
        "name_ja": checklist.name_ja,
        "name_en": checklist.name_en,
        "text_ja": current.text_ja,
        "text_en": current.text_en,
    }
    record_change(locked, ITEM_TICKED if ticked else ITEM_UNTICKED, actor, **data)
    record_audit(
        actor,
        "incident.checklist_tick" if ticked else "incident.checklist_untick",
        locked,
        after=data,
    )
    return current


# --- event handlers ---------------------------------------------------------------------------


def on_declared(event: events.IncidentDeclared) -> None:
    """IN_TRANSACTION on declaration (drills too): the formation's positions, unfilled, and the
    checklists of the severity."""
    incident = Incident.objects.get(pk=event.incident_id)
    apply_formation(incident)
    attach_checklists(incident)


def on_severity_changed(event: events.SeverityChanged) -> None:
    """IN_TRANSACTION: a declared, unfinished incident whose severity changed gets the
    positions and checklists the new severity adds (nothing is taken away)."""
    incident = Incident.objects.get(pk=event.incident_id)
    if incident.declared_at is None or incident.status in FINISHED_STATUSES:
        return
    apply_formation(incident)
    attach_checklists(incident)

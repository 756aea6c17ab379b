"""The write path for response areas: areas with their owner and ordered deputies, absences,
the proposal of area leads when an incident is declared, and the commander's change of a
lead. Each action owns its transaction and writes its audit record (and timeline entry)."""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.areas import queries
from kizuki.areas.models import MAX_DEPUTIES, Absence, AreaLead, Deputy, ResponseArea
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.incidents import events
from kizuki.incidents.models import FINISHED_STATUSES, Incident
from kizuki.incidents.timeline_actions import record_change

NAME_MAX = 100
DESCRIPTION_MAX = 2000
NOTE_MAX = 200
POSITION_MAX = 32767

# Timeline event codes (worded by areas.timeline_text).
PROPOSED = "area_leads_proposed"
CHANGED = "area_lead_changed"


def describe_area(area: ResponseArea) -> dict[str, Any]:
    """The area as plain JSON values (the audit record)."""
    return {
        "slug": area.slug,
        "name_ja": area.name_ja,
        "name_en": area.name_en,
        "position": area.position,
        "owner": area.owner.username if area.owner else None,
        "team": area.team.slug if area.team else None,
        "deputies": [user.username for user in queries.deputies_of(area)],
    }


def _person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise InvalidInput(_("Unknown user %(username)s.") % {"username": username})
    return person


def _text(value: Any, label: str, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(field)s may not be empty.") % {"field": label})
    if len(text) > limit:
        raise InvalidInput(
            _("%(field)s may be at most %(limit)s characters.") % {"field": label, "limit": limit}
        )
    return text


def _deputies(owner: User | None, usernames: list[str]) -> list[User]:
    if len(usernames) > MAX_DEPUTIES:
        raise InvalidInput(
            _("An area has at most %(max)s deputies; %(count)s were given.")
            % {"max": MAX_DEPUTIES, "count": len(usernames)}
        )
    if len(set(usernames)) != len(usernames):
        raise InvalidInput(_("A person may be a deputy of an area only once."))
    people = [_person(name) for name in usernames]
    if owner is not None and any(person.pk == owner.pk for person in people):
        raise InvalidInput(
            _("%(username)s owns the area and cannot also be its deputy.")
            % {"username": owner.username}
        )
    return people


def _apply(area: ResponseArea, changes: dict[str, Any]) -> None:
    if "slug" in changes:
        slug = _text(changes["slug"], _("Slug"), 50, required=True)
        try:
            validate_slug(slug)
        except ValidationError:
            raise InvalidInput(
                _("A slug may hold only letters, digits, hyphens and underscores.")
            ) from None
        if ResponseArea.objects.filter(slug=slug).exclude(pk=area.pk).exists():
            raise Conflict(_("An area %(slug)s already exists.") % {"slug": slug})
        area.slug = slug
    for name in ("name_ja", "name_en"):
        if name in changes:
            setattr(area, name, _text(changes[name], _("Name"), NAME_MAX, required=True))
    for name in ("description_ja", "description_en"):
        if name in changes:
            setattr(area, name, _text(changes[name], _("Duties"), DESCRIPTION_MAX))
    if changes.get("position") is not None:
        position = int(changes["position"])
        if not 0 <= position <= POSITION_MAX:
            raise InvalidInput(
                _("The position must be between 0 and %(max)s.") % {"max": POSITION_MAX}
            )
        area.position = position
    if "owner" in changes:
        area.owner = _person(changes["owner"]) if changes["owner"] else None
    if "team" in changes:
        team = Team.objects.filter(slug=changes["team"]).first() if changes["team"] else None
        if changes["team"] and team is None:
            raise InvalidInput(_("Unknown team %(team)s.") % {"team": changes["team"]})
        area.team = team


def _set_deputies(area: ResponseArea, people: list[User]) -> None:
    Deputy.objects.filter(area=area).delete()
    Deputy.objects.bulk_create(
        [Deputy(area=area, user=person, rank=rank) for rank, person in enumerate(people, 1)]
    )


@transaction.atomic
def create_area(actor: User | None, fields: dict[str, Any]) -> ResponseArea:
    """A new area: slug, name_ja, name_en (required), description_ja/en, position, owner and
    team (username, team slug) and `deputies` (usernames, rank order, at most four). Audited."""
    area = ResponseArea(position=0)
    for required in ("slug", "name_ja", "name_en"):
        fields.setdefault(required, "")
    _apply(area, fields)
    deputies = _deputies(area.owner, list(fields.get("deputies") or []))
    area.save()
    _set_deputies(area, deputies)
    area = queries.get_area(area.pk)
    record_audit(actor, "response_area.create", area, after=describe_area(area))
    return area


@transaction.atomic
def update_area(actor: User | None, area: ResponseArea, changes: dict[str, Any]) -> ResponseArea:
    """Change some of the area's fields (keys as in create_area; `deputies` replaces the whole
    ordered list). Audited."""
    locked = ResponseArea.objects.select_for_update().get(pk=area.pk)
    area = queries.get_area(locked.pk)
    before = describe_area(area)
    _apply(area, changes)
    if changes.get("deputies") is not None:
        deputies = _deputies(area.owner, list(changes["deputies"]))
    else:
        current = queries.deputies_of(area)
        if area.owner is not None and any(person.pk == area.owner.pk for person in current):
            # The new owner was a deputy: they move up, the others keep their order.
            current = [person for person in current if person.pk != area.owner.pk]
        deputies = current
    area.save()
    _set_deputies(area, deputies)
    area = queries.get_area(area.pk)
    record_audit(actor, "response_area.update", area, before=before, after=describe_area(area))
    return area


def _describe_absence(absence: Absence) -> dict[str, Any]:
    return {
        "user": absence.user.username,
        "starts_at": absence.starts_at.isoformat(),
        "ends_at": absence.ends_at.isoformat(),
        "note": absence.note,
    }


def _sane(moment: datetime) -> bool:
    """Within the years people plan leave in (and the database can store in UTC)."""
    try:
        return 1970 <= moment.astimezone(UTC).year <= 2999
    except OverflowError:
        return False


@transaction.atomic
def add_absence(
    actor: User | None, person: User, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Absence:
    """`person` is away from `starts_at` until `ends_at` (times with their zone). Audited."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone, e.g. 2026-11-25T10:00:00+09:00."))
    if not (_sane(starts_at) and _sane(ends_at)):
        raise InvalidInput(_("Give a time between the years 1970 and 2999."))
    if ends_at <= starts_at:
        raise InvalidInput(_("An absence must end after it starts."))
    absence = Absence.objects.create(
        user=person,
        starts_at=starts_at,
        ends_at=ends_at,
        note=_text(note, _("Note"), NOTE_MAX),
        created_by=actor if actor is not None and actor.pk else None,
        created_at=clock.now(),
    )
    record_audit(actor, "absence.create", absence, after=_describe_absence(absence))
    return absence


@transaction.atomic
def remove_absence(actor: User | None, absence: Absence) -> None:
    record_audit(actor, "absence.delete", absence, before=_describe_absence(absence))
    absence.delete()


def _chain_data(lead: queries.Lead) -> list[dict[str, Any]]:
    return [
        {"username": step.user.username, "rank": step.rank, "state": step.state}
        for step in lead.chain
    ]


def _area_data(lead: queries.Lead) -> dict[str, Any]:
    """What the timeline entry keeps of one area's proposal (names in both languages, so it
    reads right even after the area is renamed or removed)."""
    return {
        "area": lead.area.slug,
        "name_ja": lead.area.name_ja,
        "name_en": lead.area.name_en,
        "lead": lead.user.username if lead.user else None,
        "skipped": [
            {"username": step.user.username, "reason": step.state}
            for step in lead.chain
            if step.state in {queries.State.ABSENT, queries.State.UNREACHABLE}
        ],
    }


def propose_leads(event: events.IncidentDeclared) -> None:
    """IN_TRANSACTION on declaration: record who leads each area (the first of its chain who
    is available and reachable now) with the chain considered, and say so on the timeline.
    An incident that already has a proposal (declared again after reopening) keeps it; while
    no area names anybody, nothing is proposed (readiness shows those gaps)."""
    incident = Incident.objects.get(pk=event.incident_id)
    if AreaLead.objects.filter(incident=incident).exists():
        return
    now = clock.now()
    leads = queries.leads_at(now)
    if not any(lead.chain for lead in leads):
        return  # no area names anyone yet: "nobody available" everywhere would be noise
    AreaLead.objects.bulk_create(
        [
            AreaLead(
                incident=incident,
                area=lead.area,
                proposed=lead.user,
                lead=lead.user,
                chain=_chain_data(lead),
                proposed_at=now,
            )
            for lead in leads
        ]
    )
    record_change(incident, PROPOSED, None, areas=[_area_data(lead) for lead in leads])


@transaction.atomic
def change_lead(actor: User, area_lead: AreaLead, person: User | None) -> AreaLead:
    """The commander names who leads this area on the incident (None: nobody for now).
    Audited, and on the incident's timeline."""
    incident = Incident.objects.get(pk=area_lead.incident_id)
    if incident.status in FINISHED_STATUSES:
        raise Conflict(
            _("%(ref)s is finished and can no longer be changed.") % {"ref": incident.ref}
        )
    locked = (
        AreaLead.objects.select_for_update(of=("self",))
        .select_related("area", "lead")
        .get(pk=area_lead.pk)
    )
    previous = locked.lead
    if (previous.pk if previous else None) == (person.pk if person else None):
        return locked
    locked.lead = person
    locked.changed_by = actor
    locked.changed_at = clock.now()
    locked.save(update_fields=["lead", "changed_by", "changed_at"])
    record_change(
        incident,
        CHANGED,
        actor,
        area=locked.area.slug,
        name_ja=locked.area.name_ja,
        name_en=locked.area.name_en,
        lead=person.username if person else None,
        previous=previous.username if previous else None,
    )
    record_audit(
        actor,
        "area_lead.change",
        locked,
        before={"lead": previous.username if previous else None},
        after={"lead": person.username if person else None, "incident": incident.ref},
    )
    return locked

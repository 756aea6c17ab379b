"""The only write path for follow-ups. Each action is one transaction that writes the change,
the follow-up's own history (models.Change: what moved, with the reason) and the audit log,
and publishes its event (followups.events) for the subscribers in that transaction.

The incident's timeline is not written: the incidents app has no public function for another
app's automatic entries (their wording lives in incidents.timeline_text); the follow-up keeps
its own history instead. Exporting to trackers is in tracker_actions, the admins' quality
rules in rule_actions."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.core.events import Event, publish
from kizuki.core.text import clean_text, clean_title
from kizuki.followups import events, queries
from kizuki.followups.models import (
    ACTIVE,
    Category,
    Change,
    FollowUp,
    Kind,
    Milestone,
    MilestoneStatus,
    Phase,
    Status,
)
from kizuki.incidents import privacy_actions
from kizuki.incidents.access import can_see
from kizuki.incidents.events import PrivacyChanged
from kizuki.incidents.models import Incident
from kizuki.retros import queries as retros

REASON_MAX = 2_000
MILESTONES_MAX = 30
CHOICES: dict[str, type[Kind | Category | Phase]] = {
    "kind": Kind,
    "category": Category,
    "phase": Phase,
}
# The fields a follow-up's JSON and its edit form change; the rest have their own rules.
PLAIN_FIELDS = ["title", "description", "owner", "team", "kind", "category", "phase"]
EDITABLE = {*PLAIN_FIELDS, "due_date", "due_date_reason", "status", "status_reason", "milestones"}


def _id(user: User | None) -> int | None:
    return user.pk if user else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _clean_choice(field: str, value: Any) -> str:
    choices = CHOICES[field]
    if value in (None, ""):
        return ""
    if value not in choices.values:
        raise InvalidInput(
            _("Unknown %(field)s %(value)s; use one of %(values)s.")
            % {"field": field, "value": value, "values": ", ".join(choices.values)}
        )
    return str(value)


def _clean_status(value: Any) -> str:
    if value not in Status.values:
        raise InvalidInput(
            _("Unknown status %(status)s; use one of %(statuses)s.")
            % {"status": value, "statuses": ", ".join(Status.values)}
        )
    return str(value)


def _clean_milestones(items: Any) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidInput(_("Milestones must be a list."))
    if len(items) > MILESTONES_MAX:
        raise InvalidInput(
            _("A follow-up may have at most %(count)s milestones.") % {"count": MILESTONES_MAX}
        )
    cleaned = []
    for item in items:
        status = item.get("status") or MilestoneStatus.OPEN
        if status not in MilestoneStatus.values:
            raise InvalidInput(
                _("Unknown milestone status %(status)s; use one of %(statuses)s.")
                % {"status": status, "statuses": ", ".join(MilestoneStatus.values)}
            )
        due = item.get("due_date")
        if due is not None and not isinstance(due, date):
            raise InvalidInput(_("A milestone's due date must be a date."))
        cleaned.append({"title": clean_title(item.get("title")), "due_date": due, "status": status})
    return cleaned


def _section(incident: Incident, key: str) -> tuple[Any, str]:
    """The incident's retrospective and the section `key` of it a follow-up comes from."""
    retro = retros.find_retrospective(incident)
    if retro is None or not retro.started:
        raise InvalidInput(
            _("%(ref)s has no retrospective to link the follow-up to.") % {"ref": incident.ref}
        )
    keys = [section.key for section in retros.sections(retro)]
    if key not in keys:
        raise InvalidInput(
            _("The retrospective has no section %(key)s; use one of %(keys)s.")
            % {"key": key, "keys": ", ".join(keys)}
        )
    return retro, key


def snapshot(followup: FollowUp) -> dict[str, Any]:
    """The audited view of a follow-up: plain JSON values."""
    return {
        "incident": followup.incident.ref,
        "title": followup.title,
        "description": followup.description,
        "owner": followup.owner.username if followup.owner else None,
        "team": followup.team.slug if followup.team else None,
        "due_date": _iso(followup.due_date),
        "status": followup.status,
        "status_reason": followup.status_reason,
        "kind": followup.kind,
        "category": followup.category,
        "phase": followup.phase,
        "section": followup.section_key,
        "milestones": [
            {"title": m.title, "due_date": _iso(m.due_date), "status": m.status}
            for m in followup.milestones.all()
        ],
    }


def _log(
    followup: FollowUp, actor: User | None, event: str, reason: str = "", **data: Any
) -> Change:
    return Change.objects.create(
        followup=followup, event=event, data=data, reason=reason, actor=actor, at=clock.now()
    )


def _set_milestones(followup: FollowUp, items: list[dict[str, Any]]) -> bool:
    """Replace the milestones; whether anything changed."""
    current = [(m.title, m.due_date, m.status) for m in followup.milestones.all()]
    wanted = [(m["title"], m["due_date"], m["status"]) for m in items]
    if current == wanted:
        return False
    followup.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(followup=followup, position=index, **item) for index, item in enumerate(items)
    )
    return True


def _let_owner_see(actor: User | None, followup: FollowUp) -> None:
    """The owner of a follow-up of a private incident is made a participant (on the
    incident's timeline and in the audit log, as when added by hand): they must be able to
    open what they are asked to do and to be reminded of it."""
    owner, incident = followup.owner, followup.incident
    if owner is not None and owner.is_active and not can_see(owner, incident):
        privacy_actions.add_participant(actor, incident, owner)


def keep_owners_on_private(event: PrivacyChanged) -> None:
    """An incident made private keeps the owners of its follow-ups on it: each becomes a
    participant (on the record), as when chosen as owner of a private incident's follow-up."""
    if not event.private:
        return
    actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    found = FollowUp.objects.filter(incident_id=event.incident_id, owner__isnull=False)
    for followup in found.select_related("owner", "incident").order_by("id"):
        _let_owner_see(actor, followup)


@transaction.atomic
def create_followup(actor: User | None, incident: Incident, data: dict[str, Any]) -> FollowUp:
    """Write a follow-up of `incident`. Keys: title (required), description, owner (User or
    None), team (Team or None: the incident's team), due_date (a date, None for none; left out:
    the severity policy's), due_date_reason, kind, category, phase, section (the key of a
    section of the incident's retrospective), milestones ([{title, due_date, status}])."""
    unknown = set(data) - (EDITABLE - {"status", "status_reason"}) - {"section"}
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    retro, section = (None, "")
    if data.get("section"):
        retro, section = _section(incident, str(data["section"]))
    due = data["due_date"] if "due_date" in data else queries.default_due_date(incident)
    if due is not None and not isinstance(due, date):
        raise InvalidInput(_("The due date must be a date."))
    milestones = _clean_milestones(data.get("milestones"))
    now = clock.now()
    followup = FollowUp.objects.create(
        incident=incident,
        retrospective=retro,
        section_key=section,
        title=clean_title(data.get("title")),
        description=clean_text(data.get("description"), "description"),
        owner=data.get("owner"),
        team=data.get("team", incident.team),
        due_date=due,
        kind=_clean_choice("kind", data.get("kind")),
        category=_clean_choice("category", data.get("category")),
        phase=_clean_choice("phase", data.get("phase")),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _set_milestones(followup, milestones)
    _let_owner_see(actor, followup)
    reason = clean_text(data.get("due_date_reason"), "due_date_reason", REASON_MAX)
    _log(followup, actor, "created", reason, due_date=_iso(due), section=section)
    record_audit(actor, "followup.create", followup, after=snapshot(followup))
    publish(events.FollowUpCreated(followup.pk, incident.pk, _id(actor)))
    return followup


def _change_due_date(
    followup: FollowUp, actor: User | None, due: Any, reason: str
) -> events.FollowUpDueDateChanged | None:
    if due is not None and not isinstance(due, date):
        raise InvalidInput(_("The due date must be a date."))
    if due == followup.due_date:
        return None
    if not reason:
        raise InvalidInput(
            _("Say why the due date changes (due_date_reason): the reason is kept with it.")
        )
    previous = _iso(followup.due_date)
    followup.due_date = due
    _log(followup, actor, "due_date", reason, previous=previous, due_date=_iso(due))
    return events.FollowUpDueDateChanged(
        followup.pk, followup.incident_id, _id(actor), previous, _iso(due), reason
    )


def _change_status(
    followup: FollowUp, actor: User | None, status: str, reason: str, **extra: Any
) -> events.FollowUpStatusChanged | None:
    if status == followup.status:
        if status == Status.WONT_DO and reason and reason != followup.status_reason:
            followup.status_reason = reason
            _log(followup, actor, "status", reason, previous=status, status=status)
        return None
    if status == Status.WONT_DO and not reason:
        raise InvalidInput(
            _("Say why it will not be done (status_reason): the reason is kept with it.")
        )
    previous = followup.status
    followup.status = status
    followup.status_reason = reason if status == Status.WONT_DO else ""
    followup.done_at = clock.now() if status == Status.DONE else None
    _log(followup, actor, "status", reason, previous=previous, status=status, **extra)
    return events.FollowUpStatusChanged(
        followup.pk, followup.incident_id, _id(actor), previous, status, reason
    )


def _apply(followup: FollowUp, field: str, value: Any) -> bool:
    """Set one plain field; whether it changed."""
    if field == "title":
        value = clean_title(value)
    elif field == "description":
        value = clean_text(value, field)
    elif field in CHOICES:
        value = _clean_choice(field, value)
    elif field == "owner" and value is not None and not isinstance(value, User):
        raise InvalidInput(_("The owner must be a person."))
    elif field == "team" and value is not None and not isinstance(value, Team):
        raise InvalidInput(_("The team must be a team."))
    if getattr(followup, field) == value:
        return False
    setattr(followup, field, value)
    return True


@transaction.atomic
def update_followup(actor: User | None, followup: FollowUp, changes: dict[str, Any]) -> FollowUp:
    """Apply a partial edit. Keys: title, description, owner (User or None), team (Team or
    None), kind, category, phase, milestones (the whole list), due_date with due_date_reason
    (required when the date changes), status with status_reason (required for wont_do)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(sorted(unknown))})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    before = snapshot(followup)
    published: list[Event] = []
    changed = [
        field
        for field in PLAIN_FIELDS
        if field in changes and _apply(followup, field, changes[field])
    ]
    if "milestones" in changes and _set_milestones(
        followup, _clean_milestones(changes["milestones"])
    ):
        changed.append("milestones")
    if "owner" in changed:
        _let_owner_see(actor, followup)
    if changed:
        _log(followup, actor, "edited", fields=changed)
        published.append(
            events.FollowUpEdited(followup.pk, followup.incident_id, _id(actor), changed)
        )
    if "due_date" in changes:
        reason = clean_text(changes.get("due_date_reason"), "due_date_reason", REASON_MAX)
        published += filter(None, [_change_due_date(followup, actor, changes["due_date"], reason)])
    if "status" in changes:
        reason = clean_text(changes.get("status_reason"), "status_reason", REASON_MAX)
        status = _clean_status(changes["status"])
        published += filter(None, [_change_status(followup, actor, status, reason)])
    followup.updated_at = clock.now()
    followup.save()
    after = snapshot(followup)
    if after != before:
        record_audit(actor, "followup.update", followup, before=before, after=after)
    for event in published:
        publish(event)
    return queries.get_followup(followup.pk)


@transaction.atomic
def move_from_tracker(followup: FollowUp, status: str, issue_url: str) -> FollowUp | None:
    """The follow-up's tracker issue was closed (`status` done), closed as not planned
    (wont_do) or reopened (open): Kizuki moves the follow-up, as the system, with the issue as
    the reason. None when there was nothing to move."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.active == (status in ACTIVE):
        return None
    before = snapshot(followup)
    event = _change_status(followup, None, status, issue_url, via="tracker")
    followup.updated_at = clock.now()
    followup.save()
    record_audit(None, "followup.tracker_closed", followup, before=before, after=snapshot(followup))
    if event is not None:
        publish(event)
    return followup

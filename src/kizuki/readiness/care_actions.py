"""Looking after responders: the periodic break reminders of long incidents (on the timeline and
through each responder's notification method), the one-click hand-off of the commander role,
and the incident's work list: what must be done today, the rest moved to follow-ups."""

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.followups import actions as followup_actions
from kizuki.incidents import actions as incident_actions
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.journal import require_open
from kizuki.incidents.models import Incident
from kizuki.incidents.timeline_actions import record_change
from kizuki.notify import actions as notify
from kizuki.readiness import care_queries
from kizuki.readiness.models import BreakReminder, WorkItem

logger = logging.getLogger(__name__)

# Timeline event codes (worded by readiness.timeline_text).
BREAK_REMINDER = "break_reminder"
WORK_ADDED = "work_item_added"
WORK_DONE = "work_item_done"
WORK_TODAY = "work_item_today"
WORK_MOVED = "work_items_moved"
TEXT_MAX = 200  # a follow-up title holds as much
ITEMS_MAX = 50


def _hours(minutes: int) -> dict[str, int]:
    return {"hours": minutes // 60, "minutes": minutes % 60}


def _claim(incident: Incident, number: int) -> BreakReminder | None:
    """Write the reminder and its timeline entry, once per interval (another worker may have
    written it first)."""
    now = clock.now()
    reminded = care_queries.responders(incident)
    proposal = care_queries.handoff(incident, now)
    running = int((now - care_queries.started_at(incident)).total_seconds() // 60)
    try:
        with transaction.atomic():
            reminder = BreakReminder.objects.create(
                incident=incident,
                number=number,
                sent_at=now,
                reminded=[person.username for person in reminded],
                proposed=proposal.user.username if proposal else "",
            )
            record_change(
                incident,
                BREAK_REMINDER,
                None,
                minutes=running,
                reminded=reminder.reminded,
                proposed=reminder.proposed or None,
                source=proposal.source if proposal else None,
            )
    except (IntegrityError, Conflict):
        return None  # another worker wrote it first, or the incident has just been closed
    return reminder


def _tell(incident: Incident, reminder: BreakReminder, person: User) -> None:
    running = int((reminder.sent_at - care_queries.started_at(incident)).total_seconds() // 60)
    link = settings.KIZUKI_BASE_URL + reverse("incident-detail", args=[incident.ref])
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("%(ref)s: time for a break") % {"ref": incident.ref}
        body = _(
            "%(ref)s has been running for %(hours)s h %(minutes)02d min. Take a break and have a"
            " meal; hand over if you need to, and do not stay late without need.\n%(link)s"
        ) % {"ref": incident.ref, "link": link, **_hours(running)}
    notify.tell(person, subject, body)


def remind_long_incidents() -> int:
    """The worker's periodic job: each open incident that has run past its break-reminder time
    (and each interval after) reminds its responders once, on the timeline and through their
    notification method. Returns how many reminders were written."""
    now = clock.now()
    written = 0
    for incident in care_queries.open_incidents():
        care = care_queries.care_for(incident.severity)
        due = care_queries.due_number(incident, care, now)
        if due == 0 or due <= care_queries.last_number(incident):
            continue
        if not care_queries.responders(incident):
            continue  # nobody holds a role: nobody to remind yet
        reminder = _claim(incident, due)
        if reminder is None:
            continue
        written += 1
        for person in User.objects.filter(username__in=reminder.reminded):
            try:
                _tell(incident, reminder, person)
            except Exception:
                # One failing channel must not stop the other responders' reminders.
                logger.exception("break reminder to %s failed", person.username)
    return written


def hand_over(actor: User, incident: Incident, person: User) -> None:
    """Give the commander role to `person` (the proposal, or someone else): the incidents app's
    role assignment, which hands it over from the current commander and writes the timeline."""
    if not person.is_active:
        raise InvalidInput(_("%(user)s cannot take over.") % {"user": person.username})
    incident_actions.assign_role(actor, incident, incident_queries.COMMANDER, person)


def _lock(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    require_open(locked)
    return locked


@transaction.atomic
def add_work_item(actor: User, incident: Incident, text: str, *, today: bool = True) -> WorkItem:
    """A piece of work on the incident; `today`: it must be done today. On the timeline."""
    _lock(incident)
    clean = " ".join(str(text or "").split())
    if not clean:
        raise InvalidInput(_("Write what is to be done."))
    if len(clean) > TEXT_MAX:
        raise InvalidInput(_("An item may be at most %(limit)s characters.") % {"limit": TEXT_MAX})
    if WorkItem.objects.filter(incident=incident).count() >= ITEMS_MAX:
        raise Conflict(_("An incident holds at most %(max)s work items.") % {"max": ITEMS_MAX})
    item = WorkItem.objects.create(
        incident=incident, text=clean, today=today, created_by=actor, created_at=clock.now()
    )
    record_change(incident, WORK_ADDED, actor, text=clean, today=today)
    record_audit(actor, "work_item.create", item, after={"text": clean, "today": today})
    return item


@transaction.atomic
def update_work_item(actor: User, item: WorkItem, changes: dict[str, Any]) -> WorkItem:
    """Mark an item done (`done`) or for today or not (`today`). Each change on the timeline."""
    incident = _lock(item.incident)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.followup_id is not None:
        raise Conflict(_("This item was moved to a follow-up; change it there."))
    if changes.get("today") is not None and bool(changes["today"]) != item.today:
        item.today = bool(changes["today"])
        record_change(incident, WORK_TODAY, actor, text=item.text, today=item.today)
    if changes.get("done") is not None and bool(changes["done"]) != (item.done_at is not None):
        item.done_at = clock.now() if changes["done"] else None
        record_change(incident, WORK_DONE, actor, text=item.text, done=bool(changes["done"]))
    item.save(update_fields=["today", "done_at"])
    record_audit(actor, "work_item.update", item, after={k: changes[k] for k in changes})
    return item


@transaction.atomic
def move_rest_to_followups(actor: User, incident: Incident, due_date: date | None) -> list[Any]:
    """Every open item not marked for today becomes a follow-up of the incident, due on
    `due_date` (None: the severity policy's due date), so nobody works late on it tonight."""
    _lock(incident)
    if due_date is not None and (due_date < clock.now().date() or due_date.year > 2999):
        raise InvalidInput(_("The due date may not be in the past."))
    moved = []
    for item in care_queries.to_move(incident):
        fields: dict[str, Any] = {"title": item.text}
        if due_date is not None:
            fields["due_date"] = due_date
        followup = followup_actions.create_followup(actor, incident, fields)
        item.followup = followup
        item.save(update_fields=["followup"])
        moved.append(followup)
    if moved:
        record_change(
            incident,
            WORK_MOVED,
            actor,
            items=[followup.title for followup in moved],
            due_date=moved[0].due_date.isoformat() if moved[0].due_date else None,
        )
    return moved

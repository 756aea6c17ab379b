"""Reminders about overdue retrospectives, run by the worker on every tick.

A required retrospective not published by its due date is reminded to its owner (or, with
no owner, the incident commander) once it is overdue, and to the members of the incident's
team KIZUKI_RETRO_TEAM_REMINDER_DAYS later. Each reminder is claimed first, as a row under a
unique key (retrospective, kind, due date), and the mail goes out after that commits: two
workers never send it twice, and a new due date gets its own reminders. Each reaches a person
the first way their notification rules name (notify.actions.tell: e-mail without rules, never a
page). A failed send is logged, not retried: it is a nudge, and the overdue list still shows it.

A reminder names the incident: for a private one it reaches only its participants and admins
(an owner is made a participant when chosen; team members not on it are left out)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.events import publish
from kizuki.incidents import queries as incidents
from kizuki.incidents.access import can_see
from kizuki.notify.actions import tell
from kizuki.retros import events, queries
from kizuki.retros.models import ReminderKind, RetroReminder, Retrospective
from kizuki.retros.prefill import zone_for

logger = logging.getLogger(__name__)

COMMANDER = "incident_commander"


def _link(retro: Retrospective) -> str:
    ref = retro.incident.ref
    try:
        path = reverse("retro-detail", args=[ref])
    except NoReverseMatch:
        path = reverse("incident-detail", args=[ref])
    return str(settings.KIZUKI_BASE_URL) + path


def _owner_side(retro: Retrospective) -> list[User]:
    if retro.owner is not None:
        return [retro.owner]
    return [a.user for a in incidents.active_roles(retro.incident) if a.role.slug == COMMANDER]


def _team(retro: Retrospective) -> list[User]:
    team = retro.incident.team
    if team is None:
        return []
    return list(team.members.filter(is_active=True).order_by("username"))


def _claim(retro: Retrospective, kind: str, people: list[User], now: datetime) -> bool:
    assert retro.due_at is not None
    try:
        with transaction.atomic():
            RetroReminder.objects.create(
                retro=retro,
                kind=kind,
                due_at=retro.due_at,
                sent_at=now,
                recipients=[p.username for p in people],
            )
            publish(
                events.RetrospectiveReminded(
                    retro.pk, retro.incident_id, None, kind, [p.pk for p in people]
                )
            )
    except IntegrityError:
        return False  # sent before, or another worker claimed it first
    return True


def _send(retro: Retrospective, person: User) -> bool:
    """Tell the person the first way their notification rules name (else by e-mail); never
    a page. Whether it went out."""
    assert retro.due_at is not None
    with translation.override(person.language or settings.LANGUAGE_CODE):
        due = retro.due_at.astimezone(zone_for(person)).strftime("%Y-%m-%d %H:%M")
        values = {"ref": retro.incident.ref, "title": retro.incident.title, "due": due}
        subject = _("Retrospective overdue: %(ref)s %(title)s") % values
        body = "\n\n".join(
            [
                _("The retrospective of %(ref)s %(title)s was due on %(due)s.") % values,
                _("Write it, have it reviewed and publish it, so the incident can teach:"),
                _link(retro),
            ]
        )
    return tell(person, subject, body)


def send_overdue_reminders() -> int:
    """Send each reminder that is due and not yet sent; returns how many people were sent to."""
    now = clock.now()
    team_delay = timedelta(days=settings.KIZUKI_RETRO_TEAM_REMINDER_DAYS)
    sent_before = set(
        RetroReminder.objects.filter(retro__required=True).values_list("retro_id", "kind", "due_at")
    )
    sent = 0
    for retro in queries.overdue(now):
        plans = [(ReminderKind.OWNER, _owner_side(retro))]
        if retro.due_at is not None and now >= retro.due_at + team_delay:
            plans.append((ReminderKind.TEAM, _team(retro)))
        for kind, everyone in plans:
            people = [person for person in everyone if can_see(person, retro.incident)]
            if not people or (retro.pk, kind, retro.due_at) in sent_before:
                continue
            if not _claim(retro, kind, people, now):
                continue
            for person in people:
                try:
                    sent += _send(retro, person)
                except Exception:
                    # One bad address or channel must not stop the other reminders.
                    logger.exception("retrospective reminder to %s failed", person.username)
    return sent

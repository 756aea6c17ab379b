"""Reminders about follow-ups, run by the worker on every tick.

An open follow-up is reminded to its owner REMIND_BEFORE_DAYS before its due date, and once it
is overdue to its owner and its team's members: the day after the due date, then every
OVERDUE_EVERY_DAYS. Each reaches a person the first way their notification rules name (e-mail,
Slack, Apprise), once, without escalating: a reminder is not a page. Without rules, or when that
way fails, it is e-mailed to the account's address.

Each reminder is claimed first, as a row under a unique key (follow-up, kind, due date, step),
and sent after that commits: two workers never send it twice, and a new due date gets its own
reminders. A failed send is logged, not retried (the overviews still show the follow-up).

A reminder names the incident, so it reaches only people who may see it: for a private
incident, its participants and admins. Its owner is one (made a participant when assigned);
team members who are not on it are left out."""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.events import publish
from kizuki.followups import events, queries
from kizuki.followups.models import ACTIVE, FollowUp, Reminder, ReminderKind
from kizuki.incidents.access import can_see
from kizuki.notify.actions import tell

logger = logging.getLogger(__name__)

REMIND_BEFORE_DAYS = 3
OVERDUE_EVERY_DAYS = 7


def _due_plan(followup: FollowUp, today: date) -> tuple[str, int] | None:
    """Which reminder is due today, as (kind, step), or None."""
    due = followup.due_date
    if due is None:
        return None
    if today > due:
        return ReminderKind.OVERDUE, ((today - due).days - 1) // OVERDUE_EVERY_DAYS
    if today >= due - timedelta(days=REMIND_BEFORE_DAYS):
        return ReminderKind.DUE_SOON, 0
    return None


def _recipients(followup: FollowUp, kind: str) -> list[User]:
    def told(person: User | None) -> bool:
        return person is not None and person.is_active and can_see(person, followup.incident)

    people: list[User] = [followup.owner] if followup.owner and told(followup.owner) else []
    if (kind == ReminderKind.OVERDUE or not people) and followup.team is not None:
        members = followup.team.members.filter(is_active=True).order_by("username")
        people += [member for member in members if member not in people and told(member)]
    return people


def _claim(followup: FollowUp, kind: str, step: int, people: list[User], now: datetime) -> bool:
    assert followup.due_date is not None
    try:
        with transaction.atomic():
            Reminder.objects.create(
                followup=followup,
                kind=kind,
                due_date=followup.due_date,
                step=step,
                sent_at=now,
                recipients=[p.username for p in people],
            )
            publish(
                events.FollowUpReminded(
                    followup.pk, followup.incident_id, None, kind, [p.pk for p in people]
                )
            )
    except IntegrityError:
        return False  # sent before, or another worker claimed it first
    return True


def message(followup: FollowUp, person: User, kind: str, today: date) -> tuple[str, str]:
    """Subject and text, in the person's language."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        assert followup.due_date is not None
        values = {
            "ref": followup.ref,
            "title": followup.title,
            "due": followup.due_date.isoformat(),
            "incident": f"{followup.incident.ref} {followup.incident.title}",
            "days": (today - followup.due_date).days,
        }
        if kind == ReminderKind.OVERDUE:
            subject = _("Follow-up overdue: %(title)s") % values
            first = _("The follow-up %(ref)s “%(title)s” of %(incident)s was due on %(due)s.")
        else:
            subject = _("Follow-up due on %(due)s: %(title)s") % values
            first = _("The follow-up %(ref)s “%(title)s” of %(incident)s is due on %(due)s.")
        body = "\n\n".join(
            [
                first % values,
                _(
                    "Finish it, split it into milestones, or move its due date with a reason,"
                    " so the incident's lesson is not lost:"
                ),
                str(settings.KIZUKI_BASE_URL) + reverse("followup-detail", args=[followup.pk]),
            ]
        )
    return subject, body


def send_reminders() -> int:
    """Send every reminder due now and not sent yet; returns how many people were reached."""
    now = clock.now()
    today = queries.today()
    horizon = today + timedelta(days=REMIND_BEFORE_DAYS)
    candidates = list(
        FollowUp.objects.filter(status__in=ACTIVE, due_date__lte=horizon).select_related(
            "incident", "owner", "team"
        )
    )
    sent_before = set(
        Reminder.objects.filter(followup__in=candidates).values_list(
            "followup_id", "kind", "due_date", "step"
        )
    )
    sent = 0
    for followup in candidates:
        plan = _due_plan(followup, today)
        if plan is None:
            continue
        kind, step = plan
        if (followup.pk, kind, followup.due_date, step) in sent_before:
            continue
        people = _recipients(followup, kind)
        if not people or not _claim(followup, kind, step, people, now):
            continue
        for person in people:
            subject, body = message(followup, person, kind, today)
            try:
                sent += tell(person, subject, body)
            except Exception:
                # One bad address or channel must not stop the other reminders.
                logger.exception("follow-up reminder to %s failed", person.username)
    return sent

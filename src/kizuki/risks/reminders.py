"""Reminders that a risk's visit is due, run by the worker on every tick.

An open risk whose next visit has come is reminded to its owner once per next-visit date: a
visit (or any new date) gets its own reminder when that day comes. It reaches the owner by
notify.actions.tell (their first notification rule, falling back to e-mail), never as a page.
Each reminder is claimed first, as a row under a unique key (risk, next visit), and sent after
that commits: two workers never send it twice. A failed send is logged, not retried (the
register still shows the visit as due)."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.notify.actions import tell
from kizuki.risks import queries
from kizuki.risks.models import OPEN, Reminder, Risk

logger = logging.getLogger(__name__)


def _claim(risk: Risk, owner: User) -> bool:
    assert risk.next_visit is not None
    try:
        with transaction.atomic():
            Reminder.objects.create(
                risk=risk, next_visit=risk.next_visit, sent_at=clock.now(), recipient=owner.username
            )
    except IntegrityError:
        return False  # sent before, or another worker claimed it first
    return True


def message(risk: Risk, person: User) -> tuple[str, str]:
    """Subject and text, in the person's language."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        assert risk.next_visit is not None
        values = {
            "ref": risk.ref,
            "title": risk.title,
            "day": risk.next_visit.isoformat(),
            "status": risk.get_status_display(),
        }
        subject = _("Risk to visit: %(title)s") % values
        body = "\n\n".join(
            [
                _("The risk %(ref)s “%(title)s” (%(status)s) is due for a visit on %(day)s.")
                % values,
                _(
                    "Check how it stands, note what you checked and set the next visit, or"
                    " change its status:"
                ),
                str(settings.KIZUKI_BASE_URL) + reverse("risk-detail", args=[risk.pk]),
            ]
        )
    return subject, body


def send_visit_reminders() -> int:
    """Remind the owner of every open risk whose visit is due and not reminded yet; returns
    how many reminders went out."""
    today = queries.today()
    due = list(
        Risk.objects.filter(
            status__in=OPEN,
            next_visit__lte=today,
            owner__isnull=False,
            owner__is_active=True,
        ).select_related("owner")
    )
    sent_before = set(Reminder.objects.filter(risk__in=due).values_list("risk_id", "next_visit"))
    sent = 0
    for risk in due:
        owner = risk.owner
        if owner is None or (risk.pk, risk.next_visit) in sent_before:
            continue
        if not _claim(risk, owner):
            continue
        subject, body = message(risk, owner)
        try:
            sent += tell(owner, subject, body)
        except Exception:
            # One bad address or channel must not stop the other reminders.
            logger.exception("risk reminder to %s failed", owner.username)
    return sent

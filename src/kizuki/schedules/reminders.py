"""Shift-start reminders: when someone comes on call, e-mail them the incident commander's
checklist (NewsPicks: the on-call person leads the response, they do not dig into logs).

The worker runs send_shift_reminders on every tick. Each reminder is claimed first, as a row
under a unique key, and the mail goes out after that commits: a second worker never sends
twice, and no database lock is held while talking to the mail server. A send that fails is
logged and not retried; this is a courtesy note, the pages themselves retry."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.schedules.models import Schedule, ShiftReminder
from kizuki.schedules.rotation import Plan, Shift, plans

logger = logging.getLogger(__name__)
# A shift that started longer ago than this is under way, not starting: no reminder (this
# also keeps a first deployment from announcing every shift already running).
LOOKBACK = timedelta(days=1)
# How far ahead to look for the end of the shift the reminder announces.
AHEAD = timedelta(days=31)


def _incoming(plan: Plan, now: datetime) -> list[Shift]:
    """The shifts under way at `now` whose person came on call within LOOKBACK."""
    window = plan.timeline(now - LOOKBACK, now + timedelta(seconds=1))
    found = []
    for shift in window:
        if not shift.starts_at <= now < shift.ends_at or shift.starts_at <= now - LOOKBACK:
            continue
        # Someone already on call just before (a new layer shift, an override of their own)
        # is not coming on call.
        if any(s.user.pk == shift.user.pk and s.ends_at == shift.starts_at for s in window):
            continue
        found.append(shift)
    return found


def _send(schedule: Schedule, plan: Plan, shift: Shift) -> None:
    user = shift.user
    ahead = plan.timeline(shift.starts_at, shift.starts_at + AHEAD)
    ends_at = next((s.ends_at for s in ahead if s.user.pk == user.pk), shift.ends_at)
    zone = _zone(user, schedule)
    link = settings.KIZUKI_BASE_URL + reverse("schedule-detail", args=[schedule.pk])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "schedule": schedule,
            "starts_at": shift.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "ends_at": ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "zone": zone.key,
            "link": link,
        }
        subject = _("You are on call for %(schedule)s") % {"schedule": schedule.name}
        body = render_to_string("schedules/reminder_email.txt", context)
    send_mail(subject, body, None, [user.email])


def _claim(schedule_id: int, shift: Shift, now: datetime) -> bool:
    try:
        with transaction.atomic():
            ShiftReminder.objects.create(
                schedule_id=schedule_id, user=shift.user, shift_start=shift.starts_at, sent_at=now
            )
    except IntegrityError:
        return False  # another worker claimed it first
    return True


def _zone(user: User, schedule: Schedule) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or schedule.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(schedule.time_zone)


def send_shift_reminders() -> int:
    """Remind everyone who has just come on call; returns how many reminders were sent."""
    now = clock.now()
    schedules = {schedule.pk: schedule for schedule in Schedule.objects.all()}
    found = plans(schedules.values(), now - LOOKBACK, now + AHEAD)
    sent_before = set(
        ShiftReminder.objects.filter(shift_start__gt=now - LOOKBACK).values_list(
            "schedule_id", "user_id", "shift_start"
        )
    )
    sent = 0
    for schedule_id, plan in found.items():
        for shift in _incoming(plan, now):
            key = (schedule_id, shift.user.pk, shift.starts_at)
            if key in sent_before or not shift.user.email:
                continue
            if not _claim(schedule_id, shift, now):
                continue
            try:
                _send(schedules[schedule_id], plan, shift)
            except Exception:
                # One bad mail server or address must not stop the others' reminders.
                logger.exception("shift reminder to %s failed", shift.user.username)
                continue
            sent += 1
    return sent

"""Called only by the worker (its periodic jobs), which holds no transaction: each escalation
runs in a transaction of its own, opened here. Never call it from a request or an action.

The escalation engine. All state lives in rows, none in memory, so any number of workers
can run it and a worker killed at any point loses nothing:

- run_due_escalations: lock each due escalation (FOR UPDATE SKIP LOCKED on PostgreSQL; on
  SQLite the IMMEDIATE write transaction serialises workers), re-check it is still due, create
  the step's pages (unique keys: a repeat inserts nothing) and move to the next step, all in
  one transaction.
- deliver_due_pages (delivery.py): lease due pages, send them outside any transaction, record
  the outcome; retry with back-off; after the last attempt fall through to the next rule.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from kizuki.accounts.models import OrgRole, User
from kizuki.core import clock
from kizuki.notify.queries import rules_by_user
from kizuki.oncall.delivery import deliver_due_pages
from kizuki.oncall.history import log_event
from kizuki.oncall.models import (
    Escalation,
    EscalationStatus,
    EventKind,
    Page,
    TargetKind,
)
from kizuki.oncall.pages import channel_page, pages_for
from kizuki.schedules.models import Schedule
from kizuki.schedules.rotation import users_on_call

__all__ = ["deliver_due_pages", "run_due_escalations", "run_escalation", "step_users"]

logger = logging.getLogger(__name__)

# A step that raised is tried again after this, not on every tick (the error is logged).
RETRY_FAILED_STEP_AFTER = timedelta(seconds=10)


def _target_users(target: dict[str, Any], at: datetime) -> list[User]:
    people = User.objects.filter(is_active=True).order_by("username")
    match target["type"]:
        case TargetKind.USER:
            return list(people.filter(pk=target["id"]))
        case TargetKind.SCHEDULE:
            schedule = Schedule.objects.filter(pk=target["id"]).first()
            on_call = users_on_call(schedule, at) if schedule else []
            return [user for user in on_call if user.is_active]
        case TargetKind.TEAM:
            return list(people.filter(teams__pk=target["id"]))
        case TargetKind.EVERYONE:
            return list(people.filter(org_role__in=[OrgRole.RESPONDER, OrgRole.ADMIN]))
    return []


def step_users(targets: list[dict[str, Any]], at: datetime) -> list[User]:
    """Everyone the step's targets name at `at`, each once, in target order."""
    found: dict[int, User] = {}
    for target in targets:
        for user in _target_users(target, at):
            found.setdefault(user.pk, user)
    return list(found.values())


def _perform_step(escalation: Escalation, now: datetime) -> None:
    index, repetition = escalation.step_index, escalation.repetition
    targets = escalation.policy_snapshot["steps"][index]["targets"]
    if index == 0 and repetition > 0:
        log_event(escalation, EventKind.REPEATED, repetition=repetition)
    users = step_users(targets, now)
    rules = rules_by_user(user.pk for user in users)
    pages: list[Page] = []
    unreachable = []
    for user in users:
        mine = pages_for(
            escalation,
            user,
            rules.get(user.pk, []),
            step_index=index,
            repetition=repetition,
            now=now,
        )
        pages += mine
        if not mine:
            unreachable.append(user)
    channels = [str(t["id"]) for t in targets if t["type"] == TargetKind.CHANNEL]
    pages += [channel_page(escalation, name, index, repetition, now) for name in channels]
    # A page that already exists (same key) is left alone: never a second copy.
    Page.objects.bulk_create(pages, ignore_conflicts=True)
    log_event(
        escalation,
        EventKind.STEP,
        step=index + 1,
        repetition=repetition,
        users=[user.username for user in users],
        channels=channels,
    )
    for user in unreachable:
        log_event(escalation, EventKind.NOBODY, user, step=index + 1, reason="no_contact")
    if not users and not channels:
        log_event(escalation, EventKind.NOBODY, step=index + 1, reason="no_one_on_call")


def _advance(escalation: Escalation, now: datetime) -> None:
    snapshot = escalation.policy_snapshot
    wait = timedelta(minutes=snapshot["steps"][escalation.step_index]["wait_minutes"])
    if escalation.step_index + 1 < len(snapshot["steps"]):
        escalation.step_index += 1
        escalation.next_due_at = now + wait
    elif escalation.repetition < snapshot["repeat"]:
        escalation.step_index = 0
        escalation.repetition += 1
        escalation.next_due_at = now + wait
    else:
        # Out of steps. Pages already created still go out until someone acknowledges.
        escalation.status = EscalationStatus.EXHAUSTED
        escalation.next_due_at = None
        log_event(escalation, EventKind.EXHAUSTED)
    escalation.save(update_fields=["step_index", "repetition", "status", "next_due_at"])


@transaction.atomic
def run_escalation(escalation_id: int) -> bool:
    """Run the escalation's current step if it is (still) due. False when another worker holds
    it, or it was acknowledged, resolved or already moved on: the re-check under the lock is
    what makes a duplicate or late worker do nothing."""
    now = clock.now()
    escalation = (
        Escalation.objects.select_for_update(skip_locked=True)
        .filter(pk=escalation_id, status=EscalationStatus.ACTIVE, next_due_at__lte=now)
        .first()
    )
    if escalation is None:
        return False
    _perform_step(escalation, now)
    _advance(escalation, now)
    return True


def _postpone(escalation_id: int) -> None:
    now = clock.now()
    with transaction.atomic():
        Escalation.objects.filter(
            pk=escalation_id, status=EscalationStatus.ACTIVE, next_due_at__lte=now
        ).update(next_due_at=now + RETRY_FAILED_STEP_AFTER)


def run_due_escalations(limit: int = 50) -> int:
    """Run every due step (up to `limit`); returns how many ran. One transaction per
    escalation, so one that fails is rolled back whole and does not hold up the others."""
    now = clock.now()
    due = list(
        Escalation.objects.filter(status=EscalationStatus.ACTIVE, next_due_at__lte=now)
        .order_by("next_due_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for escalation_id in due:
        try:
            done += run_escalation(escalation_id)
        except Exception:
            logger.exception("escalation %s: step failed, rolled back; retrying", escalation_id)
            _postpone(escalation_id)
    return done

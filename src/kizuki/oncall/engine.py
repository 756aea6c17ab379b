"""Called only by the worker (its periodic jobs), which holds no transaction: each escalation
runs in a transaction of its own, opened here. Never call it from a request or an action.

The escalation engine. All state lives in rows, none in memory, so any number of workers
can run it and a worker killed at any point loses nothing:

- run_due_escalations: lock a batch of due escalations (FOR UPDATE SKIP LOCKED on PostgreSQL,
  so workers take disjoint batches; on SQLite the IMMEDIATE write transaction serialises
  workers), re-checked as due under the lock, create their steps' pages (unique keys: a repeat
  inserts nothing) and move each to its next step, all in one transaction.
- deliver_due_pages (delivery.py): lease a batch of due pages, send them outside any
  transaction, record the outcomes; retry with back-off; after the last attempt fall through
  to the next rule.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from kizuki.accounts.models import OrgRole, User
from kizuki.core import clock
from kizuki.core.outage import DATABASE_ERRORS
from kizuki.notify.queries import rules_by_user
from kizuki.oncall.delivery import deliver_due_pages
from kizuki.oncall.history import Entry, log_events
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
# Steps one worker runs in one transaction: each kind of row is written in one query for all.
STEP_BATCH = 100


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
    return Targets(at).users(targets)


class Targets:
    """Who each target names at one moment, looked up once per batch: the escalations of a
    storm mostly share their policy, so their steps share their targets."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.found: dict[tuple[str, str], list[User]] = {}

    def users(self, targets: list[dict[str, Any]]) -> list[User]:
        found: dict[int, User] = {}
        for target in targets:
            key = (str(target["type"]), str(target.get("id")))
            if key not in self.found:
                self.found[key] = _target_users(target, self.at)
            for user in self.found[key]:
                found.setdefault(user.pk, user)
        return list(found.values())


@dataclass
class _Batch:
    """What a batch of steps writes, gathered so each kind of row is written in one query."""

    now: datetime
    pages: list[Page] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)


def _perform_step(
    batch: _Batch, escalation: Escalation, users: list[User], rules: dict[int, Any]
) -> None:
    index, repetition, now = escalation.step_index, escalation.repetition, batch.now
    targets = escalation.policy_snapshot["steps"][index]["targets"]
    if index == 0 and repetition > 0:
        batch.events.append((escalation, EventKind.REPEATED, None, {"repetition": repetition}))
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
        batch.pages += mine
        if not mine:
            unreachable.append(user)
    channels = [str(t["id"]) for t in targets if t["type"] == TargetKind.CHANNEL]
    batch.pages += [channel_page(escalation, name, index, repetition, now) for name in channels]
    step = {
        "step": index + 1,
        "repetition": repetition,
        "users": [user.username for user in users],
        "channels": channels,
    }
    batch.events.append((escalation, EventKind.STEP, None, step))
    for user in unreachable:
        batch.events.append(
            (escalation, EventKind.NOBODY, user, {"step": index + 1, "reason": "no_contact"})
        )
    if not users and not channels:
        batch.events.append(
            (escalation, EventKind.NOBODY, None, {"step": index + 1, "reason": "no_one_on_call"})
        )


def _advance(batch: _Batch, escalation: Escalation) -> None:
    snapshot, now = escalation.policy_snapshot, batch.now
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
        batch.events.append((escalation, EventKind.EXHAUSTED, None, {}))


ADVANCED = ["step_index", "repetition", "status", "next_due_at"]


@transaction.atomic
def _run_steps(limit: int, escalation_id: int | None = None) -> int:
    """Lock up to `limit` due escalations (rows another worker holds are skipped), re-checked
    as due under the lock, and run their current steps: pages, history and the next step are
    written in this one transaction, so the batch commits whole or not at all."""
    now = clock.now()
    due = Escalation.objects.select_for_update(skip_locked=True).filter(
        status=EscalationStatus.ACTIVE, next_due_at__lte=now
    )
    if escalation_id is not None:
        due = due.filter(pk=escalation_id)
    escalations = list(due.order_by("next_due_at", "id")[:limit])
    if not escalations:
        return 0
    targets = Targets(now)
    users = {
        escalation.pk: targets.users(
            escalation.policy_snapshot["steps"][escalation.step_index]["targets"]
        )
        for escalation in escalations
    }
    rules = rules_by_user({user.pk for found in users.values() for user in found})
    batch = _Batch(now)
    for escalation in escalations:
        _perform_step(batch, escalation, users[escalation.pk], rules)
        _advance(batch, escalation)
    # A page that already exists (same key) is left alone: never a second copy.
    Page.objects.bulk_create(batch.pages, ignore_conflicts=True)
    log_events(batch.events)
    # The escalations of a storm move to the same next state: one UPDATE for each such state.
    moves: dict[tuple[Any, ...], list[int]] = {}
    for escalation in escalations:
        state = tuple(getattr(escalation, name) for name in ADVANCED)
        moves.setdefault(state, []).append(escalation.pk)
    for state, ids in moves.items():
        Escalation.objects.filter(pk__in=ids).update(**dict(zip(ADVANCED, state, strict=True)))
    return len(escalations)


def run_escalation(escalation_id: int) -> bool:
    """Run the escalation's current step if it is (still) due. False when another worker holds
    it, or it was acknowledged, resolved or already moved on: the re-check under the lock is
    what makes a duplicate or late worker do nothing."""
    return _run_steps(1, escalation_id) == 1


def _postpone(escalation_id: int) -> None:
    now = clock.now()
    with transaction.atomic():
        Escalation.objects.filter(
            pk=escalation_id, status=EscalationStatus.ACTIVE, next_due_at__lte=now
        ).update(next_due_at=now + RETRY_FAILED_STEP_AFTER)


def run_due_escalations(limit: int = STEP_BATCH) -> int:
    """Run due steps (up to `limit`), in one transaction; returns how many ran. When that
    fails, the due escalations run again one by one, each in its own transaction, so the one
    that fails is rolled back whole (and retried later) and does not hold up the others."""
    try:
        return _run_steps(limit)
    except DATABASE_ERRORS:
        raise
    except Exception:
        logger.exception("a batch of escalation steps failed, rolled back; running them singly")
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

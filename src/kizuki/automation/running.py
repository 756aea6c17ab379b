"""Running rules in the worker: hearing an event (subscribed AFTER_COMMIT, so the change it
tells of has committed), matching the enabled rules, and running each matching rule's
actions one by one.

A match writes a `Run` with one pending `ActionRun` per action, and its timeline entry, in one
transaction. Each action is then attempted in a transaction of its own: its writes and its
"succeeded" mark commit together, so a retry never repeats an action that succeeded, and a
failing action holds up none of the others. A passing failure waits 1, 2, 4 … minutes
(`retry_due`, a periodic job, tries again); a final one (a domain error, a webhook refusing)
or the last attempt marks it failed. Every outcome goes on the incident's timeline."""

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from kizuki.alerts.events import AlertGroupTriggered
from kizuki.alerts.models import AlertGroup
from kizuki.automation import matching, performers, wording
from kizuki.automation.models import ActionRun, ActionStatus, EventKind, Rule, Run
from kizuki.core import clock
from kizuki.core.errors import DomainError
from kizuki.core.events import Event
from kizuki.followups.events import FollowUpReminded
from kizuki.incidents import events as incidents
from kizuki.incidents import timeline_actions
from kizuki.incidents.models import Incident
from kizuki.retros.events import RetrospectivePublished

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=2)
STATUS_EVENTS = {
    "declared": EventKind.DECLARED,
    "mitigated": EventKind.MITIGATED,
    "resolved": EventKind.RESOLVED,
    "closed": EventKind.CLOSED,
}


def _incident(incident_id: int | None) -> Incident | None:
    if incident_id is None:
        return None
    return (
        Incident.objects.select_related("severity", "team")
        .prefetch_related("services")
        .filter(pk=incident_id)
        .first()
    )


def _about_incident(kind: str, incident_id: int, **extra: Any) -> matching.Occurrence | None:
    incident = _incident(incident_id)
    return None if incident is None else matching.of_incident(kind, incident, clock.now(), **extra)


def occurrence(event: Event) -> matching.Occurrence | None:
    """The rule event an app's event stands for (None: no rule listens for it)."""
    match event:
        case incidents.IncidentReported():
            return _about_incident(EventKind.REPORTED, event.incident_id)
        case incidents.IncidentStatusChanged() if event.status in STATUS_EVENTS:
            return _about_incident(STATUS_EVENTS[event.status], event.incident_id)
        case incidents.SeverityChanged():
            return _about_incident(EventKind.SEVERITY_CHANGED, event.incident_id)
        case FollowUpReminded() if event.kind == "overdue":
            return _about_incident(
                EventKind.FOLLOWUP_OVERDUE, event.incident_id, followup=event.followup_id
            )
        case RetrospectivePublished():
            return _about_incident(
                EventKind.RETROSPECTIVE_PUBLISHED,
                event.incident_id,
                retrospective=event.retrospective_id,
            )
        case AlertGroupTriggered():
            return _alert_group(event)
    return None


def _alert_group(event: AlertGroupTriggered) -> matching.Occurrence | None:
    group = AlertGroup.objects.select_related("service__team").filter(pk=event.group_id).first()
    if group is None:
        return None
    incident = _incident(group.incident_id)
    if incident is not None:
        return matching.of_incident(
            EventKind.ALERT_GROUP_TRIGGERED, incident, clock.now(), alert_group=group.pk
        )
    return matching.Occurrence(
        event=EventKind.ALERT_GROUP_TRIGGERED,
        at=clock.now(),
        services={group.service.slug},
        team=group.service.team.slug,
        subject=group.title[:300],
        extra={"alert_group": group.pk},
    )


def on_event(event: Event) -> None:
    """AFTER_COMMIT (in the worker): run every enabled rule the event matches, in order."""
    found = occurrence(event)
    if found is None:
        return
    for rule in Rule.objects.filter(enabled=True, event=found.event):
        reasons = matching.why(rule, found)
        if reasons is None:
            continue
        run = start_run(rule, found, reasons)
        for action_run in list(run.action_runs.all()):
            attempt(action_run.pk, found)


@transaction.atomic
def start_run(rule: Rule, found: matching.Occurrence, reasons: list[Any]) -> Run:
    now = clock.now()
    run = Run.objects.create(
        rule=rule,
        incident=found.incident,
        event=found.event,
        subject=found.subject[:300],
        why=reasons,
        started_at=now,
    )
    ActionRun.objects.bulk_create(
        ActionRun(
            run=run,
            position=position,
            action=action["kind"],
            params={key: value for key, value in action.items() if key != "kind"},
            next_attempt_at=now,
        )
        for position, action in enumerate(rule.actions)
    )
    if found.incident is not None:
        timeline_actions.record_change(
            found.incident,
            wording.RUN_ENTRY,
            rule=rule.name,
            rule_id=rule.pk,
            run=run.pk,
            trigger=found.event,
            why=reasons,
            actions=[action["kind"] for action in rule.actions],
        )
    return run


def _claim(action_run_id: int) -> ActionRun | None:
    """Take a due, pending action for LEASE (compare-and-set: two workers never both run it)."""
    now = clock.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = ActionRun.objects.filter(
        free, due, pk=action_run_id, status=ActionStatus.PENDING
    ).update(lease_until=now + LEASE)
    if not claimed:
        return None
    return ActionRun.objects.select_related("run__rule", "run__incident").get(pk=action_run_id)


def _rebuild(action_run: ActionRun) -> matching.Occurrence:
    """The occurrence a retry works on: the run's incident as it is now, else its subject."""
    run = action_run.run
    incident = _incident(run.incident_id)
    if incident is not None:
        return matching.of_incident(run.event, incident, clock.now())
    return matching.Occurrence(event=run.event, at=run.started_at, subject=run.subject)


def attempt(action_run_id: int, found: matching.Occurrence | None = None) -> bool:
    """Try one pending action once, if it is due and nobody else is at it. True if it ran."""
    action_run = _claim(action_run_id)
    if action_run is None:
        return False
    found = found or _rebuild(action_run)
    action_run.attempts += 1
    ActionRun.objects.filter(pk=action_run.pk).update(attempts=action_run.attempts)
    perform = performers.PERFORMERS.get(action_run.action)
    try:
        with transaction.atomic():
            if perform is None:
                raise performers.Refused(f"unknown action {action_run.action}")
            result = perform(action_run.params, found, action_run)
            _finish(action_run, ActionStatus.SUCCEEDED, result=result)
    except Exception as error:
        final = isinstance(error, DomainError) or action_run.attempts >= MAX_ATTEMPTS
        detail = error.detail if isinstance(error, DomainError) else str(error)
        if not isinstance(error, DomainError | performers.Retry):
            logger.exception(
                "automation: action %s of run %s failed", action_run.action, action_run.run_id
            )
        with transaction.atomic():
            if final:
                _finish(action_run, ActionStatus.FAILED, error=detail)
            else:
                _retry_later(action_run, detail)
    return True


def _entry(action_run: ActionRun, status: str, **data: Any) -> None:
    incident = action_run.run.incident
    if incident is None:
        return
    timeline_actions.record_change(
        incident,
        wording.ACTION_ENTRY,
        rule=action_run.run.rule.name,
        run=action_run.run_id,
        action=action_run.action,
        status=status,
        attempt=action_run.attempts,
        **data,
    )


def _finish(
    action_run: ActionRun,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str = "",
) -> None:
    now = clock.now()
    ActionRun.objects.filter(pk=action_run.pk).update(
        status=status,
        result=result or {},
        last_error=error[:2000],
        lease_until=None,
        next_attempt_at=None,
        finished_at=now,
    )
    if status == ActionStatus.SUCCEEDED:
        _entry(action_run, "succeeded", result=result or {})
    else:
        _entry(action_run, "failed", error=error[:500])
    run = action_run.run
    if not run.action_runs.filter(status=ActionStatus.PENDING).exclude(pk=action_run.pk).exists():
        Run.objects.filter(pk=run.pk, finished_at__isnull=True).update(finished_at=now)


def _retry_later(action_run: ActionRun, error: str) -> None:
    pause = timedelta(minutes=2 ** (action_run.attempts - 1))
    ActionRun.objects.filter(pk=action_run.pk).update(
        last_error=error[:2000], lease_until=None, next_attempt_at=clock.now() + pause
    )
    _entry(action_run, "retrying", error=error[:500])


def retry_due() -> int:
    """Periodic: attempt each pending action whose pause is over. Returns how many ran."""
    now = clock.now()
    due = ActionRun.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        status=ActionStatus.PENDING,
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "id")
    return sum(attempt(pk) for pk in list(due.values_list("pk", flat=True)[:50]))
